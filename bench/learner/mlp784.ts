// The benchmark's (d): an MNIST-sized MLP, 784→128→10 with ReLU and cross-entropy, trained for
// a few SGD steps on one batch, as a learner writes it after chapter 6.
import torch, { nn, optim } from 'autograd-lab';
import { bench } from '../harness.mjs';
import { linear_from, type LinearInit } from './linear-from.js';

interface Mlp784Data {
  x: number[];
  labels: number[];
  batch: number;
  fc1: LinearInit;
  fc2: LinearInit;
  lr: number;
}

const { size, data } = bench.workload();
const d = data as Mlp784Data;
const x = torch.tensor(d.x).reshape(d.batch, 784);
const labels = torch.tensor(d.labels, { dtype: torch.int64 });

bench.time(() => {
  const fc1 = linear_from(d.fc1);
  const fc2 = linear_from(d.fc2);
  const net = new nn.Sequential(fc1, new nn.ReLU(), fc2);
  const optimizer = new optim.SGD(net.parameters(), { lr: d.lr });
  const loss_fn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let step = 0; step < size.steps!; step++) {
    const loss = loss_fn.call(net.call(x), labels);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return [losses[0]!, losses[losses.length - 1]!, ...fc2.bias!.values()];
});
