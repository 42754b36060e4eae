"""numpy.random's legacy generator (RandomState, behind np.random.seed/rand/randn/...), giving
NumPy's values bit for bit: the same 32-bit Mersenne Twister (MT19937), seeded the same way,
and the same recipes on top of its words: 53-bit doubles from two words, the polar Box-Muller
normals with the second value kept for the next call, bounded integers by masked rejection.

Python's own `random.Random` is an MT19937 whose random() is NumPy's double recipe and whose
getrandbits(32) is the next word, so it generates the words here; the seeding and the recipes
are NumPy's."""
import math
import operator
import os
import random as _pyrandom

from . import _array as A, _dtype, _scalar
from ._array import asarray, ndarray

_N = 624


def _init_genrand(seed):
    """NumPy's mt19937_seed: the state words for an integer seed."""
    key = [0] * _N
    s = seed & 0xffffffff
    for i in range(_N):
        key[i] = s
        s = (1812433253 * (s ^ (s >> 30)) + i + 1) & 0xffffffff
    return key


def _init_by_array(words):
    """NumPy's mt19937_init_by_array: the state words for a sequence of 32-bit seed words."""
    mt = _init_genrand(19650218)
    i, j = 1, 0
    n = len(words)
    for _ in range(max(_N, n)):
        mt[i] = ((mt[i] ^ (((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525) & 0xffffffff)) + words[j] + j) & 0xffffffff
        i += 1
        j += 1
        if i >= _N:
            mt[0] = mt[_N - 1]
            i = 1
        if j >= n:
            j = 0
    for _ in range(_N - 1):
        mt[i] = ((mt[i] ^ (((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941) & 0xffffffff)) - i) & 0xffffffff
        i += 1
        if i >= _N:
            mt[0] = mt[_N - 1]
            i = 1
    mt[0] = 0x80000000
    return mt


def _mask(rng):
    """The smallest all-ones bit mask not below rng."""
    mask = rng
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> shift
    return mask


def _size_shape(size):
    if size is None:
        return None
    return A._shape_arg(size)


def _count(shape):
    n = 1
    for s in shape:
        n *= s
    return n


class RandomState:
    """NumPy's legacy random generator (MT19937)."""
    __module__ = 'numpy.random'

    def __init__(self, seed=None):
        self._mt = _pyrandom.Random()
        self._gauss = None
        self.seed(seed)

    def __repr__(self):
        return 'RandomState(MT19937)'

    # ---- seeding
    def seed(self, seed=None):
        if seed is None:
            words = [int.from_bytes(os.urandom(4), 'little') for _ in range(_N)]
            key = _init_by_array(words)
        else:
            if isinstance(seed, ndarray) and seed.size == 1:
                seed = seed.reshape(()).item() if seed._dtype.kind != 'f' else seed
            try:
                idx = operator.index(seed)
            except TypeError:
                key = _init_by_array(self._seed_words(seed))
            else:
                if idx > 2 ** 32 - 1 or idx < 0:
                    raise ValueError('Seed must be between 0 and 2**32 - 1')
                key = _init_genrand(idx)
        self._mt.setstate((3, tuple(key) + (_N,), None))
        self._gauss = None

    @staticmethod
    def _seed_words(seed):
        obj = asarray(seed)
        if obj.size == 0:
            raise ValueError('Seed must be non-empty')
        if obj._dtype.kind == 'f':
            kind = 'scalar' if obj.ndim == 0 else 'array data'
            raise TypeError("Cannot cast %s from dtype('%s') to dtype('int64') according to the rule 'safe'"
                            % (kind, obj._dtype.name))
        if obj.ndim != 1:
            raise ValueError('Seed array must be 1-d')
        words = [int(v) for v in obj.tolist()]
        if any(w > 2 ** 32 - 1 or w < 0 for w in words):
            raise ValueError('Seed must be between 0 and 2**32 - 1')
        return words

    def get_state(self, legacy=True):
        raise NotImplementedError('numpy.random.get_state is not supported by Autograd Lab yet')

    def set_state(self, state):
        raise NotImplementedError('numpy.random.set_state is not supported by Autograd Lab yet')

    # ---- the words and their recipes
    def _uint32(self):
        return self._mt.getrandbits(32)

    def _uint64(self):
        hi = self._mt.getrandbits(32)
        return (hi << 32) | self._mt.getrandbits(32)

    def _gauss_value(self):
        """NumPy's legacy_gauss: polar Box-Muller, the second value kept for the next call."""
        if self._gauss is not None:
            g = self._gauss
            self._gauss = None
            return g
        double = self._mt.random
        while True:
            x1 = 2.0 * double() - 1.0
            x2 = 2.0 * double() - 1.0
            r2 = x1 * x1 + x2 * x2
            if r2 < 1.0 and r2 != 0.0:
                break
        f = math.sqrt(-2.0 * math.log(r2) / r2)
        self._gauss = f * x1
        return f * x2

    def _bounded(self, off, rng, count, use_bool=False):
        """NumPy's bounded integers in [off, off + rng] by masked rejection (32-bit words when
        the range fits in them, else 64-bit)."""
        if rng == 0:
            return [off] * count
        if use_bool:
            out = []
            buf, left = 0, 0
            for _ in range(count):
                if left == 0:
                    buf = self._uint32()
                    left = 31
                else:
                    buf >>= 1
                    left -= 1
                out.append(off + (buf & 1))
            return out
        if rng <= 0xffffffff:
            if rng == 0xffffffff:
                return [off + self._uint32() for _ in range(count)]
            draw = self._uint32
        else:
            if rng == 0xffffffffffffffff:
                return [off + self._uint64() for _ in range(count)]
            draw = self._uint64
        mask = _mask(rng)
        out = []
        for _ in range(count):
            while True:
                v = draw() & mask
                if v <= rng:
                    break
            out.append(off + v)
        return out

    def _interval(self, top):
        """NumPy's random_interval: an integer in [0, top] by masked rejection."""
        if top == 0:
            return 0
        mask = _mask(top)
        draw = self._uint32 if top <= 0xffffffff else self._uint64
        while True:
            v = draw() & mask
            if v <= top:
                return v

    def _floats(self, size, one):
        shape = _size_shape(size)
        if shape is None:
            return one()
        return A.from_values([one() for _ in range(_count(shape))], shape, _dtype.float64)

    # ---- distributions
    def random_sample(self, size=None):
        return self._floats(size, self._mt.random)

    random = random_sample

    def rand(self, *args):
        return self.random_sample(args if args else None)

    def standard_normal(self, size=None):
        return self._floats(size, self._gauss_value)

    def randn(self, *args):
        return self.standard_normal(args if args else None)

    def normal(self, loc=0.0, scale=1.0, size=None):
        loc, scale = self._float_param(loc, 'loc'), self._float_param(scale, 'scale')
        if scale < 0:
            raise ValueError('scale < 0')
        return self._floats(size, lambda: loc + scale * self._gauss_value())

    def uniform(self, low=0.0, high=1.0, size=None):
        low, high = self._float_param(low, 'low'), self._float_param(high, 'high')
        span = high - low
        if not math.isfinite(span):
            raise OverflowError('Range exceeds valid bounds')
        return self._floats(size, lambda: low + span * self._mt.random())

    @staticmethod
    def _float_param(value, name):
        if isinstance(value, ndarray) or isinstance(value, (list, tuple)):
            raise NotImplementedError('numpy.random with an array %s is not supported by Autograd Lab yet' % name)
        return float(value)

    def randint(self, low, high=None, size=None, dtype=int):
        dt = _dtype.resolve(dtype)
        for v in (low, high):
            if isinstance(v, (ndarray, list, tuple)):
                raise NotImplementedError('numpy.random.randint with array bounds is not supported by Autograd Lab yet')
        if high is None:
            low, high = 0, low
        lo, hi = self._int_param(low), self._int_param(high)
        if dt is _dtype.bool_:
            lo_end, hi_end = 0, 1
        else:
            lo_end, hi_end = _dtype.INT_RANGE[dt]
        if lo < lo_end:
            raise ValueError('low is out of bounds for %s' % dt.name)
        if hi - 1 > hi_end:
            raise ValueError('high is out of bounds for %s' % dt.name)
        if lo >= hi:
            raise ValueError('low >= high')
        shape = _size_shape(size)
        count = 1 if shape is None else _count(shape)
        values = self._bounded(lo, hi - 1 - lo, count, use_bool=dt is _dtype.bool_)
        if dt is _dtype.bool_:
            values = [bool(v) for v in values]
        if shape is None:
            # the default dtype (Python's int) gives a Python int, an explicit one a NumPy scalar
            return values[0] if dtype is int else _scalar.make(dt, values[0])
        return A.from_values(values, shape, dt)

    @staticmethod
    def _int_param(v):
        if isinstance(v, float) or isinstance(v, _scalar.floating):
            if not float(v).is_integer():
                return int(math.floor(float(v)))
            return int(v)
        return operator.index(v)

    def shuffle(self, x):
        """Shuffles x along its first axis in place (NumPy's swaps, last position first)."""
        if isinstance(x, ndarray):
            if x.ndim == 0:
                raise TypeError('object of type %r has no len()' % 'numpy.ndarray')
            n = x._shape[0]
            order = list(range(n))
            for i in range(n - 1, 0, -1):
                j = self._interval(i)
                order[i], order[j] = order[j], order[i]
            if n > 1:
                x[...] = x[order]
            return None
        if not hasattr(x, '__len__') or not hasattr(x, '__setitem__'):
            raise TypeError('object of type %r has no len()' % type(x).__name__)
        for i in range(len(x) - 1, 0, -1):
            j = self._interval(i)
            x[i], x[j] = x[j], x[i]
        return None

    def permutation(self, x):
        if isinstance(x, int) or isinstance(x, _scalar.integer):
            arr = A.from_values(list(range(int(x))), (int(x),), _dtype.int64)
            self.shuffle(arr)
            return arr
        arr = asarray(x)
        if arr.ndim < 1:
            raise IndexError('x must be an integer or at least 1-dimensional')
        arr = arr.copy()
        self.shuffle(arr)
        return arr

    def choice(self, a, size=None, replace=True, p=None):
        arr = asarray(a)
        shape = _size_shape(size)
        count = 1 if shape is None else _count(shape)
        if arr.ndim == 0:
            try:
                pop_size = operator.index(arr.item())
            except TypeError:
                raise ValueError('a must be 1-dimensional or an integer') from None
            if pop_size <= 0 and count != 0:
                raise ValueError('a must be greater than 0 unless no samples are taken')
        elif arr.ndim != 1:
            raise ValueError('a must be 1-dimensional')
        else:
            pop_size = arr._shape[0]
            if pop_size == 0 and count != 0:
                raise ValueError("'a' cannot be empty unless no samples are taken")
        if p is not None:
            probs = self._probabilities(p, pop_size)
            if not replace:
                raise NotImplementedError('numpy.random.choice(replace=False, p=...) is not supported by Autograd Lab yet')
            cdf = []
            total = 0.0
            for q in probs:
                total += q
                cdf.append(total)
            cdf = [c / cdf[-1] for c in cdf]
            import bisect
            idx = [bisect.bisect_right(cdf, self._mt.random()) for _ in range(count)]
        elif replace:
            idx = self._bounded(0, pop_size - 1, count)
        else:
            if count > pop_size:
                raise ValueError("Cannot take a larger sample than population when 'replace=False'")
            idx = self.permutation(pop_size).tolist()[:count]
        if shape is None:
            i = idx[0]
            return i if arr.ndim == 0 else arr[i]
        idx_array = A.from_values(idx, shape, _dtype.int64)
        return idx_array if arr.ndim == 0 else arr[idx_array]

    @staticmethod
    def _probabilities(p, pop_size):
        probs = asarray(p, dtype=_dtype.float64)
        if probs.ndim != 1:
            raise ValueError("'p' must be 1-dimensional")
        if probs.size != pop_size:
            raise ValueError("'a' and 'p' must have same size")
        values = probs.tolist()
        total, c = 0.0, 0.0
        for v in values:  # NumPy's Kahan sum
            y = v - c
            t = total + y
            c = (t - total) - y
            total = t
        if math.isnan(total):
            raise ValueError('probabilities contain NaN')
        if any(v < 0 for v in values):
            raise ValueError('probabilities are not non-negative')
        if abs(total - 1.0) > math.sqrt(2.220446049250313e-16):
            raise ValueError('probabilities do not sum to 1')
        return values


_rand = RandomState()

seed = _rand.seed
random_sample = _rand.random_sample
random = _rand.random
rand = _rand.rand
randn = _rand.randn
standard_normal = _rand.standard_normal
normal = _rand.normal
uniform = _rand.uniform
randint = _rand.randint
shuffle = _rand.shuffle
permutation = _rand.permutation
choice = _rand.choice
get_state = _rand.get_state
set_state = _rand.set_state
sample = random_sample
ranf = random_sample


def default_rng(seed=None):
    raise NotImplementedError('numpy.random.default_rng (the PCG64 Generator) is not supported by Autograd Lab yet; '
                              'np.random.seed with np.random.rand, randn, randint, ... (the legacy generator) are')


def __getattr__(name):
    from . import _names
    raise _names.missing('numpy.random', name)
