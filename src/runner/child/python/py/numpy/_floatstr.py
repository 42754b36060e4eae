"""Decimal strings of binary floats as NumPy writes them (its Dragon4 printer): the shortest
digits that read back as the same float32 or float64, or the value rounded at a given digit.

Python's repr already gives the shortest float64 digits. float32 has no such printer in Python,
so its digits are searched: the fewest significant digits whose decimal lies inside the value's
rounding interval (half-way to each float32 neighbour), the nearest such decimal when several do.
Rounding at a digit is always of the exact binary value, half to even, which is what '%.*e' and
'%.*f' do."""
import math
import struct

_PACK = struct.Struct('<f')
_BITS = struct.Struct('<I')


def f32(x):
    """x rounded to the nearest float32 (as a Python float)."""
    try:
        return _PACK.unpack(_PACK.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _f32_neighbours(x):
    """The float32 values below and above the positive float32 x."""
    bits = _BITS.unpack(_PACK.pack(x))[0]
    below = _PACK.unpack(_BITS.pack(bits - 1))[0] if bits > 0 else -_PACK.unpack(_BITS.pack(1))[0]
    above = _PACK.unpack(_BITS.pack(bits + 1))[0]
    return below, above


def _reads_as_f32(text, x, low_mid, high_mid, even):
    """Whether the decimal `text` rounds to the float32 x (x > 0), whose rounding interval runs
    from low_mid to high_mid (both exact doubles; the ends belong to x when its mantissa is even)."""
    d = float(text)
    if low_mid < d < high_mid:
        return True
    if d == low_mid or d == high_mid:
        # float(text) may have rounded onto the midpoint: decide on the exact decimal.
        from fractions import Fraction
        exact = Fraction(text)
        mid = Fraction(d)
        if exact == mid:
            return even
        return (exact > mid) == (d == low_mid)
    return False


def shortest_digits(x, is32):
    """(digits, exponent) of the shortest decimal that reads back as x: x ≈ d.ddd × 10**exponent.
    x is finite and positive."""
    if not is32:
        mantissa, _, exp = ('%r' % x).partition('e')
        if exp:
            whole, _, frac = mantissa.partition('.')
            digits = (whole + frac).rstrip('0') or '0'
            return digits, int(exp)
        whole, _, frac = mantissa.partition('.')
        if whole != '0':
            digits = (whole + frac).rstrip('0')
            return digits, len(whole) - 1
        stripped = frac.lstrip('0')
        return stripped.rstrip('0'), -(len(frac) - len(stripped)) - 1
    below, above = _f32_neighbours(x)
    low_mid = (below + x) / 2
    # above the largest float32 the interval reaches as far (where rounding would give inf)
    high_mid = (x + above) / 2 if above != math.inf else x + (x - below) / 2
    even = (_BITS.unpack(_PACK.pack(x))[0] & 1) == 0
    for sig in range(1, 10):
        nearest = '%.*e' % (sig - 1, x)
        candidates = [nearest]
        mantissa, _, exp = nearest.partition('e')
        # At a power of two the interval is lopsided: a decimal one step up may fit when the
        # nearest one (below x) does not.
        step = int(mantissa.replace('.', '')) + 1
        up = str(step)
        if len(up) == sig:
            candidates.append('%s.%se%s' % (up[0], up[1:], exp) if sig > 1 else '%se%s' % (up, exp))
        found = [c for c in candidates if _reads_as_f32(c, x, low_mid, high_mid, even)]
        if found:
            best = min(found, key=lambda c: abs(float(c) - x))
            mantissa, _, exp = best.partition('e')
            digits = mantissa.replace('.', '').rstrip('0') or '0'
            return digits, int(exp)
    raise AssertionError('no float32 has more than 9 significant digits')


def _trimmed(digits_text, trim):
    """Trailing zeros of the fraction removed as `trim` says: 'k' keeps them, '.' keeps the
    point, '0' keeps one zero after it, '-' drops the point too."""
    if trim == 'k' or '.' not in digits_text:
        return digits_text
    whole, _, frac = digits_text.partition('.')
    frac = frac.rstrip('0')
    if frac:
        return whole + '.' + frac
    if trim == '.':
        return whole + '.'
    if trim == '0':
        return whole + '.0'
    return whole


def _repr_positional(a, precision):
    """float64's shortest digits written positionally, from Python's repr when it writes them
    so ('1.5', '100.'); None when repr uses an exponent or the digits pass the precision."""
    r = repr(a)
    if 'e' in r:
        return None
    whole, _, frac = r.partition('.')
    if frac == '0':
        return whole + '.'
    if 0 <= precision < len(frac):
        return None
    return r


def positional(x, is32, precision=-1, unique=True, min_digits=-1, trim='.', sign=False, pad_left=-1, pad_right=-1):
    """NumPy's dragon4_positional for a finite value (precision counts fraction digits)."""
    negative = math.copysign(1.0, x) < 0
    a = abs(x)
    fast = None if is32 or not unique or min_digits > 0 else _repr_positional(a, precision)
    if fast is not None:
        text = fast
    elif unique:
        if a == 0:
            digits, exp = '0', 0
        else:
            digits, exp = shortest_digits(a, is32)
        frac_needed = max(0, len(digits) - 1 - exp)
        if precision >= 0 and frac_needed > precision:
            text = '%.*f' % (precision, a)
        elif min_digits > frac_needed:
            text = '%.*f' % (min_digits, a)
        else:
            text = _from_digits(digits, exp)
            if '.' not in text:
                text += '.'
    else:
        text = '%.*f' % (precision, a)
        if '.' not in text:
            text += '.'
    if '.' not in text:
        text += '.'
    text = _trimmed(text, trim)
    if min_digits > 0 and trim != 'k':
        whole, _, frac = text.partition('.')
        if len(frac) < min_digits:
            text = whole + '.' + frac + '0' * (min_digits - len(frac))
    if negative:
        text = '-' + text
    elif sign:
        text = '+' + text
    if pad_left >= 0 or pad_right >= 0:
        whole, point, frac = text.partition('.')
        if pad_left > len(whole):
            text = ' ' * (pad_left - len(whole)) + text
        if pad_right > len(frac):
            text += ' ' * (pad_right - len(frac))
    return text


def _from_digits(digits, exp):
    """d.ddd × 10**exp written positionally, without trailing zeros after the point."""
    if exp >= len(digits) - 1:
        return digits + '0' * (exp - len(digits) + 1) + '.'
    if exp >= 0:
        return digits[:exp + 1] + '.' + digits[exp + 1:]
    return '0.' + '0' * (-exp - 1) + digits


def scientific(x, is32, precision=-1, unique=True, min_digits=-1, trim='.', sign=False, pad_left=-1, exp_digits=-1):
    """NumPy's dragon4_scientific for a finite value (precision counts digits after the point)."""
    negative = math.copysign(1.0, x) < 0
    a = abs(x)
    if unique:
        if a == 0:
            digits, exp = '0', 0
        else:
            digits, exp = shortest_digits(a, is32)
        if precision >= 0 and len(digits) - 1 > precision:
            digits, exp = _rounded_sig(a, precision + 1)
        elif min_digits > len(digits) - 1:
            digits, exp = _rounded_sig(a, min_digits + 1)
    else:
        digits, exp = _rounded_sig(a, precision + 1)
    mantissa = digits[0] + '.' + digits[1:]
    mantissa = _trimmed(mantissa, trim)
    if min_digits > 0 and trim != 'k':
        whole, _, frac = mantissa.partition('.')
        if len(frac) < min_digits:
            mantissa = whole + '.' + frac + '0' * (min_digits - len(frac))
    width = max(2, exp_digits)
    text = '%se%s%0*d' % (mantissa, '-' if exp < 0 else '+', width, abs(exp))
    if negative:
        text = '-' + text
    elif sign:
        text = '+' + text
    if pad_left >= 0:
        whole = text.partition('.')[0]
        if pad_left > len(whole):
            text = ' ' * (pad_left - len(whole)) + text
    return text


def _rounded_sig(a, sig):
    """(digits, exponent) of a rounded to `sig` significant digits (zeros kept)."""
    mantissa, _, exp = ('%.*e' % (sig - 1, a)).partition('e')
    return mantissa.replace('.', ''), int(exp)


def scalar_str(x, is32):
    """str() of a NumPy float scalar: shortest digits, positional from 1e-4 up to 1e16 (1e6 for
    float32, as since NumPy 2.3; the exact value decides), else scientific; Python's repr style."""
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    a = abs(x)
    if a == 0 or 1e-4 <= a < (1e6 if is32 else 1e16):
        return positional(x, is32, trim='0')
    return scientific(x, is32, trim='-').replace('.e', 'e')
