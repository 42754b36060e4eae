"""Autograd Lab's Python runner: compiles the learner's script with line probes (an `ast`
rewrite that keeps every line number), runs it as __main__, and describes an uncaught
exception as a ScriptError (JSON) with the traceback trimmed to the learner's frames."""
import ast
import json
import operator
import os
import sys
import time
import traceback
import types

# CPython shows a frame repeated more than this many times in a row once per repeat up to it,
# then `[Previous line repeated N more times]` (traceback._RECURSIVE_CUTOFF).
_RECURSIVE_CUTOFF = 3
# What CPython shows for an exception whose str() raises.
_STR_FAILED = '<exception str() failed>'
# The longest sleep CPython takes: its clock counts nanoseconds in a signed 64-bit integer.
_MAX_SLEEP_SECONDS = (2 ** 63 - 1) // 10 ** 9

_user_root = None
_shim_root = None


def _is_user_file(path):
    if not path or path.startswith('<') or _user_root is None:
        return False
    if _shim_root and path.startswith(_shim_root):
        return False
    if '/site-packages/' in path or '/lib/python' in path:
        return False
    return path == _user_root or path.startswith(_user_root.rstrip('/') + '/')


def _probeable(node):
    """False for values that can't be a scalar (a literal, a lambda, a container display)."""
    if isinstance(node, (ast.Constant, ast.Lambda, ast.List, ast.Tuple, ast.Dict, ast.Set,
                         ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.JoinedStr)):
        return False
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return False
    return True


class _Instrument(ast.NodeTransformer):
    """`NAME = expr` → `NAME = _agl_probe(id, expr)`; `NAME += expr` gets a probe call after it
    on the same line. Nothing else changes, so line numbers (and tracebacks) stay right."""

    def __init__(self):
        self.sites = []

    def _site(self, target):
        site = len(self.sites)
        self.sites.append({'id': site, 'line': target.lineno, 'column': target.col_offset + 1, 'name': target.id})
        return site

    def _call(self, site, value, like):
        call = ast.Call(func=ast.Name(id='_agl_probe', ctx=ast.Load()),
                        args=[ast.Constant(value=site), value], keywords=[])
        ast.copy_location(call, like)
        return call

    def visit_Assign(self, node):
        self.generic_visit(node)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and _probeable(node.value):
            node.value = self._call(self._site(node.targets[0]), node.value, node.value)
        return node

    def visit_AnnAssign(self, node):
        self.generic_visit(node)
        if node.value is not None and isinstance(node.target, ast.Name) and _probeable(node.value):
            node.value = self._call(self._site(node.target), node.value, node.value)
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            site = self._site(node.target)
            load = ast.copy_location(ast.Name(id=node.target.id, ctx=ast.Load()), node.target)
            after = ast.copy_location(ast.Expr(value=self._call(site, load, node)), node)
            return [node, after]
        return node


def _make_probe(js_probe):
    import torch
    from torch import Tensor
    from torch.nn import Module
    named = set()

    def probe(i, v):
        tp = type(v)
        if tp is Tensor or tp is torch.nn.Parameter:
            js_probe(i, v._t)
        elif tp is float or tp is int:
            js_probe(i, v)
        elif isinstance(v, Module) and id(v) not in named:
            named.add(id(v))
            for name, p in v.named_parameters():
                torch._name_tensor(p, '%s.%s' % (_target_name(i), name))
        return v

    sites = {}

    def _target_name(i):
        return sites.get(i, 'model')

    probe._sites = sites
    return probe


def _instrument(tree, path):
    import _agl_js
    inst = _Instrument()
    tree = inst.visit(tree)
    ast.fix_missing_locations(tree)
    if not inst.sites:
        return tree, None
    js_probe = _agl_js.probeFile(path, json.dumps(inst.sites))
    if js_probe is None:
        return tree, None
    probe = _make_probe(js_probe)
    probe._sites.update({s['id']: s['name'] for s in inst.sites})
    return tree, probe


def where():
    """The innermost learner frame, in V8's stack format (for graph node locations)."""
    f = sys._getframe(1)
    while f is not None:
        code = f.f_code
        if _is_user_file(code.co_filename):
            line, col = f.f_lineno, 1
            try:
                pos = list(code.co_positions())[f.f_lasti // 2]
                if pos[0] is not None:
                    line = pos[0]
                if pos[2] is not None:
                    col = pos[2] + 1
            except Exception:
                pass
            name = '<module>' if code.co_name == '<module>' else code.co_name
            return '    at %s (%s:%d:%d)' % (name, code.co_filename, line, col)
        f = f.f_back
    return ''


def _make_sleep(host_sleep):
    """time.sleep that sleeps (Pyodide's own spins the CPU). What it would refuse goes to it, so
    a wrong argument gets the interpreter's own error (raised before any sleeping)."""
    spinning_sleep = time.sleep

    def sleep(secs):
        try:
            seconds = secs if isinstance(secs, float) else operator.index(secs)
        except TypeError:
            seconds = None
        if seconds is None or not 0 <= seconds <= _MAX_SLEEP_SECONDS:  # (NaN compares False)
            return spinning_sleep(secs)
        host_sleep(float(seconds))

    sleep.__doc__ = spinning_sleep.__doc__
    return sleep


def _text(value):
    """str(value), or what CPython prints when that raises."""
    try:
        return str(value)
    except BaseException:  # noqa: BLE001 - the learner's __str__ may raise anything
        return _STR_FAILED


def _error_name(exc):
    import _agl_js
    try:
        from pyodide.ffi import JsException
    except ImportError:
        JsException = ()
    if JsException and isinstance(exc, JsException):
        try:
            name, message = _agl_js.errorInfo(exc.js_error)
            return str(name), str(message)
        except Exception:
            pass
    return type(exc).__name__, _text(exc)


def _frame_lines(frames):
    """The traceback's frame lines, a run of one repeated frame collapsed as CPython does."""
    lines = []
    previous = None
    repeats = 0

    def collapse():
        if repeats > _RECURSIVE_CUTOFF:
            more = repeats - _RECURSIVE_CUTOFF
            lines.append('  [Previous line repeated %d more time%s]' % (more, 's' if more > 1 else ''))

    for f in frames:
        key = (f.filename, f.lineno, f.name)
        if key == previous:
            repeats += 1
            if repeats > _RECURSIVE_CUTOFF:
                continue
        else:
            collapse()
            previous = key
            repeats = 1
        lines.append('  File "%s", line %d, in %s' % (f.filename, f.lineno, f.name))
        if f.line:
            lines.append('    ' + f.line.strip())
    collapse()
    return lines


def _describe(exc):
    """A ScriptError for an uncaught exception: the traceback with only the learner's frames."""
    name, message = _error_name(exc)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_user_file(f.filename)]
    location = None
    lines = []
    if frames:
        lines.append('Traceback (most recent call last):')
        lines.extend(_frame_lines(frames))
        last = frames[-1]
        col = getattr(last, 'colno', None)
        location = {'file': last.filename, 'line': last.lineno, 'column': (col or 0) + 1}
    if isinstance(exc, SyntaxError) and exc.filename and _is_user_file(exc.filename):
        location = {'file': exc.filename, 'line': exc.lineno or 1, 'column': exc.offset or 1}
        message = exc.msg
        lines = ['  File "%s", line %d' % (exc.filename, exc.lineno or 1)]
        if exc.text:
            lines.append('    ' + exc.text.rstrip('\n').strip())
    header = '%s: %s' % (name, message) if message else name
    lines.append(header)
    # Notes (the engine's teaching hints, see torch._py_error) follow the message, as Python prints them.
    try:
        notes = [_text(n) for n in getattr(exc, '__notes__', None) or []]
    except BaseException:  # noqa: BLE001 - __notes__ that is not a list
        notes = []
    lines.extend(notes)
    if notes:
        message = '\n'.join([message] + notes)
    error = {'name': name, 'message': message, 'stack': '\n'.join(lines)}
    if location:
        error['location'] = location
    return error


def _hide_runner_frames():
    """The script's frames start deeper than under `python script.py`: the runner's frames
    (those on the stack now) are below them. The recursion limit counts them too, so it is
    raised by as many, and sys.getrecursionlimit/setrecursionlimit show and take the limit as
    the script would see it under CPython (a RecursionError comes at the same depth)."""
    below = 0
    frame = sys._getframe(1)
    while frame is not None:
        below += 1
        frame = frame.f_back
    get_limit, set_limit = sys.getrecursionlimit, sys.setrecursionlimit

    def getrecursionlimit():
        return get_limit() - below

    def setrecursionlimit(limit):
        limit = operator.index(limit)
        set_limit(limit + below if limit >= 1 else limit)  # below 1: the interpreter's own error

    getrecursionlimit.__doc__ = get_limit.__doc__
    setrecursionlimit.__doc__ = set_limit.__doc__
    set_limit(get_limit() + below)
    sys.getrecursionlimit, sys.setrecursionlimit = getrecursionlimit, setrecursionlimit


def _described(exc):
    """_describe, which must not fail: the learner's exception can be anything."""
    try:
        return _describe(exc)
    except BaseException:  # noqa: BLE001
        name = type(exc).__name__
        return {'name': name, 'message': _STR_FAILED, 'stack': '%s: %s' % (name, _STR_FAILED)}


def run(path, user_root, shim_root, probes, host=None):
    global _user_root, _shim_root
    if host is not None:
        time.sleep = _make_sleep(host.sleep)
    _user_root = os.path.abspath(user_root)
    _shim_root = shim_root
    script_dir = os.path.dirname(path)
    if script_dir not in sys.path:
        sys.path.insert(0, script_dir)
    try:
        os.chdir(script_dir)
    except OSError:
        pass
    sys.argv = [path]
    main = types.ModuleType('__main__')
    main.__file__ = path
    main.__builtins__ = __builtins__
    sys.modules['__main__'] = main
    exit_code = 0
    error = None
    try:
        with open(path, encoding='utf-8') as f:
            source = f.read()
        tree = ast.parse(source, path)
        probe = None
        if probes:
            tree, probe = _instrument(tree, path)
        main.__dict__['_agl_probe'] = probe if probe is not None else (lambda i, v: v)
        code = compile(tree, path, 'exec')
        _hide_runner_frames()
        exec(code, main.__dict__)
    except SystemExit as e:
        exit_code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            sys.stderr.write('%s\n' % (e.code,))
    except BaseException as e:  # noqa: BLE001 - everything the script raises is reported
        error = _described(e)
        exit_code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
    return json.dumps({'exitCode': exit_code, 'error': error})
