"""PyTorch's argument binding, from the generated signature table (torch/_pytorch_signatures.py, written by gen_signatures.py).

Two binders, as PyTorch has two:
- the C++ argument parser's (torch.*, Tensor methods, torch._C._nn): overloads tried in the
  parser's order, its type checks per parameter type (a Python bool is no int, a number binds
  to Tensor only for add/sub/mul/div..., an int list takes a single int where declared `[1]`),
  its TypeErrors word for word (`sum() received an invalid combination of arguments - ...`);
- Python's own, for Python-defined callables (nn modules, optimizers, nn.functional...): a
  function compiled with the same parameter list, so CPython raises its own messages.
A binding gives the chosen overload and the value of each parameter (MISSING where omitted).
The resolved overload is cached per call shape (the argument types and keyword names)."""
import ast as _ast
import json as _json

from torch import _pytorch_signatures

MISSING = type('Missing', (), {'__repr__': lambda self: '<missing>', '__slots__': ()})()

_DATA = []


def _data():
    if not _DATA:
        _DATA.append(_json.loads(_pytorch_signatures.TEXT))
    return _DATA[0]


def table():
    return _data()['callables']


def _type_names():
    """The parser's words for each type in its messages, as PyTorch 2.x prints them."""
    return _data()['typeNames']


# Functions whose Tensor parameters also take Python numbers (python_arg_parser.cpp's list).
_NUMBERS_AS_TENSORS = frozenset([
    'add', 'add_', 'div', 'div_', 'divide', 'divide_', 'mul', 'mul_', 'multiply', 'multiply_', 'sub', 'sub_',
    'subtract', 'subtract_', 'true_divide', 'true_divide_', 'to', '_to_copy', 'copy_', 'floor_divide', 'floor_divide_'])

# The NumPy spellings the parser also accepts for some keywords.
_NUMPY_NAMES = {'dim': ('axis',), 'keepdim': ('keepdims',), 'input': ('x', 'a', 'x1'), 'other': ('x2',)}

# ------------------------------------------------------------------ Python-side type facts

_hooks = {}  # set by torch: 'Tensor', 'dtype', 'device', 'Generator', 'tp_name', 'is_int_tensor', ...


def tp_name(obj):
    """The C type name PyTorch's messages show for a value (`Py_TYPE(obj)->tp_name`)."""
    return _hooks['tp_name'](obj)


def _is_tensor(x):
    return isinstance(x, _hooks['Tensor'])


def _check_long(x):
    t = type(x)
    return t is int or (isinstance(x, int) and t is not bool)


def _check_scalar(x):
    t = type(x)
    return t is float or t is int or t is bool or t is complex or isinstance(x, (int, float, complex))


def _check_double(x):
    t = type(x)
    return t is float or t is int or t is bool or isinstance(x, (int, float))


def _check_index(x):
    if type(x) is bool:
        return False
    if _check_long(x):
        return True
    if _is_tensor(x):
        return _hooks['is_integral'](x) and x.numel() == 1
    return hasattr(type(x), '__index__')


# ------------------------------------------------------------------ the parser's signatures

class Param:
    __slots__ = ('name', 'type', 'optional', 'allow_none', 'kwonly', 'size', 'default', 'numpy', 'numbers_as_tensors')

    def __init__(self, text, kwonly, numbers_as_tensors):
        ctype, rest = text.split(' ', 1)
        self.allow_none = '?' in ctype
        ctype = ctype.replace('?', '')
        self.size = 0
        if '[' in ctype:
            ctype, size = ctype[:-1].split('[')
            self.size = int(size) if size else 0
        self.type = ctype
        self.name, eq, default = rest.partition('=')
        self.optional = bool(eq)
        self.default = default if eq else None
        if default == 'None':
            self.allow_none = True
        self.kwonly = kwonly
        self.numpy = _NUMPY_NAMES.get(self.name, ())
        self.numbers_as_tensors = numbers_as_tensors

    def type_name(self):
        return _type_names()[self.type]

    def check(self, obj, argnum):
        t = self.type
        if t == 'Tensor':
            return _is_tensor(obj) or (self.numbers_as_tensors and _check_scalar(obj))
        if t == 'Scalar' or t == 'double' or t == 'complex':
            if t != 'double' and _check_scalar(obj):
                return True
            if t != 'double' and type(obj) is complex:
                return True
            if _check_double(obj):
                return True
            if _is_tensor(obj):
                return not obj.requires_grad and obj.dim() == 0
            return False
        if t == 'int64_t':
            if _check_long(obj):
                return True
            if _is_tensor(obj):
                return _hooks['is_integral'](obj) and not obj.requires_grad and obj.dim() == 0
            return False
        if t == 'SymInt':
            return _check_index(obj)
        if t == 'IntArrayRef' or t == 'SymIntArrayRef':
            if isinstance(obj, (tuple, list)):
                return len(obj) == 0 or _check_index(obj[0])
            return self.size > 0 and (_check_long(obj) if t == 'IntArrayRef' else _check_index(obj))
        if t == 'bool':
            return type(obj) is bool
        if t == 'ScalarType':
            return isinstance(obj, _hooks['dtype']) or obj in (int, float, bool, complex)
        if t == 'PyObject*':
            return True
        if t == 'TensorList' or t == 'c10::List<c10::optional<Tensor>>':
            if not isinstance(obj, (tuple, list)):
                return False
            for i, e in enumerate(obj):
                if not _is_tensor(e):
                    raise TypeError('expected Tensor as element %d in argument %d, but got %s' % (i, argnum, tp_name(e)))
            return True
        if t == 'ArrayRef<double>':
            return isinstance(obj, (tuple, list)) and (len(obj) == 0 or _check_double(obj[0]) or type(obj[0]) is complex)
        if t == 'Generator':
            return isinstance(obj, _hooks['Generator'])
        if t == 'Device':
            return _check_long(obj) or isinstance(obj, str) or isinstance(obj, _hooks['device'])
        if t == 'std::string' or t == 'c10::string_view':
            return isinstance(obj, str)
        if t == 'Dimname':
            return obj is None or isinstance(obj, str)
        if t == 'DimnameList':
            if isinstance(obj, (tuple, list)):
                return len(obj) > 0 and all(e is None or isinstance(e, str) for e in obj)
            return self.size == 1 and (obj is None or isinstance(obj, str))
        if t == 'ScalarList':
            return isinstance(obj, (tuple, list)) and all(_check_scalar(e) for e in obj)
        if t == 'Layout':
            return type(obj).__name__ == 'layout'
        if t == 'MemoryFormat':
            return type(obj).__name__ == 'memory_format'
        return False  # Storage, Stream, QScheme: no such values here


class Signature:
    __slots__ = ('name', 'params', 'min_args', 'max_args', 'max_pos_args', 'varargs_intlist', 'by_name', 'named_dims', 'hidden')

    def __init__(self, text):
        # "|hidden" and "|deprecated" signatures bind but are left out of the error messages.
        text, _, flag = text.partition('|')
        self.hidden = flag in ('hidden', 'deprecated')
        self.name = text[:text.index('(')]
        numbers = self.name in _NUMBERS_AS_TENSORS
        inner = text[text.index('(') + 1:text.rindex(')')]
        self.params = []
        kwonly = False
        for part in inner.split(', ') if inner else ():
            if part == '*':
                kwonly = True
            else:
                self.params.append(Param(part, kwonly, numbers))
        self.max_args = len(self.params)
        self.min_args = sum(1 for p in self.params if not p.optional)
        self.max_pos_args = sum(1 for p in self.params if not p.kwonly)
        self.varargs_intlist = self.max_pos_args == 1 and self.params[0].type in ('IntArrayRef', 'SymIntArrayRef')
        self.by_name = {p.name: i for i, p in enumerate(self.params)}
        self.named_dims = any(p.type in ('Dimname', 'DimnameList') for p in self.params)

    def printed(self):
        """FunctionSignature::toString."""
        out = []
        keyword = False
        for p in self.params:
            if p.kwonly and not keyword:
                out.append('*')
                keyword = True
            out.append('%s %s' % (p.type_name(), p.name))
        return '(' + ', '.join(out) + ')'

    def parse(self, args, kwargs, raise_):
        """FunctionSignature::parse: the values per parameter (MISSING for omitted or None), or
        None when this overload doesn't match (a TypeError instead when raise_)."""
        nargs = len(args)
        if nargs > self.max_pos_args and not self.varargs_intlist:
            if raise_:
                self._extra_args(nargs)
            return None
        remaining = len(kwargs) if kwargs else 0
        dst = []
        arg_pos = 0
        for i, p in enumerate(self.params):
            is_kwd = False
            obj = MISSING
            if arg_pos < nargs:
                if p.kwonly:
                    if raise_:
                        self._extra_args(nargs)
                    return None
                obj = args[arg_pos]
            elif kwargs:
                obj = kwargs.get(p.name, MISSING)
                for alias in p.numpy:
                    if obj is not MISSING:
                        break
                    obj = kwargs.get(alias, MISSING)
                is_kwd = True
            if (obj is MISSING and p.optional) or (obj is None and p.allow_none):
                dst.append(MISSING)
            elif obj is MISSING:
                if raise_:
                    self._missing_args(i)
                return None
            elif p.check(obj, i):
                dst.append(obj)
            elif self.varargs_intlist and arg_pos == 0 and not is_kwd and _check_index(obj) and all(_check_index(a) for a in args[:1]):
                # permute(1, 2, 3) is permute((1, 2, 3))
                dst.append(tuple(args))
                arg_pos = nargs
                continue
            elif raise_:
                if is_kwd:
                    raise TypeError("%s(): argument '%s' must be %s, not %s" % (self.name, p.name, p.type_name(), tp_name(obj)))
                raise TypeError("%s(): argument '%s' (position %d) must be %s, not %s" % (self.name, p.name, arg_pos + 1, p.type_name(), tp_name(obj)))
            else:
                return None
            if not is_kwd:
                arg_pos += 1
            elif obj is not MISSING:
                remaining -= 1
        if remaining > 0:
            if raise_:
                self._extra_kwargs(kwargs, nargs)
            return None
        return dst

    def _extra_args(self, nargs):
        if self.min_args != self.max_pos_args:
            raise TypeError('%s() takes from %d to %d positional arguments but %d were given' % (self.name, self.min_args, self.max_pos_args, nargs))
        raise TypeError('%s() takes %d positional argument%s but %d %s given' % (
            self.name, self.max_pos_args, '' if self.max_pos_args == 1 else 's', nargs, 'was' if nargs == 1 else 'were'))

    def _missing_args(self, idx):
        names = ['"%s"' % p.name for p in self.params[idx:] if not p.optional]
        # "argument%s" with "s" for one missing: PyTorch's own wording.
        raise TypeError('%s() missing %d required positional argument%s: %s' % (self.name, len(names), 's' if len(names) == 1 else '', ', '.join(names)))

    def _extra_kwargs(self, kwargs, nargs):
        for key in kwargs:
            if not isinstance(key, str):
                raise TypeError('keywords must be strings')
            idx = self.by_name.get(key, -1)
            if idx < 0:
                raise TypeError("%s() got an unexpected keyword argument '%s'" % (self.name, key))
            if idx < nargs:
                raise TypeError("%s() got multiple values for argument '%s'" % (self.name, key))
        raise TypeError('invalid keyword arguments')


# ------------------------------------------------------------------ the parser's error message

def _hash_bytes(data):
    """libstdc++'s std::hash<std::string> (Murmur-style _Hash_bytes, 64-bit): PyTorch's messages
    list keyword arguments in the iteration order of a std::unordered_map built from them."""
    mask = (1 << 64) - 1
    mul = (0xc6a4a793 << 32) + 0x5bd1e995

    def shift_mix(v):
        return v ^ (v >> 47)

    n = len(data)
    h = (0xc70f6907 ^ (n * mul)) & mask
    aligned = n & ~7
    for i in range(0, aligned, 8):
        d = (shift_mix((int.from_bytes(data[i:i + 8], 'little') * mul) & mask) * mul) & mask
        h = ((h ^ d) * mul) & mask
    if n & 7:
        h = ((h ^ int.from_bytes(data[aligned:], 'little')) * mul) & mask
    h = (shift_mix(h) * mul) & mask
    return shift_mix(h)


def _unordered_keys(keys):
    """The iteration order of an std::unordered_map<std::string, ...> after inserting `keys` in
    order (libstdc++: 13 buckets for up to 13 keys; a key goes to the front of its bucket's run,
    or to the front of the list when its bucket is empty)."""
    if len(keys) < 2:
        return list(keys)
    buckets = 13
    if len(keys) > 13:  # rehashes beyond 13 elements are not modelled: keep the insertion order
        return list(keys)
    order = []
    bucket_of = {}
    for k in keys:
        b = _hash_bytes(k.encode('utf-8')) % buckets
        bucket_of[k] = b
        first = next((i for i, e in enumerate(order) if bucket_of[e] == b), None)
        if first is None:
            order.insert(0, k)
        else:
            order.insert(first, k)
    return order


class _Option:
    """An option as invalid_arguments.cpp parses the printed signature back: "*" counts as an argument."""
    __slots__ = ('names', 'types')

    def __init__(self, printed):
        self.names = []
        self.types = []
        # "()" parses as one (empty) argument, as invalid_arguments.cpp splits it.
        for arg in printed[1:-1].split(', '):
            nullable = False
            if arg.startswith('['):
                nullable = True
                arg = arg[1:-len(' or None]')]
            space = arg.rfind(' ')
            self.names.append(arg[space + 1:])
            self.types.append((arg[:space] if space >= 0 else arg, nullable))

    def matches(self, i, obj):
        tname, nullable = self.types[i]
        if nullable and obj is None:
            return True
        got = tp_name(obj)
        if tname == 'float':
            return got in ('float', 'int', 'long')
        if tname == 'int':
            return got in ('int', 'long')
        return got == tname


def _desc(obj):
    name = tp_name(obj)
    if isinstance(obj, (tuple, list)):
        inner = ', '.join(tp_name(e) for e in obj)
        if type(obj) is tuple or isinstance(obj, tuple):
            return '%s of (%s%s)' % (name, inner, ',' if len(obj) == 1 else '')
        return '%s of [%s]' % (name, inner)
    return name


def _arg_desc(args, kwargs, keys):
    out = [tp_name(a) + ', ' for a in args] + ['%s=%s, ' % (k, tp_name(kwargs[k])) for k in keys]
    text = ''.join(out)
    if args:
        text = text[:-2]
    return '(' + text + ')'


def _formatted_arg_desc(option, args, kwargs, keys):
    out = []
    n = len(args) + len(keys)
    for i in range(n):
        is_kwarg = i >= len(args)
        if is_kwarg:
            name = option.names[i] if i < len(option.names) else None
            if name not in kwargs:
                raise RuntimeError('unordered_map::at')  # std::out_of_range, as PyTorch reports it
            arg = kwargs[name]
        else:
            arg = args[i]
        ok = i < len(option.names) and option.matches(i, arg)
        mark = '' if ok else '!'
        out.append('%s%s%s%s, ' % (mark, (option.names[i] + '=') if is_kwarg else '', _desc(arg), mark))
    text = ''.join(out)
    if args:
        text = text[:-2]
    return '(' + text + ')'


def _unmatched_kwargs(option, keys):
    start = max(len(option.names) - len(keys), 0)
    tail = option.names[start:]
    return [k for k in keys if k not in tail]


def invalid_arguments(name, printed, args, kwargs):
    """torch::format_invalid_args: the message of a call no overload accepts."""
    keys = _unordered_keys(list(kwargs)) if kwargs else []
    msg = name + '() received an invalid combination of arguments - '
    if len(printed) == 1:
        option = _Option(printed[0])
        unmatched = _unmatched_kwargs(option, keys) if keys else []
        if unmatched:
            msg += 'got unrecognized keyword arguments: ' + ', '.join(unmatched)
        else:
            msg += 'got '
            if len(option.names) == len(args) + len(keys):
                msg += _formatted_arg_desc(option, args, kwargs, keys)
            else:
                msg += _arg_desc(args, kwargs, keys)
            msg += ', but expected ' + printed[0]
    else:
        msg += 'got ' + _arg_desc(args, kwargs, keys) + ', but expected one of:\n'
        for text in printed:
            option = _Option(text)
            msg += ' * ' + text + '\n'
            if len(option.names) == len(args) + len(keys):
                unmatched = _unmatched_kwargs(option, keys) if keys else []
                if unmatched:
                    msg += "      didn't match because some of the keywords were incorrect: " + ', '.join(unmatched) + '\n'
                else:
                    msg += "      didn't match because some of the arguments have invalid types: " + _formatted_arg_desc(option, args, kwargs, keys) + '\n'
    return msg[:1023]  # the parser formats its messages into a 1024-byte buffer


# ------------------------------------------------------------------ native callables

class Native:
    """A parser-bound callable: its overloads, tried in the parser's order."""
    __slots__ = ('key', 'name', 'sigs', 'noargs', '_cache')

    def __init__(self, key, entry):
        self.key = key
        self.sigs = [Signature(s) for s in entry['native']]
        self.name = self.sigs[0].name
        self.noargs = entry.get('noargs', False)
        self._cache = {}

    def bind(self, args, kwargs):
        """(index of the overload, its values per parameter)."""
        sigs = self.sigs
        if self.noargs:
            if args or kwargs:
                n = len(args) + (len(kwargs) if kwargs else 0)
                if kwargs:
                    raise TypeError('Tensor.%s() takes no keyword arguments' % self.name)
                raise TypeError('TensorBase.%s() takes no arguments (%d given)' % (self.name, n))
            return 0, []
        if len(sigs) == 1:
            return 0, sigs[0].parse(args, kwargs, True)
        key = _shape_key(args, kwargs)
        if key is not None:
            i = self._cache.get(key)
            if i is not None:
                dst = sigs[i].parse(args, kwargs, False)
                if dst is not None:
                    return i, dst
        for i, sig in enumerate(sigs):
            dst = sig.parse(args, kwargs, False)
            if dst is not None:
                if key is not None:
                    self._cache[key] = i
                return i, dst
        n = len(args) + (len(kwargs) if kwargs else 0)
        plausible = [s for s in sigs if s.min_args <= n <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].parse(args, kwargs, True)
        raise TypeError(invalid_arguments(self.name, [s.printed() for s in sigs if not s.hidden], args, kwargs or {}))


def _shape_key(args, kwargs):
    """A cache key for the overload a call resolves to: exact argument types and keyword names.
    Calls whose resolution depends on values (lists, tensors standing for numbers) aren't cached."""
    key = [type(a) for a in args]
    for t in key:
        if t is list or t is tuple:
            return None
    if kwargs:
        for k, v in kwargs.items():
            if type(v) is list or type(v) is tuple:
                return None
            key.append(k)
            key.append(type(v))
    return tuple(key)


# ------------------------------------------------------------------ Python-defined callables

class PythonCallable:
    """A Python-defined callable: bound by a compiled function with PyTorch's parameter list, so
    CPython raises its own TypeErrors (`Linear.__init__() got an unexpected keyword argument 'bais'`)."""
    __slots__ = ('key', 'names', 'defaults', 'binder', 'has_self', 'pass_defaults')

    def __init__(self, key, entry):
        self.key = key
        fn = _ast.parse('def f(%s): pass' % entry['python']).body[0]
        a = fn.args
        self.defaults = {}
        positional = a.posonlyargs + a.args
        for arg, d in zip(positional[len(positional) - len(a.defaults):], a.defaults):
            self.defaults[arg.arg] = _ast.literal_eval(d)
        for arg, d in zip(a.kwonlyargs, a.kw_defaults):
            if d is not None:
                self.defaults[arg.arg] = _ast.literal_eval(d)
        self.names = [x.arg for x in positional + a.kwonlyargs]
        self.has_self = bool(positional) and positional[0].arg == 'self'
        self.pass_defaults = tuple(entry.get('passDefaults', ()))
        a.defaults = [_ast.Name('_D', _ast.Load()) for _ in a.defaults]
        a.kw_defaults = [None if d is None else _ast.Name('_D', _ast.Load()) for d in a.kw_defaults]
        fn.body = [_ast.Return(_ast.Call(_ast.Name('locals', _ast.Load()), [], []))]
        qualname = entry['qualname']
        fn.name = qualname.rsplit('.', 1)[-1]
        module = _ast.Module([fn], [])
        _ast.fix_missing_locations(module)
        ns = {'_D': MISSING}
        exec(compile(module, '<signature of %s>' % key, 'exec'), ns)  # noqa: S102 - our own table
        f = ns[fn.name]
        f.__code__ = f.__code__.replace(co_qualname=qualname)
        f.__qualname__ = qualname
        self.binder = f

    def bind(self, args, kwargs):
        """The values by name (MISSING for the omitted ones; *args/**kwargs as given)."""
        return self.binder(*args, **kwargs)


_CALLABLES = {}


def lookup(key):
    """The binder for a table key ('torch.sum', 'Tensor.sum', 'torch.nn.Linear'...), or None."""
    c = _CALLABLES.get(key)
    if c is None:
        entry = table().get(key)
        if entry is None:
            return None
        if 'operator' in entry:
            c = lookup(entry['operator'])
        elif 'native' in entry:
            c = Native(key, entry)
        else:
            c = PythonCallable(key, entry)
        _CALLABLES[key] = c
    return c
