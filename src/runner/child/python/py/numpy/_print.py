"""NumPy's printing of arrays: the print options, the element formats (one width for every
element, scientific notation chosen for the whole array) and the layout (nested brackets,
lines wrapped at the line width, `...` for arrays above the threshold). Works on plain Python
values: the array hands over the elements to show (all of them, or the corners of a large
array) as nested lists, with its shape and dtype."""
import contextlib
import math
import operator

from . import _floatstr

_DEFAULTS = {
    'edgeitems': 3, 'threshold': 1000, 'floatmode': 'maxprec', 'precision': 8, 'suppress': False,
    'linewidth': 75, 'nanstr': 'nan', 'infstr': 'inf', 'sign': '-', 'formatter': None, 'legacy': False,
    'override_repr': None,
}
_options = dict(_DEFAULTS)
_FLOATMODES = ('fixed', 'unique', 'maxprec', 'maxprec_equal')


def _unsupported(what):
    return NotImplementedError('%s is not supported by Autograd Lab yet' % what)


def _checked(precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None, nanstr=None,
             infstr=None, formatter=None, sign=None, floatmode=None, legacy=None, override_repr=None):
    """The options given (not None), checked as NumPy checks them."""
    given = {k: v for k, v in locals().items() if v is not None}
    if formatter is not None:
        raise _unsupported('numpy.set_printoptions(formatter=...)')
    if override_repr is not None:
        raise _unsupported('numpy.set_printoptions(override_repr=...)')
    if legacy is not None and legacy is not False:
        raise _unsupported('numpy.set_printoptions(legacy=%r)' % (legacy,))
    if floatmode is not None and floatmode not in _FLOATMODES:
        raise ValueError('floatmode option must be one of ' + ', '.join('"%s"' % m for m in _FLOATMODES))
    if sign is not None and sign not in ('-', '+', ' '):
        raise ValueError("sign option must be one of ' ', '+', or '-'")
    if threshold is not None:
        if not isinstance(threshold, (int, float)) and not hasattr(threshold, '__float__'):
            raise TypeError('threshold must be numeric')
        if math.isnan(float(threshold)):
            raise ValueError('threshold must be non-NAN, try sys.maxsize for untruncated representation')
    if precision is not None:
        try:
            given['precision'] = operator.index(precision)
        except TypeError:
            raise TypeError('precision must be an integer') from None
    if suppress is not None:
        given['suppress'] = bool(suppress)
    return given


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None, nanstr=None,
                     infstr=None, formatter=None, sign=None, floatmode=None, *, legacy=None, override_repr=None):
    _options.update(_checked(precision, threshold, edgeitems, linewidth, suppress, nanstr, infstr, formatter, sign,
                             floatmode, legacy, override_repr))


def get_printoptions():
    return dict(_options)


@contextlib.contextmanager
def printoptions(*args, **kwargs):
    saved = dict(_options)
    try:
        set_printoptions(*args, **kwargs)
        yield get_printoptions()
    finally:
        _options.clear()
        _options.update(saved)


# ------------------------------------------------------------------ element formats

def _key(v):
    """A float as a dict key that tells -0.0 from 0.0."""
    return (v, math.copysign(1.0, v)) if v == 0 else v


class _FloatFormat:
    """One format for every float of an array: positional or scientific for all, the same
    number of places left and right of the point."""

    def __init__(self, values, is32, opts):
        self.is32 = is32
        self.mode = opts['floatmode']
        self.precision = -1 if self.mode == 'unique' else opts['precision']
        self.sign = opts['sign']
        self.nanstr = opts['nanstr']
        self.infstr = opts['infstr']
        finite = [v for v in values if math.isfinite(v)]
        self.exp = self._scientific(finite, opts['suppress'])
        plus = self.sign == '+'
        fixed = self.mode == 'fixed'
        trim = 'k' if fixed else '.'
        self.unique = not fixed
        self._first = {}
        if not finite:
            self.pad_left = self.pad_right = 0
            self.trim = '.'
            self.exp_size = -1
            self.min_digits = -1
        elif self.exp:
            parts = [_floatstr.scientific(v, is32, self.precision, self.unique, -1, trim, plus) for v in finite]
            self._first = {_key(v): s for v, s in zip(finite, parts)}
            mantissas = [p.partition('e')[0] for p in parts]
            self.exp_size = max(len(p.partition('e')[2]) for p in parts) - 1
            self.precision = self.min_digits = max(len(m.partition('.')[2]) for m in mantissas)
            self.trim = 'k'
            self.pad_left = max(len(m.partition('.')[0]) for m in mantissas)
            self.pad_right = self.exp_size + 2 + self.precision
        else:
            parts = [_floatstr.positional(v, is32, self.precision, self.unique, -1, trim, plus) for v in finite]
            self._first = {_key(v): s for v, s in zip(finite, parts)}
            self.pad_left = max(len(p.partition('.')[0]) for p in parts)
            self.pad_right = max(len(p.partition('.')[2]) for p in parts)
            self.exp_size = -1
            if self.mode in ('fixed', 'maxprec_equal'):
                self.precision = self.min_digits = self.pad_right
                self.trim = 'k'
            else:
                self.trim = '.'
                self.min_digits = 0
        if self.sign == ' ' and not any(math.copysign(1.0, v) < 0 for v in finite):
            self.pad_left += 1
        if len(finite) != len(values):
            neginf = self.sign != '-' or any(v == -math.inf for v in values)
            offset = self.pad_right + 1
            self.pad_left = max(self.pad_left, len(self.nanstr) - offset, len(self.infstr) + neginf - offset)

    def _scientific(self, finite, suppress):
        """Scientific notation for the whole array when its nonzero magnitudes are too large,
        too small or too far apart. The comparisons happen in the array's own precision (a
        Python float is cast to float32 for a float32 array), and float32 switches at 1e6."""
        mags = [abs(v) for v in finite if v != 0]
        if not mags:
            return False
        largest, smallest = max(mags), min(mags)
        if self.is32:
            r = _floatstr.f32
            return largest >= 1e6 or (not suppress and (smallest < r(1e-4) or r(largest / smallest) > 1000.0))
        return largest >= 1e8 or (not suppress and (smallest < 1e-4 or largest / smallest > 1000.0))

    def __call__(self, v):
        if not math.isfinite(v):
            if v != v:
                text = ('+' if self.sign == '+' else '') + self.nanstr
            else:
                text = ('-' if v < 0 else '+' if self.sign == '+' else '') + self.infstr
            return ' ' * (self.pad_left + self.pad_right + 1 - len(text)) + text
        plus = self.sign == '+'
        first = self._first.get(_key(v)) if self.unique else None
        if self.exp:
            # the first pass wrote the value with the digits it needs; when that is all the digits
            # every value gets, only the padding is left to add
            if first is not None:
                mantissa, _, exp = first.partition('e')
                whole, _, frac = mantissa.partition('.')
                if len(frac) == self.precision and len(exp) - 1 == self.exp_size:
                    return ' ' * (self.pad_left - len(whole)) + first
            return _floatstr.scientific(v, self.is32, self.precision, self.unique, self.min_digits, self.trim, plus,
                                        self.pad_left, self.exp_size)
        if first is not None and self.trim == '.' and self.min_digits <= 0:
            whole, _, frac = first.partition('.')
            return ' ' * (self.pad_left - len(whole)) + first + ' ' * (self.pad_right - len(frac))
        return _floatstr.positional(v, self.is32, self.precision, self.unique, self.min_digits, self.trim, plus,
                                    self.pad_left, self.pad_right)


class _IntFormat:
    def __init__(self, values, opts):
        sign = opts['sign']
        if values:
            hi, lo = max(values), min(values)
            width = len(str(hi))
            if sign == ' ' and lo < 0:
                sign = '-'
            if hi >= 0 and sign in '+ ':
                width += 1
            width = max(width, len(str(lo)))
        else:
            width = 0
        self.spec = '%s%d' % (sign, width)

    def __call__(self, v):
        return format(v, self.spec)


class _BoolFormat:
    def __init__(self, zero_dim):
        # ' True' lines up with 'False', except alone in a 0-d array
        self.true = 'True' if zero_dim else ' True'

    def __call__(self, v):
        return self.true if v else 'False'


def _flat(nested, depth):
    if depth == 0:
        return [nested]
    out = []
    for item in nested:
        out.extend(_flat(item, depth - 1))
    return out


def _element_format(nested, shape, kind, is32, opts):
    values = _flat(nested, len(shape))
    if kind == 'f':
        return _FloatFormat(values, is32, opts)
    if kind == 'b':
        return _BoolFormat(shape == ())
    return _IntFormat(values, opts)


# ------------------------------------------------------------------ layout

def _add_word(text, line, word, width, indent):
    """Appends `word` to the line, first starting a new line when it would pass `width` (unless
    the line holds nothing but its indent, where a new line would not help)."""
    if len(line) + len(word) > width and len(line) > len(indent):
        text += line.rstrip() + '\n'
        line = indent
    return text, line + word


def _layout(nested, shape, fmt, width, indent, separator, edge, summarize):
    """The bracketed text of one (sub)array; `shape` is its true shape, `nested` the values kept."""
    if not shape:
        return fmt(nested)
    n = shape[0]
    inner_indent = indent + ' '
    inner_width = width - 1  # room for the closing bracket
    cut = summarize and 2 * edge < n
    head = range(edge) if cut else range(0)
    tail = range(edge, 0, -1) if cut else range(n, 0, -1)
    kept = len(nested)

    def part(i):
        return _layout(nested[i if i >= 0 else kept + i], shape[1:], fmt, inner_width, inner_indent, separator, edge, summarize)

    if len(shape) == 1:
        # a row: its elements are single words
        words = [fmt(v) for v in nested]
        elem_width = width - max(len(separator.rstrip()), 1)
        text, line = '', indent
        for i in head:
            text, line = _add_word(text, line, words[i], elem_width, indent)
            line += separator
        if cut:
            text, line = _add_word(text, line, '...', elem_width, indent)
            line += separator
        for i in tail:
            text, line = _add_word(text, line, words[kept - i], elem_width, indent)
            if i > 1:
                line += separator
        text += line
    else:
        rows_sep = separator.rstrip() + '\n' * (len(shape) - 1)
        text = ''
        for i in head:
            text += indent + part(i) + rows_sep
        if cut:
            text += indent + '...' + rows_sep
        for i in tail:
            text += indent + part(-i) + (rows_sep if i > 1 else '')
    return '[' + text[len(indent):] + ']'


def array2string_of(nested, shape, size, kind, is32, separator=' ', prefix='', suffix='', **overrides):
    """array2string for an array whose shown values are `nested` (its corners when size is
    above the threshold, else everything)."""
    opts = dict(_options)
    opts.update(_checked(**overrides))
    if size == 0:
        return '[]'
    width = opts['linewidth'] - len(suffix)
    summarize = size > opts['threshold']
    fmt = _element_format(nested, shape, kind, is32, opts)
    return _layout(nested, shape, fmt, width, ' ' + ' ' * len(prefix), separator, opts['edgeitems'], summarize)


_IMPLIED = ('float64', 'int64', 'bool')


def array_repr_of(nested, shape, size, kind, is32, dtype_name, max_line_width=None, precision=None, suppress_small=None):
    """repr() of an array: `array(...)`, with the dtype when the values don't imply it and the
    shape when they don't show it (empty, or summarized)."""
    overrides = {}
    if max_line_width is not None:
        overrides['linewidth'] = max_line_width
    if precision is not None:
        overrides['precision'] = precision
    if suppress_small is not None:
        overrides['suppress'] = suppress_small
    width = overrides.get('linewidth', _options['linewidth'])
    prefix = 'array('
    body = array2string_of(nested, shape, size, kind, is32, ', ', prefix, ')', **overrides)
    extras = []
    if (size == 0 and tuple(shape) != (0,)) or size > _options['threshold']:
        extras.append('shape=%r' % (tuple(shape),))
    if dtype_name not in _IMPLIED or size == 0:
        extras.append('dtype=%s' % dtype_name)
    if not extras:
        return prefix + body + ')'
    text = prefix + body + ','
    last_line = len(text) - (text.rfind('\n') + 1)
    tail = ', '.join(extras) + ')'
    spacer = '\n' + ' ' * len(prefix) if last_line + len(tail) + 1 > width else ' '
    return text + spacer + tail
