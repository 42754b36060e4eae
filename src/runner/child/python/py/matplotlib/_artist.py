"""What every drawn thing shares in matplotlib's Artist: a label, an opacity, a drawing order,
visibility, the Axes it is in, and (for lines and scatters) its data points."""
import math

from matplotlib import _api, _data


class Artist:
    zorder = 0
    _supported = ()  # the properties set() accepts (those a subclass draws)

    def __init__(self):
        self._label = ''
        self._alpha = None
        self._visible = True
        self.axes = None

    def set(self, **kwargs):
        """Sets properties by name (aliases such as lw allowed), as matplotlib's Artist.set."""
        artist = type(self).__name__
        props = _api.canonical_properties(kwargs, artist)
        _api.check_properties(props, self._supported, artist,
                              lambda name: AttributeError('%s.set() got an unexpected keyword argument %r' % (artist, name)))
        for name, value in props.items():
            getattr(self, 'set_' + name)(value)

    def get_label(self):
        return self._label

    def set_label(self, label):
        self._label = None if label is None else str(label)

    def get_alpha(self):
        return self._alpha

    def set_alpha(self, alpha):
        if alpha is not None and not 0 <= alpha <= 1:
            raise ValueError('alpha (%s) is outside 0-1 range' % alpha)
        self._alpha = alpha

    def get_zorder(self):
        return self.zorder

    def set_zorder(self, z):
        self.zorder = z

    def get_visible(self):
        return self._visible

    def set_visible(self, b):
        self._visible = bool(b)

    def _finite_points(self):
        """The (x, y) points that count for autoscaling and for placing a legend."""
        xs, ys = _data.floats(self._x), _data.floats(self._y)
        return [(x, y) for x, y in zip(xs, ys) if math.isfinite(x) and math.isfinite(y)]
