"""`torch.utils`: tensorboard's SummaryWriter (scalars become the run's curves)."""
from torch.utils import tensorboard  # noqa: F401


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    import torch
    raise torch._missing('torch.utils', name)
