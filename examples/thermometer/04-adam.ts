// Chapter 5, In [40]–[41]: Adam adapts the step size, so the raw (un-normalized) input works.
import torch, { optim, pyFormat, type Tensor } from 'autograd-lab';

const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

function model(t_u: Tensor, ...[w, b]: Tensor[]): Tensor {
  return w.mul(t_u).add(b);
}

function loss_fn(t_p: Tensor, t_c: Tensor): Tensor {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

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

// In [40]
const params = torch.tensor([1.0, 0.0], { requires_grad: true });
const learning_rate = 1e-1;
const optimizer = new optim.Adam([params], { lr: learning_rate });

// In [41]: back to the original input
console.log(String(training_loop(2000, optimizer, params, t_u, t_c)));
