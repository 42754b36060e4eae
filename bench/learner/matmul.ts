// The benchmark's (e): one n×n matrix product, `a.matmul(b)`, reporting sampled entries of the
// product (the same positions on every implementation).
import torch from 'autograd-lab';
import { bench } from '../harness.mjs';
import { probeIndices } from '../workloads.mjs';

interface MatmulData {
  n: number;
  a: number[];
  b: number[];
}

const { data } = bench.workload();
const d = data as MatmulData;
const a = torch.tensor(d.a).reshape(d.n, d.n);
const b = torch.tensor(d.b).reshape(d.n, d.n);
const samples = probeIndices(d.n);

bench.time(() => {
  const c = a.matmul(b);
  const values = c.values();
  return samples.map((i) => values[i]!);
});
