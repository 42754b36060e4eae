"""matplotlib.axes.Axes: one plotting area of a figure, with its data, limits, labels and legend.

Limits follow matplotlib's autoscaling (the data's extent, widened by nonsingular() when it is a
point, then by 5 % margins) so that `xlim()` returns what matplotlib returns; the renderer gets
the final limits and places the ticks itself."""
import math
import sys
import warnings

from matplotlib import _api, _colors, _data
from matplotlib._matplotlib_facts import CYCLE, RC
from matplotlib.collections import PathCollection, scatter_collection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D, check_color, check_linestyle
from matplotlib.text import Text

_FLOAT_TINY = sys.float_info.min
_GRID_PROPERTIES = {'color': 'color', 'c': 'color', 'linestyle': 'linestyle', 'ls': 'linestyle',
                    'linewidth': 'linewidth', 'lw': 'linewidth', 'alpha': 'alpha'}


def nonsingular(vmin, vmax, expander=0.001, tiny=1e-15, increasing=True):
    """matplotlib.transforms.nonsingular: widen an empty or point interval so it can be drawn."""
    if not math.isfinite(vmin) or not math.isfinite(vmax):
        return -expander, expander
    swapped = False
    if vmax < vmin:
        vmin, vmax = vmax, vmin
        swapped = True
    vmin, vmax = float(vmin), float(vmax)
    largest = max(abs(vmin), abs(vmax))
    if largest < (1e6 / tiny) * _FLOAT_TINY:
        vmin, vmax = -expander, expander
    elif vmax - vmin <= largest * tiny:
        if vmax == 0 and vmin == 0:
            vmin, vmax = -expander, expander
        else:
            vmin -= expander * abs(vmin)
            vmax += expander * abs(vmax)
    if swapped and not increasing:
        vmin, vmax = vmax, vmin
    return vmin, vmax


def parse_format(fmt):
    """A plot() format string ('ro--') → (linestyle, marker, colour); matplotlib's rules."""
    from matplotlib._matplotlib_facts import MARKERS
    try:
        color = _colors.to_rgba(fmt)
        try:
            as_int = str(int(fmt))
        except ValueError:
            return None, None, color
        if fmt != as_int:
            return None, None, color
    except ValueError:
        pass
    linestyle = marker = color = None
    bad = '%r is not a valid format string (%s)'
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if fmt[i:i + 2] in ('--', '-.'):
            if linestyle is not None:
                raise ValueError(bad % (fmt, 'two linestyle symbols'))
            linestyle = fmt[i:i + 2]
            i += 2
        elif c in ('-', ':', ' '):
            if linestyle is not None:
                raise ValueError(bad % (fmt, 'two linestyle symbols'))
            linestyle = c
            i += 1
        elif c in MARKERS:
            if marker is not None:
                raise ValueError(bad % (fmt, 'two marker symbols'))
            marker = c
            i += 1
        elif c in 'bgrcmykw':
            if color is not None:
                raise ValueError(bad % (fmt, 'two color symbols'))
            color = c
            i += 1
        elif c == 'C' and i < len(fmt) - 1 and fmt[i + 1].isdigit():
            color = _colors.to_rgba('C' + fmt[i + 1])
            i += 2
        else:
            raise ValueError(bad % (fmt, 'unrecognized character %r' % c))
    if linestyle is None and marker is None:
        linestyle = RC['lines.linestyle']
    return linestyle or 'None', marker or 'None', color


class Bbox:
    """The part of matplotlib.transforms.Bbox that get_position() callers use."""

    def __init__(self, left, bottom, width, height):
        self.x0, self.y0, self.width, self.height = left, bottom, width, height
        self.x1, self.y1 = left + width, bottom + height
        self.bounds = (left, bottom, width, height)

    def __repr__(self):
        return 'Bbox([[%r, %r], [%r, %r]])' % (self.x0, self.y0, self.x1, self.y1)


class Axes:
    def __init__(self, fig, position, spec=None):
        self.figure = fig
        self._position = tuple(position)
        self._subplotspec = spec
        self._children = []
        self._titles = {'left': Text(0.0, 1.0, '', fontsize=RC['axes.titlesize']),
                        'center': Text(0.5, 1.0, '', fontsize=RC['axes.titlesize']),
                        'right': Text(1.0, 1.0, '', fontsize=RC['axes.titlesize'])}
        self.title = self._titles['center']
        self._titlepad = RC['axes.titlepad']
        self._labels = {'x': Text(0.5, 0, '', fontsize=RC['axes.labelsize'], color=RC['axes.labelcolor']),
                        'y': Text(0, 0.5, '', fontsize=RC['axes.labelsize'], color=RC['axes.labelcolor'])}
        self._labelpads = {'x': RC['axes.labelpad'], 'y': RC['axes.labelpad']}
        self._limits = {'x': (0.0, 1.0), 'y': (0.0, 1.0)}
        self._autoscale = {'x': True, 'y': True}
        self._stale = {'x': False, 'y': False}
        self._grid = {'x': {'visible': False}, 'y': {'visible': False}}
        self.legend_ = None
        self._next_line_color = 0
        self._next_patch_color = 0

    # ---- printing
    def __repr__(self):
        fields = []
        titles = {loc: t.get_text() for loc, t in self._titles.items() if t.get_text()}
        if titles:
            fields.append('title=%r' % titles)
        for which in ('x', 'y'):
            if self._labels[which].get_text():
                fields.append('%slabel=%r' % (which, self._labels[which].get_text()))
        return '<%s: %s>' % (type(self).__name__, ', '.join(fields))

    def __str__(self):
        return '%s(%g,%g;%gx%g)' % ((type(self).__name__,) + self._position)

    def __getattr__(self, name):
        raise _api.missing_attribute(self, 'Axes', name)

    # ---- what it holds
    @property
    def lines(self):
        return [a for a in self._children if isinstance(a, Line2D)]

    @property
    def collections(self):
        return [a for a in self._children if isinstance(a, PathCollection)]

    def get_lines(self):
        return self.lines

    def get_figure(self):
        return self.figure

    def get_position(self, original=False):
        return Bbox(*self._position)

    def get_legend(self):
        return self.legend_

    def cla(self):
        self.__init__(self.figure, self._position, self._subplotspec)

    clear = cla

    def _add(self, artist):
        if not artist.get_label():
            artist.set_label('_child%d' % len(self._children))
        artist.axes = self
        self._children.append(artist)
        self._stale['x'] = self._stale['y'] = True

    # ---- plot
    def plot(self, *args, scalex=True, scaley=True, data=None, **kwargs):
        if data is not None:
            raise _api.unsupported('plot(..., data=...)')
        if not scalex or not scaley:
            raise _api.unsupported('plot(..., scalex=False or scaley=False)')
        lines = []
        while args:
            group, args = args[:2], args[2:]
            if args and isinstance(args[0], str):
                group += (args[0],)
                args = args[1:]
            lines.extend(self._lines(group, kwargs))
        return lines

    def _lines(self, group, kwargs):
        """The lines of one (x, y, fmt) group: one per column when x or y is 2-D, as matplotlib."""
        fmt = None
        if group and isinstance(group[-1], str):
            fmt, group = group[-1], group[:-1]
        if len(group) == 1:
            ys, y_shape = _data.columns(group[0])
            xs, x_shape = [[float(i) for i in range(y_shape[0])]], (y_shape[0],)
        elif len(group) == 2:
            (xs, x_shape), (ys, y_shape) = _data.columns(group[0]), _data.columns(group[1])
        else:
            raise ValueError('third arg must be a format string')
        if x_shape[0] != y_shape[0]:
            raise ValueError('x and y must have same first dimension, but have shapes %r and %r' % (x_shape, y_shape))
        if len(xs) > 1 and len(ys) > 1 and len(xs) != len(ys):
            raise ValueError('x has %d columns but y has %d columns' % (len(xs), len(ys)))
        props = dict(kwargs)
        if fmt is not None:
            linestyle, marker, color = parse_format(fmt)
            if color is not None:
                given = {k: props[k] for k in ('color', 'c') if k in props}
                if given:
                    warnings.warn('color is redundantly defined by the %r keyword argument and the fmt string %r (-> color=%r). '
                                  'The keyword argument will take precedence.' % (next(iter(given)), fmt, color), UserWarning, stacklevel=4)
                else:
                    props['color'] = color
            for key, aliases, value in (('linestyle', ('ls',), linestyle), ('marker', (), marker)):
                if value is not None and key not in props and not any(a in props for a in aliases):
                    props[key] = value
        lines = []
        for k in range(max(len(xs), len(ys))):
            line_props = dict(props)
            if line_props.get('color', line_props.get('c')) is None:
                line_props.pop('c', None)
                line_props['color'] = CYCLE[self._next_line_color % len(CYCLE)]
                self._next_line_color += 1
            line = Line2D(xs[k % len(xs)], ys[k % len(ys)], **line_props)
            self._add(line)
            lines.append(line)
        return lines

    # ---- scatter
    def scatter(self, x, y, s=None, c=None, marker=None, cmap=None, norm=None, vmin=None, vmax=None, alpha=None,
                linewidths=None, *, edgecolors=None, plotnonfinite=False, data=None, **kwargs):
        for name, value in (('cmap', cmap), ('norm', norm), ('vmin', vmin), ('vmax', vmax), ('data', data)):
            if value is not None:
                raise _api.unsupported('scatter(..., %s=...)' % name)
        if plotnonfinite:
            raise _api.unsupported('scatter(..., plotnonfinite=True)')
        props = _api.canonical_properties(kwargs, 'PathCollection')
        color = props.pop('color', None)
        if color is not None and c is not None:
            raise ValueError("Supply a 'c' argument or a 'color' kwarg but not both; they differ but their functionalities overlap.")
        c = color if c is None else c
        edgecolors = props.pop('edgecolor', edgecolors)
        linewidths = props.pop('linewidth', linewidths)
        label = props.pop('label', None)
        zorder = props.pop('zorder', 1)
        default = None
        if c is None and props.get('facecolor') is None:
            default = CYCLE[self._next_patch_color % len(CYCLE)]
        collection = scatter_collection(x, y, s=s, c=c if c is not None else props.pop('facecolor', None), marker=marker,
                                        alpha=alpha, linewidths=linewidths, edgecolors=edgecolors,
                                        default_color=default, label=label, zorder=zorder)
        if default is not None:
            self._next_patch_color += 1
        collection.set(**props)
        self._add(collection)
        return collection

    # ---- titles and labels
    def set_title(self, label, fontdict=None, loc=None, pad=None, *, y=None, **kwargs):
        if y is not None:
            raise _api.unsupported('set_title(..., y=...)')
        loc = 'center' if loc is None else loc
        if loc not in self._titles:
            raise ValueError('%r is not a valid value for loc; supported values are %s' % (loc, "'left', 'center', 'right'"))
        title = self._titles[loc]
        title.set_text(label)
        props = dict(fontdict or {})
        props.update(kwargs)
        title.update(props)
        if pad is not None:
            self._titlepad = float(pad)
        return title

    def get_title(self, loc='center'):
        return self._titles[loc].get_text()

    def _set_label(self, which, label, fontdict, labelpad, loc, kwargs):
        if loc is not None and loc != ('center'):
            raise _api.unsupported('set_%slabel(..., loc=%r)' % (which, loc))
        text = self._labels[which]
        text.set_text(label)
        props = dict(fontdict or {})
        props.update(kwargs)
        text.update(props)
        if labelpad is not None:
            self._labelpads[which] = float(labelpad)
        return text

    def set_xlabel(self, xlabel, fontdict=None, labelpad=None, *, loc=None, **kwargs):
        return self._set_label('x', xlabel, fontdict, labelpad, loc, kwargs)

    def set_ylabel(self, ylabel, fontdict=None, labelpad=None, *, loc=None, **kwargs):
        return self._set_label('y', ylabel, fontdict, labelpad, loc, kwargs)

    def get_xlabel(self):
        return self._labels['x'].get_text()

    def get_ylabel(self):
        return self._labels['y'].get_text()

    # ---- limits
    def _autoscaled(self, which):
        i = 0 if which == 'x' else 1
        values = [p[i] for a in self._children for p in a._finite_points()]
        lo, hi = (min(values), max(values)) if values else (-math.inf, math.inf)
        lo, hi = nonsingular(lo, hi, expander=0.05)
        delta = (hi - lo) * RC['axes.%smargin' % which]
        if not math.isfinite(delta):
            delta = 0
        return nonsingular(lo - delta, hi + delta)

    def _get_lim(self, which):
        if self._stale[which] and self._autoscale[which]:
            self._limits[which] = self._autoscaled(which)
        self._stale[which] = False
        return tuple(self._limits[which])

    def _set_lim(self, which, low, high, auto, emit_name):
        if high is None and isinstance(low, (tuple, list)):
            low, high = low
        old_low, old_high = self._get_lim(which)
        low = old_low if low is None else _limit(low)
        high = old_high if high is None else _limit(high)
        if low == high:
            warnings.warn('Attempting to set identical low and high %ss makes transformation singular; automatically expanding.'
                          % emit_name, UserWarning, stacklevel=4)
        low, high = nonsingular(low, high, expander=0.05, increasing=False)
        self._limits[which] = (low, high)
        self._autoscale[which] = bool(auto)
        self._stale[which] = False
        return (low, high)

    def get_xlim(self):
        return self._get_lim('x')

    def get_ylim(self):
        return self._get_lim('y')

    def set_xlim(self, left=None, right=None, *, emit=True, auto=False, xmin=None, xmax=None):
        left = _either(left, 'left', xmin, 'xmin')
        right = _either(right, 'right', xmax, 'xmax')
        return self._set_lim('x', left, right, auto, 'xlim')

    def set_ylim(self, bottom=None, top=None, *, emit=True, auto=False, ymin=None, ymax=None):
        bottom = _either(bottom, 'bottom', ymin, 'ymin')
        top = _either(top, 'top', ymax, 'ymax')
        return self._set_lim('y', bottom, top, auto, 'ylim')

    # ---- grid and legend
    def grid(self, visible=None, which='major', axis='both', **kwargs):
        if which not in ('major', 'minor', 'both'):
            raise ValueError("%r is not a valid value for which; supported values are 'major', 'minor', 'both'" % (which,))
        if axis not in ('both', 'x', 'y'):
            raise ValueError("%r is not a valid value for axis; supported values are 'both', 'x', 'y'" % (axis,))
        props = {}
        for key, value in kwargs.items():
            name = _GRID_PROPERTIES.get(key)
            if name is None:
                if 'set_' + key in _api.NAMES['Line2D']:
                    raise _api.unsupported('grid(..., %s=...)' % key)
                raise ValueError('keyword %s is not recognized; valid keywords are %s' % (key, sorted(_GRID_PROPERTIES)))
            props[name] = value
        if 'color' in props:
            check_color(props['color'])
        if 'linestyle' in props:
            props['linestyle'] = check_linestyle(props['linestyle'])
        if props:
            if visible is None:
                visible = True
            elif not visible:
                warnings.warn('First parameter to grid() is false, but line properties are supplied. The grid will be enabled.',
                              UserWarning, stacklevel=3)
                visible = True
        if which == 'minor':
            return None  # no minor ticks are drawn, so no minor grid lines either (as in matplotlib)
        for name in ('x', 'y') if axis == 'both' else (axis,):
            state = self._grid[name]
            state['visible'] = (not state['visible']) if visible is None else bool(visible)
            state.update({k: v for k, v in props.items()})
        return None

    def legend(self, *args, **kwargs):
        handles = kwargs.pop('handles', None)
        labels = kwargs.pop('labels', None)
        if len(args) > 2:
            raise TypeError('legend only accepts two non-keyword arguments')
        if len(args) == 2:
            handles, labels = args
        elif len(args) == 1:
            labels = args[0]
        if handles is not None and labels is None:
            labels = [h.get_label() for h in handles]
        elif labels is not None and handles is None:
            handles = [h for h, _ in zip(self._children, labels)]
        elif handles is None:
            pairs = [(a, a.get_label()) for a in self._children if a.get_label() and not a.get_label().startswith('_')]
            if not pairs:
                sys.stderr.write('No artists with labels found to put in legend.  Note that artists whose label start with an '
                                 'underscore are ignored when legend() is called with no argument.\n')
            handles = [h for h, _ in pairs]
            labels = [label for _, label in pairs]
        if isinstance(labels, str):
            labels = list(labels)
        self.legend_ = Legend(self, list(handles), list(labels)[:len(handles)], **kwargs)
        return self.legend_

    # ---- the figure description
    def _describe(self):
        xlim, ylim = self.get_xlim(), self.get_ylim()
        grid = {}
        for which in ('x', 'y'):
            state = self._grid[which]
            color, alpha = _colors.to_hex_alpha(state.get('color', RC['grid.color']), state.get('alpha', RC['grid.alpha']))
            grid[which] = {'visible': state['visible'], 'color': color, 'alpha': alpha,
                           'linewidth': float(state.get('linewidth', RC['grid.linewidth'])),
                           'linestyle': check_linestyle(state.get('linestyle', RC['grid.linestyle']))}
        artists = sorted((a for a in self._children if a.get_visible()), key=lambda a: a.zorder)
        return {
            'position': list(self._position),
            'subplotspec': list(self._subplotspec) if self._subplotspec is not None else None,
            'xlim': list(xlim), 'ylim': list(ylim),
            'titles': {loc: t._describe() for loc, t in self._titles.items() if t.get_text()},
            'titlepad': self._titlepad,
            'xlabel': self._labels['x']._describe() if self._labels['x'].get_text() else None,
            'ylabel': self._labels['y']._describe() if self._labels['y'].get_text() else None,
            'xlabelpad': self._labelpads['x'], 'ylabelpad': self._labelpads['y'],
            'grid': grid,
            'artists': [a._describe() for a in artists],
            'legend': self.legend_._describe() if self.legend_ is not None else None,
        }


def _either(value, name, alias, alias_name):
    """set_xlim's left= or its older spelling xmin= (not both)."""
    if alias is None:
        return value
    if value is not None:
        raise TypeError("Cannot pass both '%s' and '%s'" % (name, alias_name))
    return alias


def _limit(value):
    value = float(value)
    if not math.isfinite(value):
        raise ValueError('Axis limits cannot be NaN or Inf')
    return value
