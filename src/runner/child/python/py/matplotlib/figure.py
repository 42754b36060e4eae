"""matplotlib.figure.Figure: a figure of a given size in inches at a given dpi, holding Axes."""
import math
import os
import warnings

from matplotlib import _api, _render
from matplotlib._matplotlib_facts import PARAMETERS, RC, SAVEFIG_FORMATS
from matplotlib.axes import Axes


class _SubplotGrid:
    """What plt.subplots() returns for several Axes: NumPy's object array in real matplotlib.
    Indexes like it (`axs[1, 2]`, `axs[0][1]`, `axs.flat`, `axs.ravel()`, `axs.shape`)."""

    def __init__(self, rows):
        self._rows = rows  # a list of Axes (1-D) or a list of lists (2-D)
        self.ndim = 2 if rows and isinstance(rows[0], list) else 1
        self.shape = (len(rows), len(rows[0])) if self.ndim == 2 else (len(rows),)
        self.size = len(self.ravel())

    def __getitem__(self, key):
        if isinstance(key, tuple):
            if self.ndim != 2 or len(key) != 2:
                raise IndexError('too many indices for array: array is %d-dimensional, but %d were indexed' % (self.ndim, len(key)))
            row = self._rows[key[0]]
            if isinstance(key[0], slice):
                return _SubplotGrid([r[key[1]] for r in row]) if isinstance(key[1], slice) else _SubplotGrid([r[key[1]] for r in row])
            return _SubplotGrid(row[key[1]]) if isinstance(key[1], slice) else row[key[1]]
        item = self._rows[key]
        return _SubplotGrid(item) if isinstance(item, list) else item

    def __len__(self):
        return len(self._rows)

    def __iter__(self):
        for item in self._rows:
            yield _SubplotGrid(item) if isinstance(item, list) else item

    def ravel(self):
        return [ax for row in self._rows for ax in row] if self.ndim == 2 else list(self._rows)

    flatten = ravel

    @property
    def flat(self):
        return iter(self.ravel())

    def tolist(self):
        return [list(r) for r in self._rows] if self.ndim == 2 else list(self._rows)

    def __repr__(self):
        if self.ndim == 1:
            return 'array([%s], dtype=object)' % ', '.join(repr(a) for a in self._rows)
        rows = ',\n       '.join('[%s]' % ', '.join(repr(a) for a in row) for row in self._rows)
        return 'array([%s], dtype=object)' % rows


_SUBPLOT_PARAMETERS = ('left', 'bottom', 'right', 'top', 'wspace', 'hspace')


def grid_position(nrows, ncols, index, params):
    """The (left, bottom, width, height) of cell `index` (0-based) of a nrows × ncols grid in
    figure fractions, from the figure's subplot parameters, as matplotlib's GridSpec computes it."""
    left, right, bottom, top = params['left'], params['right'], params['bottom'], params['top']
    wspace, hspace = params['wspace'], params['hspace']
    cell_h = (top - bottom) / (nrows + hspace * (nrows - 1))
    cell_w = (right - left) / (ncols + wspace * (ncols - 1))
    tops, bottoms = _cumulative(cell_h, hspace * cell_h, nrows, top, -1)
    lefts, rights = _cumulative(cell_w, wspace * cell_w, ncols, left, 1)
    row, col = divmod(index, ncols)
    return (lefts[col], bottoms[row], rights[col] - lefts[col], tops[row] - bottoms[row])


def _cumulative(cell, sep, n, start, sign):
    total = 0.0
    starts, ends = [], []
    for i in range(n):
        total += 0 if i == 0 else sep
        starts.append(start + sign * total)
        total += cell
        ends.append(start + sign * total)
    return starts, ends


def _positive_int(value, what):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError('Number of %s must be a positive integer, not %r' % (what, value))
    return value


class _SubplotParams:
    """fig.subplotpars: left, bottom, right, top, wspace, hspace."""

    def __init__(self, values):
        self.__dict__.update(values)

    def __repr__(self):
        return '<matplotlib.figure.SubplotParams object at 0x%x>' % id(self)


class Figure:
    def __init__(self, figsize=None, dpi=None, **kwargs):
        for name, value in kwargs.items():
            if name in PARAMETERS['figure'] or name in ('layout', 'tight_layout', 'constrained_layout', 'subplotpars', 'linewidth'):
                if value is not None and not (name == 'frameon' and value is True):
                    raise _api.unsupported('figure(..., %s=...)' % name)
            else:
                raise TypeError("Figure.__init__() got an unexpected keyword argument '%s'" % name)
        self.set_size_inches(*(RC['figure.figsize'] if figsize is None else figsize))
        self.dpi = RC['figure.dpi'] if dpi is None else dpi
        self.axes = []
        self._current_axes = None
        self.number = None
        self._label = ''
        self.subplotpars = _SubplotParams({name: RC['figure.subplot.' + name] for name in _SUBPLOT_PARAMETERS})

    # ---- printing
    def __repr__(self):
        w, h = self._size
        return '<%s size %gx%g with %d Axes>' % (type(self).__name__, w * self.dpi, h * self.dpi, len(self.axes))

    def __str__(self):
        w, h = self._size
        return 'Figure(%gx%g)' % (w * self.dpi, h * self.dpi)

    def __getattr__(self, name):
        raise _api.missing_attribute(self, 'Figure', name)

    # ---- size
    def get_size_inches(self):
        return list(self._size)

    def set_size_inches(self, w, h=None, forward=True):
        if h is None:
            w, h = w
        size = (w, h)
        if not all(isinstance(v, (int, float)) and math.isfinite(v) and v > 0 for v in size):
            raise ValueError('figure size must be positive finite not %r' % (size,))
        self._size = (float(w), float(h))

    def get_figwidth(self):
        return self._size[0]

    def get_figheight(self):
        return self._size[1]

    def get_dpi(self):
        return self.dpi

    def set_dpi(self, val):
        self.dpi = val

    def get_axes(self):
        return list(self.axes)

    def get_label(self):
        return self._label

    # ---- axes
    def add_subplot(self, *args, **kwargs):
        for name in kwargs:
            raise _api.unsupported('add_subplot(..., %s=...)' % name)
        nrows, ncols, index = _subplot_args(args)
        ax = Axes(self, grid_position(nrows, ncols, index - 1, self.subplotpars.__dict__), (nrows, ncols, index))
        self.axes.append(ax)
        self._current_axes = ax
        return ax

    def _find_subplot(self, spec):
        return next((ax for ax in self.axes if ax._subplotspec == spec), None)

    def subplots(self, nrows=1, ncols=1, *, sharex=False, sharey=False, squeeze=True, width_ratios=None, height_ratios=None,
                 subplot_kw=None, gridspec_kw=None):
        for name, value in (('sharex', sharex), ('sharey', sharey)):
            if value not in (False, 'none'):
                raise _api.unsupported('subplots(..., %s=...)' % name)
        for name, value in (('width_ratios', width_ratios), ('height_ratios', height_ratios), ('subplot_kw', subplot_kw),
                            ('gridspec_kw', gridspec_kw)):
            if value:
                raise _api.unsupported('subplots(..., %s=...)' % name)
        _positive_int(nrows, 'rows')
        _positive_int(ncols, 'columns')
        grid = [[self.add_subplot(nrows, ncols, r * ncols + c + 1) for c in range(ncols)] for r in range(nrows)]
        if squeeze:
            if nrows == 1 and ncols == 1:
                return grid[0][0]
            if nrows == 1 or ncols == 1:
                return _SubplotGrid([ax for row in grid for ax in row])
        return _SubplotGrid(grid)

    def subplots_adjust(self, left=None, bottom=None, right=None, top=None, wspace=None, hspace=None):
        new = dict(self.subplotpars.__dict__)
        given = {'left': left, 'bottom': bottom, 'right': right, 'top': top, 'wspace': wspace, 'hspace': hspace}
        new.update({k: float(v) for k, v in given.items() if v is not None})
        if new['left'] >= new['right']:
            raise ValueError('left cannot be >= right')
        if new['bottom'] >= new['top']:
            raise ValueError('bottom cannot be >= top')
        self.subplotpars = _SubplotParams(new)
        for ax in self.axes:
            if ax._subplotspec is not None:
                nrows, ncols, index = ax._subplotspec
                ax._position = grid_position(nrows, ncols, index - 1, new)

    def tight_layout(self, *, pad=1.08, h_pad=None, w_pad=None, rect=None):
        """Makes room for each subplot's labels, as matplotlib's tight layout does (measured by
        the renderer, which knows the text sizes)."""
        if rect is not None:
            raise _api.unsupported('tight_layout(..., rect=...)')
        if len({ax._subplotspec[:2] for ax in self.axes if ax._subplotspec is not None}) > 1:
            raise _api.unsupported('tight_layout() of subplots from grids of different shapes')
        params = _render.tight_layout(self, pad, h_pad, w_pad)
        if params is None:
            return
        if 'warning' in params:
            warnings.warn(params['warning'], UserWarning, stacklevel=3)
            return
        self.subplots_adjust(**params)

    def gca(self):
        if self._current_axes is None:
            return self.add_subplot(1, 1, 1)
        return self._current_axes

    def sca(self, ax):
        self._current_axes = ax
        return ax

    def clear(self, keep_observers=False):
        self.axes = []
        self._current_axes = None

    clf = clear

    # ---- output
    def savefig(self, fname, *, transparent=None, **kwargs):
        fmt = kwargs.pop('format', None)
        dpi = kwargs.pop('dpi', None)
        bbox_inches = kwargs.pop('bbox_inches', None)
        pad_inches = kwargs.pop('pad_inches', None)
        tight_pad = None
        if bbox_inches is not None:
            if not (isinstance(bbox_inches, str) and bbox_inches == 'tight'):
                raise _api.unsupported("savefig(..., bbox_inches=%r) (only 'tight' is)" % (bbox_inches,))
            tight_pad = RC['savefig.pad_inches'] if pad_inches is None else float(pad_inches)
        for name, value in kwargs.items():
            if name in PARAMETERS['savefig'] or name in PARAMETERS['print_figure'] or name in (
                    'metadata', 'pil_kwargs', 'backend'):
                if value is not None:
                    raise _api.unsupported('savefig(..., %s=...)' % name)
            else:
                raise TypeError("FigureCanvasAgg.print_png() got an unexpected keyword argument '%s'" % name)
        if transparent:
            raise _api.unsupported('savefig(..., transparent=True)')
        if isinstance(fname, os.PathLike):
            fname = os.fspath(fname)
        if fmt is None:
            fmt = os.path.splitext(fname)[1][1:] if isinstance(fname, str) else ''
            if fmt == '':
                fmt = RC['savefig.format']
                if isinstance(fname, str):
                    fname = fname.rstrip('.') + '.' + fmt
        fmt = fmt.lower()
        if fmt not in SAVEFIG_FORMATS:
            raise ValueError('Format %r is not supported (supported formats: %s)' % (fmt, ', '.join(SAVEFIG_FORMATS)))
        if fmt not in ('png', 'svg'):
            raise _api.unsupported('savefig to %s (png and svg are)' % fmt)
        if dpi is None or dpi == 'figure':
            dpi = self.dpi
        data = _render.render(self, fmt, dpi, tight_pad)
        if isinstance(fname, str):
            with open(fname, 'wb') as f:
                f.write(data)
        else:
            try:
                fname.write(data)
            except TypeError:
                fname.write(data.decode('utf-8'))

    def _describe(self):
        return {'version': 1, 'size': list(self._size), 'dpi': float(self.dpi), 'rc': RC,
                'axes': [ax._describe() for ax in self.axes]}


def _subplot_args(args):
    if len(args) == 0:
        args = (1, 1, 1)
    if len(args) == 1:
        code = args[0]
        if isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 999:
            args = tuple(int(d) for d in str(code))
        else:
            raise ValueError('Single argument to subplot must be a three-digit integer, not %r' % (code,))
    if len(args) != 3:
        raise TypeError('subplot() takes 1 or 3 positional arguments but %d were given' % len(args))
    nrows, ncols, index = args
    _positive_int(nrows, 'rows')
    _positive_int(ncols, 'columns')
    if isinstance(index, tuple):
        raise _api.unsupported('subplots spanning several cells')
    if not isinstance(index, int) or isinstance(index, bool) or not 1 <= index <= nrows * ncols:
        raise ValueError('num must be 1 <= num <= %d, not %r' % (nrows * ncols, index))
    return nrows, ncols, index
