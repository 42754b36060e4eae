// Chapter 5's thermometer loop as the seed writes it (examples/thermometer/03-sgd.ts, 04-adam.ts):
// the benchmark's (a) SGD and (b) Adam loops, and the long run of (g) memory. The harness
// (../harness.mjs) says which and times it; the numbers are the same on every path.
import torch, { optim, type Tensor } from 'autograd-lab';
import { bench } from '../harness.mjs';

interface ThermometerData {
  t_c: number[];
  t_u: number[];
}

const { id, size, data } = bench.workload();
const { t_c: celsius, t_u: unknown_units } = data as ThermometerData;
const t_c = torch.tensor(celsius);
const t_u = torch.tensor(unknown_units);
// SGD needs the normalized input (In [37]); Adam copes with the raw one (In [41]).
const t_in = id === 'adam' ? t_u : t_u.mul(0.1);

function model(t_u: Tensor, ...[w, b]: Tensor[]): Tensor {
  return w!.mul(t_u).add(b!);
}

function loss_fn(t_p: Tensor, t_c: Tensor): Tensor {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

/** In [38] without its printing; returns the last epoch's loss. */
function training_loop(n_epochs: number, optimizer: optim.Optimizer, params: Tensor, t_u: Tensor, t_c: Tensor): Tensor {
  let loss: Tensor | null = null;
  for (let epoch = 1; epoch <= n_epochs; epoch++) {
    const t_p = model(t_u, ...params);
    loss = loss_fn(t_p, t_c);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  return loss!;
}

function newOptimizer(params: Tensor): optim.Optimizer {
  return id === 'adam' ? new optim.Adam([params], { lr: 1e-1 }) : new optim.SGD([params], { lr: 1e-2 });
}

if (id === 'memory') {
  const params = torch.tensor([1.0, 0.0], { requires_grad: true });
  const optimizer = newOptimizer(params);
  bench.heapGrowth((epochs) => {
    const loss = training_loop(epochs, optimizer, params, t_in, t_c);
    return [...(params.tolist() as number[]), loss.item()];
  });
} else {
  bench.time(() => {
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    const optimizer = newOptimizer(params);
    const loss = training_loop(size.epochs!, optimizer, params, t_in, t_c);
    return [...(params.tolist() as number[]), loss.item()];
  });
}
