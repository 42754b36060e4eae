// Chapter 5, In [56] and [58]: switch autograd off where no gradient is needed.
import torch, { optim, pyRepr, type Tensor } from 'autograd-lab';

const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

function model(t_u: Tensor, ...[w, b]: Tensor[]): Tensor {
  return w.mul(t_u).add(b);
}

function loss_fn(t_p: Tensor, t_c: Tensor): Tensor {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

// The book's split (see 05-train-validation.ts for how it is drawn)
torch.manual_seed(33554659);
const shuffled_indices = torch.randperm(t_u.shape[0]!);
const train_indices = shuffled_indices.slice(null, -2);
const val_indices = shuffled_indices.slice(-2);
const train_t_un = t_u.get(train_indices).mul(0.1);
const train_t_c = t_c.get(train_indices);
const val_t_un = t_u.get(val_indices).mul(0.1);
const val_t_c = t_c.get(val_indices);

// In [58]: Python's `with torch.no_grad():` block is a callback; it returns the callback's value
function training_loop(
  n_epochs: number,
  optimizer: optim.Optimizer,
  params: Tensor,
  train_t_u: Tensor,
  val_t_u: Tensor,
  train_t_c: Tensor,
  val_t_c: Tensor,
): Tensor {
  for (let epoch = 1; epoch <= n_epochs; epoch++) {
    const train_t_p = model(train_t_u, ...params);
    const train_loss = loss_fn(train_t_p, train_t_c);
    const val_loss = torch.no_grad(() => {
      const val_t_p = model(val_t_u, ...params);
      const val_loss = loss_fn(val_t_p, val_t_c);
      // All requires_grad args are forced to false inside this block.
      console.assert(val_loss.requires_grad === false);
      return val_loss;
    });
    optimizer.zero_grad();
    train_loss.backward();
    optimizer.step();
    if (epoch <= 3 || epoch % 500 === 0) {
      console.log(`Epoch ${epoch}, Training loss ${pyRepr(train_loss.item())}, Validation loss ${pyRepr(val_loss.item())}`);
    }
  }
  return params;
}

const params = torch.tensor([1.0, 0.0], { requires_grad: true });
const optimizer = new optim.SGD([params], { lr: 1e-2 });
console.log(String(training_loop(3000, optimizer, params, train_t_un, val_t_un, train_t_c, val_t_c)));

// In [56]: set_grad_enabled picks the mode from a flag, e.g. training vs evaluation
function calc_forward(t_u: Tensor, t_c: Tensor, is_train: boolean): Tensor {
  return torch.set_grad_enabled(is_train, () => {
    const t_p = model(t_u, ...params);
    const loss = loss_fn(t_p, t_c);
    return loss;
  })!;
}

const train_loss = calc_forward(train_t_un, train_t_c, true);
const val_loss = calc_forward(val_t_un, val_t_c, false);
console.log(`train loss requires grad: ${train_loss.requires_grad}, ${train_loss}`);
console.log(`val loss requires grad: ${val_loss.requires_grad}, ${val_loss}`);
