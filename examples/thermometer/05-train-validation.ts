// Chapter 5, In [42]–[53]: hold out a validation set to see whether the model generalizes.
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

// In [42]–[43]
const n_samples = t_u.shape[0]!;
const n_val = Math.trunc(0.2 * n_samples);
console.log(`(${n_samples}, ${n_val})`);

// In [44]: a random permutation of the sample indices. The book doesn't say which seed it ran
// with; this one makes torch.randperm (ours and PyTorch's alike) draw the book's permutation.
torch.manual_seed(33554659);
const shuffled_indices = torch.randperm(n_samples);

// In [45]–[46]: Python's shuffled_indices[:-n_val] and shuffled_indices[-n_val:]
const train_indices = shuffled_indices.slice(null, -n_val);
const val_indices = shuffled_indices.slice(-n_val);
console.log(`(${train_indices}, ${val_indices})`);

// In [49]: index tensors select the samples (Python's t_u[train_indices])
const train_t_u = t_u.get(train_indices);
const train_t_c = t_c.get(train_indices);
const val_t_u = t_u.get(val_indices);
const val_t_c = t_c.get(val_indices);

// In [50]
const train_t_un = train_t_u.mul(0.1);
const val_t_un = val_t_u.mul(0.1);

// In [51]: evaluate the validation loss every epoch, but train only on the training loss
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
    const val_t_p = model(val_t_u, ...params);
    const val_loss = loss_fn(val_t_p, val_t_c);
    optimizer.zero_grad();
    train_loss.backward();
    optimizer.step();
    if (epoch <= 3 || epoch % 500 === 0) {
      console.log(`Epoch ${epoch}, Training loss ${pyRepr(train_loss.item())}, Validation loss ${pyRepr(val_loss.item())}`);
    }
  }
  return params;
}

// In [52]–[53]
const params = torch.tensor([1.0, 0.0], { requires_grad: true });
const learning_rate = 1e-2;
const optimizer = new optim.SGD([params], { lr: learning_rate });
console.log(String(training_loop(3000, optimizer, params, train_t_un, val_t_un, train_t_c, val_t_c)));
