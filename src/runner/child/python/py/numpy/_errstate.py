"""What NumPy does when an operation raises a floating-point flag (np.seterr, np.errstate): warn
(the default; underflow is ignored), ignore, raise FloatingPointError or print."""
import contextlib
import sys
import warnings

_DEFAULT = {'divide': 'warn', 'over': 'warn', 'under': 'ignore', 'invalid': 'warn'}
_state = dict(_DEFAULT)
_MODES = ('ignore', 'warn', 'raise', 'call', 'print', 'log')
_SKIP = (__file__.rsplit('/', 1)[0] + '/',)

# The flag each of NumPy's messages names.
FLAG_OF = {'divide by zero': 'divide', 'overflow': 'over', 'underflow': 'under', 'invalid value': 'invalid'}


def runtime_warning(message):
    """A RuntimeWarning at the learner's line (frames inside this package are skipped)."""
    if sys.version_info >= (3, 12):
        warnings.warn(message, RuntimeWarning, skip_file_prefixes=_SKIP)
    else:  # CPython before 3.12 (the development checks): the caller's caller
        warnings.warn(message, RuntimeWarning, stacklevel=4)


def flag(name, where):
    """The flag `name` ('divide by zero', 'overflow', 'invalid value') raised by `where`."""
    mode = _state[FLAG_OF[name]]
    if mode == 'ignore':
        return
    message = '%s encountered in %s' % (name, where)
    if mode == 'warn':
        runtime_warning(message)
    elif mode == 'raise':
        raise FloatingPointError(message)
    elif mode == 'print':
        print('Warning: %s' % message)
    else:
        raise NotImplementedError("numpy.seterr(%s=%r) is not supported by Autograd Lab yet" % (FLAG_OF[name], mode))


def seterr(all=None, divide=None, over=None, under=None, invalid=None):
    old = dict(_state)
    for key, value in (('divide', divide), ('over', over), ('under', under), ('invalid', invalid)):
        mode = value if value is not None else all
        if mode is None:
            continue
        if mode not in _MODES:
            raise ValueError('invalid error mode %r' % (mode,))
        _state[key] = mode
    return old


def geterr():
    return dict(_state)


class errstate(contextlib.ContextDecorator):
    """Sets how floating-point flags are handled inside a `with` block (or a decorated function)."""

    def __init__(self, *, call=None, all=None, divide=None, over=None, under=None, invalid=None):
        if call is not None:
            raise NotImplementedError('numpy.errstate(call=...) is not supported by Autograd Lab yet')
        self._settings = dict(all=all, divide=divide, over=over, under=under, invalid=invalid)
        self._saved = []

    def __enter__(self):
        self._saved.append(seterr(**self._settings))

    def __exit__(self, *exc):
        _state.clear()
        _state.update(self._saved.pop())
        return False
