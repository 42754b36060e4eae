"""`torch.autograd`: grad() and backward() over Python tensors."""
import _agl_js as _js
import torch as _torch

_ja = _js.get(_js.torch, 'autograd')


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    if _ja is None or not _js.has(_ja, name) or name == 'graph':
        raise _torch._missing('torch.autograd', name)
    fn = _torch._forwarder(_ja, name, 'torch.autograd.' + name)
    globals()[name] = fn
    return fn
