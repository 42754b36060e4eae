"""`torch.optim.lr_scheduler`: the engine's schedulers, given the Python optimizer's engine one."""
import _agl_js as _js
import torch as _torch
from torch import _binding

_jl = _js.get(_js.optim, 'lr_scheduler')


class _Scheduler:
    _js_class = None
    _js_name = None

    def __init__(self, optimizer, *args, **kwargs):
        key = 'torch.optim.lr_scheduler.' + self._js_name
        named, defaults = _torch._bind(_binding.lookup(key), (optimizer,) + args, kwargs, self)
        self.optimizer = optimizer
        js_args = _torch._engine_args(key, named, defaults, key)
        try:
            self._js = _js.construct(self._js_class, js_args, None)
        except _torch._JsException as e:
            raise _torch._py_error(e) from None
        # The scheduler wrapped the engine optimizer's step() to count its calls (PyTorch's
        # "lr_scheduler.step() before optimizer.step()" check): the Python optimizer must call that one.
        if isinstance(optimizer, _torch.optim.Optimizer):
            optimizer._step = optimizer._js.step

    def get_last_lr(self):
        lrs = list(_torch._from_js(self._js.get_last_lr()))
        floats = getattr(self.optimizer, '_floats', frozenset())
        return [float(v) if 'lr' in floats and type(v) is int else v for v in lrs]

    def state_dict(self):
        from torch.optim import _tree
        return _tree(self._js.state_dict())

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        if not _js.has(self._js, name):
            raise _torch._unsupported('torch.optim.lr_scheduler.%s.%s' % (type(self).__name__, name))
        value = _js.get(self._js, name)
        if _js.typeOf(value) == 'function':
            key = 'torch.optim.lr_scheduler.%s.%s' % (self._js_name, name)
            return _torch._forwarder(self._js, name, '%s.%s' % (type(self).__name__, name), key=key, self_obj=self)
        return _torch._from_js(value)


_torch._translate_class_errors(_Scheduler)

if _jl is not None:
    for _name in _js.keys(_jl):
        _name = str(_name)
        if _name[:1].isupper():
            globals()[_name] = type(_name, (_Scheduler,), {'_js_class': _js.get(_jl, _name), '_js_name': _name, '__module__': 'torch.optim.lr_scheduler'})


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise _torch._missing('torch.optim.lr_scheduler', name)
