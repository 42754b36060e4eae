// Chapter 5, In [33]–[39]: the same loop with torch.optim.SGD doing the update.
import torch, { optim, pyFormat, type Tensor } from 'autograd-lab';

const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const t_un = t_u.mul(0.1);

function model(t_u: Tensor, ...[w, b]: Tensor[]): Tensor {
  return w.mul(t_u).add(b);
}

function loss_fn(t_p: Tensor, t_c: Tensor): Tensor {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

// In [34]: what optim offers
console.log(Object.keys(optim).filter((name) => /^[A-Z]/.test(name)).sort().join(', '));

// In [35]–[36]: one step on the raw input, lr 1e-5
{
  const params = torch.tensor([1.0, 0.0], { requires_grad: true });
  const learning_rate = 1e-5;
  const optimizer = new optim.SGD([params], { lr: learning_rate });
  const t_p = model(t_u, ...params);
  const loss = loss_fn(t_p, t_c);
  loss.backward();
  optimizer.step();
  console.log(String(params));
}

// In [37]: one step on the normalized input, lr 1e-2, with zero_grad in the right spot
{
  const params = torch.tensor([1.0, 0.0], { requires_grad: true });
  const learning_rate = 1e-2;
  const optimizer = new optim.SGD([params], { lr: learning_rate });
  const t_p = model(t_un, ...params);
  const loss = loss_fn(t_p, t_c);
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
  console.log(String(params));
}

// In [38]
function training_loop(n_epochs: number, optimizer: optim.Optimizer, params: Tensor, t_u: Tensor, t_c: Tensor): Tensor {
  for (let epoch = 1; epoch <= n_epochs; epoch++) {
    const t_p = model(t_u, ...params);
    const loss = loss_fn(t_p, t_c);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (epoch % 500 === 0) {
      console.log(pyFormat('Epoch %d, Loss %f', epoch, loss.item()));
    }
  }
  return params;
}

// In [39]: both params here are the same object, so the optimizer updates what the model uses
const params = torch.tensor([1.0, 0.0], { requires_grad: true });
const learning_rate = 1e-2;
const optimizer = new optim.SGD([params], { lr: learning_rate });
console.log(String(training_loop(5000, optimizer, params, t_un, t_c)));
