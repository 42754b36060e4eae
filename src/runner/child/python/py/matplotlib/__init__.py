"""Autograd Lab's matplotlib: pyplot's figures, drawn in the script process (Vega → SVG, resvg →
PNG) with matplotlib's look, return values and reprs. What matplotlib has and this does not yet
raises NotImplementedError naming it; names matplotlib lacks raise its AttributeError."""
import sys as _sys

from matplotlib import _api
from matplotlib._matplotlib_facts import SUBMODULES as _SUBMODULES

__version__ = '3.7.0+autograd_lab'
_BACKEND = 'agg'
_ACCEPTED_BACKENDS = ('agg', 'module://matplotlib_inline.backend_inline', 'inline')


def get_backend():
    return _BACKEND


def use(backend, *, force=True):
    """Figures are always drawn by Autograd Lab (saved with savefig, shown by show()): the
    non-interactive Agg backend and Jupyter's inline one are what that is; others are named."""
    global _BACKEND
    name = str(backend)
    if name.lower() not in _ACCEPTED_BACKENDS:
        raise _api.unsupported("matplotlib's %s backend (figures are drawn as with 'agg')" % name)
    _BACKEND = name.lower() if name.lower() == 'agg' else name


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _api.missing_module_attribute('matplotlib', name)


class _UnsupportedFinder:
    """`import matplotlib.colors` (a module matplotlib has, we not yet) names the feature."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname in _SUBMODULES and fullname not in _OURS:
            raise _api.unsupported(fullname)
        return None


_OURS = frozenset(['matplotlib.pyplot', 'matplotlib.figure', 'matplotlib.axes', 'matplotlib.lines', 'matplotlib.collections',
                   'matplotlib.text', 'matplotlib.legend'])

if not any(type(f).__name__ == '_UnsupportedFinder' and f.__module__ == __name__ for f in _sys.meta_path):
    _sys.meta_path.append(_UnsupportedFinder())
