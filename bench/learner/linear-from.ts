// A Linear layer that starts from given weights (the harness's, in PyTorch's layout), so every
// implementation trains the same network.
import torch, { nn } from 'autograd-lab';

export interface LinearInit {
  weight: number[];
  bias: number[];
  in: number;
  out: number;
}

export function linear_from(init: LinearInit): nn.Linear {
  const layer = new nn.Linear(init.in, init.out);
  torch.no_grad(() => {
    layer.weight.copy_(torch.tensor(init.weight).reshape(init.out, init.in));
    layer.bias!.copy_(torch.tensor(init.bias));
  });
  return layer;
}
