"""Colour specifications as matplotlib reads them (matplotlib.colors.to_rgba's rules)."""
import re

from matplotlib._matplotlib_facts import COLORS, CYCLE

_HEX = re.compile(r'#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$')


def to_rgba(c, alpha=None):
    """(r, g, b, a) floats in 0..1, or ValueError naming what is not a colour."""
    rgba = _to_rgba(c)
    if rgba is None:
        raise ValueError('Invalid RGBA argument: %r' % (c,))
    if alpha is not None:
        if not 0 <= alpha <= 1:
            raise ValueError("'alpha' must be between 0 and 1, inclusive")
        rgba = rgba[:3] + (float(alpha),)
    return rgba


def is_color_like(c):
    try:
        return _to_rgba(c) is not None
    except (TypeError, ValueError):
        return False


def _to_rgba(c):
    if isinstance(c, str):
        if c.lower() == 'none':
            return (0.0, 0.0, 0.0, 0.0)
        m = re.fullmatch(r'C(\d+)', c)
        if m:
            return _hex(CYCLE[int(m.group(1)) % len(CYCLE)])
        named = COLORS.get(c)
        if named is None and len(c) != 1:
            named = COLORS.get(c.lower())
        if named is not None:
            # matplotlib keeps the base colours ('k', 'r', ...) as RGB tuples and appends an int alpha
            return _hex(named)[:3] + (1,) if len(c) == 1 else _hex(named)
        if _HEX.match(c):
            return _hex(c)
        try:
            gray = float(c)
        except ValueError:
            return None
        if not 0 <= gray <= 1:
            raise ValueError('Invalid string grayscale value %r. Value must be within 0-1 range' % c)
        return (gray, gray, gray, 1.0)
    if isinstance(c, (tuple, list)) and len(c) in (3, 4) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in c):
        values = tuple(float(v) for v in c)
        if any(not 0 <= v <= 1 for v in values):
            raise ValueError('RGBA values should be within 0-1 range')
        return values if len(values) == 4 else values + (1.0,)
    return None


def _hex(text):
    digits = text[1:]
    if len(digits) in (3, 4):
        digits = ''.join(d * 2 for d in digits)
    values = [int(digits[i:i + 2], 16) / 255 for i in range(0, len(digits), 2)]
    return tuple(values) if len(values) == 4 else tuple(values) + (1.0,)


def to_hex_alpha(c, alpha=None):
    """What the renderer draws with: '#rrggbb' and an opacity."""
    r, g, b, a = to_rgba(c, alpha)
    return '#%02x%02x%02x' % (round(r * 255), round(g * 255), round(b * 255)), a
