"""`torch.nn.functional`: the engine's functions, called with Python arguments and keywords."""
import _agl_js as _js
import torch as _torch

_jf = _js.functional


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    if not _js.has(_jf, name):
        raise _torch._missing('torch.nn.functional', name)
    fn = _torch._forwarder(_jf, name, 'torch.nn.functional.' + name)
    globals()[name] = fn
    return fn


def __dir__():
    return sorted(str(k) for k in _js.keys(_jf))
