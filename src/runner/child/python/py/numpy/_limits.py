"""np.finfo and np.iinfo: the limits of the float and integer dtypes."""
from . import _dtype, _scalar

_FLOAT = {
    _dtype.float32: dict(bits=32, eps=2.0 ** -23, epsneg=2.0 ** -24, max=(2 - 2.0 ** -23) * 2.0 ** 127,
                         tiny=2.0 ** -126, smallest_subnormal=2.0 ** -149, precision=6, resolution=1e-06,
                         maxexp=128, minexp=-126, nmant=23, nexp=8, machep=-23, negep=-24),
    _dtype.float64: dict(bits=64, eps=2.0 ** -52, epsneg=2.0 ** -53, max=(2 - 2.0 ** -52) * 2.0 ** 1023,
                         tiny=2.0 ** -1022, smallest_subnormal=2.0 ** -1074, precision=15, resolution=1e-15,
                         maxexp=1024, minexp=-1022, nmant=52, nexp=11, machep=-52, negep=-53),
}


class finfo:
    """Machine limits of a float dtype (np.finfo(np.float32).eps)."""
    __module__ = 'numpy'

    def __init__(self, dtype):
        d = _dtype.resolve(dtype if not isinstance(dtype, _scalar.generic) and not hasattr(dtype, '_dtype')
                           else dtype.dtype)
        if d.kind != 'f':
            raise ValueError("data type %r not inexact" % (d.type,))
        facts = _FLOAT[d]
        make = lambda v: _scalar.make(d, _scalar.cast_value(v, d, 'cast'))  # noqa: E731
        self.dtype = d
        self.bits = facts['bits']
        self.precision = facts['precision']
        self.eps = make(facts['eps'])
        self.epsneg = make(facts['epsneg'])
        self.max = make(facts['max'])
        self.min = make(-facts['max'])
        self.tiny = self.smallest_normal = make(facts['tiny'])
        self.smallest_subnormal = make(facts['smallest_subnormal'])
        self.resolution = make(facts['resolution'])
        for key in ('maxexp', 'minexp', 'nmant', 'nexp', 'machep', 'negep'):
            setattr(self, key, facts[key])
        self.iexp = self.nexp

    def __repr__(self):
        return 'finfo(resolution=%s, min=%s, max=%s, dtype=%s)' % (self.resolution, self.min, self.max, self.dtype)


class iinfo:
    """Machine limits of an integer dtype (np.iinfo(np.int32).max)."""
    __module__ = 'numpy'

    def __init__(self, int_type):
        d = _dtype.resolve(int_type)
        if d.kind != 'i':
            raise ValueError("Invalid integer data type %r." % d.kind)
        self.dtype = d
        self.kind = 'i'
        self.bits = d.itemsize * 8
        self.min, self.max = _dtype.INT_RANGE[d]

    def __repr__(self):
        return 'iinfo(min=%d, max=%d, dtype=%s)' % (self.min, self.max, self.dtype)
