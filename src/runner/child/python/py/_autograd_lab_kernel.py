"""Autograd Lab's notebook kernel, Python side: runs cells in one namespace as IPython does —
execution counts, the last expression displayed (`;` suppresses it, `_` holds it), `In`/`Out`,
`display()`, `%matplotlib inline` accepted and other magics refused by name, figures shown at
the end of a cell, errors as IPython's tracebacks trimmed to the learner's cells
(`Cell In[3], line 2`). Line probes come from the same `ast` rewrite as scripts."""
import ast
import builtins
import inspect
import json
import linecache
import os
import re
import sys
import traceback
import types

import _autograd_lab_runner as _runner

# IPython's pretty printer breaks a container over lines when it is wider than this.
_WIDTH = 79
# The traceback's header line is this wide (IPython's ultratb).
_HEADER_WIDTH = 75
_TRACEBACK_TITLE = 'Traceback (most recent call last)'
# Lines of a cell shown before and after the failing line.
_CONTEXT = 2

_main = None
_count = 0
_cells = {}  # the code's file name → (cell id, execution count)
_emit = None  # sends a cell output (a dict) to the notebook now
_shown_result = False


class UsageError(Exception):
    """What IPython raises for a magic it cannot run."""


def setup(notebook_dir, user_root, shim_root, host):
    """Once per kernel: the namespace cells share, the working directory, the display hook."""
    global _main
    import time

    def host_sleep(seconds):
        # The host wakes early for an interrupt and takes it: it is raised here, where the cell waits.
        if host.sleep(seconds):
            raise KeyboardInterrupt

    time.sleep = _runner._make_sleep(host_sleep)
    _runner._user_root = os.path.abspath(user_root)
    _runner._shim_root = shim_root
    # The runner's frame walk (where(): graph node locations) counts the cells as the learner's too.
    _runner._is_user_file = _is_user_file
    if notebook_dir not in sys.path:
        sys.path.insert(0, notebook_dir)
    try:
        os.chdir(notebook_dir)
    except OSError:
        pass
    sys.argv = ['']
    _main = types.ModuleType('__main__')
    _main.__builtins__ = builtins
    ns = _main.__dict__
    ns.update({'In': [''], 'Out': {}, '_': '', '__': '', '___': '', 'display': display})
    sys.modules['__main__'] = _main
    sys.displayhook = _displayhook


_runner_is_user_file = _runner._is_user_file


def _is_user_file(path):
    return path in _cells or _runner_is_user_file(path)


def where():
    """The innermost learner frame, cells included, in V8's stack format (graph node locations)."""
    return _runner.where()


# ---------------------------------------------------------------------------- magics

_MAGIC_LINE = re.compile(r'^(\s*)([%!].*)$')
_ASSIGNED_MAGIC = re.compile(r'^\s*[A-Za-z_][\w.]*\s*=\s*([%!].*)$')
_ACCEPTED = re.compile(r'^%matplotlib(\s+inline)?\s*(#.*)?$')


def _without_magics(code):
    """The cell with `%matplotlib inline` blanked (line numbers kept); UsageError naming any
    other magic or shell command."""
    lines = code.split('\n')
    for i, line in enumerate(lines):
        m = _MAGIC_LINE.match(line)
        magic = m.group(2).rstrip() if m else None
        if magic is None:
            a = _ASSIGNED_MAGIC.match(line)
            magic = a.group(1).rstrip() if a else None
        if magic is None:
            continue
        if _ACCEPTED.match(magic):
            lines[i] = ''
            continue
        if magic.startswith('!'):
            raise UsageError('line %d: shell commands (%s) do not run in Autograd Lab\'s Python kernel: it has no shell '
                             'and no pip (torch, numpy and matplotlib are built in).' % (i + 1, magic))
        name = re.match(r'%%?[\w.]*', magic).group(0)
        raise UsageError('line %d: the magic %s does not run in Autograd Lab\'s Python kernel; of the magics it '
                         'accepts only %%matplotlib inline.' % (i + 1, name))
    return '\n'.join(lines)


# ---------------------------------------------------------------------------- display

def _default_repr(obj):
    return type(obj).__repr__ is object.__repr__


def _pretty(obj, depth=0, column=0, trailing=0):
    """IPython's text/plain (IPython.lib.pretty): repr, except that an object without a repr of
    its own is `<module.Class at 0x…>`, a list/tuple/dict/set that does not fit in 79 columns
    (or holds a multi-line item) has an item per line, indented one space per nesting level, and
    the later lines of a multi-line repr are indented to the level they sit at."""
    t = type(obj)
    if t in (list, tuple, set, frozenset, dict):
        return _pretty_container(obj, depth, column, trailing)
    if _default_repr(obj):
        name = t.__qualname__ if t.__module__ == 'builtins' else '%s.%s' % (t.__module__, t.__qualname__)
        return '<%s at 0x%x>' % (name, id(obj))
    return ('\n' + ' ' * depth).join(repr(obj).split('\n'))


def _pretty_container(obj, depth, column, trailing):
    t = type(obj)
    if t is dict:
        opening, closing = '{', '}'
        entries = list(obj.items())
    else:
        if t in (set, frozenset):
            try:
                values = sorted(obj)
            except Exception:  # noqa: BLE001 - unorderable items keep the set's order
                values = list(obj)
        else:
            values = list(obj)
        entries = [(None, v) for v in values]
        if t is list:
            opening, closing = '[', ']'
        elif t is tuple:
            opening, closing = '(', ',)' if len(values) == 1 else ')'
        elif not values:
            return '%s()' % t.__name__
        else:
            opening, closing = ('{', '}') if t is set else ('frozenset({', '})')
    if not entries:
        return opening + closing

    def items(broken):
        out = []
        at = column + len(opening)
        for i, (key, value) in enumerate(entries):
            last = i == len(entries) - 1
            after = len(closing) + trailing if last else 1
            if broken and i > 0:
                at = depth + 1
            prefix = ''
            if key is not None:
                prefix = _pretty(key, depth + 1, at, 2) + ': '
            text = prefix + _pretty(value, depth + 1, at + len(prefix), after)
            out.append(text)
            at += len(text) + 2
        return out

    flat = opening + ', '.join(items(False)) + closing
    if '\n' not in flat and column + len(flat) + trailing <= _WIDTH:
        return flat
    return opening + (',\n' + ' ' * (depth + 1)).join(items(True)) + closing


def _bundle(obj):
    return {'text/plain': _pretty(obj)}


def display(*objs, **kwargs):
    """IPython's display(): each object under the cell (a figure drawn as an image)."""
    from_figure = sys.modules.get('matplotlib.figure')
    for obj in objs:
        if from_figure is not None and isinstance(obj, from_figure.Figure):
            from matplotlib import _render
            _render.show(obj)
            continue
        _emit({'kind': 'display', 'data': _bundle(obj)})


def _displayhook(value):
    global _shown_result
    if value is None:
        return
    ns = _main.__dict__
    ns['___'], ns['__'], ns['_'] = ns.get('__', ''), ns.get('_', ''), value
    ns['_%d' % _count] = value
    ns['Out'][_count] = value
    _shown_result = True
    _emit({'kind': 'result', 'executionCount': _count, 'data': _bundle(value)})


def _suppressed(code):
    """IPython's rule: a cell whose last line of code ends with `;` displays nothing."""
    for line in reversed(code.rstrip().split('\n')):
        text = line.split('#', 1)[0].rstrip() if '#' in line and not ('"' in line or "'" in line) else line.rstrip()
        if text:
            return text.endswith(';')
    return False


def _show_figures():
    """As the inline backend at the end of a cell: the open figures shown, then closed."""
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is not None and plt.get_fignums():
        plt.show()


# ---------------------------------------------------------------------------- errors

def _cell_name(filename):
    cell = _cells.get(filename)
    return 'Cell In[%d]' % cell[1] if cell else 'File %s' % filename


def _source_lines(code, lineno):
    """The failing line with up to two lines either side, as IPython shows them: within the
    function the frame is in (dedented as one), or anywhere in a cell's top-level code."""
    lines = linecache.getlines(code.co_filename)
    first, last = max(1, lineno - _CONTEXT), min(len(lines), lineno + _CONTEXT)
    if code.co_name != '<module>':
        ends = [end for _, _, end in code.co_lines() if end is not None]
        first = max(first, code.co_firstlineno)
        last = min(last, max(ends, default=lineno))
    shown = [lines[n - 1].rstrip('\n') for n in range(first, last + 1)]
    if code.co_name != '<module>':
        indents = [len(t) - len(t.lstrip()) for t in shown if t.strip()]
        cut = min(indents, default=0)
        shown = [t[cut:] for t in shown]
    width = len(str(last))
    return ['%s %*d %s' % ('---->' if n == lineno else '     ', width, n, text) for n, text in zip(range(first, last + 1), shown)]


def _frame_block(frame, lineno):
    code = frame.f_code
    head = '%s, line %d' % (_cell_name(code.co_filename), lineno) if code.co_filename in _cells \
        else 'File %s:%d' % (code.co_filename, lineno)
    if code.co_name != '<module>':
        head += ', in %s(%s)' % (code.co_qualname, ', '.join(_parameters(code)))
    return '\n'.join([head] + _source_lines(code, lineno)) + '\n'


def _parameters(code):
    """A function's parameters as IPython lists them: named ones, then *args, then **kwargs."""
    named = code.co_argcount + code.co_kwonlyargcount
    params = list(code.co_varnames[:named])
    if code.co_flags & inspect.CO_VARARGS:
        params.append('*' + code.co_varnames[named])
        named += 1
    if code.co_flags & inspect.CO_VARKEYWORDS:
        params.append('**' + code.co_varnames[named])
    return params


def _header(name):
    return '%s%s%s' % (name, ' ' * max(1, _HEADER_WIDTH - len(name) - len(_TRACEBACK_TITLE)), _TRACEBACK_TITLE)


def _error(exc):
    """The cell's exception as IPython's error output, and as a run's ScriptError."""
    if isinstance(exc, SystemExit):
        message = '' if exc.code is None else str(exc.code)
        return ({'kind': 'error', 'ename': 'SystemExit', 'evalue': message,
                 'traceback': ['An exception has occurred, use %tb to see the full traceback.\n',
                               'SystemExit: %s\n' % message]},
                {'name': 'SystemExit', 'message': message, 'stack': 'SystemExit: %s' % message})
    name, message = _runner._error_name(exc)
    try:
        notes = [_runner._text(n) for n in getattr(exc, '__notes__', None) or []]
    except BaseException:  # noqa: BLE001 - __notes__ that is not a list
        notes = []
    last_line = '%s: %s' % (name, message)
    location = None
    if isinstance(exc, UsageError):
        # IPython answers a magic it cannot run with the message alone.
        traceback_lines = [last_line]
    elif isinstance(exc, SyntaxError) and exc.filename in _cells:
        lineno = exc.lineno or 1
        blocks = ['  %s, line %d\n' % (_cell_name(exc.filename), lineno)]
        if exc.text:
            text = exc.text.rstrip('\n')
            stripped = text.lstrip()
            blocks[0] += '    %s\n' % stripped
            if exc.offset:
                blocks[0] += '    %s^\n' % (' ' * max(0, exc.offset - 1 - (len(text) - len(stripped))))
        message = exc.msg
        last_line = '%s: %s' % (name, message)
        traceback_lines = [blocks[0] + last_line + '\n'] + notes
        location = {'file': _cells[exc.filename][0], 'line': lineno, 'column': exc.offset or 1}
    else:
        blocks = []
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if _is_user_file(frame.f_code.co_filename):
                blocks.append(_frame_block(frame, lineno))
                cell = _cells.get(frame.f_code.co_filename)
                location = {'file': cell[0] if cell else frame.f_code.co_filename, 'line': lineno, 'column': 1}
        traceback_lines = ['-' * _HEADER_WIDTH, _header(name)] + blocks + [last_line] + notes
    evalue = '\n'.join([message] + notes) if notes else message
    output = {'kind': 'error', 'ename': name, 'evalue': evalue, 'traceback': traceback_lines}
    script_error = {'name': name, 'message': evalue, 'stack': '\n'.join(traceback_lines)}
    if location:
        script_error['location'] = location
    return output, script_error


def _safe_error(exc):
    try:
        return _error(exc)
    except BaseException:  # noqa: BLE001 - the learner's exception can be anything
        name = type(exc).__name__
        return ({'kind': 'error', 'ename': name, 'evalue': _runner._STR_FAILED, 'traceback': [name]},
                {'name': name, 'message': _runner._STR_FAILED, 'stack': name})


# ---------------------------------------------------------------------------- cells

def _compile_cell(code, cell_id, filename, probes):
    """The cell's code objects: the statements, then the last expression (displayed) if any."""
    source = _without_magics(code)
    tree = ast.parse(source, filename)
    probe = None
    if probes:
        tree, probe = _runner._instrument(tree, cell_id)
    _main.__dict__['_agl_probe'] = probe if probe is not None else (lambda i, v: v)
    body = tree.body
    last = None
    if body and isinstance(body[-1], ast.Expr) and not _suppressed(code):
        last = body.pop()
    parts = [compile(ast.Module(body=body, type_ignores=[]), filename, 'exec')]
    if last is not None:
        parts.append(compile(ast.Interactive(body=[last]), filename, 'single'))
    return parts


def _run_parts(code, cell_id, filename, probes):
    for part in _compile_cell(code, cell_id, filename, probes):
        exec(part, _main.__dict__)


def run_cell(code, cell_id, filename, probes, emit):
    """Runs one cell; outputs go to `emit` as they happen. JSON: executionCount, status and,
    for an error, the run's ScriptError."""
    global _count, _emit, _shown_result
    if not code.strip():
        return json.dumps({'executionCount': _count, 'status': 'ok'})
    _count += 1
    _emit = lambda output: emit(json.dumps(output, allow_nan=True))  # noqa: E731
    _shown_result = False
    _cells[filename] = (cell_id, _count)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    _main.__dict__['In'].append(code)
    _main.__dict__['_i%d' % _count] = code
    status, error = 'ok', None
    # The cell, then (as IPython's inline backend does after the cell, even one that failed) its
    # figures: an error while drawing them is the cell's error.
    for step in (lambda: _run_parts(code, cell_id, filename, probes), _show_figures):
        try:
            step()
        except BaseException as e:  # noqa: BLE001 - everything the cell raises is reported
            _flush_std()
            if error is None:
                status = 'interrupted' if isinstance(e, KeyboardInterrupt) else 'error'
                output, error = _safe_error(e)
                _emit(output)
        finally:
            _flush_std()
    result = {'executionCount': _count, 'status': status}
    if error is not None:
        result['error'] = error
    return json.dumps(result)


def _flush_std():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
