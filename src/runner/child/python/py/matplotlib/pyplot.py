"""matplotlib.pyplot: the state machine over figures (the current figure, its current Axes).

show() hands each open figure to whoever displays figures in this run and closes them, as
Jupyter's inline backend does; savefig() writes PNG or SVG files drawn by Autograd Lab."""
import sys

from matplotlib import _api, _render
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure, _subplot_args
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

__all__ = ['Axes', 'Figure', 'Line2D', 'Text', 'Legend', 'PathCollection', 'figure', 'gcf', 'gca', 'subplot', 'subplots',
           'plot', 'scatter', 'xlabel', 'ylabel', 'title', 'legend', 'grid', 'xlim', 'ylim', 'savefig', 'show', 'close',
           'clf', 'get_fignums', 'subplots_adjust', 'tight_layout']

_figures = {}  # number → Figure, in creation order
_current = None

_render.prepare()


def _missing(name):
    return _api.missing_module_attribute('matplotlib.pyplot', name)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _missing(name)


def __dir__():
    return sorted(set(globals()) - {n for n in globals() if n.startswith('_') and not n.startswith('__')})


# ---- figures
def figure(num=None, figsize=None, dpi=None, *, facecolor=None, edgecolor=None, frameon=True, FigureClass=Figure, clear=False,
           **kwargs):
    global _current
    if isinstance(num, Figure):
        _current = num
        return num
    label = ''
    if isinstance(num, str):
        label = num
        found = next((f for f in _figures.values() if f._label == num), None)
        num = None
        if found is not None:
            _current = found
            return found
    elif num is not None:
        if num in _figures:
            _current = _figures[num]
            if clear:
                _current.clear()
            return _current
        num = int(num)
    if FigureClass is not Figure:
        raise _api.unsupported('figure(..., FigureClass=...)')
    fig = Figure(figsize=figsize, dpi=dpi, facecolor=facecolor, edgecolor=edgecolor,
                 frameon=None if frameon is True else frameon, **kwargs)
    fig.number = num if num is not None else max(_figures, default=0) + 1
    fig._label = label
    _figures[fig.number] = fig
    _current = fig
    return fig


def gcf():
    return _current if _current is not None else figure()


def gca():
    return gcf().gca()


def sca(ax):
    global _current
    _current = ax.figure
    ax.figure.sca(ax)


def get_fignums():
    return sorted(_figures)


def subplot(*args, **kwargs):
    fig = gcf()
    spec = _subplot_args(args)
    existing = fig._find_subplot(spec)
    if existing is not None and not kwargs:
        fig.sca(existing)
        return existing
    return fig.add_subplot(*spec, **kwargs)


def subplots(nrows=1, ncols=1, *, sharex=False, sharey=False, squeeze=True, width_ratios=None, height_ratios=None,
             subplot_kw=None, gridspec_kw=None, **fig_kw):
    fig = figure(**fig_kw)
    axs = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=squeeze, width_ratios=width_ratios,
                       height_ratios=height_ratios, subplot_kw=subplot_kw, gridspec_kw=gridspec_kw)
    return fig, axs


def subplots_adjust(left=None, bottom=None, right=None, top=None, wspace=None, hspace=None):
    gcf().subplots_adjust(left=left, bottom=bottom, right=right, top=top, wspace=wspace, hspace=hspace)


def tight_layout(*, pad=1.08, h_pad=None, w_pad=None, rect=None):
    gcf().tight_layout(pad=pad, h_pad=h_pad, w_pad=w_pad, rect=rect)


def close(fig=None):
    global _current
    if fig is None:
        targets = [_current] if _current is not None else []
    elif fig == 'all':
        targets = list(_figures.values())
    elif isinstance(fig, Figure):
        targets = [fig]
    elif isinstance(fig, str):
        targets = [f for f in _figures.values() if f._label == fig]
    elif isinstance(fig, int) and not isinstance(fig, bool):
        targets = [_figures[fig]] if fig in _figures else []
    else:
        raise TypeError('close() argument must be a Figure, an int, a string, or None, not %s' % type(fig))
    for f in targets:
        _figures.pop(f.number, None)
        if f is _current:
            _current = None
    if _current is None and _figures:
        _current = list(_figures.values())[-1]
    return None


def clf():
    gcf().clear()


def savefig(*args, **kwargs):
    return gcf().savefig(*args, **kwargs)


def show(*args, block=None):
    if args:
        raise TypeError('show() takes 0 positional arguments but %d were given' % len(args))
    for fig in list(_figures.values()):
        _render.show(fig)
    close('all')


# ---- drawing on the current Axes
def plot(*args, scalex=True, scaley=True, data=None, **kwargs):
    return gca().plot(*args, scalex=scalex, scaley=scaley, data=data, **kwargs)


def scatter(x, y, s=None, c=None, marker=None, cmap=None, norm=None, vmin=None, vmax=None, alpha=None, linewidths=None, *,
            edgecolors=None, plotnonfinite=False, data=None, **kwargs):
    return gca().scatter(x, y, s=s, c=c, marker=marker, cmap=cmap, norm=norm, vmin=vmin, vmax=vmax, alpha=alpha,
                         linewidths=linewidths, edgecolors=edgecolors, plotnonfinite=plotnonfinite, data=data, **kwargs)


def xlabel(xlabel, fontdict=None, labelpad=None, *, loc=None, **kwargs):
    return gca().set_xlabel(xlabel, fontdict=fontdict, labelpad=labelpad, loc=loc, **kwargs)


def ylabel(ylabel, fontdict=None, labelpad=None, *, loc=None, **kwargs):
    return gca().set_ylabel(ylabel, fontdict=fontdict, labelpad=labelpad, loc=loc, **kwargs)


def title(label, fontdict=None, loc=None, pad=None, *, y=None, **kwargs):
    return gca().set_title(label, fontdict=fontdict, loc=loc, pad=pad, y=y, **kwargs)


def legend(*args, **kwargs):
    return gca().legend(*args, **kwargs)


def grid(visible=None, which='major', axis='both', **kwargs):
    return gca().grid(visible, which=which, axis=axis, **kwargs)


def xlim(*args, **kwargs):
    ax = gca()
    if not args and not kwargs:
        return ax.get_xlim()
    return ax.set_xlim(*args, **kwargs)


def ylim(*args, **kwargs):
    ax = gca()
    if not args and not kwargs:
        return ax.get_ylim()
    return ax.set_ylim(*args, **kwargs)


# `import matplotlib.pyplot as plt; plt.matplotlib` works in matplotlib too.
matplotlib = sys.modules['matplotlib']
