"""matplotlib.collections.PathCollection: what scatter() draws."""
from matplotlib import _api, _colors, _data
from matplotlib._artist import Artist
from matplotlib._matplotlib_facts import MARKERS, RC

_SUPPORTED = ('label', 'alpha', 'zorder', 'facecolor', 'edgecolor', 'linewidth', 'color', 'visible')


class PathCollection(Artist):
    _supported = _SUPPORTED
    def __init__(self, x, y, sizes, facecolors, marker, linewidths, edgecolors, label=None, alpha=None, zorder=1):
        super().__init__()
        self._x = x
        self._y = y
        self._sizes = sizes
        self._facecolors = facecolors
        self._edgecolors = edgecolors
        self._marker = marker
        self._linewidths = linewidths
        self._label = label
        self._alpha = alpha
        self.zorder = zorder

    def __getattr__(self, name):
        raise _api.missing_attribute(self, 'PathCollection', name)

    def get_offsets(self):
        return [[x, y] for x, y in zip(self._x, self._y)]

    def get_sizes(self):
        return list(self._sizes)

    def get_facecolor(self):
        return [list(_colors.to_rgba(c, self._alpha)) for c in self._facecolors]

    get_facecolors = get_facecolor

    def set_facecolor(self, c):
        self._facecolors = _color_list(c, len(self._x))

    def get_edgecolor(self):
        if self._edgecolors == 'face':
            return self.get_facecolor()
        return [list(_colors.to_rgba(c, self._alpha)) for c in self._edgecolors]

    get_edgecolors = get_edgecolor

    def set_edgecolor(self, c):
        self._edgecolors = c if isinstance(c, str) and c == 'face' else _color_list(c, len(self._x))

    def set_color(self, c):
        self.set_facecolor(c)
        self.set_edgecolor(c)

    def get_linewidths(self):
        return list(self._linewidths)

    get_linewidth = get_linewidths

    def set_linewidth(self, lw):
        self._linewidths = [float(v) for v in (lw if isinstance(lw, (list, tuple)) else [lw])]

    def _describe(self):
        filled, path = MARKERS[self._marker]
        faces = [_colors.to_hex_alpha(c, self._alpha) for c in self._facecolors]
        edges = faces if self._edgecolors == 'face' else [_colors.to_hex_alpha(c, self._alpha) for c in self._edgecolors]
        return {'kind': 'scatter', 'zorder': self.zorder, 'x': _data.json_floats(self._x), 'y': _data.json_floats(self._y),
                'sizes': [float(s) for s in self._sizes], 'marker': {'name': self._marker, 'path': path, 'filled': filled},
                'facecolors': [c for c, _ in faces], 'facealphas': [a if filled else 0.0 for _, a in faces],
                'edgecolors': [c for c, _ in edges], 'edgealphas': [a for _, a in edges],
                'linewidths': [float(w) for w in self._linewidths]}


def _color_list(c, n):
    """One colour, or one per point."""
    if _colors.is_color_like(c):
        return [c]
    if isinstance(c, (list, tuple)) and all(_colors.is_color_like(v) for v in c):
        if len(c) not in (1, n):
            raise ValueError("'c' argument has %d elements, which is inconsistent with 'x' and 'y' with size %d." % (len(c), n))
        return list(c)
    values = _data.values(c)
    if len(values) == n:
        raise _api.unsupported('scatter colours mapped from values (colormaps)')
    raise ValueError("'c' argument must be a color, a sequence of colors, or a sequence of numbers, not %r" % (c,))


def scatter_collection(x, y, s=None, c=None, marker=None, alpha=None, linewidths=None, edgecolors=None,
                       default_color=None, label=None, zorder=1):
    xs, ys = _data.values(x), _data.values(y)
    if len(xs) != len(ys):
        raise ValueError('x and y must be the same size')
    if s is None:
        sizes = [RC['lines.markersize'] ** 2]
    else:
        sizes = _data.values(s)
        if len(sizes) not in (1, len(xs)):
            raise ValueError('s must be a scalar, or float array-like with the same size as x and y')
    from matplotlib.lines import check_marker
    marker = check_marker(RC['scatter.marker'] if marker is None else marker)
    if marker == 'None':
        raise ValueError('Unrecognized marker style %r' % (marker,))
    filled, _ = MARKERS[marker]
    facecolors = _color_list(default_color if c is None else c, len(xs))
    if linewidths is None:
        linewidths = [RC['lines.linewidth'] if not filled else RC['patch.linewidth']]
    else:
        linewidths = [float(v) for v in (linewidths if isinstance(linewidths, (list, tuple)) else [linewidths])]
    if edgecolors is None or not filled:
        edgecolors = 'face'
    elif not (isinstance(edgecolors, str) and edgecolors == 'face'):
        edgecolors = _color_list(edgecolors, len(xs))
    return PathCollection(xs, ys, sizes, facecolors, marker, linewidths, edgecolors, label=label, alpha=alpha, zorder=zorder)
