"""matplotlib.text.Text: a title, an axis label."""
from matplotlib import _api, _colors
from matplotlib._matplotlib_facts import RC

FONT_SCALINGS = {'xx-small': 0.579, 'x-small': 0.694, 'small': 0.833, 'medium': 1.0, 'large': 1.2,
                 'x-large': 1.44, 'xx-large': 1.728, 'larger': 1.2, 'smaller': 0.833}
_SUPPORTED = ('fontsize', 'color')


def font_size(size):
    """Points, from a number or a named size (relative to rcParams['font.size'])."""
    if isinstance(size, str):
        if size not in FONT_SCALINGS:
            raise ValueError('%r is not a valid font size. Valid font sizes are %s.' % (size, ', '.join(FONT_SCALINGS)))
        return FONT_SCALINGS[size] * RC['font.size']
    return float(size)


def _check_text(s):
    s = '' if s is None else str(s)
    dollars = s.count('$') - s.count(r'\$')
    if dollars > 0 and dollars % 2 == 0:
        raise _api.unsupported('mathtext (text between $ signs)')
    if '\n' in s:
        raise _api.unsupported('multi-line text')
    return s


class Text:
    def __init__(self, x, y, text='', fontsize=None, color=None, **kwargs):
        self._x = x
        self._y = y
        self._text = _check_text(text)
        self._fontsize = RC['font.size'] if fontsize is None else font_size(fontsize)
        self._color = RC['text.color'] if color is None else color
        self.update(kwargs)

    def update(self, kwargs):
        props = _api.canonical_properties(kwargs, 'Text')
        _api.check_properties(props, _SUPPORTED, 'Text', lambda name: AttributeError("'Text' object has no property '%s'" % name))
        if 'fontsize' in props:
            self._fontsize = font_size(props['fontsize'])
        if 'color' in props:
            self.set_color(props['color'])

    def __repr__(self):
        return 'Text(%s, %s, %r)' % (self._x, self._y, self._text)

    def __getattr__(self, name):
        raise _api.missing_attribute(self, 'Text', name)

    def get_text(self):
        return self._text

    def set_text(self, s):
        self._text = _check_text(s)

    def get_position(self):
        return (self._x, self._y)

    def get_fontsize(self):
        return self._fontsize

    get_size = get_fontsize

    def set_fontsize(self, size):
        self._fontsize = font_size(size)

    set_size = set_fontsize

    def get_color(self):
        return self._color

    def set_color(self, color):
        if not _colors.is_color_like(color):
            raise ValueError('%r is not a valid value for color' % (color,))
        self._color = color

    def _describe(self):
        color, alpha = _colors.to_hex_alpha(self._color)
        return {'text': self._text, 'fontsize': self._fontsize, 'color': color, 'alpha': alpha}
