"""`torch.nn`: Module, Parameter and containers in Python (so learners can subclass them); the
built-in layers and losses are the engine's, each wrapped as a Python Module."""
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import _agl_js as _js
import torch as _torch
from torch import Tensor, _w, _to_js, _to_js_raw, _opts, _from_js, _unsupported, _missing, _py_error, _JsException, _translate_class_errors
from torch import _binding
from torch.nn import functional  # noqa: F401
from torch.nn import init  # noqa: F401

_jnn = _js.nn


class Parameter(Tensor):
    """A tensor that a Module registers as a parameter (a handle to the engine's Parameter)."""
    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _torch.empty(0)
        p = object.__new__(cls)
        try:
            p._t = _js.construct(_jnn.Parameter, _to_js_raw([data._t, bool(requires_grad)]))
        except _JsException as e:
            raise _py_error(e) from None
        return p

    def __init__(self, data=None, requires_grad=True):
        pass


_torch.nn_Parameter[0] = Parameter


def _wrap_param(js):
    p = object.__new__(Parameter)
    p._t = js
    return p


def _addindent(s, n):
    lines = s.split('\n')
    if len(lines) == 1:
        return s
    first = lines.pop(0)
    return first + '\n' + '\n'.join(' ' * n + line for line in lines)


class _IncompatibleKeys(namedtuple('IncompatibleKeys', ['missing_keys', 'unexpected_keys'])):
    """What load_state_dict returns, printed as PyTorch prints it."""
    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return '<All keys matched successfully>'
        return super().__repr__()

    __str__ = __repr__


class Module:
    """PyTorch's nn.Module: parameters and submodules registered by assignment."""

    training = True

    def __init__(self, *args, **kwargs):
        object.__setattr__(self, '_parameters', OrderedDict())
        object.__setattr__(self, '_modules', OrderedDict())
        object.__setattr__(self, '_buffers', OrderedDict())
        object.__setattr__(self, 'training', True)

    def forward(self, *args, **kwargs):
        raise NotImplementedError('Module [%s] is missing the required "forward" function' % type(self).__name__)

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def __setattr__(self, name, value):
        params = self.__dict__.get('_parameters')
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError('cannot assign parameters before Module.__init__() call')
            self.__dict__.get('_modules', {}).pop(name, None)
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            modules = self.__dict__.get('_modules')
            if modules is None:
                raise AttributeError('cannot assign module before Module.__init__() call')
            params.pop(name, None)
            modules[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError("cannot assign '%s' as parameter '%s' (torch.nn.Parameter or None expected)" % (type(value).__name__, name))
            self.register_parameter(name, None)
        elif self.__dict__.get('_modules') and name in self._modules:
            if value is not None:
                raise TypeError("cannot assign '%s' as child module '%s' (torch.nn.Module or None expected)" % (type(value).__name__, name))
            self._modules[name] = None
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ('_parameters', '_buffers', '_modules'):
            s = d.get(store)
            if s is not None and name in s:
                return s[name]
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def __delattr__(self, name):
        for store in ('_parameters', '_buffers', '_modules'):
            if name in self.__dict__.get(store, {}):
                del self.__dict__[store][name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        self._buffers[name] = tensor

    def add_module(self, name, module):
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target):
        m = self
        for part in target.split('.') if target else []:
            m = getattr(m, part)
        return m

    # ---- iteration
    def named_modules(self, memo=None, prefix='', remove_duplicate=True):
        if memo is None:
            memo = set()
        if self in memo and remove_duplicate:
            return
        memo.add(self)
        yield prefix, self
        for name, m in self._modules.items():
            if m is None:
                continue
            yield from m.named_modules(memo, prefix + ('.' if prefix else '') + name, remove_duplicate)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        seen = set()
        for name, m in self._modules.items():
            if m is not None and m not in seen:
                seen.add(m)
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def named_parameters(self, prefix='', recurse=True, remove_duplicate=True):
        seen = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mod_prefix, m in mods:
            for name, p in m._parameters.items():
                if p is None or (remove_duplicate and id(p._t) in seen):
                    continue
                seen.add(id(p._t))
                yield mod_prefix + ('.' if mod_prefix else '') + name, p

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix='', recurse=True):
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mod_prefix, m in mods:
            for name, b in m._buffers.items():
                if b is not None:
                    yield mod_prefix + ('.' if mod_prefix else '') + name, b

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ---- modes and gradients
    def train(self, mode=True):
        object.__setattr__(self, 'training', bool(mode))
        for m in self.children():
            m.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad.zero_()

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs):
        return self

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        raise _unsupported('torch.nn.Module.cuda (Autograd Lab runs on the CPU)')

    # ---- state
    def state_dict(self, destination=None, prefix='', keep_vars=False):
        out = OrderedDict() if destination is None else destination
        for name, p in self._parameters.items():
            if p is not None:
                out[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None:
                out[prefix + name] = b if keep_vars else b.detach()
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(out, prefix + name + '.', keep_vars)
        return out

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """PyTorch's: copies each matching entry in place; missing, unexpected and misshapen
        entries are reported together, in PyTorch's words."""
        if not isinstance(state_dict, Mapping):
            raise TypeError('Expected state_dict to be dict-like, got %s.' % type(state_dict))
        if assign:
            raise _unsupported('torch.nn.Module.load_state_dict(assign=True)')
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        with _torch.no_grad():
            for k, param in own.items():
                if k not in state_dict:
                    continue
                value = state_dict[k]
                if not isinstance(value, Tensor):
                    errors.append('While copying the parameter named "%s", expected torch.Tensor or Tensor-like object from checkpoint but received %s'
                                  % (k, type(value)))
                elif value.shape != param.shape:
                    errors.append('size mismatch for %s: copying a param with shape %s from checkpoint, the shape in current model is %s.'
                                  % (k, value.shape, param.shape))
                else:
                    param.copy_(value)
        if strict:
            if unexpected:
                errors.insert(0, 'Unexpected key(s) in state_dict: %s. ' % ', '.join('"%s"' % k for k in unexpected))
            if missing:
                errors.insert(0, 'Missing key(s) in state_dict: %s. ' % ', '.join('"%s"' % k for k in missing))
        if errors:
            raise RuntimeError('Error(s) in loading state_dict for %s:\n\t%s' % (type(self).__name__, '\n\t'.join(errors)))
        return _IncompatibleKeys(missing, unexpected)

    # ---- printing
    def extra_repr(self):
        return ''

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split('\n') if extra else []
        child_lines = ['(' + k + '): ' + _addindent(repr(m), 2) for k, m in self._modules.items()]
        lines = extra_lines + child_lines
        main = self._get_name() + '('
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += '\n  ' + '\n  '.join(lines) + '\n'
        return main + ')'

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(self._parameters) | set(self._modules) | set(self._buffers))


class _EngineModule(Module):
    """A built-in layer: the engine's module (`_js`), its parameters registered as Parameters."""
    _js_class = None

    def __init__(self, *args, **kwargs):
        super().__init__()
        key = 'torch.nn.' + self._js_name
        binder = _binding.lookup(key)
        if binder is None:
            raise _unsupported(key)
        named, defaults = _torch._bind(binder, args, kwargs, self)
        js_args = _torch._engine_args(key, named, defaults, key)
        try:
            m = _js.construct(self._js_class, js_args, None)
        except _JsException as e:
            raise _py_error(e) from None
        self._adopt(m)

    def _adopt(self, m):
        object.__setattr__(self, '_js', m)
        for pair in m._parameters():
            self._parameters[str(pair[0])] = _wrap_param(pair[1])

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if isinstance(value, Parameter) or (value is None and name in self._parameters):
            _js.set(self._js, name, None if value is None else value._t)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            pass
        if name.startswith('_') or not _js.has(self.__dict__.get('_js'), name):
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        value = _js.get(self._js, name)
        if _js.typeOf(value) == 'function':
            m = self._js

            return _torch._forwarder(m, name, '%s.%s' % (type(self).__name__, name), key='torch.nn.%s.%s' % (self._js_name, name), self_obj=self)
        return _from_js(value)

    def forward(self, *args, **kwargs):
        m = self._js
        if len(args) == 1 and not kwargs and type(args[0]) in (Tensor, Parameter):
            try:
                return _w(_js.forward1(m, args[0]._t))
            except _JsException as e:
                raise _py_error(e) from None
        key = 'torch.nn.%s.forward' % self._js_name
        binder = _binding.lookup(key)
        if binder is None:
            return _torch._call(m, m.forward, args, kwargs, type(self).__name__ + '.forward')
        named, defaults = _torch._bind(binder, args, kwargs, self)
        js_args = _torch._engine_args(key, named, defaults, key)
        try:
            return _from_js(_js.call(m, m.forward, js_args, None))
        except _JsException as e:
            raise _py_error(e) from None

    def extra_repr(self):
        return str(self._js.extra_repr())

    def train(self, mode=True):
        super().train(mode)
        self._js.train(bool(mode))
        return self


_translate_class_errors(_EngineModule, skip=frozenset(['__init__', 'forward']))
_binding._hooks['Module'] = Module

_engine_classes = {}


def _engine_class(name):
    cls = _engine_classes.get(name)
    if cls is None:
        cls = type(name, (_EngineModule,), {'_js_class': _js.get(_jnn, name), '_js_name': name, '__module__': 'torch.nn'})
        _engine_classes[name] = cls
    return cls


def _wrap_js_module(m):
    """A Python Module for an engine module the engine handed back."""
    cls = _engine_class(str(m.constructor.name).replace('Module', '') or 'Module')
    mod = object.__new__(cls)
    Module.__init__(mod)
    mod._adopt(m)
    return mod


for _name in _js.keys(_jnn):
    _name = str(_name)
    if _name[:1].isupper() and _name not in ('Module', 'Parameter', 'Sequential', 'AttributeError', 'KeyError', 'Loss', 'WeightedLoss') \
            and bool(_js.isModuleClass(_js.get(_jnn, _name))):
        globals()[_name] = _engine_class(_name)


class Sequential(Module):
    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        keys = list(self._modules)
        return self._modules[keys[idx]]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self


class ModuleList(Module):
    def __init__(self, modules=None):
        super().__init__()
        for m in modules or []:
            self.append(m)

    def append(self, module):
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules):
        for m in modules:
            self.append(m)
        return self

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return ModuleList(list(self._modules.values())[idx])
        return list(self._modules.values())[idx]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _missing('torch.nn', name)


def __dir__():
    return _torch._public_dir(globals())
