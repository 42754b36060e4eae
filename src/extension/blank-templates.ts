/**
 * The blank scripts of New Training Script…: the shape of every training loop, with nothing
 * filled in that the learner would have to delete. Each runs as it is (and prints its loss).
 */
export const BLANK_TEMPLATES: Record<string, string> = {
  'train.ts': `// A training loop: data, a model, a loss, and an optimizer that lowers it.
import torch, { nn, optim, type Tensor } from 'autograd-lab';

// Your data: inputs x and the targets y the model should learn to predict.
const x = torch.tensor([[1.0], [2.0], [3.0], [4.0]]);
const y = torch.tensor([[2.0], [4.0], [6.0], [8.0]]);

const model = new nn.Linear(1, 1);
const loss_fn = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });

for (let epoch = 1; epoch <= 500; epoch++) {
  const loss = loss_fn.call(model.call(x) as Tensor, y);
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
`,
  'train.py': `# A training loop: data, a model, a loss, and an optimizer that lowers it.
import torch
import torch.nn as nn
import torch.optim as optim

# Your data: inputs x and the targets y the model should learn to predict.
x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
y = torch.tensor([[2.0], [4.0], [6.0], [8.0]])

model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)

for epoch in range(1, 501):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
`,
};
