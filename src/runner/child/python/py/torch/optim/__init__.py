"""`torch.optim`: the engine's optimizers, given the Python parameters' engine tensors."""
from builtins import bool as _bool
from collections import defaultdict

import _agl_js as _js
import torch as _torch
from torch import _binding
from torch import _to_js, _to_js_raw, _opts, _py_error, _JsException, _unsupported, _missing, _translate_class_errors

_jo = _js.optim


def _params_js(params):
    if isinstance(params, _torch.Tensor):
        raise TypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got ' + _torch.typename(params))
    return _to_js_raw([_to_js(p) for p in list(params)])


class _ParamGroup(dict):
    """A param group whose hyperparameters write through to the engine's optimizer."""

    def __init__(self, js, floats=None):
        floats = floats or {}
        self._group = js
        super().__init__()
        for k in _js.keys(js):
            k = str(k)
            v = _js.get(js, k)
            if k == 'params':
                dict.__setitem__(self, k, list(_torch._from_js(v)))
            else:
                value = _tree(v, tuple)
                which = floats.get(k, True if k == 'initial_lr' and 'lr' in floats else None)
                dict.__setitem__(self, k, value if which is None else _as_float(value, which))

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        if key != 'params':
            _js.set(self._group, key, _to_js(value))


def _as_float(v, which=True):
    """The engine's numbers as the Python floats they were given as (`which`: per element of a tuple)."""
    if type(v) is int and which is True:
        return float(v)
    if type(v) in (tuple, list):
        flags = which if type(which) is tuple else (which,) * len(v)
        return type(v)(_as_float(e, f) for e, f in zip(v, flags))
    return v


def _tree(x, sequence=list):
    """An engine state-dict value as PyTorch's: objects as dicts, arrays as `sequence`, tensors wrapped."""
    if not isinstance(x, _torch._JsProxy):
        return _torch._from_js(x)
    kind = _js.kind(x)
    if kind == 2:
        return sequence(_tree(e, sequence) for e in x)
    if kind == 0 and _js.typeOf(x) == 'object' and not _js.has(x, 'itemsize'):
        return {str(k): _tree(_js.get(x, str(k)), sequence) for k in _js.keys(x)}
    return _torch._from_js(x)


def _state_dict(js):
    """PyTorch's optimizer state dict: state keyed by parameter position (ints), state lists as
    lists; param_groups with params as a list of positions and the other sequences (betas,
    etas) as tuples, as the optimizers' defaults give them."""
    state = {int(k): _tree(_js.get(js.state, str(k))) for k in _js.keys(js.state)}
    groups = []
    for g in js.param_groups:
        group = _tree(g, tuple)
        group['params'] = list(group['params'])
        groups.append(group)
    return {'state': state, 'param_groups': groups}


class Optimizer:
    _js_class = None
    _js_name = None

    def __init__(self, params, *args, **kwargs):
        if self._js_class is None:
            raise _unsupported('subclassing torch.optim.Optimizer')
        key = 'torch.optim.' + self._js_name
        named, defaults = _torch._bind(_binding.lookup(key), (params,) + args, kwargs, self)
        named = [(n, _param_list(v) if n == 'params' else v) for n, v in named]
        self._params = _python_params(dict(named)['params'])
        # Python floats among the hyperparameters stay floats (the engine's numbers don't say 1.0 from 1).
        given = dict(_binding.lookup(key).defaults)
        given.update(named)
        self._floats = {k: (tuple(type(e) is float for e in v) if type(v) is tuple else True)
                        for k, v in given.items() if type(v) is float or (type(v) is tuple and any(type(e) is float for e in v))}
        js_args = _torch._engine_args(key, named, defaults, key)
        try:
            self._js = _js.construct(self._js_class, js_args, None)
        except _JsException as e:
            raise _py_error(e) from None
        self._step = self._js.step
        self._zero_none = None

    def step(self, *args, **kwargs):
        key = 'torch.optim.%s.step' % self._js_name
        if args or kwargs:
            values = _binding.lookup(key if _binding.lookup(key) else 'torch.optim.Optimizer.step').bind((self,) + args, kwargs)
            closure = values.get('closure')
            closure = None if closure is _binding.MISSING else closure
        else:
            closure = None
        try:
            if closure is None:
                return _torch._from_js(self._step())
            from pyodide.ffi import create_proxy

            def js_closure():
                loss = closure()
                return loss._t if isinstance(loss, _torch.Tensor) else loss

            proxy = create_proxy(js_closure)
            try:
                return _torch._from_js(self._step(proxy))
            finally:
                proxy.destroy()
        except _JsException as e:
            raise _py_error(e) from None

    def zero_grad(self, *args, **kwargs):
        if not args and not kwargs and self._zero_none is not None:
            js_args = self._zero_none
        else:
            key = 'torch.optim.Optimizer.zero_grad'
            named, defaults = _torch._bind(_binding.lookup(key), args, kwargs, self)
            js_args = _torch._engine_args(key, named, defaults, key)
            if not args and not kwargs:
                self._zero_none = js_args
        try:
            _js.call(self._js, self._js.zero_grad, js_args, None)
        except _JsException as e:
            raise _py_error(e) from None

    def add_param_group(self, *args, **kwargs):
        values = _binding.lookup('torch.optim.Optimizer.add_param_group').bind((self,) + args, kwargs)
        group = dict(values['param_group'])
        if 'params' in group:
            group['params'] = _param_list(group['params'])
        try:
            self._js.add_param_group(_to_js(group))
        except _JsException as e:
            raise _py_error(e) from None
        self._params += _python_params([group])

    def state_dict(self, *args, **kwargs):
        _binding.lookup('torch.optim.Optimizer.state_dict').bind((self,) + args, kwargs)
        return _state_dict(self._js.state_dict())

    def load_state_dict(self, *args, **kwargs):
        values = _binding.lookup('torch.optim.Optimizer.load_state_dict').bind((self,) + args, kwargs)
        try:
            self._js.load_state_dict(_to_js(values['state_dict']))
        except _JsException as e:
            raise _py_error(e) from None

    @property
    def state(self):
        """PyTorch's `optimizer.state`: per-parameter records keyed by the parameters themselves."""
        out = defaultdict(dict)
        js_state = self._js.state
        for p in self._params:
            if _bool(js_state.has(p._t)):
                out[p] = _tree(js_state.get(p._t))
        return out

    @property
    def param_groups(self):
        return [_ParamGroup(g, self._floats) for g in self._js.param_groups]

    @property
    def defaults(self):
        return _tree(self._js.defaults, tuple)

    def __repr__(self):
        return str(_js.str(self._js))

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        if not _js.has(self._js, name):
            raise _missing('torch.optim.Optimizer', name, type(self).__name__)
        value = _js.get(self._js, name)
        if _js.typeOf(value) == 'function':
            return _torch._forwarder(self._js, name, '%s.%s' % (type(self).__name__, name), key='torch.optim.Optimizer.' + name, self_obj=self)
        return _torch._from_js(value)


def _param_list(params):
    """The parameters an optimizer takes, iterated once (a generator like model.parameters())."""
    if isinstance(params, _torch.Tensor):
        raise TypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got ' + _torch.typename(params))
    return list(params)


def _python_params(params):
    out = []
    for p in params:
        if isinstance(p, dict) and 'params' in p:
            ps = p.get('params', [])
            out += [ps] if isinstance(ps, _torch.Tensor) else list(ps)
        else:
            out.append(p)
    return [p for p in out if isinstance(p, _torch.Tensor)]


_translate_class_errors(Optimizer, skip=frozenset(['__init__', 'step', 'zero_grad']))
_binding._hooks['Optimizer'] = Optimizer

for _name in _js.keys(_jo):
    _name = str(_name)
    if _name[:1].isupper() and _name != 'Optimizer':
        globals()[_name] = type(_name, (Optimizer,), {'_js_class': _js.get(_jo, _name), '_js_name': _name, '__module__': 'torch.optim'})

from torch.optim import lr_scheduler  # noqa: E402


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _missing('torch.optim', name)


def __dir__():
    return _torch._public_dir(globals())
