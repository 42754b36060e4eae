"""`from torch.utils.tensorboard import SummaryWriter`: add_scalar feeds the run's loss curves."""
import _agl_js as _js
import torch as _torch


class SummaryWriter:
    def __init__(self, log_dir=None, comment='', purge_step=None, max_queue=10, flush_secs=120, filename_suffix=''):
        opts = {'log_dir': log_dir, 'comment': comment, 'max_queue': max_queue, 'flush_secs': flush_secs}
        self._js = _js.construct(_js.SummaryWriter, _torch._to_js_raw([]), _torch._opts(opts))

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False, double_precision=False):
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
