"""`from torch.utils.tensorboard import SummaryWriter`: add_scalar feeds the run's loss curves."""
import _agl_js as _js
import torch as _torch
from torch import _binding


class SummaryWriter:
    def __init__(self, *args, **kwargs):
        key = 'torch.utils.tensorboard.SummaryWriter'
        named, defaults = _torch._bind(_binding.lookup(key), args, kwargs, self)
        js_args = _torch._engine_args(key, named, defaults, key)
        try:
            self._js = _js.construct(_js.SummaryWriter, js_args, None)
        except _torch._JsException as e:
            raise _torch._py_error(e) from None

    def add_scalar(self, *args, **kwargs):
        values = _binding.lookup('torch.utils.tensorboard.SummaryWriter.add_scalar').bind((self,) + args, kwargs)
        tag, scalar_value = values['tag'], values['scalar_value']
        global_step = None if values['global_step'] is _binding.MISSING else values['global_step']
        value = scalar_value._t if isinstance(scalar_value, _torch.Tensor) else float(scalar_value)
        _js.call(self._js, self._js.add_scalar, _torch._to_js_raw([str(tag), value, global_step]), None)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        for tag, v in tag_scalar_dict.items():
            self.add_scalar('%s/%s' % (main_tag, tag), v, global_step)

    def flush(self):
        self._js.flush()

    def close(self):
        self._js.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        raise _torch._missing('torch.utils.tensorboard.SummaryWriter', name, 'SummaryWriter')


_torch._translate_class_errors(SummaryWriter)
