"""Writes py/torch/_pytorch_names.py: the public names of PyTorch's namespaces that the `torch`
layer stands in for. With it, `hasattr(torch, 'fft')` raises NotImplementedError naming the
feature (PyTorch has it, we don't yet), while `hasattr(torch, 'no_such_thing')` is False, as
under PyTorch. Run with an interpreter that has PyTorch: /usr/bin/python3 src/runner/child/python/gen_pytorch_names.py
"""
import os
import pkgutil

import torch
import torch.nn
import torch.nn.functional
import torch.nn.init
import torch.optim
import torch.optim.lr_scheduler
import torch.autograd
import torch.utils
import torch.utils.data
import torch.cuda

try:
    from torch.utils.tensorboard import SummaryWriter
except Exception:  # tensorboard not installed: its methods as of PyTorch 1.13
    SummaryWriter = None

NAMESPACES = {
    'torch': torch,
    'torch.Tensor': torch.Tensor,
    'torch.nn': torch.nn,
    'torch.nn.Module': torch.nn.Module,
    'torch.nn.functional': torch.nn.functional,
    'torch.nn.init': torch.nn.init,
    'torch.optim': torch.optim,
    'torch.optim.Optimizer': torch.optim.Optimizer,
    'torch.optim.lr_scheduler': torch.optim.lr_scheduler,
    'torch.autograd': torch.autograd,
    # a grad_fn's class (MulBackward0): the members every autograd node has
    'torch.autograd.graph.Node': type((torch.ones(1, requires_grad=True) * 2).grad_fn),
    'torch.utils': torch.utils,
    'torch.cuda': torch.cuda,
}
if SummaryWriter is not None:
    NAMESPACES['torch.utils.tensorboard.SummaryWriter'] = SummaryWriter


def public(obj):
    return sorted(n for n in dir(obj) if not n.startswith('_'))


def submodules():
    names = set()
    for info in pkgutil.iter_modules(torch.__path__):
        if not info.name.startswith('_'):
            names.add('torch.' + info.name)
    for pkg in (torch.nn, torch.optim, torch.utils, torch.autograd):
        for info in pkgutil.iter_modules(pkg.__path__):
            if not info.name.startswith('_'):
                names.add(pkg.__name__ + '.' + info.name)
    return sorted(names)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'py', 'torch', '_pytorch_names.py')
    lines = [
        '"""Public names of PyTorch %s, written by src/runner/child/python/gen_pytorch_names.py (do not edit).' % torch.__version__,
        'A name listed here that the engine lacks raises NotImplementedError; one not listed is an',
        'AttributeError, as it is under PyTorch."""',
        '',
        'NAMES = {',
    ]
    for key, obj in NAMESPACES.items():
        names = public(obj)
        lines.append('    %r: frozenset(%r.split()),' % (key, ' '.join(names)))
    lines.append('}')
    lines.append('')
    lines.append('SUBMODULES = frozenset(%r.split())' % ' '.join(submodules()))
    lines.append('')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
    print('wrote %s (%d bytes)' % (out, os.path.getsize(out)))


if __name__ == '__main__':
    main()
