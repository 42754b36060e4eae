// Chapter 5, In [30]–[32]: a training loop that updates params by hand.
import torch, { pyFormat, type Tensor } from 'autograd-lab';

const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

function model(t_u: Tensor, ...[w, b]: Tensor[]): Tensor {
  return w.mul(t_u).add(b);
}

function loss_fn(t_p: Tensor, t_c: Tensor): Tensor {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

// In [30]
function training_loop(n_epochs: number, learning_rate: number, params: Tensor, t_u: Tensor, t_c: Tensor): Tensor {
  for (let epoch = 1; epoch <= n_epochs; epoch++) {
    // This could be done at any point in the loop prior to calling loss.backward()
    if (params.grad !== null) {
      params.grad.zero_();
    }
    const t_p = model(t_u, ...params);
    const loss = loss_fn(t_p, t_c);
    loss.backward();
    // detach() cuts the update out of the graph; requires_grad_() starts tracking the new leaf
    params = params.sub(params.grad!.mul(learning_rate)).detach().requires_grad_();
    if (epoch % 500 === 0) {
      console.log(pyFormat('Epoch %d, Loss %f', epoch, loss.item()));
    }
  }
  return params;
}

// In [31]: normalize the input so both parameters learn at a similar pace
const t_un = t_u.mul(0.1);

// In [32]
const params = training_loop(5000, 1e-2, torch.tensor([1.0, 0.0], { requires_grad: true }), t_un, t_c);
console.log(String(params));
