// Chapter 5, In [22]–[29]: autograd computes the gradient of the loss for you.
import torch, { type Tensor } from 'autograd-lab';

// In [23]: the thermometer readings, in Celsius (t_c) and in the unknown unit (t_u)
const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

// In [24]: the linear model. It takes w and b as a rest list so that `model(t_u, ...params)`
// type-checks: spreading a tensor unbinds it like Python's `*params`.
function model(t_u: Tensor, ...[w, b]: Tensor[]): Tensor {
  return w.mul(t_u).add(b);
}

// In [25]: mean squared error
function loss_fn(t_p: Tensor, t_c: Tensor): Tensor {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

// In [26]: requires_grad tells autograd to track every operation on params
const params = torch.tensor([1.0, 0.0], { requires_grad: true });

// In [27]: no gradient yet (Python's None is null here)
console.log(params.grad === null);

// In [28]: `*params` unpacks the tensor into w and b, as Python's iteration does
const loss = loss_fn(model(t_u, ...params), t_c);
loss.backward();

// In [29]
console.log(String(params.grad));
