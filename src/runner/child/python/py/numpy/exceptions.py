"""numpy.exceptions: the exception and warning classes NumPy raises that Python lacks."""


class AxisError(ValueError, IndexError):
    """An axis beyond an array's dimensions: `AxisError(axis, ndim)` or `AxisError(message)`."""
    __module__ = 'numpy.exceptions'

    def __init__(self, axis, ndim=None, msg_prefix=None):
        if ndim is None and msg_prefix is None:
            self._message = str(axis)
            self.axis = self.ndim = None
        else:
            self.axis = axis
            self.ndim = ndim
            message = 'axis %d is out of bounds for array of dimension %d' % (axis, ndim)
            self._message = message if msg_prefix is None else '%s: %s' % (msg_prefix, message)
        super().__init__(self._message)

    def __str__(self):
        return self._message


class ComplexWarning(RuntimeWarning):
    __module__ = 'numpy.exceptions'


class VisibleDeprecationWarning(UserWarning):
    __module__ = 'numpy.exceptions'


class RankWarning(RuntimeWarning):
    __module__ = 'numpy.exceptions'


class TooHardError(RuntimeError):
    __module__ = 'numpy.exceptions'


class DTypePromotionError(TypeError):
    __module__ = 'numpy.exceptions'
