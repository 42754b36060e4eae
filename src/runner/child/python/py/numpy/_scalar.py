"""NumPy's scalar types (np.float64(3.0), np.int64(2), np.True_...): what reductions and
indexing return, with NumPy's arithmetic on them — computed here in Python, rounded to float32
or wrapped to the integer's width as NumPy does, with its RuntimeWarnings — and NumPy 2's reprs.
np.float64 is a Python float, as in NumPy; the others hold their value."""
import math
import operator

from . import _dtype, _errstate, _floatstr

flag = _errstate.flag


class generic:
    __slots__ = ()
    __module__ = 'numpy'
    __array_priority__ = -1000000.0

    # ---- what every scalar has
    @property
    def dtype(self):
        return type(self)._np_dtype

    shape = property(lambda self: ())
    ndim = property(lambda self: 0)
    size = property(lambda self: 1)
    itemsize = property(lambda self: type(self)._np_dtype.itemsize)
    nbytes = itemsize
    T = property(lambda self: self)
    real = property(lambda self: self)
    imag = property(lambda self: type(self)(0))

    def item(self, *args):
        if args and args not in ((0,), ((),), (-1,)):
            raise IndexError('index %s is out of bounds for size 1' % (args[0],))
        return self._value()

    tolist = item

    def astype(self, dtype, order='K', casting='unsafe', subok=True, copy=True):
        return make(_dtype.resolve(dtype), cast_value(self._value(), _dtype.resolve(dtype), 'cast'))

    def conjugate(self):
        return self

    conj = conjugate

    def __repr__(self):
        return 'np.%s(%s)' % (type(self).__name__, str(self))

    def __bool__(self):
        return bool(self._value())

    def __float__(self):
        return float(self._value())

    def __int__(self):
        return int(self._value())

    def __hash__(self):
        return hash(self._value())

    def __reduce__(self):
        return (type(self), (self._value(),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # ---- arithmetic: NumPy's promotion, computed in the result dtype
    def __add__(self, other):
        return _binary('add', self, other)

    def __radd__(self, other):
        return _binary('add', other, self)

    def __sub__(self, other):
        return _binary('subtract', self, other)

    def __rsub__(self, other):
        return _binary('subtract', other, self)

    def __mul__(self, other):
        return _binary('multiply', self, other)

    def __rmul__(self, other):
        return _binary('multiply', other, self)

    def __truediv__(self, other):
        return _binary('divide', self, other)

    def __rtruediv__(self, other):
        return _binary('divide', other, self)

    def __floordiv__(self, other):
        return _binary('floor_divide', self, other)

    def __rfloordiv__(self, other):
        return _binary('floor_divide', other, self)

    def __mod__(self, other):
        return _binary('remainder', self, other)

    def __rmod__(self, other):
        return _binary('remainder', other, self)

    def __pow__(self, other, mod=None):
        return _binary('power', self, other)

    def __rpow__(self, other):
        return _binary('power', other, self)

    def __eq__(self, other):
        return _compare(operator.eq, self, other)

    def __ne__(self, other):
        return _compare(operator.ne, self, other)

    def __lt__(self, other):
        return _compare(operator.lt, self, other)

    def __le__(self, other):
        return _compare(operator.le, self, other)

    def __gt__(self, other):
        return _compare(operator.gt, self, other)

    def __ge__(self, other):
        return _compare(operator.ge, self, other)

    def __neg__(self):
        return _unary('negative', self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _unary('absolute', self)

    def __invert__(self):
        return _unary('invert', self)

    def __and__(self, other):
        return _bitwise('bitwise_and', operator.and_, self, other)

    __rand__ = __and__

    def __or__(self, other):
        return _bitwise('bitwise_or', operator.or_, self, other)

    __ror__ = __or__

    def __xor__(self, other):
        return _bitwise('bitwise_xor', operator.xor, self, other)

    __rxor__ = __xor__


class number(generic):
    __slots__ = ()
    __module__ = 'numpy'


class integer(number):
    __slots__ = ()
    __module__ = 'numpy'

    def __index__(self):
        return self._v

    def is_integer(self):
        return True

    numerator = property(lambda self: self)
    denominator = property(lambda self: type(self)(1))

    def __round__(self, ndigits=None):
        if ndigits is None:
            return self._v
        if ndigits >= 0:
            return self
        factor = 10 ** -ndigits
        q, r = divmod(self._v, factor)
        if 2 * r > factor or (2 * r == factor and q % 2):
            q += 1
        return make(type(self)._np_dtype, wrap(q * factor, type(self)._np_dtype, None))

    def __format__(self, spec):
        return format(self._v, spec) if spec else str(self)


class signedinteger(integer):
    __slots__ = ()
    __module__ = 'numpy'


class inexact(number):
    __slots__ = ()
    __module__ = 'numpy'


class floating(inexact):
    __slots__ = ()
    __module__ = 'numpy'

    def is_integer(self):
        return float(self).is_integer()

    def as_integer_ratio(self):
        return float(self).as_integer_ratio()

    def __index__(self):
        raise TypeError("'numpy.%s' object cannot be interpreted as an integer" % type(self).__name__)

    def __round__(self, ndigits=None):
        v = float(self)
        if ndigits is None:
            return round(v)
        return make(type(self)._np_dtype, round_half_even(v, ndigits, type(self)._np_dtype))

    def __str__(self):
        return _floatstr.scalar_str(float(self), type(self) is float32)


class float64(floating, float):
    __slots__ = ()
    __module__ = 'numpy'

    def __new__(cls, value=0.0):
        seq = _sequence(value, 'float64')
        if seq is not None:
            return seq
        return float.__new__(cls, _to_float(value))

    def _value(self):
        return float.__float__(self)

    __float__ = float.__float__
    __int__ = float.__int__
    __bool__ = float.__bool__

    def __format__(self, spec):
        return float.__format__(float.__float__(self), spec) if spec else str(self)

    __repr__ = generic.__repr__
    __str__ = floating.__str__
    __hash__ = float.__hash__


class float32(floating):
    __slots__ = ('_v',)
    __module__ = 'numpy'

    def __new__(cls, value=0.0):
        seq = _sequence(value, 'float32')
        if seq is not None:
            return seq
        s = object.__new__(cls)
        s._v = _floatstr.f32(_to_float(value))
        return s

    def _value(self):
        return self._v

    def __float__(self):
        return self._v

    def __format__(self, spec):
        # NumPy formats a float32 as the Python float it converts to
        return format(self._v, spec)


def _make_int(name):
    class _Int(signedinteger):
        __slots__ = ('_v',)
        __module__ = 'numpy'

        def __new__(cls, value=0):
            seq = _sequence(value, name)
            if seq is not None:
                return seq
            s = object.__new__(cls)
            v = _to_int(value)
            lo, hi = _dtype.INT_RANGE[cls._np_dtype]
            if not lo <= v <= hi:
                raise OverflowError('Python integer %d out of bounds for %s' % (v, name))
            s._v = v
            return s

        def _value(self):
            return self._v

        def __str__(self):
            return str(self._v)

    _Int.__name__ = _Int.__qualname__ = name
    return _Int


int32 = _make_int('int32')
int64 = _make_int('int64')


class bool_(generic):
    __slots__ = ('_v',)
    __module__ = 'numpy'

    def __new__(cls, value=False):
        seq = _sequence(value, 'bool')
        if seq is not None:
            return seq
        return True_ if value else False_

    def _value(self):
        return self._v

    def __repr__(self):
        return 'np.True_' if self._v else 'np.False_'

    def __str__(self):
        return 'True' if self._v else 'False'

    def __index__(self):
        raise TypeError("'numpy.bool' object cannot be interpreted as an integer")

    def __format__(self, spec):
        return format(self._v, spec) if spec else str(self)

    def __round__(self, ndigits=None):
        raise TypeError("type numpy.bool doesn't define __round__ method")


bool_.__name__ = bool_.__qualname__ = 'bool'
True_ = object.__new__(bool_)
True_._v = True
False_ = object.__new__(bool_)
False_._v = False

TYPES = {_dtype.float32: float32, _dtype.float64: float64, _dtype.int32: int32, _dtype.int64: int64, _dtype.bool_: bool_}
for _d, _t in TYPES.items():
    _t._np_dtype = _d
    _d.type = _t
del _d, _t

_array_hooks = {}  # filled by the array module: 'array' (np.array) and 'ndarray' (the class)


def _sequence(value, name):
    """`np.float32([1, 2])` makes an array, as NumPy's scalar types do for sequences."""
    if isinstance(value, (list, tuple)) or isinstance(value, _array_hooks.get('ndarray', ())):
        return _array_hooks['array'](value, dtype=name)
    return None


def _to_float(value):
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else value
        try:
            return float(text)
        except ValueError:
            raise ValueError('could not convert string to float: %r' % text) from None
    return float(value)


def _to_int(value):
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else value
        try:
            return int(text)
        except ValueError:
            raise ValueError('invalid literal for int() with base 10: %r' % text) from None
    if isinstance(value, float) or isinstance(value, floating):
        return int(float(value))
    return operator.index(value) if not isinstance(value, generic) else int(value)


def make(dt, value):
    """The scalar of dtype `dt` holding the Python value `value` (already of that dtype)."""
    if dt is _dtype.float64:
        return float.__new__(float64, value)
    if dt is _dtype.bool_:
        return True_ if value else False_
    s = object.__new__(dt.type)
    s._v = value
    return s


def cast_value(v, dt, op):
    """The Python value v (bool, int or float) as dtype dt stores it (C casts)."""
    if dt.kind == 'f':
        x = float(v)
        return weak_float32(x) if dt is _dtype.float32 else x
    if dt.kind == 'b':
        return bool(v)
    lo, hi = _dtype.INT_RANGE[dt]
    if isinstance(v, float):
        # C's float-to-int conversion: out of range (or nan) gives the smallest integer on x86
        if not math.isfinite(v) or not lo <= v < hi + 1:
            flag('invalid value', 'cast')
            return lo
        return int(v)
    return wrap(int(v), dt, None)


def round_half_even(v, ndigits, dt):
    """np.round of a float: scaled by 10**ndigits, rounded half to even, scaled back."""
    flags = _Flags(_floatstr.f32 if dt is _dtype.float32 else float)
    if ndigits >= 0:
        scale = flags.r(10.0 ** ndigits)
        z = flags.div(_rint(flags.mul(v, scale)), scale)
        flags.warn('multiply')
        return z
    scale = flags.r(10.0 ** -ndigits)
    z = flags.mul(_rint(flags.div(v, scale)), scale)
    flags.warn('multiply')
    return z


def _rint(y):
    if not math.isfinite(y):
        return y
    return math.copysign(float(round(y)), y)


# ------------------------------------------------------------------ arithmetic
#
# Floats follow IEEE arithmetic, step by step in the result's precision, and NumPy warns about
# the floating-point flags the steps raised (divide by zero, overflow, invalid), in that order.
# NumPy words the warning 'scalar <op>' when a scalar's own loop ran (the result has one of the
# operands' types) and '<op>' when it went through the ufunc.

_FLAG_ORDER = ('divide by zero', 'overflow', 'invalid value')


class _Flags:
    __slots__ = ('raised', 'r')

    def __init__(self, r):
        self.raised = set()
        self.r = r

    def result(self, z, *inputs):
        """z rounded, noting overflow (finite inputs, infinite result) and invalid (no nan in,
        nan out)."""
        z = self.r(z)
        if math.isinf(z) and all(math.isfinite(v) for v in inputs):
            self.raised.add('overflow')
        elif math.isnan(z) and not any(math.isnan(v) for v in inputs):
            self.raised.add('invalid value')
        return z

    def add(self, x, y):
        return self.result(x + y, x, y)

    def sub(self, x, y):
        return self.result(x - y, x, y)

    def mul(self, x, y):
        return self.result(x * y, x, y)

    def div(self, x, y):
        if y == 0:
            if x == 0 or math.isnan(x) or math.isnan(y):
                if x == 0:
                    self.raised.add('invalid value')
                return math.nan
            if math.isfinite(x):
                self.raised.add('divide by zero')
            return math.copysign(math.inf, x) * math.copysign(1.0, y)
        return self.result(x / y, x, y)

    def fmod(self, x, y):
        if math.isnan(x) or math.isnan(y):
            return math.nan
        if math.isinf(x) or y == 0:
            self.raised.add('invalid value')
            return math.nan
        return math.fmod(x, y)

    def divmod(self, x, y):
        """NumPy's npy_divmod: (floor quotient, remainder with the divisor's sign)."""
        mod = self.fmod(x, y)
        div = self.div(self.sub(x, mod), y)
        if mod:
            if (y < 0) != (mod < 0):
                mod = self.add(mod, y)
                div = self.sub(div, 1.0)
        else:
            mod = math.copysign(0.0, y)
        if div:
            floordiv = float(math.floor(div)) if math.isfinite(div) else div
            frac = self.sub(div, floordiv)
            if frac > 0.5:
                floordiv = self.add(floordiv, 1.0)
        else:
            floordiv = math.copysign(0.0, self.r(x / y) if y else x)
        return floordiv, mod

    def floor_divide(self, x, y):
        if y == 0:
            return self.div(x, y)
        return self.divmod(x, y)[0]

    def remainder(self, x, y):
        """fmod, moved to the divisor's sign (no quotient is computed, so none of its flags)."""
        mod = self.fmod(x, y)
        if math.isnan(mod):
            return mod
        if mod:
            if (y < 0) != (mod < 0):
                mod = self.add(mod, y)
        else:
            mod = math.copysign(0.0, y)
        return mod

    def power(self, x, y):
        try:
            return self.result(math.pow(x, y), x, y)
        except OverflowError:
            self.raised.add('overflow')
            negative = x < 0 and float(y).is_integer() and int(y) % 2 == 1
            return -math.inf if negative else math.inf
        except ValueError:
            if x == 0:
                self.raised.add('divide by zero')
                return math.copysign(math.inf, x) if float(y).is_integer() and int(y) % 2 == 1 else math.inf
            self.raised.add('invalid value')
            return math.nan

    def warn(self, where):
        for name in _FLAG_ORDER:
            if name in self.raised:
                flag(name, where)


_FLOAT_OPS = {'add': _Flags.add, 'subtract': _Flags.sub, 'multiply': _Flags.mul, 'divide': _Flags.div,
              'floor_divide': _Flags.floor_divide, 'remainder': _Flags.remainder, 'power': _Flags.power}


def float_op(op, x, y, dt, where):
    """x op y for floats x, y already of dtype dt, with NumPy's warnings (`where`: the op's name
    as NumPy words it in them)."""
    flags = _Flags(_floatstr.f32 if dt is _dtype.float32 else float)
    z = _FLOAT_OPS[op](flags, x, y)
    flags.warn(where)
    return z


def int_op(op, x, y, dt, where):
    """x op y for Python ints, wrapped to dt, with NumPy's warnings."""
    if op == 'add':
        return wrap(x + y, dt, where)
    if op == 'subtract':
        return wrap(x - y, dt, where)
    if op == 'multiply':
        return wrap(x * y, dt, where)
    if op == 'floor_divide':
        if y == 0:
            flag('divide by zero', where)
            return 0
        return wrap(x // y, dt, where)
    if op == 'remainder':
        if y == 0:
            flag('divide by zero', where)
            return 0
        return x % y
    if y < 0:
        raise ValueError('Integers to negative integer powers are not allowed.')
    # NumPy's integer power wraps silently (no overflow warning)
    lo, hi = _dtype.INT_RANGE[dt]
    return wrap(pow(x, y, hi - lo + 1), dt, None)


def wrap(v, dt, where):
    """An integer result wrapped to dt's width, with NumPy's overflow warning when it had to."""
    lo, hi = _dtype.INT_RANGE[dt]
    if lo <= v <= hi:
        return v
    if where is not None and where.startswith('scalar'):
        # a scalar's own loop checks for overflow; the ufuncs' integer loops wrap silently
        flag('overflow', where)
    span = hi - lo + 1
    return (v - lo) % span + lo


def weak_float32(v):
    """A Python float taken as a float32 (NEP 50), with NumPy's warning when it overflows."""
    x = _floatstr.f32(v)
    if math.isinf(x) and math.isfinite(v):
        flag('overflow', 'cast')
    return x


def _operand(x):
    """(dtype or None, Python value, weak kind or None) of an operand; None when it is not a number."""
    if isinstance(x, generic):
        return type(x)._np_dtype, x._value(), None
    kind = _dtype.python_kind(x)
    if kind is None:
        return None
    return None, x, kind


def _compute_dtype(op, pa, pb):
    """The dtype an operation computes in: NumPy's promotion (an integer true division in float64,
    where a Python int needs no range check)."""
    strong = [p[0] for p in (pa, pb) if p[0] is not None]
    weak = [p for p in (pa, pb) if p[0] is None]
    dt = strong[0] if len(strong) == 1 else _dtype.promote(*strong)
    for p in weak:
        dt = _dtype.with_weak(dt, p[2], p[1], check_range=(op != 'divide' or dt.kind == 'f'))
    return dt


def _where(op, pa, pb, dt):
    """How NumPy words the op in its warnings: 'scalar <op>' when the handling scalar's own loop
    ran (it has the computation's type; a bool on the left goes straight to the ufunc)."""
    left, right = pa[0], pb[0]
    if left is _dtype.bool_ or dt is _dtype.bool_:
        return op
    if left is dt or (right is dt and (left is None or left is not dt)):
        return 'scalar ' + op
    return op


def _binary(op, a, b):
    pa, pb = _operand(a), _operand(b)
    if pa is None or pb is None:
        return NotImplemented
    dt = _compute_dtype(op, pa, pb)
    x, y = pa[1], pb[1]
    if dt is _dtype.bool_:
        if op == 'add':
            return make(dt, bool(x) or bool(y))
        if op == 'multiply':
            return make(dt, bool(x) and bool(y))
        if op == 'subtract':
            raise TypeError('numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` '
                            'operator, or the logical_xor function instead.')
        if op != 'divide':
            raise _dtype.unsupported_dtype('int8 (the result of %s on booleans)' % op)
    where = _where(op, pa, pb, dt)
    if op == 'divide' and dt.kind != 'f':
        dt = _dtype.float64
    if dt.kind == 'f':
        x = weak_float32(x) if dt is _dtype.float32 and pa[2] is float else float(x)
        y = weak_float32(y) if dt is _dtype.float32 and pb[2] is float else float(y)
        return make(dt, float_op(op, x, y, dt, where))
    return make(dt, int_op(op, int(x), int(y), dt, where))


def _compare(cmp, a, b):
    pa, pb = _operand(a), _operand(b)
    if pa is None or pb is None:
        return NotImplemented
    x, y = pa[1], pb[1]
    # NEP 50: a Python float meets a float32 as a float32; integers compare exactly.
    if pa[0] is _dtype.float32 and pb[2] is float:
        y = weak_float32(y)
    elif pb[0] is _dtype.float32 and pa[2] is float:
        x = weak_float32(x)
    return True_ if cmp(x, y) else False_


def _unary(op, a):
    dt = type(a)._np_dtype
    v = a._value()
    if dt is _dtype.bool_:
        if op == 'invert':
            return make(dt, not v)
        if op == 'absolute':
            return a
        raise TypeError('The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the '
                        'logical_not function instead.')
    if dt.kind == 'f':
        if op == 'invert':
            raise TypeError("ufunc 'invert' not supported for the input types, and the inputs could not be safely "
                            "coerced to any supported types according to the casting rule ''safe''")
        return make(dt, -v if op == 'negative' else abs(v))
    if op == 'invert':
        return make(dt, ~v)
    return make(dt, wrap(-v if op == 'negative' else abs(v), dt, 'scalar ' + op))


def _bitwise(name, fn, a, b):
    pa, pb = _operand(a), _operand(b)
    if pa is None or pb is None:
        return NotImplemented
    dt = _compute_dtype(name, pa, pb)
    if dt.kind == 'f':
        raise TypeError("ufunc '%s' not supported for the input types, and the inputs could not be safely coerced to "
                        "any supported types according to the casting rule ''safe''" % name)
    if dt is _dtype.bool_:
        return make(dt, bool(fn(bool(pa[1]), bool(pb[1]))))
    return make(dt, wrap(fn(int(pa[1]), int(pb[1])), dt, None))
