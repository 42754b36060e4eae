"""The engine behind NumPy's arrays: every ndarray holds an engine tensor (no autograd), the
engine's kernels do the elementwise arithmetic, and the `_agl_numpy` kernels what must follow
NumPy's order of operations. One place for the JavaScript side: the calls, the dtypes, the
conversions of values."""
from array import array

import _agl_js as js
import _agl_numpy as kernels
from pyodide.ffi import JsException, JsProxy, to_js

from . import _dtype

torch = js.torch
_NAMES = {_dtype.float32: 'float32', _dtype.float64: 'float64', _dtype.int64: 'int64', _dtype.bool_: 'bool',
          _dtype.int32: 'int32'}
_ENGINE = {}
_FROM_ENGINE = {}
for _d, _n in _NAMES.items():
    if js.has(torch, _n):
        _ENGINE[_d] = js.get(torch, _n)
        _FROM_ENGINE[_n] = _d
del _d, _n

# Integers are exact in the engine up to 2**53 (its int64 tensors hold doubles).
EXACT_INT = 2 ** 53


def has_dtype(dt):
    return dt in _ENGINE


def engine_dtype(dt):
    found = _ENGINE.get(dt)
    if found is None:
        raise NotImplementedError('numpy %s arrays are not supported by Autograd Lab yet (its engine has no %s '
                                  'tensors in this version)' % (dt.name, dt.name))
    return found


def dtype_of(t):
    """Our dtype of an engine tensor."""
    return _FROM_ENGINE[str(t.dtype.name)]


def options(**kwargs):
    return js.object(to_js([[k, v] for k, v in kwargs.items()]))


def call(owner, name, *args, **kwargs):
    """owner.name(*args, {kwargs}) in the engine: Python sequences go as JavaScript arrays,
    keyword arguments as the engine's options object."""
    fn = getattr(owner, name)
    if any(type(a) is list or type(a) is tuple for a in args):
        args = [to_js(list(a)) if type(a) is list or type(a) is tuple else a for a in args]
    if kwargs:
        return fn(*args, options(**kwargs))
    return fn(*args)


def any_true(t):
    """Whether any element of the engine tensor t is true (the engine's any() is a bool tensor)."""
    return bool(call(call(t, 'any'), 'item'))


def tensor_of(values, shape, dt):
    """An engine tensor of dtype dt from a flat list of Python values (already of that dtype,
    integers exact as doubles), in `shape`: handed over as one Float64Array."""
    return kernels.fromValues(to_js(array('d', values)), to_js(list(shape)), engine_dtype(dt))


def scalar_tensor(value, dt):
    return kernels.fromValues(to_js([value]), to_js([]), engine_dtype(dt))


def item(t, dt):
    """The one value of a one-element engine tensor as a Python float, int or bool."""
    v = t.item()
    if dt.kind == 'f':
        return float(v)
    if dt.kind == 'b':
        return v != 0
    return int(v)


def flat_values(t, dt):
    """The values of an engine tensor, row-major, as Python floats, ints or bools."""
    mv = kernels.values(t).to_py()
    values = mv.tolist()
    if dt.kind == 'f':
        return values
    if dt.kind == 'b':
        return [v != 0 for v in values]
    return [int(v) for v in values]


def shape_of(t):
    return tuple(js.shape(t).to_py())


def strides_of(t):
    return tuple(js.call(t, js.get(t, 'stride'), to_js([]), None).to_py())


def js_error(e):
    """(name, first line of the message) of an engine error."""
    name, message = js.errorInfo(e.js_error)
    return str(name), str(message).split('\n')[0]


__all__ = ['js', 'kernels', 'torch', 'JsException', 'JsProxy', 'to_js', 'engine_dtype', 'dtype_of', 'call']
