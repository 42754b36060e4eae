"""What a failed lookup of a NumPy name raises: NotImplementedError naming the feature when
NumPy 2 has it (_numpy_names.py, generated from NumPy), NumPy 2's AttributeError naming the
replacement for a name it removed, else NumPy's plain AttributeError."""
from ._numpy_names import EXPIRED, NAMES, SUBMODULES


class UnsupportedAttribute(NotImplementedError, AttributeError):
    """A name NumPy has and Autograd Lab lacks: NotImplementedError naming it, and an
    AttributeError too, so `hasattr(np, name)` is False instead of raising."""


UnsupportedAttribute.__name__ = UnsupportedAttribute.__qualname__ = 'NotImplementedError'
UnsupportedAttribute.__module__ = 'builtins'


def missing(namespace, name, attribute_message=None):
    if namespace == 'numpy' and name in EXPIRED:
        note = EXPIRED[name]
        return AttributeError('`np.%s` was removed in the NumPy 2.0 release. %s' % (name, note) if note else
                              '`np.%s` was removed in the NumPy 2.0 release. ' % name)
    known = NAMES.get(namespace)
    if known is not None and name in known:
        return UnsupportedAttribute('%s.%s is not supported by Autograd Lab yet' % (namespace, name))
    return AttributeError(attribute_message or "module '%s' has no attribute '%s'" % (namespace, name))


def is_numpy_submodule(fullname):
    return fullname in SUBMODULES
