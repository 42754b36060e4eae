"""`torch.nn.init`: the engine's initializers, in place on a Python tensor."""
import _agl_js as _js
import torch as _torch

_ji = _js.get(_js.nn, 'init')


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    if _ji is None or not _js.has(_ji, name):
        raise _torch._missing('torch.nn.init', name)
    fn = _torch._forwarder(_ji, name, 'torch.nn.init.' + name)
    globals()[name] = fn
    return fn
