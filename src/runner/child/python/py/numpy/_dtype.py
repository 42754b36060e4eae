"""NumPy's dtypes for the arrays Autograd Lab supports (float32, float64, int32, int64, bool),
how NumPy spells them (names, codes, Python types, scalar types), and NumPy 2's type promotion:
the result dtype of an operation on arrays and NumPy scalars (which count with their dtype) and
Python numbers (which are 'weak': they take the array's kind when they fit in it, NEP 50)."""

_unsupported_names = {}


class dtype:
    """One of NumPy's data types; `np.dtype(x)` gives the one x names."""
    __slots__ = ('name', 'kind', 'char', 'itemsize', 'type', 'num', '_rank')

    def __new__(cls, obj=None, align=False, copy=False):
        return resolve(obj)

    @classmethod
    def _make(cls, name, kind, char, itemsize, num, rank, class_name):
        # NumPy 2 gives each dtype its own class (numpy.dtypes.Float32DType)
        sub = type(class_name, (cls,), {'__slots__': (), '__module__': 'numpy.dtypes', '__new__': object.__new__})
        d = object.__new__(sub)
        d.name = name
        d.kind = kind
        d.char = char
        d.itemsize = itemsize
        d.num = num
        d._rank = rank
        d.type = None  # the scalar type, set by _scalar
        return d

    @property
    def str(self):
        return ('|' if self.itemsize == 1 else '<') + self.kind + '%d' % self.itemsize

    @property
    def descr(self):
        return [('', self.str)]

    @property
    def byteorder(self):
        return '|' if self.itemsize == 1 else '='

    @property
    def isnative(self):
        return True

    @property
    def shape(self):
        return ()

    @property
    def ndim(self):
        return 0

    @property
    def names(self):
        return None

    @property
    def fields(self):
        return None

    @property
    def subdtype(self):
        return None

    @property
    def base(self):
        return self

    @property
    def alignment(self):
        return self.itemsize

    def __repr__(self):
        return "dtype('%s')" % self.name

    def __str__(self):
        return self.name

    def __eq__(self, other):
        if isinstance(other, dtype):
            return other is self
        try:
            return resolve(other) is self
        except (TypeError, NotImplementedError):
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(('numpy.dtype', self.name))

    def __reduce__(self):
        return (resolve, (self.name,))


float32 = dtype._make('float32', 'f', 'f', 4, 11, 3, 'Float32DType')
float64 = dtype._make('float64', 'f', 'd', 8, 12, 4, 'Float64DType')
int32 = dtype._make('int32', 'i', 'i', 4, 5, 1, 'Int32DType')
int64 = dtype._make('int64', 'i', 'l', 8, 7, 2, 'Int64DType')
bool_ = dtype._make('bool', 'b', '?', 1, 0, 0, 'BoolDType')
ALL = (bool_, int32, int64, float32, float64)

_BY_NAME = {}
for _d, _names in ((float32, 'float32 f4 f single'), (float64, 'float64 f8 d double float'),
                   (int32, 'int32 i4 i intc'), (int64, 'int64 i8 l q int long int_ longlong intp p'),
                   (bool_, 'bool b1 ? bool_')):
    for _n in _names.split():
        _BY_NAME[_n] = _d
        for _order in '<=|':
            _BY_NAME[_order + _n] = _d
del _d, _n, _names, _order

# NumPy's names for the dtypes Autograd Lab has no arrays for.
_NUMPY_ONLY = ('int8 i1 b byte int16 i2 h short uint8 u1 B ubyte uint16 u2 H ushort uint32 u4 I uintc uint64 u8 L Q '
               'uint ulonglong uintp P ulong float16 f2 e half longdouble float128 g f16 complex64 c8 F csingle '
               'complex128 c16 D cdouble complex complex256 G clongdouble object O object_ str U str_ unicode '
               'bytes S bytes_ a V void datetime64 M M8 timedelta64 m m8').split()


def unsupported_dtype(name):
    return NotImplementedError('numpy dtype %s is not supported by Autograd Lab yet (it has float32, float64, '
                               'int32, int64 and bool)' % name)


def resolve(obj):
    """The dtype `obj` names: a dtype, a scalar type, a Python type, a name or code, None (float64)."""
    if isinstance(obj, dtype):
        return obj
    if obj is None:
        return float64
    d = getattr(obj, '_np_dtype', None)
    if isinstance(d, dtype) and isinstance(obj, type):
        return d
    if obj is float:
        return float64
    if obj is int:
        return int64
    if obj is bool:
        return bool_
    if obj is complex:
        raise unsupported_dtype('complex128')
    if obj is str or obj is bytes or obj is object:
        raise unsupported_dtype({str: 'str_', bytes: 'bytes_', object: 'object_'}[obj])
    if isinstance(obj, str):
        found = _BY_NAME.get(obj)
        if found is not None:
            return found
        bare = obj.lstrip('<>=|')
        if bare in _NUMPY_ONLY or bare.rstrip('0123456789') in ('U', 'S', 'a', 'V', '<U', 'M8[', 'm8['):
            raise unsupported_dtype(bare)
        if obj.startswith('>') and obj[1:] in _BY_NAME:
            raise NotImplementedError('big-endian numpy dtypes are not supported by Autograd Lab yet')
        raise TypeError("data type %r not understood" % obj)
    dt = getattr(obj, 'dtype', None)
    if isinstance(dt, dtype):
        return dt
    raise TypeError("Cannot interpret '%s' as a data type" % (obj if isinstance(obj, type) else repr(obj),))


def promote(a, b):
    """np.promote_types for two of our dtypes: bool < ints < floats; an int32 or int64 with a
    float32 needs float64 to hold every value."""
    if a is b:
        return a
    if a is bool_:
        return b
    if b is bool_:
        return a
    if a.kind == b.kind:
        return a if a._rank > b._rank else b
    if a is float64 or b is float64:
        return float64
    return float64  # an integer with float32


# What a Python number becomes when it decides the dtype on its own (np.asarray(3) is int64).
PYTHON_DEFAULT = {bool: bool_, int: int64, float: float64}

INT_RANGE = {int32: (-2 ** 31, 2 ** 31 - 1), int64: (-2 ** 63, 2 ** 63 - 1)}


def python_kind(value):
    """bool, int or float for a Python number (bool first: it is an int too); None otherwise."""
    tp = type(value)
    if tp is bool or tp is int or tp is float:
        return tp
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    if isinstance(value, complex):
        raise unsupported_dtype('complex128')
    return None


def with_weak(strong, kind, value=None, check_range=True):
    """The result dtype of `strong` (an array's or NumPy scalar's dtype) with a Python number of
    `kind`: NEP 50. A Python int that does not fit an integer dtype is NumPy 2's OverflowError."""
    if kind is bool:
        return strong
    if kind is int:
        if value is not None and check_range and not -2 ** 63 <= value < 2 ** 64:
            raise OverflowError('Python int too large to convert to C long')
        if strong is bool_:
            return int64
        if strong.kind == 'i' and check_range and value is not None:
            lo, hi = INT_RANGE[strong]
            if not lo <= value <= hi:
                raise OverflowError('Python integer %d out of bounds for %s' % (value, strong.name))
        return strong
    if strong.kind == 'f':
        return strong
    return float64


def result_type(strong, weak_values=()):
    """The dtype of an operation on dtypes `strong` and Python numbers `weak_values`."""
    result = None
    for d in strong:
        result = d if result is None else promote(result, d)
    kinds = [python_kind(v) for v in weak_values]
    if result is None:
        for k in kinds:
            d = PYTHON_DEFAULT[k]
            result = d if result is None else promote(result, d)
        return result
    for k, v in zip(kinds, weak_values):
        result = with_weak(result, k, v)
    return result


def can_cast_same_kind(src, dst):
    """NumPy's 'same_kind' casting (what in-place operators allow): safe casts, and casts within
    a kind (float64 to float32, int64 to int32); never float to int or int to bool."""
    order = {'b': 0, 'i': 1, 'f': 2}
    return order[src.kind] <= order[dst.kind]
