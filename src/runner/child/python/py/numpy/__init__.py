"""`numpy` for Autograd Lab: NumPy 2's arrays (float32, float64, int32, int64, bool) for the
learner's scripts, each ndarray holding an engine tensor, so `t.numpy()` and
`torch.from_numpy(a)` share memory with tensors. Whatever NumPy has that this package lacks
raises NotImplementedError naming it; names NumPy lacks raise NumPy's AttributeError."""
import math as _math
import sys as _sys

from numpy import _dtype, _names, _print, _scalar
from numpy._array import ndarray, array, asarray
from numpy._dtype import dtype
from numpy._errstate import errstate, geterr, seterr
from numpy._floatstr import positional as _positional, scientific as _scientific
from numpy._functions import (  # noqa: F401
    absolute, abs, add, all, allclose, amax, amin, any, arange, argmax, argmin, array_equal, asanyarray,
    ascontiguousarray, atleast_1d, atleast_2d, can_cast, clip, column_stack, concat, concatenate, copy, cos, divide,
    dot, empty, empty_like, equal, exp, expand_dims, expm1, eye, floor_divide, full, full_like, greater, greater_equal,
    hstack, identity, isclose, isfinite, isinf, isnan, isscalar, issubdtype, less, less_equal, linspace, log, log1p,
    logical_and, logical_not, logical_or, logical_xor, matmul, max, maximum, mean, min, minimum, mod, multiply, ndim,
    negative, nonzero, not_equal, ones, ones_like, positive, pow, power, prod, promote_types, ravel, remainder,
    reshape, result_type, shape, sign, sin, size, sqrt, square, squeeze, stack, std, subtract, sum, swapaxes, tanh,
    transpose, true_divide, ufunc, var, vstack, where, zeros, zeros_like)
from numpy._io import loadtxt
from numpy._limits import finfo, iinfo
from numpy._scalar import (  # noqa: F401
    False_, True_, bool_, float32, float64, floating, generic, inexact, int32, int64, integer, number,
    signedinteger)
from numpy import exceptions, random  # noqa: E402

__version__ = '2.4.0+autograd_lab'

bool = bool_
double = float64
single = float32
int_ = int64
intp = int64
long = int64
longlong = int64
intc = int32

pi = _math.pi
e = _math.e
euler_gamma = 0.5772156649015329
inf = _math.inf
nan = _math.nan
newaxis = None
little_endian = True

set_printoptions = _print.set_printoptions
get_printoptions = _print.get_printoptions
printoptions = _print.printoptions


def array2string(a, max_line_width=None, precision=None, suppress_small=None, separator=' ', prefix='', *,
                 formatter=None, threshold=None, edgeitems=None, sign=None, floatmode=None, suffix='', legacy=None):
    from numpy._array import _print_args
    a = asarray(a)
    overrides = dict(linewidth=max_line_width, precision=precision, suppress=suppress_small, formatter=formatter,
                     sign=sign, floatmode=floatmode, legacy=legacy)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    with _print.printoptions(threshold=threshold, edgeitems=edgeitems):
        return _print.array2string_of(*_print_args(a), separator, prefix, suffix, **overrides)


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    from numpy._array import _print_args
    a = asarray(arr)
    return _print.array_repr_of(*_print_args(a), a.dtype.name, max_line_width, precision, suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    a = asarray(a)
    if a.ndim == 0:
        return str(a[()])
    return array2string(a, max_line_width, precision, suppress_small, ' ', '')


def _float_arg(x):
    if isinstance(x, _scalar.generic):
        return float(x), type(x) is float32
    return float(x), False


def format_float_positional(x, precision=None, unique=True, fractional=True, trim='k', sign=False, pad_left=None,
                            pad_right=None, min_digits=None):
    if not fractional:
        raise NotImplementedError('numpy.format_float_positional(fractional=False) is not supported by Autograd Lab yet')
    value, is32 = _float_arg(x)
    if not _math.isfinite(value):
        return str(float64(value))
    return _positional(value, is32, -1 if precision is None else precision, unique, -1 if min_digits is None else
                       min_digits, trim, sign, -1 if pad_left is None else pad_left, -1 if pad_right is None else pad_right)


def format_float_scientific(x, precision=None, unique=True, trim='k', sign=False, pad_left=None, exp_digits=None,
                            min_digits=None):
    value, is32 = _float_arg(x)
    if not _math.isfinite(value):
        return str(float64(value))
    return _scientific(value, is32, -1 if precision is None else precision, unique, -1 if min_digits is None else
                       min_digits, trim, sign, -1 if pad_left is None else pad_left,
                       -1 if exp_digits is None else exp_digits)


_scalar._array_hooks.update(array=array, ndarray=ndarray)
_EXPLICIT = frozenset(n for n in globals() if not n.startswith('_'))


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError("module 'numpy' has no attribute '%s'" % name)
    raise _names.missing('numpy', name)


def __dir__():
    return sorted(_EXPLICIT | {'__version__'})


class _UnsupportedFinder:
    """`import numpy.linalg` (and NumPy's other submodules) names the missing feature instead of
    failing with ModuleNotFoundError; any other numpy.x is ModuleNotFoundError, as under NumPy."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname.startswith('numpy.') and fullname not in _sys.modules and _names.is_numpy_submodule(fullname):
            if fullname.split('.')[1] in ('random', 'exceptions'):
                return None
            raise NotImplementedError('%s is not supported by Autograd Lab yet' % fullname)
        return None


_UnsupportedFinder.__name__ = '_UnsupportedNumpyFinder'
if not [f for f in _sys.meta_path if type(f).__name__ == '_UnsupportedNumpyFinder']:
    _sys.meta_path.append(_UnsupportedFinder())
