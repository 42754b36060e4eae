"""`torch` for Autograd Lab: a thin Python layer over the TypeScript engine. Every tensor is a
handle (`_t`) to an engine tensor; each operator is one call into JavaScript. Whatever PyTorch
has that this layer does not raises NotImplementedError naming the feature."""
import re as _re
import sys as _sys
import warnings as _warnings
from builtins import int as _int, float as _float, bool as _bool, any as _any, all as _all
from collections import OrderedDict as _OrderedDict
from functools import wraps as _wraps

import _agl_js as _js
from pyodide.ffi import JsProxy as _JsProxy, JsException as _JsException, to_js as _to_js_raw, create_proxy as _create_proxy
from torch._pytorch_names import NAMES as _PYTORCH_NAMES, SUBMODULES as _PYTORCH_SUBMODULES
from torch import _binding, _dispatch

try:
    from pyodide.ffi import jsnull as _jsnull
except ImportError:  # older Pyodide: JS null is None
    _jsnull = None

_jt = _js.torch
__version__ = '2.0.0+autograd_lab'


def _unsupported(what):
    return NotImplementedError('%s is not supported by Autograd Lab yet' % what)


class _UnsupportedAttribute(NotImplementedError, AttributeError):
    """An attribute PyTorch has and this layer lacks: NotImplementedError naming it, and an
    AttributeError too, so `hasattr(module, name)` is False instead of raising."""


_UnsupportedAttribute.__name__ = _UnsupportedAttribute.__qualname__ = 'NotImplementedError'
_UnsupportedAttribute.__module__ = 'builtins'


def _missing(namespace, name, owner=None):
    """What a failed lookup of `namespace.name` raises: NotImplementedError naming the feature
    when PyTorch has it, else the AttributeError PyTorch itself raises (so hasattr() is False)."""
    known = _PYTORCH_NAMES.get(namespace)
    if known is None or name in known:
        return _UnsupportedAttribute('%s.%s is not supported by Autograd Lab yet' % (namespace, name))
    if owner is None:
        return AttributeError("module '%s' has no attribute '%s'" % (namespace, name))
    return AttributeError("'%s' object has no attribute '%s'" % (owner, name))


# ------------------------------------------------------------------ errors from the engine

_PY_ERRORS = {
    'RuntimeError': RuntimeError, 'TypeError': TypeError, 'ValueError': ValueError,
    'IndexError': IndexError, 'KeyError': KeyError, 'AttributeError': AttributeError,
    'NotImplementedError': NotImplementedError, 'RangeError': ValueError,
}


# The engine's teaching hints are written for TypeScript; these rewrite their code in Python.
_HINT_REWRITES = (
    (_re.compile(r'torch\.no_grad\(\(\) => \{ \.\.\. \}\)'), 'with torch.no_grad():'),
    (_re.compile(r'JavaScript numbers make float32 tensors; write torch\.tensor\(\[0n, 2n, 1n\]\), pass'), 'write torch.tensor([0, 2, 1]), pass'),
    (_re.compile(r'\{ (\w+) \}'), r'\1='),
    (_re.compile(r'\{ (\w+): ([^{}]+?) \}'), r'\1=\2'),
    (_re.compile(r'\brequires_grad (true|false)\b'), r'requires_grad=\1'),
    (_re.compile(r'\btrue\b'), 'True'),
    (_re.compile(r'\bfalse\b'), 'False'),
    (_re.compile(r'\bnull\b'), 'None'),
    (_re.compile(r'\bundefined\b'), 'None'),
)


def _pythonize(hint):
    for pattern, replacement in _HINT_REWRITES:
        hint = pattern.sub(replacement, hint)
    return hint


def _py_error(e):
    """The Python exception for a JavaScript error the engine threw: PyTorch's class and message
    (str(e) is exactly PyTorch's text); the engine's teaching hint, if any, as the note printed
    under it in the traceback."""
    name, message = _js.errorInfo(e.js_error)
    head, _, hint = str(message).partition('\n')
    exc = _PY_ERRORS.get(str(name), RuntimeError)(head)
    if hint:
        exc.add_note(_pythonize(hint))
    return exc


def _translating(fn):
    """fn with the engine's errors raised as their Python exceptions (`except RuntimeError` works)."""
    @_wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _JsException as e:
            raise _py_error(e) from None
    return call


def _translate_class_errors(cls, skip=()):
    """Wraps every method and property of cls (but the `skip` ones, which translate themselves)."""
    for name, member in list(vars(cls).items()):
        if name in skip or name in ('__getattr__', '__init_subclass__', '__class_getitem__'):
            continue
        if type(member) is property:
            setattr(cls, name, property(
                member.fget and _translating(member.fget),
                member.fset and _translating(member.fset),
                member.fdel and _translating(member.fdel),
                member.__doc__))
        elif type(member) in (staticmethod, classmethod):
            setattr(cls, name, type(member)(_translating(member.__func__)))
        elif callable(member) and not isinstance(member, type):
            setattr(cls, name, _translating(member))
    return cls


# ------------------------------------------------------------------ warnings from the engine

_WARNING_CLASSES = {'UserWarning': UserWarning, 'DeprecationWarning': DeprecationWarning, 'FutureWarning': FutureWarning,
                    'RuntimeWarning': RuntimeWarning, 'SyntaxWarning': SyntaxWarning}
_SHIM_ROOT = __file__.rsplit('/torch/', 1)[0] + '/'


def _engine_warning(category, message):
    """An engine warning through Python's warnings module, at the learner's line (so filters,
    catch_warnings and the usual `file:line: UserWarning: ...` output work as under PyTorch)."""
    _warnings.warn(str(message).split('\n')[0], _WARNING_CLASSES.get(str(category), UserWarning),
                   skip_file_prefixes=(_SHIM_ROOT,))


_js.setPythonWarning(_create_proxy(_engine_warning))


# ------------------------------------------------------------------ Size and dtype

class Size(tuple):
    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return Size(item) if type(key) is slice else item

    def __repr__(self):
        return 'torch.Size([%s])' % ', '.join(str(d) for d in self)

    __str__ = __repr__

    def numel(self):
        n = 1
        for d in self:
            n *= d
        return n


class dtype:
    __slots__ = ('_t', '_name')

    def __init__(self, js, name):
        self._t = js
        self._name = name

    def __repr__(self):
        return 'torch.' + self._name

    @property
    def is_floating_point(self):
        return _bool(self._t.is_floating_point)

    @property
    def itemsize(self):
        return _int(self._t.itemsize)


_dtypes = {}
for _n in ('float32', 'float64', 'int64', 'bool', 'int32', 'float16', 'uint8', 'int8', 'int16'):
    _d = _js.get(_jt, _n)
    if _d is not None:
        _dtypes[_n] = dtype(_d, _n)
globals().update(_dtypes)
for _alias, _n in (('float', 'float32'), ('double', 'float64'), ('long', 'int64'), ('int', 'int32'), ('half', 'float16')):
    if _n in _dtypes:
        globals()[_alias] = _dtypes[_n]


def _dtype_of(js):
    return _dtypes.get(str(js.name)) or dtype(js, str(js.name))


# ------------------------------------------------------------------ conversions

def _w(js):
    t = _new(Tensor)
    t._t = js
    return t


def _plain(x):
    """True for (nested) lists of numbers, which to_js converts in one call."""
    tp = type(x)
    if tp is _int or tp is _float or tp is _bool:
        return True
    if tp is list or tp is tuple:
        return _all(_plain(e) for e in x)
    return False


def _to_js(x):
    """A Python value as the engine takes it: tensors by handle, lists as arrays, kwargs dicts as objects."""
    tp = type(x)
    if tp is Tensor or tp is nn_Parameter[0]:
        return x._t
    if tp is _int or tp is _float or tp is _bool or tp is str or x is None:
        return x
    if isinstance(x, Tensor):
        return x._t
    if tp is dtype:
        return x._t
    if tp is list or tp is tuple or tp is Size:
        if _plain(x):
            return _to_js_raw(list(x))
        return _to_js_raw([_to_js(e) for e in x])
    if tp is slice:
        return _js.slice(x.start, x.stop, x.step)
    if x is Ellipsis:
        return '...'
    if tp is dict or isinstance(x, dict):
        return _js.object(_to_js_raw([[str(k), _to_js(v)] for k, v in x.items()]))
    js = getattr(x, '_js', None)
    if js is not None:
        return js
    if isinstance(x, _JsProxy):
        return x
    if callable(x):
        return _js_callable(x)
    if hasattr(x, '__iter__') and not isinstance(x, (str, bytes)):
        return _to_js([e for e in x])
    raise TypeError('Autograd Lab cannot pass a %s to the engine' % type(x).__name__)


def _js_callable(fn):
    """A Python function the engine can call (a hook, a closure, an lr lambda): engine values
    in, Python values out. It stays alive as long as the process (the engine may keep it)."""
    def call(*args):
        return _to_js(fn(*[_from_js(a) for a in args]))
    return _create_proxy(call)


def _opts(kwargs):
    if not kwargs:
        return None
    return _js.object(_to_js_raw([[k, _to_js(v)] for k, v in kwargs.items()]))


def _save_tree(x):
    """torch.save's object as the engine takes it: an OrderedDict (a state_dict) as a Map, so
    torch.load gives an OrderedDict back, and any other dict as a plain object (a dict back)."""
    if isinstance(x, _OrderedDict):
        return _js.map(_to_js_raw([[k if type(k) is _int else str(k), _save_tree(v)] for k, v in x.items()]))
    if isinstance(x, dict):
        return _js.object(_to_js_raw([[str(k), _save_tree(v)] for k, v in x.items()]))
    if type(x) is list or type(x) is tuple:
        return _to_js_raw([_save_tree(e) for e in x])
    if x is None:
        return _jsnull  # saved as null, loaded as None (to_js would make it undefined)
    return _to_js(x)


def _from_js_tree(x):
    """A loaded checkpoint as Python objects: Maps as OrderedDicts, objects as dicts (numeric
    keys as ints), arrays as lists, tensors wrapped."""
    if not isinstance(x, _JsProxy):
        return _from_js(x)
    k = _js.kind(x)
    if k == 2:
        return [_from_js_tree(e) for e in x]
    if k == 0 and _js.typeOf(x) == 'object' and not _js.has(x, 'itemsize'):
        if str(_js.get(x, 'constructor').name) == 'Map':
            return _OrderedDict((_py_key(e[0]), _from_js_tree(e[1])) for e in x.entries())
        return {_py_key(str(key)): _from_js_tree(_js.get(x, str(key))) for key in _js.keys(x)}
    return _from_js(x)


def _py_key(k):
    if type(k) is str and k.isdigit():
        return _int(k)
    return k


def save(*args, **kwargs):
    named, _ = _bind(_binding.lookup('torch.save'), args, kwargs)
    d = dict(named)
    try:
        _jt.save(_save_tree(d['obj']), str(d['f']))
    except _JsException as e:
        raise _py_error(e) from None


def load(f, map_location=None, pickle_module=None, *, weights_only=False, **pickle_load_args):
    try:
        return _from_js_tree(_jt.load(str(f)))
    except _JsException as e:
        raise _py_error(e) from None


def _from_js(x):
    """An engine value as Python sees it: tensors wrapped, arrays as tuples, nodes by class."""
    if x is _jsnull:
        return None
    if not isinstance(x, _JsProxy):
        return x
    k = _js.kind(x)
    if k == 1:
        return _w(x)
    if k == 2:
        return tuple(_from_js(e) for e in x)
    if k == 4:
        return _node(x)
    if k == 5:
        return _ValuesIndices(_w(x.values), _w(x.indices))
    if k == 3:
        from torch import nn as _nn
        return _nn._wrap_js_module(x)
    if _js.has(x, 'itemsize') and _js.has(x, 'legacyName'):
        return _dtype_of(x)
    if _js.has(x, 'get_state') and _js.has(x, 'manual_seed'):
        return Generator._of(x)  # torch.manual_seed's result
    return x


def _call(self_js, fn, args, kwargs, what):
    """An engine call with the arguments as given (for the engine's own helpers, not PyTorch API)."""
    try:
        return _from_js(_js.call(self_js, fn, _to_js_raw([_to_js(a) for a in args]), _opts(kwargs)))
    except _JsException as e:
        raise _py_error(e) from None


# ------------------------------------------------------------------ calls bound by PyTorch's signatures

def _engine_args(engine_key, named, defaults, what):
    """The engine's arguments for the bound values, as JavaScript values. (`defaults` of a native
    binding also carries its parameters' positions; a Python-defined callable's defaults don't.)"""
    positions = defaults.get(_POSITIONS) if defaults else None
    try:
        args = _dispatch.place(engine_key, named, defaults, positions)
    except _dispatch.Unplaceable as e:
        if e.wrong_kind and positions is None and _any(type(v) is str or v is Ellipsis for _, v in e.wrong_kind):
            # A Python-defined callable checks no types when binding; a string where the engine
            # takes a number or a tensor is the caller's mistake, not a missing feature.
            name, value = e.wrong_kind[0]
            raise TypeError("%s(): argument '%s' must not be %s" % (what.rsplit('.', 1)[-1], name, _tp_name(value))) from None
        raise _unsupported('%s(%s)' % (what, ', '.join(n if '=' in n else '%s=...' % n for n in e.args[0]))) from None
    return _to_js_raw([_to_js(a) for a in args])


# Python's 2.0 is a float (`int_tensor * 2.0` is float32, `torch.arange(12.0)` float): an
# integral float goes to the engine as its PyFloat, wherever the engine takes a Python scalar.
_pyfloat = _dispatch.to_pyfloat = _jt.pyfloat


def _bind(binder, args, kwargs, self=None):
    """(named supplied values, their defaults) of a call, bound by PyTorch's rules."""
    if type(binder) is _binding.Native:
        index, dst = binder.bind(args, kwargs)
        if binder.noargs:
            return [], None
        sig = binder.sigs[index]
        named = [(p.name, v) for p, v in zip(sig.params, dst) if v is not _binding.MISSING]
        if sig.named_dims:
            _named_dims(sig, named, self)
        return named, _native_defaults(binder, index)
    values = binder.bind(args if self is None else (self,) + args, kwargs)
    named = _dispatch.supplied_python(values)
    for name in binder.pass_defaults:
        if values.get(name) is _binding.MISSING:
            named.append((name, binder.defaults[name]))
    return named, binder.defaults


_DEFAULTS = {}
_IDENTIFIER = _re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


def _named_dims(sig, named, self):
    """A dimension given by name picks PyTorch's named-tensor overload; this layer's tensors have
    no names, so that is PyTorch's error for an unnamed tensor."""
    values = dict(named)
    t = self if isinstance(self, Tensor) else values.get('input', values.get('self'))
    for p in sig.params:
        if p.type in ('Dimname', 'DimnameList') and p.name in values:
            v = values[p.name]
            for name in (v if isinstance(v, (list, tuple)) else [v]):
                if name is not None and not _IDENTIFIER.match(str(name)):
                    raise RuntimeError("Invalid name: a valid identifier contains only digits, alphabetical characters, and/or underscore and starts with a non-digit. got: '%s'." % name)
                if isinstance(t, Tensor):
                    raise RuntimeError("Name '%s' not found in Tensor[%s]." % (name, ', '.join(['None'] * t.dim())))
            raise _unsupported('named tensors (%s=%r)' % (p.name, v))


_POSITIONS = object()


def _native_defaults(binder, index):
    key = (id(binder), index)
    d = _DEFAULTS.get(key)
    if d is None:
        sig = binder.sigs[index]
        d = _DEFAULTS[key] = _dispatch.native_defaults(sig)
        d[_POSITIONS] = {p.name: i for i, p in enumerate(sig.params) if not p.kwonly}
    return d


def _bound_function(owner_js, name, key, what, engine_key=None, adjust=None, self_obj=None):
    """A PyTorch function of the table, calling the engine's `name` on `owner_js` (a method of
    `self_obj` when it is one of a Python-defined class)."""
    binder = _binding.lookup(key)
    fn = _js.get(owner_js, name)
    engine_key = engine_key or key

    def function(*args, **kwargs):
        named, defaults = _bind(binder, args, kwargs, self_obj)
        if adjust is not None:
            named = adjust(named)
        js_args = _engine_args(engine_key, named, defaults, what)
        try:
            return _result(name, _js.call(owner_js, fn, js_args, None))
        except _JsException as e:
            raise _py_error(e) from None

    function.__name__ = name
    function.__qualname__ = name
    return function


def _forwarder(owner_js, name, what, key=None, adjust=None, self_obj=None, engine_key=None):
    """`owner.name` for Python: bound by the table when PyTorch has the callable, else as given."""
    key = key or what
    if _binding.lookup(key) is not None and _dispatch.engine_calls().get(engine_key or key) is not None:
        return _bound_function(owner_js, name, key, what, adjust=adjust, self_obj=self_obj, engine_key=engine_key)
    fn = _js.get(owner_js, name)

    def method(*args, **kwargs):
        return _call(owner_js, fn, args, kwargs, what)

    method.__name__ = name
    method.__qualname__ = what
    return method


def _result(name, value):
    r = _from_js(value)
    if type(r) is _ValuesIndices:
        return return_types._of(name, r)
    return r


class _ReturnTypes:
    """`torch.return_types`: the named tuples PyTorch returns (max, min, sort, topk...)."""

    def __init__(self):
        self._classes = {}

    def _class(self, name):
        cls = self._classes.get(name)
        if cls is None:
            cls = self._classes[name] = type(name, (tuple,), {
                '__slots__': (), '__module__': 'torch.return_types', 'n_fields': 2, 'n_sequence_fields': 2,
                '__new__': lambda c, seq: tuple.__new__(c, seq),
                'values': property(lambda self: self[0]), 'indices': property(lambda self: self[1]),
                '__repr__': lambda self: 'torch.return_types.%s(\nvalues=%r,\nindices=%r)' % (type(self).__name__, self[0], self[1]),
            })
        return cls

    def _of(self, name, pair):
        return self._class(name)(pair)

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        return self._class(name)


return_types = _ReturnTypes()


class _ValuesIndices(tuple):
    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return 'torch.return_types(\nvalues=%r,\nindices=%r)' % (self[0], self[1])


# ------------------------------------------------------------------ autograd nodes

class _Node:
    __slots__ = ('_n',)

    def name(self):
        return type(self).__name__

    @property
    def next_functions(self):
        out = []
        for pair in self._n.next_functions:
            n = pair[0]
            out.append((None if n is None or n is _jsnull else _node(n), _int(pair[1])))
        return tuple(out)

    @property
    def variable(self):
        return _from_js(_js.get(self._n, 'variable'))

    def __repr__(self):
        return '<%s object at %#x>' % (type(self).__name__, id(self))

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        raise _missing('torch.autograd.graph.Node', name, type(self).__name__)


_node_classes = {}


def _node(js):
    name = str(_js.nodeName(js))
    cls = _node_classes.get(name)
    if cls is None:
        cls = _node_classes[name] = type(name, (_Node,), {'__slots__': ()})
    n = object.__new__(cls)
    n._n = js
    return n


# ------------------------------------------------------------------ Tensor

_TENSOR_PROTO = _js.Tensor.prototype
_add, _sub, _mul, _div, _pow = _js.add, _js.sub, _js.mul, _js.div, _js.pow
_rsub, _rdiv, _rpow, _matmul, _neg = _js.rsub, _js.rdiv, _js.rpow, _js.matmul, _js.neg
_cmp, _iop, _item, _str, _shape = _js.cmp, _js.iop, _js.item, _js.str, _js.shape
_unbind, _grad, _grad_fn = _js.unbind, _js.grad, _js.gradFn
_new = object.__new__
nn_Parameter = [None]  # set by torch.nn: the Parameter class, for the fast type test


def _o(x):
    """The other operand of a binary op: a tensor's handle, or a Python number as is."""
    return x._t if isinstance(x, Tensor) else _to_js(x)


def _operand(self, other, key):
    """The other operand of `self <op> other` for the engine, or NotImplemented when PyTorch's
    binding of the operator rejects it (Python then tries the other operand's method, or raises
    its own "unsupported operand type(s)" TypeError, as with PyTorch)."""
    tp = type(other)
    if tp is _int or tp is _bool:
        return other
    if tp is _float:
        return _pyfloat(other) if other.is_integer() else other
    if isinstance(other, Tensor):
        return other._t
    binder = _binding.lookup(key)
    if binder is None:
        return NotImplemented
    try:
        binder.bind((other,), None)
    except TypeError:
        return NotImplemented
    return _to_js(other)


def _binary(js_fn, key):
    def op(self, other):
        o = other._t if type(other) is Tensor else _operand(self, other, key)
        if o is NotImplemented:
            return o
        try:
            t = _new(Tensor)
            t._t = js_fn(self._t, o)
            return t
        except _JsException as e:
            raise _py_error(e) from None
    return op


class Tensor:
    """A handle to an engine tensor."""
    __slots__ = ('_t', '__weakref__')

    def __init__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and _plain(args[0]):
            self._t = tensor(args[0], dtype=float32)._t
            return
        raise _unsupported('torch.Tensor(...) with these arguments (use torch.tensor)')

    # ---- arithmetic: one engine call each
    __add__ = __radd__ = _binary(_add, 'Tensor.__add__')
    __sub__ = _binary(_sub, 'Tensor.__sub__')
    __rsub__ = _binary(_rsub, 'Tensor.__sub__')
    __mul__ = __rmul__ = _binary(_mul, 'Tensor.__mul__')
    __truediv__ = _binary(_div, 'Tensor.__truediv__')
    __rtruediv__ = _binary(_rdiv, 'Tensor.__truediv__')
    __pow__ = _binary(_pow, 'Tensor.__pow__')
    __matmul__ = _binary(_matmul, 'Tensor.__matmul__')

    def __rpow__(self, other):
        tp = type(other)
        if not (tp is _int or tp is _bool or tp is _float or isinstance(other, Tensor)):
            return NotImplemented
        if isinstance(other, Tensor):
            return other.pow(self)
        try:
            return _w(_rpow(self._t, _pyfloat(other) if tp is _float and other.is_integer() else other))
        except _JsException as e:
            raise _py_error(e) from None

    def __rmatmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return _w(_matmul(other._t, self._t))

    def __neg__(self):
        return _w(_neg(self._t))

    def __pos__(self):
        return self

    def __abs__(self):
        return _w(self._t.abs())

    def __floordiv__(self, other):
        return self.div(other, rounding_mode='floor')

    def __mod__(self, other):
        return self - (self // other) * other

    def _compare(op):
        key = 'Tensor.__%s__' % op

        def f(self, other):
            o = other._t if type(other) is Tensor else _operand(self, other, key)
            if o is NotImplemented:
                return o
            try:
                return _w(_cmp(op, self._t, o))
            except _JsException as e:
                raise _py_error(e) from None
        return f

    __eq__ = _compare('eq')
    __ne__ = _compare('ne')
    __lt__ = _compare('lt')
    __le__ = _compare('le')
    __gt__ = _compare('gt')
    __ge__ = _compare('ge')
    del _compare
    __hash__ = object.__hash__

    def _inplace(op):
        key = 'Tensor.__i%s__' % op[:-1].replace('div', 'truediv')

        def f(self, other):
            o = other._t if type(other) is Tensor else _operand(self, other, key)
            if o is NotImplemented:
                return o
            try:
                _iop(op, self._t, o)
            except _JsException as e:
                raise _py_error(e) from None
            return self
        return f

    __iadd__ = _inplace('add_')
    __isub__ = _inplace('sub_')
    __imul__ = _inplace('mul_')
    __itruediv__ = _inplace('div_')
    __ipow__ = _inplace('pow_')
    del _inplace

    def __and__(self, other):
        return _w(self._t.logical_and(_o(other)))

    def __or__(self, other):
        return _w(self._t.logical_or(_o(other)))

    def __invert__(self):
        return _w(self._t.logical_not())

    # ---- conversions
    def item(self):
        try:
            return self._py(_item(self._t))
        except _JsException as e:
            raise _py_error(e) from None

    def _py(self, v):
        name = str(self._t.dtype.name)
        if name == 'bool':
            return _bool(v)
        if name.startswith('int') or name.startswith('uint'):
            return _int(v)
        return _float(v)

    def __float__(self):
        try:
            return _float(_item(self._t))
        except _JsException as e:
            raise _py_error(e) from None

    def __int__(self):
        try:
            return _int(_item(self._t))
        except _JsException as e:
            raise _py_error(e) from None

    def __index__(self):
        if str(self._t.dtype.name).startswith('float'):
            raise TypeError('only integer tensors of a single element can be converted to an index')
        return _int(self)

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError('Boolean value of Tensor with more than one value is ambiguous')
        return _bool(_item(self._t))

    def tolist(self):
        v = self._t.tolist()
        if not isinstance(v, _JsProxy):
            return self._py(v)
        v = v.to_py()
        name = str(self._t.dtype.name)
        cast = _float if name.startswith('float') else _bool if name == 'bool' else None
        if cast is None:
            return v

        def leaves(x):
            return [leaves(e) for e in x] if type(x) is list else cast(x)
        return leaves(v)

    def numpy(self, *, force=False):
        """An ndarray sharing this CPU tensor's memory (numpy's glue, py/numpy/_torch.py)."""
        from numpy import _torch as glue
        return glue.tensor_numpy(self, force)

    # ---- shape
    @property
    def shape(self):
        return Size(_shape(self._t).to_py())

    def size(self, dim=None):
        s = self.shape
        return s if dim is None else s[dim]

    def dim(self):
        return _int(_js.dim(self._t))

    ndim = property(dim)

    def numel(self):
        n = 1
        for d in _shape(self._t).to_py():
            n *= d
        return n

    nelement = numel

    @property
    def dtype(self):
        return _dtype_of(self._t.dtype)

    @property
    def device(self):
        return device('cpu')

    def __len__(self):
        s = _shape(self._t).to_py()
        if not s:
            raise TypeError('len() of a 0-d tensor')
        return s[0]

    def __iter__(self):
        if not _shape(self._t).to_py():
            raise TypeError('iteration over a 0-d tensor')
        return iter([_w(x) for x in _unbind(self._t)])

    # ---- indexing: t[i], t[a:b], t[1:3, 0], t[idx_tensor], t[mask], t[..., None]
    def __getitem__(self, key):
        try:
            return _w(_js.index(self._t, _index_items(key)))
        except _JsException as e:
            raise _py_error(e) from None

    def __setitem__(self, key, value):
        try:
            _js.indexPut(self._t, _index_items(key), _o(value))
        except _JsException as e:
            raise _py_error(e) from None

    # ---- autograd
    @property
    def grad(self):
        g = _grad(self._t)
        if g is None:
            return None
        t = _new(Tensor)
        t._t = g
        return t

    @grad.setter
    def grad(self, value):
        _js.setGrad(self._t, None if value is None else value._t)

    @property
    def grad_fn(self):
        n = _grad_fn(self._t)
        return None if n is None else _node(n)

    @property
    def requires_grad(self):
        return _bool(self._t.requires_grad)

    @requires_grad.setter
    def requires_grad(self, flag):
        try:
            self._t.requires_grad = _bool(flag)
        except _JsException as e:
            raise _py_error(e) from None

    @property
    def is_leaf(self):
        return _bool(self._t.is_leaf)

    @property
    def _version(self):
        return _int(self._t._version)

    @property
    def data(self):
        return _w(self._t.data)

    @data.setter
    def data(self, value):
        self._t.data = value._t

    @property
    def T(self):
        return _w(self._t.T)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        try:
            if retain_graph is None and not create_graph and inputs is None:
                _js.backward(self._t, None if gradient is None else gradient._t)
            else:
                _call(self._t, self._t.backward, [gradient], {'retain_graph': retain_graph, 'create_graph': create_graph, **({'inputs': inputs} if inputs is not None else {})}, 'torch.Tensor.backward')
        except _JsException as e:
            raise _py_error(e) from None

    def detach(self):
        return _w(self._t.detach())

    def requires_grad_(self, requires_grad=True):
        try:
            self._t.requires_grad_(_bool(requires_grad))
        except _JsException as e:
            raise _py_error(e) from None
        return self

    def zero_(self):
        self._t.zero_()
        return self

    def to(self, *args, **kwargs):
        for a in list(args) + list(kwargs.values()):
            if isinstance(a, dtype):
                return _w(self._t.to(a._t))
            if isinstance(a, Tensor):
                return _w(self._t.to(a._t.dtype))
        return self

    def cpu(self):
        return self

    def type(self, dtype=None, non_blocking=False, **kwargs):
        """'torch.FloatTensor' without an argument; with one, the tensor converted (as PyTorch)."""
        if dtype is None:
            return 'torch.' + str(self._t.dtype.legacyName)
        return self.to(dtype)

    def cuda(self, *args, **kwargs):
        raise _unsupported('torch.Tensor.cuda (Autograd Lab runs on the CPU)')

    # ---- printing
    def __repr__(self):
        return str(_str(self._t))

    def __format__(self, spec):
        if self.dim() == 0 and type(self) is Tensor:
            return self.item().__format__(spec)
        return object.__format__(repr(self), spec) if spec else repr(self)

    # ---- results of PyTorch's type
    def any(self, *args, **kwargs):
        return _any_all(self, 'any', args, kwargs)

    def all(self, *args, **kwargs):
        return _any_all(self, 'all', args, kwargs)

    # ---- everything else the engine's Tensor has, bound by PyTorch's signatures
    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError("'Tensor' object has no attribute '%s'" % name)
        t = self._t
        if not _js.has(t, name) or name in _NOT_PYTORCH:
            raise _missing('torch.Tensor', name, 'Tensor')
        if _js.typeOf(_js.get(t, name)) != 'function':
            return _from_js(_js.get(t, name))
        method = _tensor_method(name)
        setattr(Tensor, name, method)  # later lookups skip __getattr__
        return method.__get__(self, type(self))


def _tensor_method(name):
    """`tensor.name(...)`: bound by PyTorch's signature of Tensor.name, then the engine's method."""
    key = 'Tensor.' + name
    what = 'torch.Tensor.' + name
    binder = _binding.lookup(key)
    fn = _js.get(_TENSOR_PROTO, name)
    if binder is None or _dispatch.engine_calls().get(key) is None:
        if binder is None:
            def unknown(self, *args, **kwargs):
                raise _missing('torch.Tensor', name, 'Tensor')
            return unknown

        def unplaced(self, *args, **kwargs):
            _bind(binder, args, kwargs, self)  # PyTorch's TypeErrors first
            raise _unsupported(what)
        return unplaced
    inplace = name.endswith('_')
    none = []  # the engine arguments of a call without arguments, once worked out

    def method(self, *args, **kwargs):
        if args or kwargs or not none:
            named, defaults = _bind(binder, args, kwargs, self)
            js_args = _engine_args(key, named, defaults, what)
            if not args and not kwargs:
                none.append(js_args)
        else:
            js_args = none[0]
        try:
            r = _js.call(self._t, fn, js_args, None)
        except _JsException as e:
            raise _py_error(e) from None
        if inplace:
            return self  # PyTorch's in-place methods return the tensor itself
        return _result(name, r)

    method.__name__ = name
    method.__qualname__ = 'Tensor.' + name
    return method


def any(*args, **kwargs):
    named, _ = _bind(_binding.lookup('torch.any'), args, kwargs)
    d = dict(named)
    return _any_all(d.pop('input'), 'any', (), d)


def all(*args, **kwargs):
    named, _ = _bind(_binding.lookup('torch.all'), args, kwargs)
    d = dict(named)
    return _any_all(d.pop('input'), 'all', (), d)


def _any_all(self, which, args, kwargs):
    """any()/all() as PyTorch: a bool tensor, reduced over `dim` when given. The engine's answer
    is a JavaScript boolean over everything, so the reduction is made of engine ops here."""
    named, _ = _bind(_binding.lookup('Tensor.' + which), args, kwargs, self)
    d = dict(named)
    if 'dim' in d and not isinstance(d['dim'], _int):
        raise _unsupported('torch.Tensor.%s over named dimensions' % which)
    hits = self.ne(0) if which == 'any' else self.eq(0)
    counts = hits.sum(d['dim'], keepdim=d.get('keepdim', False)) if 'dim' in d else hits.sum()
    return counts.gt(0) if which == 'any' else counts.eq(0)


# The methods that translate engine errors themselves (the hot ones) are left unwrapped.
_translate_class_errors(Tensor, skip=frozenset([
    '__add__', '__radd__', '__sub__', '__rsub__', '__mul__', '__rmul__', '__truediv__', '__rtruediv__', '__pow__',
    '__rpow__', '__matmul__', '__eq__', '__ne__', '__lt__', '__le__', '__gt__', '__ge__', '__iadd__', '__isub__',
    '__imul__', '__itruediv__', '__ipow__', 'item', '__float__', '__int__', '__getitem__', '__setitem__', 'grad',
    'grad_fn', 'requires_grad', 'is_leaf', 'backward', 'requires_grad_', '__hash__', '__repr__', 'shape', 'dim',
    'numel', '__len__', '__iter__', 'dtype', 'any', 'all']))

def _checked(key, impl):
    """A method written here, with its arguments bound by PyTorch's signature first (its TypeErrors)."""
    @_wraps(impl)
    def method(self, *args, **kwargs):
        if args or kwargs:
            binder = _binding.lookup(key)
            if binder is not None:
                _bind(binder, args, kwargs, self)
        return impl(self, *args, **kwargs)
    return method


for _n in ('size', 'to', 'type', 'backward', 'requires_grad_', 'zero_', 'detach', 'item', 'tolist', 'cpu', 'dim', 'numel',
           'cuda', 'numpy', 'nelement'):
    setattr(Tensor, _n, _checked('Tensor.' + _n, vars(Tensor)[_n]))

# Members of the engine's Tensor that are TypeScript spellings, not PyTorch API.
_NOT_PYTORCH = frozenset(['get', 'slice', 'index', 'toString', 'values', 'length', 'constructor', 'valueOf'])


_TP_NAMES = {}


def _tp_name(obj):
    tp = type(obj)
    return _TP_NAMES.get(tp) or tp.__name__


def _is_integral(t):
    name = str(t._t.dtype.name)
    return name != 'bool' and not name.startswith('float')


def _index_items(key):
    items = key if type(key) is tuple else (key,)
    out = []
    for k in items:
        tk = type(k)
        if tk is _int:
            out.append(k)
        elif tk is slice:
            out.append(_js.slice(k.start, k.stop, k.step))
        elif k is None:
            out.append(_jsnull)
        elif k is Ellipsis:
            out.append('...')
        elif isinstance(k, Tensor):
            out.append(k._t)
        elif tk is list:
            if k and _all(type(e) is _bool for e in k):
                out.append(tensor(k)._t)
            else:
                out.append(_to_js_raw(k))
        elif tk is _bool:
            raise _unsupported('indexing a tensor with a Python bool')
        elif hasattr(k, '__index__'):
            out.append(k.__index__())
        else:
            raise IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got %s)' % tk.__name__)
    return _to_js_raw(out)


class device:
    def __init__(self, type='cpu', index=None):
        if isinstance(type, device):
            type = type.type
        if str(type).split(':')[0] != 'cpu':
            raise _unsupported("torch.device('%s') (Autograd Lab runs on the CPU)" % type)
        self.type = 'cpu'
        self.index = None

    def __repr__(self):
        return "device(type='cpu')"

    def __str__(self):
        return 'cpu'

    def __eq__(self, other):
        return isinstance(other, device) or other == 'cpu'

    def __hash__(self):
        return hash('cpu')


class Generator:
    """`torch.Generator()`: a CPU generator of its own (PyTorch's mt19937 stream, bit for bit),
    over the engine's; pass it as `generator=` to the random functions."""

    def __init__(self, device='cpu'):
        if str(device).split(':')[0] != 'cpu':
            raise _unsupported("torch.Generator(device='%s') (Autograd Lab runs on the CPU)" % device)
        self._js = _js.construct(_jt.Generator, _to_js_raw([]), None)

    @classmethod
    def _of(cls, js):
        g = _new(cls)
        g._js = js
        return g

    @property
    def device(self):
        return device('cpu')

    def manual_seed(self, seed):
        try:
            self._js.manual_seed(seed)
        except _JsException as e:
            raise _py_error(e) from None
        return self

    def seed(self):
        return _int(self._js.seed())

    def initial_seed(self):
        return _int(self._js.initial_seed())

    def get_state(self):
        return _tensor(list(self._js.get_state().to_py()), _dtypes['uint8'])

    def set_state(self, new_state):
        if not isinstance(new_state, Tensor) or new_state.dtype is not _dtypes['uint8']:
            raise TypeError('RNG state must be a torch.ByteTensor')
        try:
            self._js.set_state(_to_js_raw(bytes(new_state.tolist())))
        except _JsException as e:
            raise _py_error(e) from None
        return self



# PyTorch's Generator is the C type torch._C.Generator, with object's own repr: so repr() gives
# `<torch._C.Generator object at 0x…>` and IPython `<torch._C.Generator at 0x…>`, as there.
Generator.__module__ = 'torch._C'

_TP_NAMES.update({Size: 'torch.Size', dtype: 'torch.dtype', device: 'torch.device', type(None): 'NoneType', Generator: 'torch.Generator'})
_binding._hooks.update(Tensor=Tensor, dtype=dtype, device=device, Generator=Generator, tp_name=_tp_name, is_integral=_is_integral)


class _Cuda:
    @staticmethod
    def is_available():
        return False

    @staticmethod
    def device_count():
        return 0

    def __getattr__(self, name):
        raise _missing('torch.cuda', name)


cuda = _Cuda()


def _name_tensor(t, name):
    """Names a parameter for the graph view (what the probe of `model = ...` does); the engine
    keeps the first name a tensor is given."""
    _js.nameTensor(t._t, name)


# ------------------------------------------------------------------ creation

def _leaf_kind(x):
    """'bool', 'int' or 'float': what torch.tensor infers from Python data."""
    kinds = set()

    def walk(v):
        tv = type(v)
        if tv is _bool:
            kinds.add('bool')
        elif tv is _int:
            kinds.add('int')
        elif tv is _float:
            kinds.add('float')
        elif isinstance(v, Tensor):
            kinds.add('float' if v.is_floating_point() else 'int')
        elif tv in (list, tuple):
            for e in v:
                walk(e)
        else:
            kinds.add('float')

    walk(x)
    if kinds == {'bool'}:
        return 'bool'
    if kinds and kinds <= {'int', 'bool'}:
        return 'int'
    return 'float'


def tensor(*args, **kwargs):
    named, defaults = _bind(_binding.lookup('torch.tensor'), args, kwargs)
    d = dict(_dispatch._without_no_ops(_dispatch.engine_calls()['torch.tensor'], named, defaults))
    for name in d:
        if name not in ('data', 'dtype', 'requires_grad'):
            raise _unsupported('torch.tensor(%s=...)' % name)
    return _tensor(d['data'], d.get('dtype'), d.get('requires_grad', False))


def _as_tensor_data(named):
    """torch.as_tensor's data: PyTorch's TypeError for strings, as torch.tensor's."""
    for name, value in named:
        if name == 'data' and _has_str(value):
            raise TypeError("new(): invalid data type 'str'")
    return named


def _has_str(x):
    return type(x) is str or (type(x) in (list, tuple) and _any(_has_str(e) for e in x))


def _numpy_glue(x):
    """numpy's torch glue when x is a NumPy array or scalar (only a script that imported numpy has one)."""
    if 'numpy' not in _sys.modules:
        return None
    from numpy import _torch as glue
    return glue if glue.is_array(x) or glue.is_scalar(x) else None


def _tensor(data, dtype=None, requires_grad=False):
    glue = _numpy_glue(data)
    if glue is not None:
        if glue.is_array(data):  # torch.tensor(a) copies a, in a's dtype unless told otherwise
            t = _w(glue.engine_copy(data, dtype))
            return t.requires_grad_() if requires_grad else t
        value, name = glue.scalar_data(data)  # a NumPy scalar keeps its dtype
        return _tensor(value, dtype or _dtypes[name], requires_grad)
    if _has_str(data):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(data, Tensor):
        data = data.tolist()
    if dtype is None:
        kind = _leaf_kind(data)
        dtype = {'bool': _dtypes['bool'], 'int': _dtypes['int64'], 'float': None}[kind]
    opts = {}
    if dtype is not None:
        opts['dtype'] = dtype
    if requires_grad:
        opts['requires_grad'] = True
    try:
        return _w(_js.call(_jt, _jt.tensor, _to_js_raw([_to_js(data)]), _opts(opts)))
    except _JsException as e:
        raise _py_error(e) from None


_ADJUST = {}
_as_tensor = _bound_function(_jt, 'as_tensor', 'torch.as_tensor', 'torch.as_tensor', adjust=_as_tensor_data)


def as_tensor(*args, **kwargs):
    """`torch.as_tensor(a)` shares a NumPy array's memory (a copy when another dtype is asked for)."""
    named, defaults = _bind(_binding.lookup('torch.as_tensor'), args, kwargs)
    d = dict(_dispatch._without_no_ops(_dispatch.engine_calls()['torch.as_tensor'], named, defaults))
    data = d.get('data')
    if isinstance(data, Tensor):
        out = _as_tensor(*args, **kwargs)
        return data if out._t == data._t else out  # the tensor itself when nothing had to change
    for name in d:
        if name not in ('data', 'dtype'):
            raise _unsupported('torch.as_tensor(%s=...)' % name)
    glue = _numpy_glue(data)
    if glue is not None and glue.is_array(data):
        return _w(glue.engine_shared(data, d.get('dtype')))
    return _tensor(data, d.get('dtype'))  # Python data: a new tensor, inferred as torch.tensor infers


def from_numpy(ndarray):
    """A tensor sharing the NumPy array's memory."""
    from numpy import _torch as glue
    return glue.from_numpy(ndarray)

for _n in ('zeros', 'ones', 'empty', 'rand', 'randn', 'arange', 'full', 'linspace'):
    if _js.has(_jt, _n):
        globals()[_n] = _bound_function(_jt, _n, 'torch.' + _n, 'torch.' + _n, adjust=_ADJUST.get(_n))


def is_tensor(obj):
    return isinstance(obj, Tensor)


def typename(obj):
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, '__module__', '') or ''
    qualname = getattr(obj, '__qualname__', None) or type(obj).__qualname__
    return qualname if module in ('', 'builtins') else module + '.' + qualname


# ------------------------------------------------------------------ grad mode

class _GradMode:
    def __init__(self, flag):
        self._flag = flag
        self._prev = []

    def __enter__(self):
        self._prev.append(_bool(_js.isGradEnabled()))
        _js.setGradEnabled(self._flag)

    def __exit__(self, *exc):
        _js.setGradEnabled(self._prev.pop())
        return False

    def __call__(self, fn):
        mode = self

        def wrapper(*args, **kwargs):
            with type(mode)() if type(mode) is not set_grad_enabled else set_grad_enabled(mode._flag):
                return fn(*args, **kwargs)

        wrapper.__name__ = getattr(fn, '__name__', 'wrapper')
        wrapper.__doc__ = getattr(fn, '__doc__', None)
        return wrapper


class no_grad(_GradMode):
    def __init__(self):
        super().__init__(False)


class enable_grad(_GradMode):
    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_GradMode):
    """Sets the mode at once (as a call) and restores the previous one at the end of a `with`."""

    def __init__(self, mode):
        super().__init__(_bool(mode))
        self._prev.append(_bool(_js.isGradEnabled()))
        _js.setGradEnabled(self._flag)

    def __enter__(self):
        pass


def is_grad_enabled():
    return _bool(_js.isGradEnabled())


# ------------------------------------------------------------------ submodules

from torch import nn  # noqa: E402
from torch import optim  # noqa: E402
from torch import utils  # noqa: E402
from torch import autograd  # noqa: E402

_EXPLICIT = set(globals())


def __getattr__(name):
    """Everything else the engine's `torch` has; NotImplementedError for what it lacks."""
    if name.startswith('__'):
        raise AttributeError(name)
    if not _js.has(_jt, name) or name == 'slice':
        raise _missing('torch', name)
    value = _js.get(_jt, name)
    if _js.typeOf(value) == 'function':
        value = _forwarder(_jt, name, 'torch.' + name, adjust=_ADJUST.get(name))
    else:
        value = _from_js(value)
    globals()[name] = value
    return value


_MODULE_DUNDERS = frozenset(['__builtins__', '__cached__', '__doc__', '__file__', '__loader__', '__name__', '__package__', '__path__', '__spec__'])


def _public_dir(names):
    """dir() of one of our modules as PyTorch's looks: public names and the usual module dunders."""
    return sorted(n for n in set(names) if not n.startswith('_') or n in _MODULE_DUNDERS)


def __dir__():
    return _public_dir(set(globals()) | {str(k) for k in _js.keys(_jt)})


# `import torch.<anything we lack>` names the feature instead of failing with ModuleNotFoundError.
class _UnsupportedFinder:
    @staticmethod
    def find_spec(fullname, path=None, target=None):
        # PyTorch's own submodules (torch.fft, ...) and its companion packages are named; any
        # other torch.x is a ModuleNotFoundError, as under PyTorch.
        if fullname in _PYTORCH_SUBMODULES or fullname in ('torchvision', 'torchaudio', 'torchtext'):
            raise _unsupported(fullname)
        return None


if not _any(type(f).__name__ == '_UnsupportedFinder' for f in _sys.meta_path):
    _sys.meta_path.append(_UnsupportedFinder())
