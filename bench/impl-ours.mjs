// The workloads on Autograd Lab, written as a learner writes them (the chapter's code), against
// the built engine in dist/ (what `npx autograd-lab run` loads).
import torch, { nn, optim } from '../dist/engine/index.js';
import { probeIndices } from './workloads.mjs';

function model(t_u, ...[w, b]) {
  return w.mul(t_u).add(b);
}

function loss_fn(t_p, t_c) {
  const squared_diffs = t_p.sub(t_c).pow(2);
  return squared_diffs.mean();
}

/** The chapter's training_loop (without its printing), for SGD and Adam alike. */
function training_loop(n_epochs, optimizer, params, t_u, t_c) {
  let loss;
  for (let epoch = 1; epoch <= n_epochs; epoch++) {
    const t_p = model(t_u, ...params);
    loss = loss_fn(t_p, t_c);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  return loss;
}

/** Copies PyTorch-layout values into a parameter. */
function assign(param, values) {
  torch.no_grad(() => param.copy_(torch.tensor(values).reshape(param.shape)));
}

function linearFrom(init) {
  const layer = new nn.Linear(init.in, init.out);
  assign(layer.weight, init.weight);
  assign(layer.bias, init.bias);
  return layer;
}

/** Returns a function running the whole workload once and returning its result (a flat list). */
export function setup(id, size, data) {
  if (id === 'sgd' || id === 'adam') {
    const t_c = torch.tensor(data.t_c);
    const t_u = torch.tensor(data.t_u);
    const input = id === 'sgd' ? t_u.mul(0.1) : t_u;
    return () => {
      const params = torch.tensor([1.0, 0.0], { requires_grad: true });
      const optimizer = id === 'sgd' ? new optim.SGD([params], { lr: 1e-2 }) : new optim.Adam([params], { lr: 1e-1 });
      const loss = training_loop(size.epochs, optimizer, params, input, t_c);
      return [...params.tolist(), loss.item()];
    };
  }
  if (id === 'mlp1') {
    const t_c = torch.tensor(data.t_c).unsqueeze(1);
    const t_un = torch.tensor(data.t_u).unsqueeze(1).mul(0.1);
    return () => {
      const seq_model = new nn.Sequential(
        new Map([
          ['hidden_linear', linearFrom(data.hidden)],
          ['hidden_activation', new nn.Tanh()],
          ['output_linear', linearFrom(data.output)],
        ]),
      );
      const optimizer = new optim.SGD(seq_model.parameters(), { lr: data.lr });
      const loss_fn = new nn.MSELoss();
      let loss;
      for (let epoch = 1; epoch <= size.epochs; epoch++) {
        const t_p = seq_model.call(t_un);
        loss = loss_fn.call(t_p, t_c);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
      }
      return [loss.item(), ...seq_model.parameters().flatMap((p) => [...p.values()])];
    };
  }
  if (id === 'mlp784') {
    const x = torch.tensor(data.x).reshape(data.batch, 784);
    const labels = torch.tensor(data.labels, { dtype: torch.int64 });
    return () => {
      const fc1 = linearFrom(data.fc1);
      const fc2 = linearFrom(data.fc2);
      const net = new nn.Sequential(fc1, new nn.ReLU(), fc2);
      const optimizer = new optim.SGD(net.parameters(), { lr: data.lr });
      const loss_fn = new nn.CrossEntropyLoss();
      const losses = [];
      for (let step = 0; step < size.steps; step++) {
        const loss = loss_fn.call(net.call(x), labels);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
      return [losses[0], losses[losses.length - 1], ...fc2.bias.values()];
    };
  }
  if (id.startsWith('matmul')) {
    const a = torch.tensor(data.a).reshape(data.n, data.n);
    const b = torch.tensor(data.b).reshape(data.n, data.n);
    const probes = probeIndices(data.n);
    return () => {
      const c = a.matmul(b);
      const values = c.values();
      return probes.map((i) => values[i]);
    };
  }
  throw new Error(`unknown workload ${id}`);
}

/**
 * (g): the heap after `small` and after `large` epochs of the SGD loop (one loop, measured at both
 * points after garbage collection). Needs `--expose-gc`.
 */
export function memory(data, small, large) {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  const t_c = torch.tensor(data.t_c);
  const t_un = torch.tensor(data.t_u).mul(0.1);
  const params = torch.tensor([1.0, 0.0], { requires_grad: true });
  const optimizer = new optim.SGD([params], { lr: 1e-2 });
  const settle = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  let loss = training_loop(small, optimizer, params, t_un, t_c);
  const heapSmall = settle();
  loss = training_loop(large - small, optimizer, params, t_un, t_c);
  const heapLarge = settle();
  return { heap_small_bytes: heapSmall, heap_large_bytes: heapLarge, growth_bytes: heapLarge - heapSmall, result: [...params.tolist(), loss.item()] };
}
