"""matplotlib.lines.Line2D: what plot() draws."""
from matplotlib import _api, _colors, _data
from matplotlib._artist import Artist
from matplotlib._matplotlib_facts import MARKERS, RC

LINESTYLES = {'-': '-', '--': '--', '-.': '-.', ':': ':', 'None': 'None', ' ': 'None', '': 'None',
              'solid': '-', 'dashed': '--', 'dashdot': '-.', 'dotted': ':'}
_NO_MARKER = ('None', 'none', ' ', '')
_SUPPORTED = ('color', 'linewidth', 'linestyle', 'marker', 'markersize', 'markeredgewidth', 'markerfacecolor',
              'markeredgecolor', 'label', 'alpha', 'zorder', 'visible')


def check_linestyle(ls):
    if isinstance(ls, str) and ls in LINESTYLES:
        return LINESTYLES[ls]
    if isinstance(ls, tuple):
        raise _api.unsupported('dash patterns given as (offset, (on, off, ...)) tuples')
    raise ValueError('%r is not a valid value for ls; supported values are %s' % (
        ls, ', '.join(repr(k) for k in ['-', '--', '-.', ':', 'None', ' ', '', 'solid', 'dashed', 'dashdot', 'dotted'])))


def check_marker(marker):
    if marker is None or (isinstance(marker, str) and marker in _NO_MARKER):
        return 'None'
    if isinstance(marker, str) and marker in MARKERS:
        return marker
    if isinstance(marker, str) and marker.startswith('$') and marker.endswith('$') and len(marker) > 1:
        raise _api.unsupported('mathtext markers')
    if isinstance(marker, int) and not isinstance(marker, bool) and 0 <= marker <= 11:
        raise _api.unsupported('tick and caret markers (marker=%d)' % marker)
    if isinstance(marker, (tuple, list)) or hasattr(marker, 'vertices'):
        raise _api.unsupported('markers given as paths or polygons')
    raise ValueError('Unrecognized marker style %r' % (marker,))


def check_color(color):
    if not _colors.is_color_like(color):
        raise ValueError('%r is not a valid value for color' % (color,))
    return color


class Line2D(Artist):
    _supported = _SUPPORTED
    zorder = 2

    def __init__(self, xdata, ydata, color=None, linewidth=None, linestyle=None, marker=None, label='', **kwargs):
        super().__init__()
        self._x = list(xdata)
        self._y = list(ydata)
        self._color = 'C0'
        self._linewidth = RC['lines.linewidth']
        self._linestyle = RC['lines.linestyle']
        self._marker = 'None'
        self._markersize = RC['lines.markersize']
        self._markeredgewidth = RC['lines.markeredgewidth']
        self._markerfacecolor = 'auto'
        self._markeredgecolor = 'auto'
        self._label = label
        props = {'color': color, 'linewidth': linewidth, 'linestyle': linestyle, 'marker': marker}
        props = {k: v for k, v in props.items() if v is not None}
        props.update(kwargs)
        self.set(**props)

    def __str__(self):
        return 'Line2D(%s)' % self._label

    def __getattr__(self, name):
        raise _api.missing_attribute(self, 'Line2D', name)

    # ---- data
    def get_xdata(self, orig=True):
        return list(self._x)

    def get_ydata(self, orig=True):
        return list(self._y)

    def get_data(self, orig=True):
        return self.get_xdata(), self.get_ydata()

    def set_xdata(self, x):
        self._x = _data.values(x)

    def set_ydata(self, y):
        self._y = _data.values(y)

    def set_data(self, *args):
        x, y = args[0] if len(args) == 1 else args
        self.set_xdata(x)
        self.set_ydata(y)

    # ---- style
    def get_color(self):
        return self._color

    def set_color(self, color):
        self._color = check_color(color)

    def get_linewidth(self):
        return self._linewidth

    def set_linewidth(self, w):
        self._linewidth = float(w)

    def get_linestyle(self):
        return self._linestyle

    def set_linestyle(self, ls):
        self._linestyle = check_linestyle(ls)

    def get_marker(self):
        return self._marker

    def set_marker(self, marker):
        self._marker = check_marker(marker)

    def get_markersize(self):
        return self._markersize

    def set_markersize(self, size):
        self._markersize = float(size)

    def get_markeredgewidth(self):
        return self._markeredgewidth

    def set_markeredgewidth(self, w):
        self._markeredgewidth = RC['lines.markeredgewidth'] if w is None else float(w)

    def get_markerfacecolor(self):
        return self._color if self._markerfacecolor == 'auto' else self._markerfacecolor

    def set_markerfacecolor(self, color):
        self._markerfacecolor = 'auto' if color is None else check_color(color)

    def get_markeredgecolor(self):
        return self._color if self._markeredgecolor == 'auto' else self._markeredgecolor

    def set_markeredgecolor(self, color):
        self._markeredgecolor = 'auto' if color is None else check_color(color)

    # ---- for the axes and the renderer
    def _style(self):
        color, alpha = _colors.to_hex_alpha(self._color, self._alpha)
        marker = None
        if self._marker != 'None':
            filled, path = MARKERS[self._marker]
            face, face_alpha = _colors.to_hex_alpha(self.get_markerfacecolor(), self._alpha)
            edge, edge_alpha = _colors.to_hex_alpha(self.get_markeredgecolor(), self._alpha)
            marker = {'name': self._marker, 'path': path, 'filled': filled, 'size': self._markersize,
                      'edgewidth': self._markeredgewidth, 'facecolor': face, 'facealpha': face_alpha if filled else 0.0,
                      'edgecolor': edge, 'edgealpha': edge_alpha}
        return {'color': color, 'alpha': alpha, 'linewidth': self._linewidth, 'linestyle': self._linestyle, 'marker': marker}

    def _describe(self):
        d = {'kind': 'line', 'zorder': self.zorder, 'x': _data.json_floats(self._x), 'y': _data.json_floats(self._y)}
        d.update(self._style())
        return d
