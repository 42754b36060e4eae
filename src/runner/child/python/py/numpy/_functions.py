"""NumPy's functions for the arrays Autograd Lab supports: creation (array, zeros, arange,
linspace, eye...), joining, the ufuncs (np.add, np.exp...), where, clip, dot, the reductions
as functions, isclose/allclose. Each follows NumPy 2's dtypes, values and errors."""
import builtins as _builtins
import math
import operator

from . import _array as A, _dtype, _engine as E, _errstate, _scalar
from ._array import ndarray, asarray, array, unsupported, wrap
from ._dtype import bool_, float32, float64, int64


# ------------------------------------------------------------------ ufuncs

class ufunc:
    """One of NumPy's universal functions: elementwise, broadcasting, NumPy's type promotion."""
    __module__ = 'numpy'

    def __init__(self, name, nin, fn):
        self.__name__ = name
        self.nin = nin
        self.nout = 1
        self.nargs = nin + 1
        self._fn = fn

    def __call__(self, *args, out=None, where=True, casting='same_kind', order='K', dtype=None, subok=True,
                 signature=None):
        if len(args) != self.nin:
            raise TypeError('%s() takes from %d to %d positional arguments but %d were given'
                            % (self.__name__, self.nin, self.nin + 1, len(args)))
        if where is not True:
            raise unsupported('numpy.%s(where=...)' % self.__name__)
        if dtype is not None or signature is not None:
            raise unsupported('numpy.%s(dtype=...)' % self.__name__)
        result = self._fn(*args)
        if out is None:
            return result
        target = out[0] if isinstance(out, tuple) else out
        if not isinstance(target, ndarray):
            raise TypeError('return arrays must be of ArrayType')
        target[...] = result
        return target

    def __repr__(self):
        return "<ufunc '%s'>" % self.__name__

    def _method(self, name):
        raise unsupported('numpy.%s.%s' % (self.__name__, name))

    def reduce(self, *args, **kwargs):
        self._method('reduce')

    def accumulate(self, *args, **kwargs):
        self._method('accumulate')

    def outer(self, *args, **kwargs):
        self._method('outer')

    def at(self, *args, **kwargs):
        self._method('at')


def _binary_ufunc(name, op=None):
    op = op or name
    return ufunc(name, 2, lambda x, y: A.binary(op, x, y, strict=True))


add = _binary_ufunc('add')
subtract = _binary_ufunc('subtract')
multiply = _binary_ufunc('multiply')
divide = _binary_ufunc('divide')
true_divide = divide
floor_divide = _binary_ufunc('floor_divide')
remainder = _binary_ufunc('remainder')
mod = remainder
power = _binary_ufunc('power')
pow = power
maximum = _binary_ufunc('maximum')
minimum = _binary_ufunc('minimum')
equal = _binary_ufunc('equal')
not_equal = _binary_ufunc('not_equal')
less = _binary_ufunc('less')
less_equal = _binary_ufunc('less_equal')
greater = _binary_ufunc('greater')
greater_equal = _binary_ufunc('greater_equal')
logical_and = _binary_ufunc('logical_and')
logical_or = _binary_ufunc('logical_or')
logical_xor = _binary_ufunc('logical_xor')


def _as_array(x):
    """x as an array (0-d for a scalar: the ufunc's answer is then a scalar)."""
    return x if isinstance(x, ndarray) else asarray(x)


# NumPy's flags for each math function come from its own domain (log(0) is a pole: divide by zero).
_FLOAT_FUNCTIONS = {'exp': 'exp', 'expm1': 'expm1', 'log': 'log', 'log1p': 'log1p', 'sqrt': 'sqrt', 'sin': 'sin',
                    'cos': 'cos', 'tanh': 'tanh'}


def _float_ufunc(name):
    engine_name = _FLOAT_FUNCTIONS[name]

    def fn(x):
        a = _as_array(x)
        dt = a._dtype
        if dt is bool_:
            raise _dtype.unsupported_dtype('float16 (numpy.%s of a boolean array computes in float16)' % name)
        if dt.kind != 'f':
            dt = float64
        src = a if a._dtype is dt else A.cast(a, dt, copy=False)
        z = E.call(src._t, engine_name)
        if not E.kernels.allFinite(z):
            A._warn_flags(name, E.kernels.flagsOf(name, src._t, None, z))
        return A._result(z, dt, a._shape)

    return ufunc(name, 1, fn)


exp = _float_ufunc('exp')
expm1 = _float_ufunc('expm1')
log = _float_ufunc('log')
log1p = _float_ufunc('log1p')
sqrt = _float_ufunc('sqrt')
sin = _float_ufunc('sin')
cos = _float_ufunc('cos')
tanh = _float_ufunc('tanh')


def _abs(x):
    return A.unary('absolute', _as_array(x))


absolute = ufunc('absolute', 1, _abs)
abs = absolute


def _neg(x):
    return A.unary('negative', _as_array(x))


negative = ufunc('negative', 1, _neg)


def _numeric_ufunc(name, engine_name, nan_stays_nan=False):
    """A ufunc computing in its input's dtype, which NumPy has no boolean loop for. With
    nan_stays_nan, a NaN input gives NaN where the engine (as PyTorch) gives something else."""
    def fn(x):
        a = _as_array(x)
        if a._dtype is bool_:
            raise TypeError("ufunc '%s' did not contain a loop with signature matching types <class "
                            "'numpy.dtypes.BoolDType'> -> None" % name)
        z = E.call(a._t, engine_name)
        if nan_stays_nan and a._dtype.kind == 'f':
            z = E.call(z, 'masked_fill', E.call(a._t, 'isnan'), float('nan'))
        return A._result(z, a._dtype, a._shape)
    return ufunc(name, 1, fn)


positive = _numeric_ufunc('positive', 'clone')
# np.sign(nan) is nan; torch.sign(nan) is 0.
sign = _numeric_ufunc('sign', 'sign', nan_stays_nan=True)


def _square(x):
    return A.binary('multiply', x, x, strict=True)


square = ufunc('square', 1, _square)


def _logical_not(x):
    a = _as_array(x)
    return A._result(E.call(A.cast(a, bool_, copy=False)._t, 'logical_not'), bool_, a._shape)


logical_not = ufunc('logical_not', 1, _logical_not)


def _class_test(name, engine_test):
    def fn(x):
        a = _as_array(x)
        if a._dtype.kind != 'f':
            return A._result(E.call(E.torch, 'zeros', E.to_js(list(a._shape)), dtype=E.engine_dtype(bool_))
                             if name != 'isfinite' else
                             E.call(E.torch, 'ones', E.to_js(list(a._shape)), dtype=E.engine_dtype(bool_)), bool_, a._shape)
        return A._result(engine_test(a._t), bool_, a._shape)
    return ufunc(name, 1, fn)


isnan = _class_test('isnan', lambda t: E.call(t, 'ne', t))
isfinite = _class_test('isfinite', lambda t: E.call(E.torch, 'isfinite', t))
isinf = _class_test('isinf', lambda t: E.call(E.call(E.call(E.torch, 'isfinite', t), 'logical_not'), 'logical_and',
                                               E.call(t, 'eq', t)))


# ------------------------------------------------------------------ creation

def _creation_dtype(dtype, default=float64):
    return default if dtype is None else _dtype.resolve(dtype)


def _no_like(name, like, device=None):
    if like is not None:
        raise unsupported('numpy.%s(like=...)' % name)
    if device not in (None, 'cpu'):
        raise unsupported('numpy.%s(device=%r)' % (name, device))


def zeros(shape, dtype=float, order='C', *, device=None, like=None):
    _no_like('zeros', like, device)
    return A.zeros_of(A._shape_arg(shape), _dtype.resolve(dtype))


def ones(shape, dtype=None, order='C', *, device=None, like=None):
    _no_like('ones', like, device)
    return A.full_of(A._shape_arg(shape), 1, _creation_dtype(dtype))


def empty(shape, dtype=float, order='C', *, device=None, like=None):
    """np.empty: NumPy leaves the memory uninitialized; Autograd Lab's is zeros."""
    _no_like('empty', like, device)
    return A.zeros_of(A._shape_arg(shape), _dtype.resolve(dtype))


def full(shape, fill_value, dtype=None, order='C', *, device=None, like=None):
    _no_like('full', like, device)
    if dtype is None:
        fill = asarray(fill_value)
        if fill.ndim:
            raise unsupported('numpy.full with an array fill_value')
        dt = fill._dtype
    else:
        dt = _dtype.resolve(dtype)
    return A.full_of(A._shape_arg(shape), fill_value, dt)


def _like(a, dtype, shape):
    a = asarray(a)
    dt = a._dtype if dtype is None else _dtype.resolve(dtype)
    return dt, (a._shape if shape is None else A._shape_arg(shape))


def zeros_like(a, dtype=None, order='K', subok=True, shape=None, *, device=None):
    dt, sh = _like(a, dtype, shape)
    return A.zeros_of(sh, dt)


def ones_like(a, dtype=None, order='K', subok=True, shape=None, *, device=None):
    dt, sh = _like(a, dtype, shape)
    return A.full_of(sh, 1, dt)


def empty_like(prototype, dtype=None, order='K', subok=True, shape=None, *, device=None):
    """np.empty_like: zeros in Autograd Lab (NumPy's memory is uninitialized)."""
    dt, sh = _like(prototype, dtype, shape)
    return A.zeros_of(sh, dt)


def full_like(a, fill_value, dtype=None, order='K', subok=True, shape=None, *, device=None):
    dt, sh = _like(a, dtype, shape)
    return A.full_of(sh, fill_value, dt)


def asanyarray(a, dtype=None, order=None, *, like=None):
    return asarray(a, dtype)


def ascontiguousarray(a, dtype=None, *, like=None):
    a = asarray(a, dtype)
    return a if A._is_contiguous(a) else a.copy()


def copy(a, order='K', subok=False):
    return array(a, copy=True)


def _arange_dtype(values):
    """arange's dtype: that of an array of its arguments (Python numbers count as int64 or float64)."""
    dt = None
    for v in values:
        if isinstance(v, ndarray) and v.ndim:
            raise TypeError('arange: start, stop and step must be scalars')
        d = v.dtype if isinstance(v, (_scalar.generic, ndarray)) else _dtype.PYTHON_DEFAULT.get(_dtype.python_kind(v))
        if d is None:
            raise TypeError("unsupported operand type(s) for -: '%s' and 'int'" % type(v).__name__)
        dt = d if dt is None else _dtype.promote(dt, d)
    return dt


def arange(start_or_stop, stop=None, step=None, *, dtype=None, device=None, like=None):
    """np.arange: NumPy computes the first two values, then fills value i as first + i*(second - first)."""
    _no_like('arange', like, device)
    if stop is None:
        start, stop = 0, start_or_stop
    else:
        start = start_or_stop
    if step is None:
        step = 1
    dt = _arange_dtype((start, stop, step)) if dtype is None else _dtype.resolve(dtype)
    py = [v.item() if isinstance(v, (_scalar.generic, ndarray)) else v for v in (start, stop, step)]
    for v in py:
        if _dtype.python_kind(v) is None:
            raise TypeError("unsupported operand type(s) for -: '%s' and '%s'" % (type(py[1]).__name__, type(py[0]).__name__))
    a, b, s = py
    if s == 0:
        raise ZeroDivisionError('division by zero')
    length = math.ceil((b - a) / s) if not (isinstance(a, int) and isinstance(b, int) and isinstance(s, int)) \
        else -((a - b) // s)
    length = _builtins.max(0, int(length))
    if length == 0:
        return A.zeros_of((0,), dt)
    first = A._scalar_value(a, dt)
    if length == 1:
        return A.from_values([first], (1,), dt)
    second = A._scalar_value(a + s, dt)
    if dt.kind == 'b' and length > 2:
        raise TypeError('arange() is only supported for booleans when the result has at most length 2.')
    work = int64 if dt.kind == 'i' else dt
    delta = second - first
    if dt is float32:
        delta = _scalar.weak_float32(delta)
    if dt.kind == 'i':
        A._check_exact(first + (length - 1) * delta, int64)
    idx = E.call(E.torch, 'arange', length, dtype=E.engine_dtype(work))
    t = E.call(E.call(idx, 'mul', delta), 'add', first)
    E.js.indexPut(t, E.to_js([1]), second)
    out = wrap(t, work, (length,))
    return A.cast(out, dt, copy=False) if work is not dt else out


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """np.linspace for scalar ends: i·step + start computed in the result's float dtype, the last
    value set to stop; an integer dtype rounds down."""
    _no_like('linspace', None, device)
    num = operator.index(num)
    if num < 0:
        raise ValueError('Number of samples, %s, must be non-negative.' % num)
    ops = [A.operand(v, True) for v in (start, stop)]
    if _builtins.any(o.array is not None and o.array.ndim for o in ops):
        raise unsupported('numpy.linspace with array start or stop')
    dt = A.compute_dtype(ops)
    if dt.kind != 'f':
        dt = float64
    out_dt = dt if dtype is None else _dtype.resolve(dtype)
    div = num - 1 if endpoint else num
    x0 = float(start.item() if hasattr(start, 'item') else start)
    x1 = float(stop.item() if hasattr(stop, 'item') else stop)
    r = _scalar.weak_float32 if dt is float32 else float
    x0, x1 = r(x0), r(x1)
    delta = r(x1 - x0)
    y = E.call(E.torch, 'arange', num, dtype=E.engine_dtype(dt)) if num else E.call(E.torch, 'zeros', E.to_js([0]),
                                                                                       dtype=E.engine_dtype(dt))
    if div > 0:
        step = r(delta / div)
        if step == 0:
            y = E.call(E.call(y, 'div', div), 'mul', delta)
        else:
            y = E.call(y, 'mul', step)
    else:
        step = math.nan
        y = E.call(y, 'mul', delta)
    y = E.call(y, 'add', x0)
    if endpoint and num > 1:
        E.js.indexPut(y, E.to_js([-1]), x1)
    result = wrap(y, dt, (num,))
    if out_dt.kind == 'i':
        result = wrap(E.call(y, 'floor'), dt, (num,)) if E.js.has(y, 'floor') else _floor(result)
    if out_dt is not dt:
        result = A.cast(result, out_dt, copy=False)
    if retstep:
        return result, _scalar.make(dt, step)
    return result


def _floor(a):
    """floor of a float array (x // 1, NumPy's floor for the values linspace makes)."""
    return A.binary('floor_divide', a, 1.0)


def eye(N, M=None, k=0, dtype=float, order='C', *, device=None, like=None):
    _no_like('eye', like, device)
    N = operator.index(N)
    M = N if M is None else operator.index(M)
    k = operator.index(k)
    dt = _dtype.resolve(dtype)
    values = [0] * (N * M)
    for i in range(N):
        j = i + k
        if 0 <= j < M:
            values[i * M + j] = 1
    return A.from_values(A._convert_values(values, {int}, dt), (N, M), dt)


def identity(n, dtype=None, *, like=None):
    return eye(n, dtype=_creation_dtype(dtype), like=like)


# ------------------------------------------------------------------ joining

def _joined_dtype(arrays, dtype):
    if dtype is not None:
        return _dtype.resolve(dtype)
    dt = None
    for a in arrays:
        dt = a._dtype if dt is None else _dtype.promote(dt, a._dtype)
    return dt


def concatenate(arrays, axis=0, out=None, *, dtype=None, casting='same_kind'):
    if out is not None:
        raise unsupported('numpy.concatenate(out=...)')
    arrays = [asarray(a) for a in arrays]
    if not arrays:
        raise ValueError('need at least one array to concatenate')
    if axis is None:
        arrays = [a.reshape(-1) for a in arrays]
        axis = 0
    first = arrays[0]
    if first.ndim == 0:
        raise ValueError('zero-dimensional arrays cannot be concatenated')
    ax = A._axis(axis, first.ndim)
    for i, a in enumerate(arrays[1:], 1):
        if a.ndim != first.ndim:
            raise ValueError('all the input arrays must have same number of dimensions, but the array at index 0 has %d '
                             'dimension(s) and the array at index %d has %d dimension(s)' % (first.ndim, i, a.ndim))
        for d in range(first.ndim):
            if d != ax and a._shape[d] != first._shape[d]:
                raise ValueError('all the input array dimensions except for the concatenation axis must match exactly, '
                                 'but along dimension %d, the array at index 0 has size %d and the array at index %d has '
                                 'size %d' % (d, first._shape[d], i, a._shape[d]))
    dt = _joined_dtype(arrays, dtype)
    ts = [(a if a._dtype is dt else A.cast(a, dt, copy=False))._t for a in arrays]
    t = E.call(E.torch, 'cat', E.to_js(ts), ax)
    return wrap(t, dt)


concat = concatenate


def stack(arrays, axis=0, out=None, *, dtype=None, casting='same_kind'):
    if out is not None:
        raise unsupported('numpy.stack(out=...)')
    arrays = [asarray(a) for a in arrays]
    if not arrays:
        raise ValueError('need at least one array to stack')
    shape = arrays[0]._shape
    for a in arrays[1:]:
        if a._shape != shape:
            raise ValueError('all input arrays must have the same shape')
    ax = A._axis(axis, len(shape) + 1)
    dt = _joined_dtype(arrays, dtype)
    ts = [(a if a._dtype is dt else A.cast(a, dt, copy=False))._t for a in arrays]
    return wrap(E.call(E.torch, 'stack', E.to_js(ts), ax), dt)


def atleast_1d(*arys):
    out = [asarray(a) if asarray(a).ndim else asarray(a).reshape(1) for a in arys]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = asarray(a)
        out.append(a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, -1) if a.ndim == 1 else a)
    return out[0] if len(out) == 1 else tuple(out)


def vstack(tup, *, dtype=None, casting='same_kind'):
    return concatenate([atleast_2d(a) for a in tup], 0, dtype=dtype)


def hstack(tup, *, dtype=None, casting='same_kind'):
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, 0 if arrs and arrs[0].ndim == 1 else 1, dtype=dtype)


def column_stack(tup):
    arrs = [asarray(a) for a in tup]
    arrs = [a.reshape(-1, 1) if a.ndim < 2 else a for a in arrs]
    return concatenate(arrs, 1)


# ------------------------------------------------------------------ selection

def where(condition, x=None, y=None):
    if x is None and y is None:
        return A.nonzero(atleast_1d(condition) if asarray(condition).ndim == 0 else asarray(condition))
    if x is None or y is None:
        raise ValueError('either both or neither of x and y should be given')
    cond = A.cast(asarray(condition), bool_, copy=False)
    ops = [A.operand(v, True) for v in (x, y)]
    dt = A.compute_dtype(ops)
    shape = A.broadcast_shapes(cond._shape, *[o.array._shape if o.array is not None else () for o in ops])
    tx = [A._as_tensor(o, dt) for o in ops]
    tx = [t if o.array is not None else E.scalar_tensor(t, dt) for o, t in zip(ops, tx)]
    t = E.call(E.torch, 'where', cond._t, tx[0], tx[1])
    return wrap(t, dt, shape)


def clip(a, a_min=None, a_max=None, out=None, *, min=None, max=None, **kwargs):
    if out is not None:
        raise unsupported('numpy.clip(out=...)')
    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    x = asarray(a)
    if x._dtype.kind == 'i':
        low_end, high_end = _dtype.INT_RANGE[x._dtype]
        if type(lo) is int and lo <= low_end:
            lo = None
        if type(hi) is int and hi >= high_end:
            hi = None
    if lo is None and hi is None:
        return positive(x) if x._dtype is not bool_ else x.copy()
    result = x
    if lo is not None:
        result = A.binary('maximum', result, lo, strict=True)
    if hi is not None:
        result = A.binary('minimum', result, hi, strict=True)
    return result


# ------------------------------------------------------------------ linear algebra, comparisons

def dot(a, b, out=None):
    if out is not None:
        raise unsupported('numpy.dot(out=...)')
    x, y = asarray(a), asarray(b)
    if x.ndim == 0 or y.ndim == 0:
        return A.binary('multiply', a, b, strict=True)
    if x.ndim > 2 or y.ndim > 2:
        raise unsupported('numpy.dot of arrays with more than 2 dimensions (use numpy.matmul)')
    if x._shape[-1] != (y._shape[0] if y.ndim else 1):
        raise ValueError('shapes %s and %s not aligned: %d (dim %d) != %d (dim 0)'
                         % (A._shape_str(x._shape), A._shape_str(y._shape), x._shape[-1], x.ndim - 1, y._shape[0]))
    return A.matmul(x, y)


def matmul_function(x1, x2, out=None, **kwargs):
    if out is not None:
        raise unsupported('numpy.matmul(out=...)')
    return A.matmul(x1, x2)


matmul = ufunc('matmul', 2, matmul_function)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """NumPy 2's isclose: |a - b| <= atol + rtol·|b| in b's float dtype (an int b is float64)."""
    x = a if isinstance(a, (int, float)) else asarray(a)
    y = b if isinstance(b, (int, float)) else asarray(b)
    if isinstance(y, ndarray):
        dt = A.compute_dtype((A.operand(y, True), A.operand(1.0, True)))
        y = y if y._dtype is dt else A.cast(y, dt, copy=False)
    elif isinstance(y, int) and not isinstance(y, bool):
        y = float(y)
    with _errstate.errstate(invalid='ignore'):
        close = A.binary('less_equal', absolute(A.binary('subtract', x, y, strict=True)),
                         A.binary('add', atol, A.binary('multiply', rtol, absolute(y), strict=True), strict=True),
                         strict=True)
        result = A.binary('logical_or', A.binary('logical_and', close, isfinite(y), strict=True),
                          A.binary('equal', x, y, strict=True), strict=True)
        if equal_nan:
            result = A.binary('logical_or', result, A.binary('logical_and', isnan(x), isnan(y), strict=True), strict=True)
    return result


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(A.any_all(asarray(isclose(a, b, rtol, atol, equal_nan)), 'all'))


def array_equal(a1, a2, equal_nan=False):
    x, y = asarray(a1), asarray(a2)
    if x._shape != y._shape:
        return False
    eq = A.binary('equal', x, y, strict=True)
    if equal_nan:
        eq = A.binary('logical_or', eq, A.binary('logical_and', isnan(x), isnan(y), strict=True), strict=True)
    return bool(A.any_all(asarray(eq), 'all'))


# ------------------------------------------------------------------ functions of the methods

def _method(name):
    def fn(a, *args, **kwargs):
        return getattr(asarray(a), name)(*args, **kwargs)
    fn.__name__ = name
    return fn


sum = _method('sum')
mean = _method('mean')
std = _method('std')
var = _method('var')
prod = _method('prod')
max = _method('max')
min = _method('min')
amax = max
amin = min
argmax = _method('argmax')
argmin = _method('argmin')
any = _method('any')
all = _method('all')
ravel = _method('ravel')
squeeze = _method('squeeze')
transpose = _method('transpose')
swapaxes = _method('swapaxes')
nonzero = _method('nonzero')


def reshape(a, /, shape=None, order='C', *, newshape=None, copy=None):
    if shape is None:
        shape = newshape
    return asarray(a).reshape(shape, order=order, copy=copy)


def expand_dims(a, axis):
    a = asarray(a)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    ndim = a.ndim + len(axes)
    positions = sorted(A._axis(x, ndim) for x in axes)
    if len(set(positions)) != len(positions):
        raise ValueError('repeated axis')
    shape = list(a._shape)
    for p in positions:
        shape.insert(p, 1)
    return a.reshape(tuple(shape))


def shape(a):
    return asarray(a)._shape


def ndim(a):
    return asarray(a).ndim


def size(a, axis=None):
    a = asarray(a)
    return a.size if axis is None else a._shape[A._axis(axis, a.ndim)]


def result_type(*arrays_and_dtypes):
    ops = []
    for x in arrays_and_dtypes:
        if isinstance(x, (_dtype.dtype, type, str)):
            ops.append(A._Operand(None, _dtype.resolve(x), None, None))
        else:
            ops.append(A.operand(x, True))
    return A.compute_dtype(ops)


def promote_types(type1, type2):
    return _dtype.promote(_dtype.resolve(type1), _dtype.resolve(type2))


def issubdtype(arg1, arg2):
    def cls(x):
        if isinstance(x, type) and issubclass(x, _scalar.generic):
            return x
        return _dtype.resolve(x).type
    return issubclass(cls(arg1), cls(arg2))


def isscalar(element):
    return isinstance(element, (_scalar.generic, int, float, complex, bool, str, bytes))


def can_cast(from_, to, casting='safe'):
    src = from_._dtype if isinstance(from_, ndarray) else _dtype.resolve(from_)
    dst = _dtype.resolve(to)
    if casting == 'same_kind':
        return _dtype.can_cast_same_kind(src, dst)
    if casting == 'unsafe':
        return True
    if casting in ('no', 'equiv'):
        return src is dst
    return _dtype.promote(src, dst) is dst
