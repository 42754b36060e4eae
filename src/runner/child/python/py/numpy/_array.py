"""NumPy's ndarray over an engine tensor (no autograd): shape and dtype, NumPy's conversion of
Python data, its broadcasting and type promotion for the operators, its indexing rules and
messages, its reductions and its printing. Elementwise work runs in the engine; what depends
on NumPy's order of operations (sums, products, float floor division) in the _agl_numpy kernels."""
import math
import operator

from . import _dtype, _engine as E, _errstate, _print, _scalar
from ._dtype import bool_, float32, float64, int32, int64
from ._exceptions import UFuncOutputCastingError
from .exceptions import AxisError

_new = object.__new__
EXACT_INT = E.EXACT_INT


def unsupported(what):
    return NotImplementedError('%s is not supported by Autograd Lab yet' % what)


class ndarray:
    """An n-dimensional array of float32, float64, int32, int64 or bool values, as NumPy's."""
    __slots__ = ('_t', '_dtype', '_shape', '__weakref__')
    __module__ = 'numpy'
    __array_priority__ = 0.0
    __hash__ = None

    def __new__(cls, shape, dtype=float, buffer=None, offset=0, strides=None, order=None):
        if buffer is not None or strides is not None or offset:
            raise unsupported('numpy.ndarray(buffer=..., strides=..., offset=...)')
        dt = _dtype.resolve(dtype)
        # NumPy leaves the memory uninitialized; Autograd Lab's is zeros.
        return zeros_of(_shape_arg(shape), dt)

    # ---- what it is
    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, value):
        new = _reshape_target(self, _shape_arg(value))
        if self._shape != new and not _is_contiguous(self):
            raise AttributeError('Incompatible shape for in-place modification. Use `.reshape()` to make a copy with '
                                 'the desired shape.')
        self._t = E.call(self._t, 'reshape', E.to_js(list(new)))
        self._shape = new

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def size(self):
        return _prod(self._shape)

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self._dtype.itemsize

    @property
    def strides(self):
        return tuple(s * self._dtype.itemsize for s in E.strides_of(self._t))

    @property
    def T(self):
        return self.transpose()

    @property
    def mT(self):
        if self.ndim < 2:
            raise ValueError('matrix transpose with ndim < 2 is undefined')
        return self.swapaxes(-1, -2)

    @property
    def real(self):
        return self

    @property
    def imag(self):
        return zeros_of(self._shape, self._dtype)

    @property
    def flags(self):
        raise unsupported('numpy.ndarray.flags')

    @property
    def base(self):
        raise unsupported('numpy.ndarray.base')

    def __len__(self):
        if not self._shape:
            raise TypeError('len() of unsized object')
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError('iteration over a 0-d array')
        if len(self._shape) == 1:
            make = _scalar.make
            dt = self._dtype
            return iter([make(dt, v) for v in E.flat_values(self._t, dt)])
        rows = E.js.unbind(self._t)
        inner = self._shape[1:]
        return iter([wrap(r, self._dtype, inner) for r in rows])

    def __array__(self, dtype=None, copy=None):
        return self if dtype is None else self.astype(dtype)

    def __array_namespace__(self, api_version=None):
        raise unsupported('the array API namespace (numpy.ndarray.__array_namespace__)')

    # ---- conversions
    def item(self, *args):
        if not args:
            if self.size != 1:
                raise ValueError('can only convert an array of size 1 to a Python scalar')
            return E.item(self._t, self._dtype)
        if len(args) == 1 and not isinstance(args[0], tuple):
            i = operator.index(args[0])
            n = self.size
            if not -n <= i < n:
                raise IndexError('index %d is out of bounds for size %d' % (i, n))
            return E.flat_values(self._t, self._dtype)[i % n]
        index = args[0] if len(args) == 1 else args
        return self[tuple(index)].item()

    def tolist(self):
        return _nest(E.flat_values(self._t, self._dtype), self._shape)

    def __bool__(self):
        n = self.size
        if n == 0:
            raise ValueError('The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an '
                             'array is not empty.')
        if n > 1:
            raise ValueError('The truth value of an array with more than one element is ambiguous. Use a.any() or '
                             'a.all()')
        return bool(self.item())

    def _scalar_for_conversion(self):
        if self.ndim > 0:
            raise TypeError('only 0-dimensional arrays can be converted to Python scalars')
        return self.item()

    def __float__(self):
        return float(self._scalar_for_conversion())

    def __int__(self):
        return int(self._scalar_for_conversion())

    def __index__(self):
        if self.ndim > 0 or self._dtype.kind == 'f' or self._dtype.kind == 'b':
            raise TypeError('only integer scalar arrays can be converted to a scalar index')
        return self.item()

    def __complex__(self):
        return complex(self._scalar_for_conversion())

    def __round__(self, ndigits=None):
        raise unsupported('round() of a numpy array (numpy.round)')

    def astype(self, dtype, order='K', casting='unsafe', subok=True, copy=True):
        if casting != 'unsafe':
            raise unsupported("numpy.ndarray.astype(casting=%r)" % (casting,))
        dt = _dtype.resolve(dtype)
        if dt is self._dtype and not copy:
            return self
        return cast(self, dt, copy=True)

    def copy(self, order='C'):
        return wrap(E.call(self._t, 'clone'), self._dtype, self._shape)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def view(self, dtype=None, type=None):
        if dtype is not None and _dtype.resolve(dtype) is not self._dtype:
            raise unsupported('numpy.ndarray.view(dtype=...) (reinterpreting the bytes)')
        return wrap(E.call(self._t, 'view', E.to_js(list(self._shape))), self._dtype, self._shape)

    def fill(self, value):
        v = _scalar_value(value, self._dtype)
        E.call(self._t, 'fill_', v)

    # ---- shape
    def reshape(self, *shape, order='C', copy=None):
        if order not in ('C', 'A'):
            raise unsupported("numpy.ndarray.reshape(order=%r)" % (order,))
        if not shape:
            raise TypeError("reshape() missing required argument 'shape' (pos 1)")
        target = _reshape_target(self, _shape_arg(shape[0] if len(shape) == 1 else shape))
        if copy:
            return wrap(E.call(E.call(self._t, 'clone'), 'reshape', E.to_js(list(target))), self._dtype, target)
        return wrap(E.call(self._t, 'reshape', E.to_js(list(target))), self._dtype, target)

    def ravel(self, order='C'):
        if order not in ('C', 'A', 'K'):
            raise unsupported("numpy.ndarray.ravel(order=%r)" % (order,))
        return self.reshape(-1)

    def flatten(self, order='C'):
        if order not in ('C', 'A', 'K'):
            raise unsupported("numpy.ndarray.flatten(order=%r)" % (order,))
        return self.copy().reshape(-1)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        n = self.ndim
        if not axes:
            order = list(range(n))[::-1]
        else:
            if len(axes) != n:
                raise ValueError("axes don't match array")
            order = [_axis(a, n) for a in axes]
            if len(set(order)) != n:
                raise ValueError('repeated axis in transpose')
        if order == list(range(n)):
            return wrap(E.call(self._t, 'view', E.to_js(list(self._shape))), self._dtype, self._shape)
        return wrap(E.call(self._t, 'permute', E.to_js(order)), self._dtype, tuple(self._shape[i] for i in order))

    def swapaxes(self, axis1, axis2):
        n = self.ndim
        order = list(range(n))
        a, b = _axis(axis1, n), _axis(axis2, n)
        order[a], order[b] = order[b], order[a]
        return self.transpose(order)

    def squeeze(self, axis=None):
        if axis is None:
            target = tuple(s for s in self._shape if s != 1)
        else:
            axes = _axes(axis, self.ndim)
            for a in axes:
                if self._shape[a] != 1:
                    raise ValueError('cannot select an axis to squeeze out which has size not equal to one')
            target = tuple(s for i, s in enumerate(self._shape) if i not in axes)
        return self.reshape(target)

    def __getattr__(self, name):
        from . import _names
        raise _names.missing('numpy.ndarray', name, "'numpy.ndarray' object has no attribute '%s'" % name)

    # ---- printing
    def __repr__(self):
        return _print.array_repr_of(*_print_args(self), self._dtype.name)

    def __str__(self):
        if not self._shape:
            return str(self[()])
        return _print.array2string_of(*_print_args(self))

    def __format__(self, spec):
        if not self._shape:
            return format(self[()], spec)
        if spec:
            raise TypeError('unsupported format string passed to numpy.ndarray.__format__')
        return str(self)

    # ---- indexing
    def __getitem__(self, key):
        return getitem(self, key)

    def __setitem__(self, key, value):
        setitem(self, key, value)

    def __contains__(self, value):
        return bool((self == value).any())

    # ---- arithmetic: NumPy's promotion and broadcasting, computed by the engine
    def __add__(self, other):
        return binary('add', self, other)

    def __radd__(self, other):
        return binary('add', other, self)

    def __sub__(self, other):
        return binary('subtract', self, other)

    def __rsub__(self, other):
        return binary('subtract', other, self)

    def __mul__(self, other):
        return binary('multiply', self, other)

    def __rmul__(self, other):
        return binary('multiply', other, self)

    def __truediv__(self, other):
        return binary('divide', self, other)

    def __rtruediv__(self, other):
        return binary('divide', other, self)

    def __floordiv__(self, other):
        return binary('floor_divide', self, other)

    def __rfloordiv__(self, other):
        return binary('floor_divide', other, self)

    def __mod__(self, other):
        return binary('remainder', self, other)

    def __rmod__(self, other):
        return binary('remainder', other, self)

    def __pow__(self, other, mod=None):
        return binary('power', self, other)

    def __rpow__(self, other):
        return binary('power', other, self)

    def __matmul__(self, other):
        return matmul(self, other, operator_form=True)

    def __rmatmul__(self, other):
        return matmul(other, self, operator_form=True)

    def __eq__(self, other):
        return binary('equal', self, other)

    def __ne__(self, other):
        return binary('not_equal', self, other)

    def __lt__(self, other):
        return binary('less', self, other)

    def __le__(self, other):
        return binary('less_equal', self, other)

    def __gt__(self, other):
        return binary('greater', self, other)

    def __ge__(self, other):
        return binary('greater_equal', self, other)

    def __and__(self, other):
        return binary('bitwise_and', self, other)

    def __rand__(self, other):
        return binary('bitwise_and', other, self)

    def __or__(self, other):
        return binary('bitwise_or', self, other)

    def __ror__(self, other):
        return binary('bitwise_or', other, self)

    def __xor__(self, other):
        return binary('bitwise_xor', self, other)

    def __rxor__(self, other):
        return binary('bitwise_xor', other, self)

    def __iadd__(self, other):
        return inplace('add', self, other)

    def __isub__(self, other):
        return inplace('subtract', self, other)

    def __imul__(self, other):
        return inplace('multiply', self, other)

    def __itruediv__(self, other):
        return inplace('divide', self, other)

    def __ifloordiv__(self, other):
        return inplace('floor_divide', self, other)

    def __imod__(self, other):
        return inplace('remainder', self, other)

    def __ipow__(self, other):
        return inplace('power', self, other)

    def __iand__(self, other):
        return inplace('bitwise_and', self, other)

    def __ior__(self, other):
        return inplace('bitwise_or', self, other)

    def __ixor__(self, other):
        return inplace('bitwise_xor', self, other)

    def __neg__(self):
        return unary('negative', self)

    def __pos__(self):
        return unary('positive', self)

    def __abs__(self):
        return unary('absolute', self)

    def __invert__(self):
        return unary('invert', self)

    # ---- reductions
    def sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
        _no_out('sum', out, initial, where)
        return reduce_sum(self, axis, dtype, keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
        _no_out('mean', out, None, where)
        return mean(self, axis, dtype, keepdims)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None):
        _no_out('var', out, None, where)
        return var(self, axis, dtype, _ddof(ddof, correction), keepdims)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None):
        _no_out('std', out, None, where)
        return std(self, axis, dtype, _ddof(ddof, correction), keepdims)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
        _no_out('prod', out, initial, where)
        return reduce_prod(self, axis, dtype, keepdims)

    def max(self, axis=None, out=None, keepdims=False, initial=None, where=True):
        _no_out('max', out, initial, where)
        return extreme(self, 'max', axis, keepdims)

    def min(self, axis=None, out=None, keepdims=False, initial=None, where=True):
        _no_out('min', out, initial, where)
        return extreme(self, 'min', axis, keepdims)

    def argmax(self, axis=None, out=None, *, keepdims=False):
        _no_out('argmax', out, None, True)
        return arg_extreme(self, 'max', axis, keepdims)

    def argmin(self, axis=None, out=None, *, keepdims=False):
        _no_out('argmin', out, None, True)
        return arg_extreme(self, 'min', axis, keepdims)

    def any(self, axis=None, out=None, keepdims=False, *, where=True):
        _no_out('any', out, None, where)
        return any_all(self, 'any', axis, keepdims)

    def all(self, axis=None, out=None, keepdims=False, *, where=True):
        _no_out('all', out, None, where)
        return any_all(self, 'all', axis, keepdims)

    def clip(self, min=None, max=None, out=None, **kwargs):
        from ._functions import clip
        return clip(self, min, max, out, **kwargs)

    def dot(self, b, out=None):
        from ._functions import dot
        return dot(self, b, out)

    def nonzero(self):
        return nonzero(self)


def _no_out(name, out, initial, where):
    if out is not None:
        raise unsupported('numpy.%s(out=...)' % name)
    if initial is not None:
        raise unsupported('numpy.%s(initial=...)' % name)
    if where is not True:
        raise unsupported('numpy.%s(where=...)' % name)


def _ddof(ddof, correction):
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        return correction
    return ddof


# ------------------------------------------------------------------ making arrays

def wrap(t, dt=None, shape=None):
    """An ndarray over the engine tensor t."""
    a = _new(ndarray)
    a._t = t
    a._dtype = dt if dt is not None else E.dtype_of(t)
    a._shape = shape if shape is not None else E.shape_of(t)
    return a


def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _shape_arg(shape):
    """A shape as NumPy takes one: an int or a sequence of ints."""
    if isinstance(shape, (list, tuple)):
        out = []
        for s in shape:
            try:
                out.append(operator.index(s))
            except TypeError:
                raise TypeError("'%s' object cannot be interpreted as an integer" % type(s).__name__) from None
        return tuple(out)
    try:
        return (operator.index(shape),)
    except TypeError:
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(shape).__name__) from None


def _check_shape(shape):
    for s in shape:
        if s < 0:
            raise ValueError('negative dimensions are not allowed')


def zeros_of(shape, dt):
    _check_shape(shape)
    t = E.call(E.torch, 'zeros', E.to_js(list(shape)), dtype=E.engine_dtype(dt))
    return wrap(t, dt, tuple(shape))


def full_of(shape, value, dt):
    _check_shape(shape)
    v = _scalar_value(value, dt)
    t = E.call(E.torch, 'full', E.to_js(list(shape)), v, dtype=E.engine_dtype(dt))
    return wrap(t, dt, tuple(shape))


def _scalar_value(value, dt):
    """A single value (Python or NumPy scalar, 0-d array) as a Python value of dtype dt, by
    NumPy's rules for assigning it (C casts; nan to an integer is an error)."""
    if isinstance(value, ndarray):
        if value.size != 1:
            raise ValueError('setting an array element with a sequence.')
        value = value.item()
    elif isinstance(value, _scalar.generic):
        value = value.item()
    if isinstance(value, str):
        if dt.kind == 'f':
            return _check_exact(float(value), dt)
        if dt.kind == 'i':
            return _check_exact(int(value), dt)
        return bool(value)
    kind = _dtype.python_kind(value)
    if kind is None:
        if hasattr(value, '__float__'):
            value = float(value)
            kind = float
        else:
            raise TypeError("float() argument must be a string or a real number, not '%s'" % type(value).__name__)
    if dt.kind == 'f':
        return _scalar.cast_value(value, dt, 'cast')
    if dt.kind == 'b':
        return bool(value)
    if kind is float:
        if math.isnan(value):
            raise ValueError('cannot convert float NaN to integer')
        if math.isinf(value):
            raise OverflowError('cannot convert float infinity to integer')
        value = int(value)
    lo, hi = _dtype.INT_RANGE[dt]
    if not lo <= value <= hi:
        raise OverflowError('Python integer %d out of bounds for %s' % (value, dt.name))
    return _check_exact(value, dt)


def _check_exact(v, dt):
    if dt.kind == 'i' and not -EXACT_INT <= v <= EXACT_INT:
        raise _int_range_error()
    return v


def _int_range_error():
    return NotImplementedError('integers beyond 2**53 = 9007199254740992 in numpy arrays are not supported by '
                               'Autograd Lab yet (its integer arrays hold doubles)')


def _check_int_result(t, dt):
    """Integer results must be exact: the engine's int64 holds doubles."""
    if dt.kind == 'i' and E.kernels.maxAbs(t) > EXACT_INT:
        raise _int_range_error()
    return t


def from_values(values, shape, dt):
    """An array of dtype dt from a flat list of Python values already of that dtype."""
    if dt.kind == 'i':
        for v in values:
            if not -EXACT_INT <= v <= EXACT_INT:
                raise _int_range_error()
    return wrap(E.tensor_of(values, shape, dt), dt, tuple(shape))


# ---- Python data to arrays

class _Leaves:
    """The shape and flat values of nested sequences, and their dtype as NumPy infers it."""
    __slots__ = ('shape', 'values', 'dtypes', 'kinds')

    def __init__(self):
        self.shape = None
        self.values = []
        self.dtypes = set()
        self.kinds = set()


def _inhomogeneous(depth, shape):
    detected = '(%s)' % ', '.join(str(s) for s in shape[:depth]) if depth > 1 else '(%d,)' % shape[0]
    return ValueError('setting an array element with a sequence. The requested array has an inhomogeneous shape after '
                      '%d dimensions. The detected shape was %s + inhomogeneous part.' % (depth, detected))


_PLAIN = frozenset((float, int, bool))


def _collect(obj):
    """The shape, flat leaves and leaf types of nested lists/tuples/arrays of numbers."""
    found = _Leaves()
    shape = []

    def probe(x, depth):
        while True:
            if isinstance(x, ndarray):
                shape.extend(x._shape)
                return
            if isinstance(x, (list, tuple, range)):
                shape.append(len(x))
                if len(x) == 0:
                    return
                x = x[0]
                continue
            if _is_tensor(x):
                shape.extend(tuple(x.shape))
                return
            return

    probe(obj, 0)
    target = tuple(shape)

    def walk(x, depth):
        if isinstance(x, ndarray):
            if x._shape != target[depth:]:
                raise _inhomogeneous(depth, target)
            found.dtypes.add(x._dtype)
            found.values.extend(E.flat_values(x._t, x._dtype))
            return
        if _is_tensor(x):
            walk(_tensor_to_array(x, copy=False), depth)
            return
        if isinstance(x, (list, tuple, range)):
            if depth >= len(target) or len(x) != target[depth]:
                raise _inhomogeneous(depth, target)
            if depth == len(target) - 1:
                types = set(map(type, x))
                if types <= _PLAIN:  # the common case, a row of Python numbers, in one step
                    found.values.extend(x)
                    found.kinds.update(types)
                    return
            for e in x:
                walk(e, depth + 1)
            return
        if depth != len(target):
            raise _inhomogeneous(depth, target)
        if isinstance(x, _scalar.generic):
            found.dtypes.add(type(x)._np_dtype)
            found.values.append(x.item())
            return
        kind = _dtype.python_kind(x)
        if kind is None:
            if isinstance(x, str):
                raise unsupported("numpy arrays of strings (dtype '<U')")
            if x is None:
                raise unsupported('numpy arrays of Python objects (dtype=object)')
            if hasattr(x, '__float__') and not isinstance(x, (bytes, dict, set)):
                found.kinds.add(float)
                found.values.append(float(x))
                return
            raise unsupported('numpy arrays of %s objects (dtype=object)' % type(x).__name__)
        found.kinds.add(kind)
        found.values.append(x)

    walk(obj, 0)
    found.shape = target
    return found


def _inferred_dtype(found):
    dt = None
    for d in found.dtypes:
        dt = d if dt is None else _dtype.promote(dt, d)
    for k in found.kinds:
        d = _dtype.PYTHON_DEFAULT[k]
        dt = d if dt is None else _dtype.promote(dt, d)
    return dt if dt is not None else float64


def _convert_values(values, kinds, dt):
    """Python values of mixed kinds as values of dtype dt (NumPy's assignment casts)."""
    if dt.kind == 'f':
        if dt is float32:
            f32 = _scalar.weak_float32
            return [f32(float(v)) for v in values]
        return [float(v) for v in values]
    if dt.kind == 'b':
        return [bool(v) for v in values]
    out = []
    lo, hi = _dtype.INT_RANGE[dt]
    for v in values:
        if isinstance(v, float):
            if math.isnan(v):
                raise ValueError('cannot convert float NaN to integer')
            if math.isinf(v):
                raise OverflowError('cannot convert float infinity to integer')
            v = int(v)
        else:
            v = int(v)
        if not lo <= v <= hi:
            raise OverflowError('Python integer %d out of bounds for %s' % (v, dt.name))
        out.append(v)
    return out


def _is_tensor(x):
    tp = type(x)
    return tp.__module__.startswith('torch') and hasattr(x, '_t') and hasattr(x, 'requires_grad')


def _tensor_to_array(t, copy):
    from . import _torch
    return _torch.from_tensor(t, copy)


def array(obj, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, like=None):
    """np.array: a new array from an array, a NumPy or Python scalar, nested sequences or a
    torch tensor (through its numpy(), so a tensor that requires grad is refused)."""
    if order not in ('K', 'A', 'C', None):
        raise unsupported("numpy.array(order=%r)" % (order,))
    if like is not None:
        raise unsupported('numpy.array(like=...)')
    dt = None if dtype is None else _dtype.resolve(dtype)
    result = _array(obj, dt, copy)
    if ndmin > result.ndim:
        result = result.reshape((1,) * (ndmin - result.ndim) + result._shape)
    return result


def _array(obj, dt, copy):
    if isinstance(obj, ndarray):
        if dt is None or dt is obj._dtype:
            return obj.copy() if copy else obj
        return cast(obj, dt, copy=True)
    if _is_tensor(obj):
        a = _tensor_to_array(obj, copy=False)
        if dt is not None and dt is not a._dtype:
            return cast(a, dt, copy=True)
        return a.copy() if copy else a
    if isinstance(obj, _scalar.generic):
        src = type(obj)._np_dtype
        target = dt or src
        return from_values([_scalar.cast_value(obj.item(), target, 'cast') if target is not src else obj.item()], (), target)
    if hasattr(obj, '__array__') and not isinstance(obj, (list, tuple)):
        return _array(obj.__array__(), dt, copy)
    found = _collect(obj)
    target = dt or _inferred_dtype(found)
    values = found.values
    if dt is None and not found.dtypes and target.kind != 'f':
        values = [v if type(v) is not bool or target is bool_ else int(v) for v in values]
        if target.kind == 'i':
            for v in values:
                if not -2 ** 63 <= v < 2 ** 63:
                    raise OverflowError('Python int too large to convert to C long')
    else:
        values = _convert_values(values, found.kinds, target)
    return from_values(values, found.shape, target)


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    if device not in (None, 'cpu'):
        raise unsupported("numpy.asarray(device=%r)" % (device,))
    if copy is True:
        return array(a, dtype)
    dt = None if dtype is None else _dtype.resolve(dtype)
    if isinstance(a, ndarray) and (dt is None or dt is a._dtype):
        return a
    if copy is False and (not isinstance(a, ndarray) and not _is_tensor(a)):
        raise ValueError('Unable to avoid copy while creating an array as requested.')
    return _array(a, dt, False)


def cast(a, dt, copy=True):
    """a as dtype dt, by NumPy's casting (C's conversions; out-of-range floats to ints give the
    smallest integer, with NumPy's 'invalid value' warning)."""
    src = a._dtype
    if src is dt:
        return a.copy() if copy else a
    t = a._t
    if dt is bool_:
        return wrap(E.call(t, 'ne', 0), bool_, a._shape)
    if src.kind == 'f' and dt.kind == 'i':
        lo, hi = _dtype.INT_RANGE[dt]
        bad = E.call(E.call(E.call(E.call(E.torch, 'isfinite', t), 'logical_not'), 'logical_or', E.call(t, 'lt', float(lo))),
                     'logical_or', E.call(t, 'ge', float(hi) + 1))
        if E.any_true(bad):
            _errstate.flag('invalid value', 'cast')
            t = E.call(t, 'masked_fill', bad, 0)
            # INT_MIN as a float: -2**63 is exact as a double, and the engine takes no int beyond 2**53.
            out = E.call(E.call(t, 'to', E.engine_dtype(int64)), 'masked_fill', bad, float(lo))
            return wrap(E.call(out, 'to', E.engine_dtype(dt)) if dt is not int64 else out, dt, a._shape)
        if E.kernels.maxAbs(t) > EXACT_INT:
            raise _int_range_error()
    if src.kind == 'i' and dt is int32:
        return _to_int32(t, a._shape)
    out = E.call(t, 'to', E.engine_dtype(dt))
    if dt is float32 and src is float64 and not E.kernels.allFinite(out) and E.kernels.allFinite(t):
        _errstate.flag('overflow', 'cast')
    return wrap(out, dt, a._shape)


def _to_int32(t, shape):
    """An int64 tensor as int32, wrapping around as C does."""
    if E.kernels.maxAbs(t) >= 2 ** 31:
        u = E.call(t, 'add', 2 ** 31)
        q = E.call(u, 'div', 2 ** 32, rounding_mode='floor')
        t = E.call(E.call(u, 'sub', E.call(q, 'mul', 2 ** 32)), 'sub', 2 ** 31)
    return wrap(E.call(t, 'to', E.engine_dtype(int32)), int32, shape)


# ------------------------------------------------------------------ operands and promotion

class _Operand:
    """One operand of an operation: an array, a NumPy scalar (a strong dtype) or a Python
    number (weak: NEP 50)."""
    __slots__ = ('array', 'dtype', 'value', 'kind')

    def __init__(self, array, dtype, value, kind):
        self.array = array
        self.dtype = dtype
        self.value = value
        self.kind = kind


def operand(x, strict):
    """x as an _Operand; None when it is not one (operators then return NotImplemented).
    Sequences become arrays; with `strict`, anything else is NumPy's TypeError."""
    if isinstance(x, ndarray):
        return _Operand(x, x._dtype, None, None)
    if isinstance(x, _scalar.generic):
        return _Operand(None, type(x)._np_dtype, x.item(), None)
    kind = _dtype.python_kind(x)
    if kind is not None:
        return _Operand(None, None, x, kind)
    if isinstance(x, (list, tuple, range)):
        a = array(x)
        return _Operand(a, a._dtype, None, None)
    if _is_tensor(x):
        if not strict:
            return None  # the tensor's own operator decides (torch.Tensor has the higher priority)
        a = _tensor_to_array(x, copy=False)
        return _Operand(a, a._dtype, None, None)
    if strict:
        if x is None:
            raise unsupported('numpy operations on None (dtype=object)')
        raise unsupported('numpy operations on %s objects (dtype=object)' % type(x).__name__)
    return None


def compute_dtype(ops, check_range=True):
    """NumPy 2's result dtype of operands (arrays and NumPy scalars strong, Python numbers weak)."""
    dt = None
    for o in ops:
        if o.dtype is not None:
            dt = o.dtype if dt is None else _dtype.promote(dt, o.dtype)
    if dt is None:
        return _dtype.result_type((), [o.value for o in ops])
    for o in ops:
        if o.dtype is None:
            dt = _dtype.with_weak(dt, o.kind, o.value, check_range)
    return dt


def broadcast_shapes(*shapes):
    ndim = max(len(s) for s in shapes)
    out = []
    for i in range(ndim):
        size = 1
        for s in shapes:
            d = s[len(s) - ndim + i] if len(s) - ndim + i >= 0 else 1
            if d != 1:
                if size != 1 and d != size:
                    raise ValueError('operands could not be broadcast together with shapes %s' %
                                     ''.join('(%s) ' % ','.join([str(v) for v in sh] + ([''] if len(sh) == 1 else []))
                                             for sh in shapes))
                size = d
        out.append(size)
    return tuple(out)


def _as_tensor(o, dt):
    """An operand's engine value in dtype dt: a tensor, or a number for a scalar."""
    if o.array is not None:
        a = o.array if o.array._dtype is dt else cast(o.array, dt, copy=False)
        return a._t
    v = o.value
    if dt.kind == 'f':
        return _scalar.weak_float32(float(v)) if dt is float32 else float(v)
    if dt.kind == 'b':
        return bool(v)
    v = int(v)
    return _check_exact(v, dt)


def _result(t, dt, shape):
    """An operation's result: an array, or a NumPy scalar when it has no dimensions."""
    if shape == ():
        return _scalar.make(dt, E.item(t, dt))
    return wrap(t, dt, shape)


def _warn_flags(op, bits):
    for bit, name in ((1, 'divide by zero'), (2, 'overflow'), (4, 'invalid value')):
        if bits & bit:
            _errstate.flag(name, op)


def _check_float(op, z, x, y, shape):
    """NumPy's RuntimeWarnings for the floating-point flags the op raised (looked for only when
    z has a non-finite value). x, y: the operands as given to the engine (tensors or numbers)."""
    if E.kernels.allFinite(z):
        return
    js_shape = E.to_js(list(shape))
    xe = E.call(E.scalar_tensor(float(x), float64) if isinstance(x, (int, float)) else x, 'expand', js_shape)
    ye = y if y is None or isinstance(y, (int, float)) else E.call(y, 'expand', js_shape)
    _warn_flags(op, E.kernels.flagsOf(op, xe, ye, z))


_COMPARE = {'equal': 'eq', 'not_equal': 'ne', 'less': 'lt', 'less_equal': 'le', 'greater': 'gt', 'greater_equal': 'ge'}
_SWAPPED = {'eq': 'eq', 'ne': 'ne', 'lt': 'gt', 'le': 'ge', 'gt': 'lt', 'ge': 'le'}
_ENGINE_OP = {'add': 'add', 'subtract': 'sub', 'multiply': 'mul', 'divide': 'div'}
_REFLECTED = {'add': 'add', 'subtract': 'rsub', 'multiply': 'mul', 'divide': 'rdiv'}


def binary(op, x, y, strict=False):
    """NumPy's ufunc `op` on two operands (the operators, and np.add & co. with strict)."""
    a, b = operand(x, strict), operand(y, strict)
    if a is None or b is None:
        return NotImplemented
    if a.array is None and b.array is None:
        return _scalar_binary(op, x, y)
    shape = broadcast_shapes(a.array._shape if a.array is not None else (), b.array._shape if b.array is not None else ())
    if op in _COMPARE:
        return _compare(op, a, b, shape)
    if op.startswith('bitwise_') or op.startswith('logical_'):
        return _logical(op, a, b, shape)
    dt = compute_dtype((a, b), check_range=(op != 'divide'))
    if dt is bool_:
        if op == 'add':
            return _logical('logical_or', a, b, shape)
        if op == 'multiply':
            return _logical('logical_and', a, b, shape)
        if op == 'subtract':
            raise TypeError('numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` '
                            'operator, or the logical_xor function instead.')
        if op in ('maximum', 'minimum'):
            return _logical('logical_or' if op == 'maximum' else 'logical_and', a, b, shape)
        if op != 'divide':
            raise _dtype.unsupported_dtype('int8 (the result of %s on booleans)' % op)
    if op == 'divide' and dt.kind != 'f':
        dt = float64
    if dt.kind == 'i':
        return _int_binary(op, a, b, dt, shape)
    tx, ty = _as_tensor(a, dt), _as_tensor(b, dt)
    if op in ('floor_divide', 'remainder'):
        xt = tx if a.array is not None else E.scalar_tensor(tx, dt)
        yt = ty if b.array is not None else E.scalar_tensor(ty, dt)
        js = E.to_js(list(shape))
        pair = E.kernels.divmod(E.call(xt, 'expand', js), E.call(yt, 'expand', js), op)
        _warn_flags(op, int(pair[1]))
        return _result(pair[0], dt, shape)
    if op in ('maximum', 'minimum'):
        xt = tx if a.array is not None else E.scalar_tensor(tx, dt)
        yt = ty if b.array is not None else E.scalar_tensor(ty, dt)
        z = E.call(xt, op, yt)
        return _result(z, dt, shape)
    if op == 'power' and a.array is not None and b.array is None and a.array._dtype is dt:
        fast = _fast_power(a.array, float(b.value), dt)
        if fast is not None:
            return fast
    if op == 'power':
        z = E.call(E.scalar_tensor(tx, dt), 'pow', ty) if a.array is None else E.call(tx, 'pow', ty)
    elif a.array is not None:
        z = E.call(tx, _ENGINE_OP[op], ty)
    else:
        z = E.call(ty, _REFLECTED[op], tx)
    _check_float(op, z, tx, ty, shape)
    return _result(z, dt, shape)


_FAST_POWERS = {1.0: 'positive', -1.0: 'reciprocal', 0.0: 'ones_like', 0.5: 'sqrt', 2.0: 'square'}


def _fast_power(x, exponent, dt):
    """NumPy's shortcuts for a float array to a scalar power: x**2 is square(x), x**0.5 sqrt(x),
    x**-1 reciprocal(x), x**1 a copy, x**0 ones (and its warnings name those functions)."""
    name = _FAST_POWERS.get(exponent)
    if name is None:
        return None
    t = x._t
    if name == 'positive':
        return _result(E.call(t, 'clone'), dt, x._shape)
    if name == 'ones_like':
        return _result(E.call(E.torch, 'ones', E.to_js(list(x._shape)), dtype=E.engine_dtype(dt)), dt, x._shape)
    z = E.call(t, 'mul', t) if name == 'square' else E.call(t, name)
    if not E.kernels.allFinite(z):
        _warn_flags(name, E.kernels.flagsOf(name, t, None, z))
    return _result(z, dt, x._shape)


def _int_binary(op, a, b, dt, shape):
    """Integer arithmetic: computed in int64 (exact up to 2**53; beyond, refused), wrapped to
    int32 as NumPy's int32 loops do."""
    wide = int64 if E.has_dtype(int64) else dt
    tx, ty = _as_tensor(a, wide), _as_tensor(b, wide)
    if op in ('floor_divide', 'remainder'):
        zero = _any_zero(ty, b)
        if zero is not None:
            _errstate.flag('divide by zero', op)
            ty = E.call(ty, 'masked_fill', zero, 1) if b.array is not None else 1
        xt = tx if a.array is not None else E.scalar_tensor(tx, wide)
        q = E.call(xt, 'div', ty, rounding_mode='floor')
        z = q if op == 'floor_divide' else E.call(xt, 'sub', E.call(q, 'mul', ty))
        if zero is not None:
            z = E.call(E.call(z, 'expand', E.to_js(list(shape))), 'masked_fill', zero, 0) if b.array is not None else E.call(z, 'mul', 0)
    elif op == 'power':
        negative = E.any_true(E.call(ty, 'lt', 0)) if b.array is not None else ty < 0
        if negative:
            raise ValueError('Integers to negative integer powers are not allowed.')
        xt = tx if a.array is not None else E.scalar_tensor(tx, wide)
        z = E.call(xt, 'pow', ty)
    elif op in ('maximum', 'minimum'):
        xt = tx if a.array is not None else E.scalar_tensor(tx, wide)
        yt = ty if b.array is not None else E.scalar_tensor(ty, wide)
        z = E.call(xt, op, yt)
    elif a.array is not None:
        z = E.call(tx, _ENGINE_OP[op], ty)
    else:
        z = E.call(ty, _REFLECTED[op], tx)
    _check_int_result(z, int64)
    if dt is int32:
        return _result(_to_int32(z, shape)._t, int32, shape)
    return _result(z, dt, shape)


def _any_zero(ty, b):
    if b.array is None:
        return True if ty == 0 else None
    zero = E.call(ty, 'eq', 0)
    return zero if E.any_true(zero) else None


def _compare(op, a, b, shape):
    """Comparisons in the operands' common dtype; a Python int beyond an integer dtype's range
    still compares exactly (NumPy 2)."""
    dt = compute_dtype((a, b), check_range=False)
    if dt is int32:
        for o in (a, b):
            if o.kind is int and not -2 ** 31 <= o.value < 2 ** 31:
                dt = int64
    # beyond 2**53 a Python int compares as a double: the arrays' integers are smaller, so the
    # order (all that matters) is kept
    a, b = [_Operand(None, None, float(o.value), float) if o.kind is int and abs(o.value) > EXACT_INT else o
            for o in (a, b)]
    if dt.kind == 'i' and any(o.kind is float for o in (a, b)):
        dt = compute_dtype((a, b), check_range=False)
    tx, ty = _as_tensor(a, dt), _as_tensor(b, dt)
    name = _COMPARE[op]
    if a.array is not None:
        z = E.call(tx, name, ty)
    else:
        z = E.call(ty, _SWAPPED[name], tx)
    return _result(z, bool_, shape)


def _logical(op, a, b, shape):
    dt = compute_dtype((a, b))
    if op.startswith('bitwise_') and dt is not bool_:
        if dt.kind == 'f':
            raise TypeError("ufunc '%s' not supported for the input types, and the inputs could not be safely coerced "
                            "to any supported types according to the casting rule ''safe''" % op)
        raise unsupported('numpy.%s on integer arrays' % op)
    name = {'bitwise_and': 'logical_and', 'bitwise_or': 'logical_or', 'bitwise_xor': 'ne'}.get(op, op)
    tx = cast(a.array, bool_, copy=False)._t if a.array is not None else E.scalar_tensor(bool(a.value), bool_)
    ty = cast(b.array, bool_, copy=False)._t if b.array is not None else E.scalar_tensor(bool(b.value), bool_)
    if name == 'logical_xor':
        name = 'ne'
    return _result(E.call(tx, name, ty), bool_, shape)


def _scalar_binary(op, x, y):
    """A ufunc called with two scalars (np.add(1, 2.5), np.maximum(np.float32(1), 2)): they count
    as 0-d arrays, as NumPy converts them; the result is a scalar."""
    return binary(op, array(x), y, strict=True)


def inplace(op, a, other):
    """`a op= other`: computed as NumPy computes `a op other`, then written into a, if NumPy's
    'same_kind' casting allows the result's dtype into a's."""
    b = operand(other, False)
    if b is None:
        return NotImplemented
    dt = compute_dtype((operand(a, False), b), check_range=(op != 'divide'))
    out_dt = float64 if op == 'divide' and dt.kind != 'f' else dt
    if op in ('bitwise_and', 'bitwise_or', 'bitwise_xor') and dt is bool_:
        out_dt = bool_
    if not _dtype.can_cast_same_kind(out_dt, a._dtype):
        raise UFuncOutputCastingError("Cannot cast ufunc '%s' output from %r to %r with casting rule 'same_kind'"
                                      % (op, out_dt, a._dtype))
    z = binary(op, a, other)
    if z is NotImplemented:
        return z
    z = asarray(z)
    if broadcast_shapes(a._shape, z._shape) != a._shape:
        raise ValueError("non-broadcastable output operand with shape %s doesn't match the broadcast shape %s"
                         % (_shape_str(a._shape), _shape_str(broadcast_shapes(a._shape, z._shape))))
    if z._dtype is not a._dtype:
        z = cast(z, a._dtype, copy=False)
    E.call(a._t, 'copy_', z._t)
    return a


def _shape_str(shape):
    return '(%s)' % ','.join([str(s) for s in shape] + ([''] if len(shape) == 1 else []))


def unary(op, x):
    """The operators -x, +x, abs(x), ~x on an array."""
    dt = x._dtype
    t = x._t
    if dt is bool_:
        if op == 'negative':
            raise TypeError('The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or '
                            'the logical_not function instead.')
        if op == 'invert':
            return _result(E.call(t, 'logical_not'), bool_, x._shape)
        return _result(E.call(t, 'clone'), bool_, x._shape)
    if op == 'positive':
        return _result(E.call(t, 'clone'), dt, x._shape)
    if op == 'invert':
        if dt.kind == 'f':
            raise TypeError("ufunc 'invert' not supported for the input types, and the inputs could not be safely "
                            "coerced to any supported types according to the casting rule ''safe''")
        z = E.call(E.call(t, 'neg'), 'sub', 1)
    else:
        z = E.call(t, 'neg' if op == 'negative' else 'abs')
    return _result(z, dt, x._shape)


def matmul(x, y, operator_form=False):
    a, b = operand(x, not operator_form), operand(y, not operator_form)
    if a is None or b is None:
        return NotImplemented
    if a.array is None or b.array is None:
        which = 0 if a.array is None else 1
        if operator_form:
            raise ValueError("matmul: Input operand %d does not have enough dimensions (has 0, gufunc core with "
                             "signature (n?,k),(k,m?)->(n?,m?) requires 1)" % which)
        raise ValueError("matmul: Input operand %d does not have enough dimensions (has 0, gufunc core with signature "
                         "(n?,k),(k,m?)->(n?,m?) requires 1)" % which)
    p, q = a.array, b.array
    for i, arr in enumerate((p, q)):
        if arr.ndim == 0:
            raise ValueError("matmul: Input operand %d does not have enough dimensions (has 0, gufunc core with "
                             "signature (n?,k),(k,m?)->(n?,m?) requires 1)" % i)
    k1 = p._shape[-1]
    k2 = q._shape[-2] if q.ndim > 1 else q._shape[0]
    if k1 != k2:
        raise ValueError('matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature '
                         '(n?,k),(k,m?)->(n?,m?) (size %d is different from %d)' % (k2, k1))
    batch = broadcast_shapes(p._shape[:-2], q._shape[:-2])
    dt = compute_dtype((a, b))
    if dt is bool_:
        raise _dtype.unsupported_dtype('bool matmul (numpy.matmul of boolean arrays)')
    wide = int64 if dt.kind == 'i' else dt
    tx, ty = _as_tensor(a, wide), _as_tensor(b, wide)
    z = E.call(tx, 'matmul', ty)
    shape = batch + ((p._shape[-2],) if p.ndim > 1 else ()) + ((q._shape[-1],) if q.ndim > 1 else ())
    if dt.kind == 'i':
        _check_int_result(z, int64)
        if dt is int32:
            return _result(_to_int32(z, shape)._t, int32, shape)
    return _result(z, dt, shape)


# ------------------------------------------------------------------ indexing

_INDEX_ERROR = ('only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays '
                'are valid indices')


def _index_items(a, key):
    """The engine's index items for a NumPy index, checked as NumPy checks them; and whether the
    result is a scalar (every dimension indexed by an integer)."""
    items = key if type(key) is tuple else (key,)
    prepared = []
    consumed = 0
    ellipsis = 0
    ints = 0
    for k in items:
        if k is None:
            prepared.append(('new', None))
        elif k is Ellipsis:
            ellipsis += 1
            if ellipsis > 1:
                raise IndexError("an index can only have a single ellipsis ('...')")
            prepared.append(('ellipsis', None))
        elif isinstance(k, slice):
            prepared.append(('slice', k))
            consumed += 1
        elif isinstance(k, (bool, _scalar.bool_)):
            raise unsupported('indexing a numpy array with a boolean scalar')
        elif isinstance(k, int) or isinstance(k, _scalar.integer):
            prepared.append(('int', int(k)))
            consumed += 1
            ints += 1
        else:
            if isinstance(k, (list, tuple)) or _is_tensor(k):
                try:
                    k = array(k)
                except NotImplementedError:
                    raise IndexError(_INDEX_ERROR) from None
                if k._dtype.kind == 'f' and k.size == 0:
                    k = cast(k, int64)
            if not isinstance(k, ndarray):
                if isinstance(k, (float, _scalar.floating)) or hasattr(k, '__index__') is False:
                    raise IndexError(_INDEX_ERROR)
                prepared.append(('int', operator.index(k)))
                consumed += 1
                ints += 1
                continue
            if k._dtype is bool_:
                prepared.append(('mask', k))
                consumed += max(k.ndim, 1) if k.ndim else 0
            elif k._dtype.kind == 'i':
                prepared.append(('array', k))
                consumed += 1
            else:
                raise IndexError('arrays used as indices must be of integer (or boolean) type')
    if consumed > a.ndim:
        raise IndexError('too many indices for array: array is %d-dimensional, but %d were indexed' % (a.ndim, consumed))
    out = []
    axis = 0
    for kind, k in prepared:
        if kind == 'new':
            out.append(None)
        elif kind == 'ellipsis':
            out.append('...')
            axis += a.ndim - consumed
        elif kind == 'slice':
            step = k.step
            if step is not None:
                step = operator.index(step)
                if step == 0:
                    raise ValueError('slice step cannot be zero')
                if step < 0:
                    raise unsupported('negative slice steps (a[::-1]) in numpy arrays')
            start = None if k.start is None else operator.index(k.start)
            stop = None if k.stop is None else operator.index(k.stop)
            out.append(E.js.slice(start, stop, step))
            axis += 1
        elif kind == 'int':
            size = a._shape[axis]
            if not -size <= k < size:
                raise IndexError('index %d is out of bounds for axis %d with size %d' % (k, axis, size))
            out.append(k)
            axis += 1
        elif kind == 'array':
            size = a._shape[axis]
            t = k._t if k._dtype is int64 else cast(k, int64)._t
            bad = E.kernels.firstOutOfBounds(t, size)
            if bad >= 0:
                value = E.flat_values(t, int64)[bad]
                raise IndexError('index %d is out of bounds for axis %d with size %d' % (value, axis, size))
            out.append(t)
            axis += 1
        else:
            for i, s in enumerate(k._shape):
                if a._shape[axis + i] != s:
                    raise IndexError('boolean index did not match indexed array along axis %d; size of axis is %d but '
                                     'size of corresponding boolean axis is %d' % (axis + i, a._shape[axis + i], s))
            out.append(k._t)
            axis += k.ndim
    scalar = ints == a.ndim and ints == len(prepared)
    return out, scalar


def getitem(a, key):
    if a.ndim == 0 and (key == () or key is Ellipsis):
        if key == ():
            return _scalar.make(a._dtype, a.item())
        return wrap(E.call(a._t, 'view', E.to_js([])), a._dtype, ())
    items, scalar = _index_items(a, key)
    t = E.js.index(a._t, _js_index(items))
    if scalar:
        return _scalar.make(a._dtype, E.item(t, a._dtype))
    return wrap(t, a._dtype)


def _js_index(items):
    from pyodide.ffi import jsnull
    return E.to_js([jsnull if it is None else it for it in items])


def setitem(a, key, value):
    if a.ndim == 0 and key in ((), Ellipsis):
        E.call(a._t, 'fill_', _scalar_value(value, a._dtype))
        return
    items, scalar = _index_items(a, key)
    if isinstance(value, ndarray) or isinstance(value, (list, tuple)) or _is_tensor(value):
        v = asarray(value)
        if v._dtype is not a._dtype:
            v = cast(v, a._dtype, copy=False)
        target = E.js.index(a._t, _js_index(items))
        tshape = E.shape_of(target)
        if broadcast_shapes_or_none(v._shape, tshape) != tshape:
            raise ValueError('could not broadcast input array from shape %s into shape %s'
                             % (_shape_str(v._shape), _shape_str(tshape)))
        E.js.indexPut(a._t, _js_index(items), v._t)
        return
    v = _scalar_value(value, a._dtype)
    E.js.indexPut(a._t, _js_index(items), v)


def broadcast_shapes_or_none(*shapes):
    try:
        return broadcast_shapes(*shapes)
    except ValueError:
        return None


def nonzero(a):
    if a.ndim == 0:
        raise ValueError('Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead. '
                         'If the context of this error is of the form `arr[nonzero(cond)]`, just use `arr[cond]`.')
    mask = a._t if a._dtype is bool_ else E.call(a._t, 'ne', 0)
    idx = E.call(mask, 'nonzero')
    n = E.shape_of(idx)[0]
    cols = E.js.unbind(E.call(idx, 't'))
    return tuple(wrap(E.call(c, 'contiguous'), int64, (n,)) for c in cols)


# ------------------------------------------------------------------ reductions

def _axis(axis, ndim):
    try:
        a = operator.index(axis)
    except TypeError:
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(axis).__name__) from None
    if not -ndim <= a < ndim:
        raise AxisError('axis %d is out of bounds for array of dimension %d' % (a, ndim))
    return a % ndim if ndim else a


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(_axis(a, ndim) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError("duplicate value in 'axis'")
        return axes
    return (_axis(axis, ndim),)


def _kept_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _reduced(t, dt, shape, axes, keepdims):
    """The result of a reduction (t holds the values row-major over the kept axes)."""
    out_shape = _kept_shape(shape, axes, keepdims)
    if out_shape == ():
        return _result(t, dt, out_shape)
    return wrap(E.call(t, 'reshape', list(out_shape)), dt, out_shape)


def _sum_dtype(dt, dtype):
    if dtype is not None:
        return _dtype.resolve(dtype)
    return int64 if dt.kind in 'bi' else dt


def reduce_sum(a, axis=None, dtype=None, keepdims=False):
    axes = _axes(axis, a.ndim)
    target = _sum_dtype(a._dtype, dtype)
    return _sum(a, axes, target, keepdims)


def _sum(a, axes, target, keepdims):
    shape = a._shape
    reduced_size = _prod(shape[i] for i in axes)
    kept = tuple(s for i, s in enumerate(shape) if i not in axes)
    if reduced_size == 0 or _prod(kept) == 0:
        return _reduced(E.call(E.torch, 'zeros', E.to_js(list(kept)), dtype=E.engine_dtype(target)), target, shape, axes,
                        keepdims)
    if target.kind == 'f':
        src = a if a._dtype is target else cast(a, target, copy=False)
        t = E.kernels.sum(src._t, E.to_js(list(axes)), target.name, a._dtype is not target)
        return _reduced(t, target, shape, axes, keepdims)
    if target is bool_:
        raise _dtype.unsupported_dtype('bool sums (numpy.sum(dtype=bool))')
    t = a._t if a._dtype is int64 else cast(a, int64, copy=False)._t
    s = E.call(t, 'sum', E.to_js(list(axes))) if axes else E.call(t, 'clone')
    _check_int_result(s, int64)
    if target is int32:
        s = _to_int32(s, E.shape_of(s))._t
    return _reduced(s, target, shape, axes, keepdims)


def reduce_prod(a, axis=None, dtype=None, keepdims=False):
    axes = _axes(axis, a.ndim)
    target = _sum_dtype(a._dtype, dtype)
    shape = a._shape
    kept = tuple(s for i, s in enumerate(shape) if i not in axes)
    if _prod(shape[i] for i in axes) == 0 or _prod(kept) == 0:
        return _reduced(E.call(E.torch, 'ones', E.to_js(list(kept)), dtype=E.engine_dtype(target)), target, shape, axes,
                        keepdims)
    if target.kind == 'f':
        src = a if a._dtype is target else cast(a, target, copy=False)
        return _reduced(E.kernels.prod(src._t, E.to_js(list(axes)), target.name), target, shape, axes, keepdims)
    src = cast(a, float64, copy=False)
    t = E.kernels.prod(src._t, E.to_js(list(axes)), 'float64')
    _check_int_result(t, int64)
    t = E.call(t, 'to', E.engine_dtype(int64))
    if target is int32:
        t = _to_int32(t, E.shape_of(t))._t
    return _reduced(t, target, shape, axes, keepdims)


def _count(shape, axes):
    return _scalar.make(int64, _prod(shape[i] for i in axes))


def mean(a, axis=None, dtype=None, keepdims=False):
    axes = _axes(axis, a.ndim)
    rcount = _count(a._shape, axes)
    if rcount == 0:
        _errstate.runtime_warning('Mean of empty slice')
    target = _dtype.resolve(dtype) if dtype is not None else (float64 if a._dtype.kind in 'bi' else a._dtype)
    total = _sum(a, axes, target, keepdims)
    return _divided(total, rcount)


def _divided(total, rcount):
    """NumPy's `ret / rcount` of a reduction: for an array, divided in float64 and cast back to
    its dtype; for a scalar, by scalar arithmetic."""
    if isinstance(total, ndarray):
        q = binary('divide', total, rcount)
        return q if q._dtype is total._dtype else cast(q, total._dtype, copy=False)
    return _scalar.make(total.dtype, _scalar.cast_value((total / rcount).item(), total.dtype, 'cast'))


def var(a, axis=None, dtype=None, ddof=0, keepdims=False):
    axes = _axes(axis, a.ndim)
    rcount = _count(a._shape, axes)
    if ddof >= rcount:
        _errstate.runtime_warning('Degrees of freedom <= 0 for slice')
    target = _dtype.resolve(dtype) if dtype is not None else (float64 if a._dtype.kind in 'bi' else None)
    arrmean = _sum(a, axes, target or a._dtype, True)
    arrmean = _divided(asarray(arrmean), rcount)
    x = asarray(binary('subtract', a, arrmean))
    x = asarray(binary('multiply', x, x))
    ret = _sum(x, axes, target or x._dtype, keepdims)
    rc = rcount - ddof
    if rc < 0:
        rc = _scalar.make(rc.dtype, 0) if isinstance(rc, _scalar.generic) else 0
    return _divided(ret, rc)


def std(a, axis=None, dtype=None, ddof=0, keepdims=False):
    v = var(a, axis, dtype, ddof, keepdims)
    if isinstance(v, ndarray):
        return wrap(E.call(v._t, 'sqrt'), v._dtype, v._shape)
    return _scalar.make(v.dtype, _sqrt_value(float(v), v.dtype))


def _sqrt_value(x, dt):
    if x < 0:
        _errstate.flag('invalid value', 'sqrt')
        return math.nan
    return _scalar.cast_value(math.sqrt(x), dt, 'cast')


_EXTREME_NAME = {'max': 'maximum', 'min': 'minimum'}


def extreme(a, which, axis=None, keepdims=False):
    axes = _axes(axis, a.ndim)
    if a.size == 0 and (_prod(a._shape[i] for i in axes) == 0 or not axes):
        raise ValueError('zero-size array to reduction operation %s which has no identity' % _EXTREME_NAME[which])
    src = a if a._dtype is not bool_ else cast(a, int64, copy=False)
    t = src._t
    if len(axes) == a.ndim:
        t = E.call(t, which) if a.ndim else E.call(t, 'clone')
    else:
        for ax in sorted(axes, reverse=True):
            t = E.call(t, which, ax).values
    if a._dtype is bool_:
        t = E.call(t, 'ne', 0)
    return _reduced(t, a._dtype, a._shape, axes, keepdims)


def arg_extreme(a, which, axis=None, keepdims=False):
    name = 'arg' + which
    if axis is None:
        if a.size == 0:
            raise ValueError('attempt to get %s of an empty sequence' % name)
        src = a if a._dtype is not bool_ else cast(a, int64, copy=False)
        t = E.call(E.call(src._t, 'reshape', E.to_js([-1])), name)
        if keepdims:
            shape = (1,) * a.ndim
            return wrap(E.call(t, 'reshape', E.to_js(list(shape))), int64, shape)
        return _scalar.make(int64, E.item(t, int64))
    ax = _axis(axis, a.ndim)
    if a._shape[ax] == 0:
        raise ValueError('attempt to get %s of an empty sequence' % name)
    src = a if a._dtype is not bool_ else cast(a, int64, copy=False)
    t = E.call(src._t, name, ax)
    return _reduced(t, int64, a._shape, (ax,), keepdims)


def any_all(a, which, axis=None, keepdims=False):
    axes = _axes(axis, a.ndim)
    hits = E.call(a._t, 'ne', 0) if which == 'any' else E.call(a._t, 'eq', 0)
    shape = a._shape
    kept = tuple(s for i, s in enumerate(shape) if i not in axes)
    if _prod(shape[i] for i in axes) == 0:
        t = E.call(E.torch, 'zeros' if which == 'any' else 'ones', E.to_js(list(kept)), dtype=E.engine_dtype(bool_))
        return _reduced(t, bool_, shape, axes, keepdims)
    counts = E.call(hits, 'sum', E.to_js(list(axes))) if axes else E.call(hits, 'to', E.engine_dtype(int64))
    t = E.call(counts, 'gt', 0) if which == 'any' else E.call(counts, 'eq', 0)
    return _reduced(t, bool_, shape, axes, keepdims)


# ------------------------------------------------------------------ shapes

def _reshape_target(a, shape):
    size = a.size
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise ValueError('can only specify one unknown dimension')
    for s in shape:
        if s < -1:
            raise ValueError('negative dimensions not allowed')
    if unknown:
        known = _prod(s for s in shape if s != -1)
        if known == 0 or size % known:
            raise ValueError('cannot reshape array of size %d into shape %s' % (size, _shape_repr(shape)))
        shape = tuple(size // known if s == -1 else s for s in shape)
    if _prod(shape) != size:
        raise ValueError('cannot reshape array of size %d into shape %s' % (size, _shape_repr(shape)))
    return tuple(shape)


def _shape_repr(shape):
    """A shape as NumPy's reshape error writes it: (4,2), (4,), (4,newaxis) for -1."""
    parts = ['newaxis' if s == -1 else str(s) for s in shape]
    return '(%s,)' % parts[0] if len(parts) == 1 else '(%s)' % ','.join(parts)


def _is_contiguous(a):
    return bool(E.call(a._t, 'is_contiguous'))


def _nest(flat, shape):
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = _prod(shape[1:])
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


# ------------------------------------------------------------------ printing

def _print_args(a):
    """(shown values nested, shape, size, kind, is float32) for the printing module: every
    value, or for an array above the threshold only its corners (edgeitems per side)."""
    size = a.size
    t = a._t
    if size > _print.get_printoptions()['threshold']:
        edge = _print.get_printoptions()['edgeitems']
        for axis, n in enumerate(a._shape):
            if n > 2 * edge:
                head = E.call(t, 'narrow', axis, 0, edge)
                tail = E.call(t, 'narrow', axis, n - edge, edge)
                t = E.call(E.torch, 'cat', E.to_js([head, tail]), axis)
        shown = E.shape_of(t)
    else:
        shown = a._shape
    nested = _nest(E.flat_values(t, a._dtype), shown) if size else []
    return nested, a._shape, size, a._dtype.kind, a._dtype is float32
