"""From a PyTorch binding to an engine call: each bound value goes where the engine's own
TypeScript declaration takes it (torch/_engine_calls.py, generated from them): positionally
where an engine parameter has its name, else into the options object of the first parameter
slot that reads every remaining name. A value the engine has no place for is a
NotImplementedError naming it, unless it is PyTorch's default (then it changes nothing); no
value is ever dropped silently."""
import json as _json

from torch import _engine_calls
from torch._binding import MISSING, lookup

_CALLS = None


class _Calls(dict):
    """The engine's calls by key; `torch.f` missing from its declarations is `Tensor.f` with the
    tensor first (torch.ts's `method()`: `torch.f(t, ...)` is `t.f(...)`)."""

    def get(self, key, default=None):
        found = dict.get(self, key)
        if found is None and key.startswith('torch.') and key.count('.') == 1:
            method = dict.get(self, 'Tensor.' + key[6:])
            if method is not None:
                found = self[key] = [[{'name': 'self'}] + params for params in method]
        return default if found is None else found


def engine_calls():
    global _CALLS
    if _CALLS is None:
        _CALLS = _Calls(_json.loads(_engine_calls.TEXT)['calls'])
    return _CALLS


# PyTorch's name for the tensor a function works on, and the engine's.
_ALIASES = {'input': ('self',), 'self': ('input',)}

# Values that select what the engine always does (one device, one layout, no pinned memory).
_CPU_ONLY = {'device': ('cpu',), 'layout': ('torch.strided',), 'pin_memory': (False,), 'non_blocking': (False,),
             'memory_format': ('torch.preserve_format', 'torch.contiguous_format')}


class Unplaceable(Exception):
    """The engine has no place for these names (as PyTorch calls them)."""


def _slot_names(params):
    out = {}
    for i, p in enumerate(params):
        if not p.get('rest'):
            out[p['name']] = i
            for alias in _ALIASES.get(p['name'], ()):
                out.setdefault(alias, i)
    return out


def _try(params, named, positions):
    """The engine arguments for one engine overload, or None when it has no place for a name."""
    slots = _slot_names(params)
    rest = next((i for i, p in enumerate(params) if p.get('rest')), None)
    rest_options = set(params[rest].get('options', ())) if rest is not None else set()
    positional = {}
    pending = []
    for name, value in named:
        i = slots.get(name)
        if i is not None and (rest is None or i < rest):
            positional[i] = (name, value)
        else:
            pending.append((name, value))
    if pending and positions:
        # An engine parameter named otherwise than PyTorch's (mm's `other` for `mat2`) takes the
        # value at PyTorch's position, when no PyTorch parameter has the engine's name.
        names = set(positions)
        still = []
        for name, value in pending:
            i = positions.get(name)
            if (i is not None and i < len(params) and i not in positional and (rest is None or i < rest)
                    and params[i]['name'] not in names and not params[i].get('rest')):
                positional[i] = (name, value)
            else:
                still.append((name, value))
        pending = still
    if rest is not None:
        spread = [v for n, v in pending if n not in rest_options]
        options = [(n, v) for n, v in pending if n in rest_options]
        args = [positional[i][1] if i in positional else None for i in range(rest)]
        args += spread
        if options:
            args.append(dict(options))
        return args
    if not pending:
        if not positional:
            return []
        last = max(positional)
        return [positional[i][1] if i in positional else None for i in range(last + 1)]
    wanted = {n for n, _ in pending}
    for j, p in enumerate(params):
        opts = p.get('options')
        if not opts:
            continue
        moved = [positional[i] for i in positional if i >= j]
        if wanted.issubset(opts) and all(n in opts for n, _ in moved):
            args = [positional[i][1] if i in positional else None for i in range(j)]
            options = dict(moved)
            options.update(pending)
            args.append(options)
            return args
    return None


def place(engine_key, named, defaults=None, positions=None):
    """Engine arguments for the bound `named` values ([(pytorch name, value)], supplied ones);
    `positions`: each positional PyTorch parameter's index (self not counted)."""
    overloads = engine_calls().get(engine_key)
    if overloads is None:
        raise Unplaceable([n for n, _ in named])
    named = _without_no_ops(overloads, named, defaults or {})
    for params in overloads:
        args = _try(params, named, None)
        if args is not None:
            return args
    if positions:  # only then by position: an engine parameter named otherwise than PyTorch's
        for params in overloads:
            args = _try(params, named, positions)
            if args is not None:
                return args
    known = set()
    for params in overloads:
        for p in params:
            known.add(p['name'])
            known.update(_ALIASES.get(p['name'], ()))
            known.update(p.get('options', ()))
    raise Unplaceable([n for n, _ in named if n not in known] or [n for n, _ in named])


def _without_no_ops(overloads, named, defaults):
    """Drops what changes nothing where the engine has no such parameter: PyTorch's default
    value, or the one device/layout the engine has."""
    known = set()
    for params in overloads:
        for p in params:
            known.add(p['name'])
            known.update(_ALIASES.get(p['name'], ()))
            known.update(p.get('options', ()))
    out = []
    for name, value in named:
        if name not in known:
            if name in defaults and _same(value, defaults[name]):
                continue
            if name in _CPU_ONLY and (str(value) in _CPU_ONLY[name] or value in _CPU_ONLY[name] or _is_cpu(value)):
                continue
        out.append((name, value))
    return out


def _same(a, b):
    return type(a) is type(b) and a == b


def _is_cpu(value):
    return type(value).__name__ == 'device' and getattr(value, 'type', None) == 'cpu'


def native_defaults(sig):
    """A native signature's defaults as Python values, where they are plain ones."""
    out = {}
    for p in sig.params:
        if p.optional and p.default is not None:
            text = p.default
            if text in ('True', 'true'):
                out[p.name] = True
            elif text in ('False', 'false'):
                out[p.name] = False
            else:
                try:
                    out[p.name] = int(text)
                except ValueError:
                    try:
                        out[p.name] = float(text)
                    except ValueError:
                        pass
    return out


def supplied_native(binder, index, dst, skip_first=False):
    """[(name, value)] of the parameters a native binding was given (not the omitted ones)."""
    sig = binder.sigs[index]
    out = []
    for i, p in enumerate(sig.params):
        v = dst[i]
        if v is not MISSING and not (skip_first and i == 0):
            out.append((p.name, v))
    return sig, out


def supplied_python(values, skip=('self',)):
    """[(name, value)] of a Python binding's supplied values (*args/**kwargs spread as given)."""
    out = []
    for name, v in values.items():
        if v is MISSING or name in skip:
            continue
        out.append((name, v))
    return out


__all__ = ['lookup', 'place', 'Unplaceable', 'supplied_native', 'supplied_python', 'native_defaults', 'engine_calls', 'MISSING']
