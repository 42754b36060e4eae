// Chapter 6: the thermometer problem with a small neural network — nn.Sequential with named
// layers (a hidden Linear(1, 8) + Tanh, and a Linear(8, 1) output) trained with SGD.
// The Python twin is seq-model.py; both print the same text.
import torch, { nn, optim, pyFormat, type Tensor } from 'autograd-lab';

const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]).unsqueeze(1);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).unsqueeze(1);

// The chapter-5 split (the seed draws the book's permutation; it also seeds the layers' init)
torch.manual_seed(33554659);
const n_samples = t_u.shape[0]!;
const n_val = Math.trunc(0.2 * n_samples);
const shuffled_indices = torch.randperm(n_samples);
const train_indices = shuffled_indices.slice(null, -n_val);
const val_indices = shuffled_indices.slice(-n_val);

const train_t_un = t_u.get(train_indices).mul(0.1);
const train_t_c = t_c.get(train_indices);
const val_t_un = t_u.get(val_indices).mul(0.1);
const val_t_c = t_c.get(val_indices);

function training_loop(
  n_epochs: number,
  optimizer: optim.Optimizer,
  model: nn.Module,
  loss_fn: nn.MSELoss,
  t_u_train: Tensor,
  t_u_val: Tensor,
  t_c_train: Tensor,
  t_c_val: Tensor,
): void {
  for (let epoch = 1; epoch <= n_epochs; epoch++) {
    const t_p_train = model.call(t_u_train) as Tensor;
    const loss_train = loss_fn.call(t_p_train, t_c_train);

    const t_p_val = model.call(t_u_val) as Tensor;
    const loss_val = loss_fn.call(t_p_val, t_c_val);

    optimizer.zero_grad();
    loss_train.backward();
    optimizer.step();

    if (epoch === 1 || epoch % 1000 === 0) {
      console.log(pyFormat('Epoch %d, Training loss %.4f, Validation loss %.4f', epoch, loss_train.item(), loss_val.item()));
    }
  }
}

// Python's OrderedDict([...]) is a Map (or an array of [name, module] pairs)
const seq_model = new nn.Sequential([
  ['hidden_linear', new nn.Linear(1, 8)],
  ['hidden_activation', new nn.Tanh()],
  ['output_linear', new nn.Linear(8, 1)],
] as const);
console.log(String(seq_model));

for (const [name, param] of seq_model.named_parameters()) {
  console.log(name, `torch.Size([${param.shape.join(', ')}])`);
}

console.log(String(seq_model.output_linear.bias));

const optimizer = new optim.SGD(seq_model.parameters(), { lr: 1e-3 });

training_loop(5000, optimizer, seq_model, new nn.MSELoss(), train_t_un, val_t_un, train_t_c, val_t_c);

console.log('output', String(seq_model.call(val_t_un)));
console.log('answer', String(val_t_c));
console.log('hidden', String(seq_model.hidden_linear.weight.grad));
