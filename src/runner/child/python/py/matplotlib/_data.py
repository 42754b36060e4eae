"""The data plot() and scatter() accept: numbers, lists, tuples, ranges, torch tensors and
array-likes (anything with `tolist()` and a `shape`, as NumPy arrays will be). Like matplotlib,
which calls np.asarray on its arguments, a tensor that requires grad is refused with PyTorch's
own message."""
import math

from matplotlib._api import unsupported


def values(obj):
    """The data as a flat list of Python numbers (ints stay ints, as in the array matplotlib keeps)."""
    obj = _plain(obj)
    if isinstance(obj, (list, tuple, range)):
        out = []
        for item in obj:
            item = _plain(item)
            if isinstance(item, (list, tuple, range)):
                raise unsupported('plotting 2-D data (one line per column)')
            out.append(_number(item))
        return out
    return [_number(obj)]


def columns(obj):
    """plot()'s view of its data: a list of columns of Python numbers, and the data's shape. A 1-D
    sequence is one column; a 2-D one (an N×k array, such as a model's (N, 1) output) gives one
    column per line, as matplotlib plots the columns of a 2-D array."""
    obj = _plain(obj)
    if not isinstance(obj, (list, tuple, range)):
        return [[_number(obj)]], (1,)
    rows = [_plain(item) for item in obj]
    nested = [isinstance(r, (list, tuple, range)) for r in rows]
    if not any(nested):
        return [[_number(r) for r in rows]], (len(rows),)
    width = len(rows[0]) if nested[0] else -1
    if not all(nested) or any(len(r) != width for r in rows):
        raise ValueError('setting an array element with a sequence. The requested array has an inhomogeneous shape '
                         'after 1 dimensions. The detected shape was (%d,) + inhomogeneous part.' % len(rows))
    for r in rows:
        for v in r:
            if isinstance(_plain(v), (list, tuple, range)):
                raise unsupported('plotting data of more than 2 dimensions')
    return [[_number(_plain(r[j])) for r in rows] for j in range(width)], (len(rows), width)


def floats(vals):
    return [float(v) for v in vals]


def json_floats(vals):
    """Floats for the figure description: JSON has no NaN or infinity, so those are gaps (null)."""
    return [f if math.isfinite(f) else None for f in (float(v) for v in vals)]


def finite(vals):
    return [v for v in vals if math.isfinite(v)]


def _plain(obj):
    if _is_tensor(obj):
        if obj.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return obj.tolist()
    if not isinstance(obj, (list, tuple, range, str, bytes)) and hasattr(obj, 'tolist') and hasattr(obj, 'shape'):
        return obj.tolist()
    return obj


def _number(item):
    if isinstance(item, bool):
        return int(item)
    if isinstance(item, (int, float)):
        return item
    if isinstance(item, (str, bytes)):
        raise unsupported('matplotlib categorical axes (strings as data)')
    if item is None:
        return math.nan
    try:
        return float(item)
    except TypeError:
        raise TypeError('float() argument must be a string or a real number, not %r' % type(item).__name__) from None


def _is_tensor(obj):
    cls = type(obj)
    return cls.__module__.startswith('torch') and hasattr(obj, 'requires_grad') and hasattr(obj, 'tolist')
