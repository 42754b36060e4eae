"""np.loadtxt: numbers from a text file (CSV with `delimiter`), as NumPy reads them: lines
skipped (`skiprows`), comments and blank lines dropped, columns picked (`usecols`), one row or
column squeezed away, `unpack` transposing; NumPy's errors, naming the row and column."""
import os
import warnings

from . import _array as A, _dtype
from ._array import unsupported


def _lines(fname, encoding):
    """The lines of a file name, a file object or a list of strings."""
    if isinstance(fname, (str, bytes, os.PathLike)):
        path = os.fsdecode(fname)
        if path.endswith(('.gz', '.bz2', '.xz')):
            raise unsupported('numpy.loadtxt of compressed files')
        try:
            with open(path, encoding=encoding) as f:
                return f.read().splitlines(), path
        except FileNotFoundError:
            raise FileNotFoundError('%s not found.' % path) from None
    if hasattr(fname, 'read'):
        text = fname.read()
        if isinstance(text, bytes):
            text = text.decode(encoding or 'latin1')
        return text.splitlines(), getattr(fname, 'name', str(fname))
    if isinstance(fname, (list, tuple)) or hasattr(fname, '__iter__'):
        lines = []
        for line in fname:
            lines.append(line.decode(encoding or 'latin1') if isinstance(line, bytes) else str(line))
        return [ln for text in lines for ln in (text.splitlines() or [''])], None
    raise TypeError('fname must be a string, filehandle, list of strings,\nor generator. Got %s instead.' % type(fname))


def _parse_float(text):
    s = text.strip()
    if not s or '_' in s:
        raise ValueError
    return float(s)


def _parse_int(text):
    s = text.strip()
    if not s or '_' in s:
        raise ValueError
    return int(s, 10)


def loadtxt(fname, dtype=float, comments='#', delimiter=None, converters=None, skiprows=0, usecols=None, unpack=False,
            ndmin=0, encoding=None, max_rows=None, *, quotechar=None, like=None):
    if converters is not None:
        raise unsupported('numpy.loadtxt(converters=...)')
    if quotechar is not None:
        raise unsupported('numpy.loadtxt(quotechar=...)')
    if like is not None:
        raise unsupported('numpy.loadtxt(like=...)')
    if ndmin not in (0, 1, 2):
        raise ValueError('Illegal value of ndmin keyword: %s' % ndmin)
    dt = _dtype.resolve(dtype)
    if dt is _dtype.bool_:
        raise unsupported('numpy.loadtxt(dtype=bool)')
    parse = _parse_float if dt.kind == 'f' else _parse_int
    if isinstance(comments, str):
        comments = [comments]
    elif comments is None:
        comments = []
    else:
        comments = list(comments)
    if isinstance(delimiter, bytes):
        delimiter = delimiter.decode('latin1')
    if usecols is not None:
        cols = [usecols] if not isinstance(usecols, (list, tuple)) else list(usecols)
        try:
            cols = [int(c.__index__()) for c in cols]
        except AttributeError:
            raise TypeError('usecols must be an int or a sequence of ints but it contains at least one element of '
                            'type %s' % type(next(c for c in cols if not hasattr(c, '__index__'))).__name__) from None
    else:
        cols = None
    if skiprows < 0:
        raise ValueError('skiprows must be a non-negative integer')

    lines, name = _lines(fname, encoding)
    rows = []
    width = None
    for line in lines[skiprows:]:
        if max_rows is not None and len(rows) >= max_rows:
            break
        for c in comments:
            if c and c in line:
                line = line[:line.index(c)]
        if delimiter is None:
            fields = line.split()
        else:
            if not line.strip():
                continue
            fields = line.split(delimiter)
        if not fields:
            continue
        n = len(fields)
        if cols is not None:
            picked = []
            for c in cols:
                if not -n <= c < n:
                    raise ValueError('invalid column index %d at row %d with %d columns' % (c, len(rows) + 1, n))
                picked.append((c % n, fields[c]))
        else:
            if width is not None and n != width:
                raise ValueError('the number of columns changed from %d to %d at row %d; use `usecols` to select a '
                                 'subset and avoid this error' % (width, n, len(rows) + 1))
            picked = list(enumerate(fields))
        width = n if width is None else width
        values = []
        for column, text in picked:
            try:
                values.append(parse(text))
            except (ValueError, OverflowError):
                raise ValueError('could not convert string %r to %s at row %d, column %d.'
                                 % (text.strip() if delimiter is None else text, dt.name, len(rows), column + 1)) from None
        rows.append(values)

    if not rows:
        warnings.warn('loadtxt: input contained no data: "%s"' % name, UserWarning, stacklevel=2)
        ncols = len(cols) if cols is not None else 0
        shape = (0, ncols) if ncols else (0,)
        result = A.zeros_of(shape if ndmin < 2 or len(shape) == 2 else (0, 0), dt)
    else:
        ncols = len(rows[0])
        flat = [v for row in rows for v in row]
        if dt.kind == 'f':
            values = A._convert_values(flat, {float}, dt)
        else:
            lo, hi = _dtype.INT_RANGE[dt]
            for r, row in enumerate(rows):
                for v in row:
                    if not lo <= v <= hi:
                        raise OverflowError('Python integer %d out of bounds for %s' % (v, dt.name))
            values = flat
        result = A.from_values(values, (len(rows), ncols), dt)
    if ndmin < 2 or result.ndim > 2:
        if result.ndim > ndmin:
            result = result.squeeze()
        if result.ndim < ndmin:
            result = result.reshape((1,) * (ndmin - result.ndim) + result.shape) if ndmin == 1 else result
    if unpack:
        return result.T if result.ndim > 1 else result
    return result
