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


# PyTorch's other names for an engine parameter: the tensor a function works on (`input` of
# torch.f, `self` of the method); Tensor.split's `split_size` (torch.split's split_size_or_sections).
_ALIASES = {'input': ('self',), 'self': ('input',), 'split_size_or_sections': ('split_size',)}

# Values that select what the engine always does (one device, one layout, no pinned memory).
_CPU_ONLY = {'device': ('cpu',), 'layout': ('torch.strided',), 'pin_memory': (False,), 'non_blocking': (False,),
             'memory_format': ('torch.preserve_format', 'torch.contiguous_format')}


class Unplaceable(Exception):
    """The engine has no place for these names (as PyTorch calls them); `wrong_kind`: the
    names are the engine's, but not for a value of this kind."""

    def __init__(self, names, wrong_kind=None):
        super().__init__(names)
        self.wrong_kind = wrong_kind


_SLOTS = {}
_KNOWN = {}


def _slot_names(params):
    found = _SLOTS.get(id(params))
    if found is None:
        found = _SLOTS[id(params)] = _slot_names_of(params)
    return found


def _slot_names_of(params):
    out = {}
    for i, p in enumerate(params):
        if not p.get('rest'):
            out[p['name']] = i
            for alias in _ALIASES.get(p['name'], ()):
                out.setdefault(alias, i)
    return out


def kind(value):
    """What the engine's declarations call a Python value: tensor, number, array..."""
    hooks = _HOOKS or _hooks()
    tp = type(value)
    if tp is bool:
        return 'boolean'
    if tp is int or tp is float:
        return 'number'
    if tp is str:
        return 'string'
    if isinstance(value, hooks['Tensor']):
        return 'tensor'
    if isinstance(value, (list, tuple)):
        return 'array'
    if isinstance(value, dict):
        return 'object'
    if isinstance(value, hooks['dtype']):
        return 'dtype'
    for name in ('Optimizer', 'Module', 'Generator'):
        cls = hooks.get(name)
        if cls is not None and isinstance(value, cls):
            return name.lower()
    if callable(value):
        return 'function'
    return 'object'


_HOOKS = {}


def _hooks():
    from torch._binding import _hooks as hooks
    _HOOKS.update(hooks)
    return hooks


class _Slot:
    """A bound value's stand-in while a placement is worked out: which value, and its kind. The
    placement found for these is kept, and later calls of the same shape just fill it in."""
    __slots__ = ('i', 'kind', 'is_int', 'none')

    def __init__(self, i, value):
        self.i = i
        self.none = value is None
        self.kind = None if self.none else kind(value)
        self.is_int = type(value) is int


def _takes(kinds, slot):
    if slot.none or not kinds or '*' in kinds:
        return True
    k = slot.kind
    return k in kinds or (k == 'boolean' and 'number' in kinds) or (k == 'number' and 'boolean' in kinds and slot.is_int)


class _FloatSlot:
    """A planned place whose engine parameter tells a Python float from an int (its kinds name
    'pyfloat'): an integral float goes there as the engine's PyFloat, so `2.0` stays a float."""
    __slots__ = ('i',)

    def __init__(self, i):
        self.i = i


# The engine's PyFloat maker (torch.pyfloat), set by the torch package.
to_pyfloat = None


def _value(x, values):
    v = values[x.i]
    if type(x) is _FloatSlot and type(v) is float and v.is_integer():
        return to_pyfloat(v)
    return v


def _fill(template, values):
    out = []
    for x in template:
        tp = type(x)
        if tp is _Slot or tp is _FloatSlot:
            out.append(_value(x, values))
        elif tp is dict:
            out.append({k: _value(v, values) for k, v in x.items()})
        else:
            out.append(x)
    return out


def _floats_marked(params, template):
    """The template with each value whose parameter (or option) takes a 'pyfloat' marked so."""
    rest = next((i for i, p in enumerate(params) if p.get('rest')), None)
    out = []
    for i, x in enumerate(template):
        p = params[i if rest is None or i < rest else rest]
        if type(x) is _Slot:
            out.append(_FloatSlot(x.i) if 'pyfloat' in (p.get('kinds') or ()) else x)
        elif type(x) is dict:
            opts = p.get('options') or {}
            out.append({k: _FloatSlot(v.i) if 'pyfloat' in opts.get(k, ()) else v for k, v in x.items()})
        else:
            out.append(x)
    return out


_PLANS = {}


def _try(params, named, positions):
    """The engine arguments for one engine overload, or None when it has no place for a name
    (or no parameter there takes that kind of value)."""
    slots = _slot_names(params)
    rest = next((i for i, p in enumerate(params) if p.get('rest')), None)
    rest_options = params[rest].get('options', {}) if rest is not None else {}
    positional = {}
    pending = []
    for name, value in named:
        i = slots.get(name)
        if i is not None and (rest is None or i < rest):
            if not _takes(params[i].get('kinds'), value):
                return None
            positional[i] = (name, value)
        else:
            pending.append((name, value))
    if pending and positions and any(v is not None for v in positions.values()):
        # An engine parameter named otherwise than PyTorch's (mm's `other` for `mat2`) takes the
        # value at PyTorch's position, when no PyTorch parameter has the engine's name.
        names = set(positions)
        still = []
        for name, value in pending:
            i = positions.get(name)
            if (i is not None and i < len(params) and i not in positional and (rest is None or i < rest)
                    and params[i]['name'] not in names and not params[i].get('rest') and _takes(params[i].get('kinds'), value)):
                positional[i] = (name, value)
            else:
                still.append((name, value))
        pending = still
    if rest is not None:
        # Only PyTorch's positional parameters spread into a rest parameter (arange's start, end, step).
        spread = [v for n, v in pending if n not in rest_options]
        options = [(n, v) for n, v in pending if n in rest_options]
        if positions is not None and any(n not in positions for n, _ in pending if n not in rest_options):
            return None
        if not all(_takes(params[rest].get('kinds'), v) for v in spread) or not all(_takes(rest_options[n], v) for n, v in options):
            return None
        args = [positional[i][1] if i in positional else None for i in range(rest)]
        args += spread
        if options:
            args.append(dict(options))
        return args
    if not pending:
        if any(p.get('required') and i not in positional for i, p in enumerate(params)):
            return None  # an overload PyTorch has and the engine doesn't (torch.where(condition))
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
        if wanted.issubset(opts) and all(n in opts for n, _ in moved) and all(_takes(opts[n], v) for n, v in moved + pending):
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
    known = _known_names(overloads)
    for n, _ in named:
        if n not in known:
            named = _without_no_ops(overloads, named, defaults or {})
            break
    # The placement depends on the names and the values' types only: found once per shape.
    key = (id(overloads), id(positions), tuple([(n, type(v)) for n, v in named]))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _plan(overloads, [(n, _Slot(i, v)) for i, (n, v) in enumerate(named)], positions)
        if plan is not None:
            _PLANS[key] = plan
    if plan is not None:
        return _fill(plan, [v for _, v in named])
    known = _known_names(overloads)
    unknown = [n for n, _ in named if n not in known]
    if unknown:
        raise Unplaceable(unknown)
    odd = [(n, v) for n, v in named if type(v) is not bool and not isinstance(v, (int, float))]
    raise Unplaceable(['%s=<%s>' % (n, type(v).__name__) for n, v in odd] or [n for n, _ in named], wrong_kind=odd or None)


def _plan(overloads, slots, positions):
    """Where each bound value goes, for the first engine overload that takes them all."""
    names_only = {n: None for n in positions} if positions is not None else None
    for params in overloads:
        template = _try(params, slots, names_only)
        if template is not None:
            return _floats_marked(params, template)
    if positions:  # only then by position: an engine parameter named otherwise than PyTorch's
        for params in overloads:
            template = _try(params, slots, positions)
            if template is not None:
                return _floats_marked(params, template)
    return None


def _without_no_ops(overloads, named, defaults):
    """Drops what changes nothing where the engine has no such parameter: PyTorch's default
    value, or the one device/layout the engine has."""
    known = _known_names(overloads)
    out = []
    for name, value in named:
        if name not in known:
            if name in defaults and _same(value, defaults[name]):
                continue
            if name in _CPU_ONLY and (str(value) in _CPU_ONLY[name] or value in _CPU_ONLY[name] or _is_cpu(value)):
                continue
        out.append((name, value))
    return out


def _known_names(overloads):
    """Every name the engine's overloads take, positionally or as options."""
    found = _KNOWN.get(id(overloads))
    if found is None:
        found = _KNOWN[id(overloads)] = _known_names_of(overloads)
    return found


def _known_names_of(overloads):
    known = set()
    for params in overloads:
        for p in params:
            known.add(p['name'])
            known.update(_ALIASES.get(p['name'], ()))
            known.update(p.get('options', ()))
    return known


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
