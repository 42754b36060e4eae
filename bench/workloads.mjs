// The benchmark's workloads: their sizes (full and quick), their data (made here, deterministically,
// and handed to every implementation as the same float32 numbers) and how their results are compared.

/** The chapter's thermometer data (chapter 5 of Deep Learning with PyTorch). */
export const T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
export const T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];

/**
 * Workload ids and what they run. `script` is the learner script that runs it on Autograd Lab
 * (bench/learner/, on both paths); `size` holds the parameters (epochs, shapes) for a full run
 * and for the quick run CI uses as a smoke test.
 */
export const WORKLOADS = [
  {
    id: 'sgd',
    script: 'thermometer.ts',
    label: '(a) SGD loop (ch. 5)',
    unit: 'ms',
    full: { epochs: 5000 },
    quick: { epochs: 60 },
    describe: (s) => `${s.epochs} epochs`,
  },
  {
    id: 'adam',
    script: 'thermometer.ts',
    label: '(b) Adam loop (ch. 5)',
    unit: 'ms',
    full: { epochs: 2000 },
    quick: { epochs: 40 },
    describe: (s) => `${s.epochs} epochs`,
  },
  {
    id: 'mlp1',
    script: 'seq-model.ts',
    label: '(c) MLP 1→8→1 tanh (ch. 6)',
    unit: 'ms',
    full: { epochs: 5000 },
    quick: { epochs: 60 },
    describe: (s) => `${s.epochs} epochs, 11 samples`,
  },
  {
    id: 'mlp784',
    script: 'mlp784.ts',
    label: '(d) MLP 784→128→10, CE',
    unit: 'ms',
    full: { steps: 50, batch: 256 },
    quick: { steps: 3, batch: 32 },
    describe: (s) => `${s.steps} SGD steps, batch ${s.batch}`,
  },
  ...[
    [128, 32],
    [256, 48],
    [512, 64],
  ].map(([n, q]) => ({
    id: `matmul${n}`,
    script: 'matmul.ts',
    label: `(e) matmul ${n}×${n}`,
    unit: 'GFLOP/s',
    full: { n },
    quick: { n: q },
    describe: (s) => `${s.n}×${s.n} @ ${s.n}×${s.n}`,
  })),
];

/**
 * The implementations, in table order. Autograd Lab runs each workload's learner script twice:
 * `ours` directly (the engine imported into a plain Node process, bench/direct.mjs) and
 * `ours-run` as a learner runs it (`autograd-lab run`: the runner, the script process, line
 * probes, loss metrics and graph snapshots, as Run Training does).
 */
export const IMPLS = [
  { id: 'ours', label: 'direct' },
  { id: 'ours-run', label: 'autograd-lab run' },
  { id: 'tfjs-cpu', label: 'tfjs-cpu' },
  { id: 'tfjs-wasm', label: 'tfjs-wasm' },
  { id: 'torch', label: 'PyTorch' },
];

/**
 * (f): the user path without what a run records (`autograd-lab run --no-probes --no-graph`),
 * run beside `ours-run` on these workloads; the difference is what probes, loss metrics and
 * graph snapshots cost.
 */
export const BARE_RUN = { id: 'ours-bare', label: 'run --no-probes --no-graph', workloads: ['sgd', 'adam', 'mlp1'] };

/** A small deterministic generator (mulberry32), so every implementation gets the same numbers. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` float32 values uniform in [lo, hi). */
function uniform(next, count, lo, hi) {
  const out = new Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.fround(lo + (hi - lo) * next());
  return out;
}

/** Weights and bias of a linear layer in PyTorch's layout (weight [out, in], row-major), U(±1/√in). */
function linearInit(next, inFeatures, outFeatures) {
  const bound = 1 / Math.sqrt(inFeatures);
  return {
    weight: uniform(next, outFeatures * inFeatures, -bound, bound),
    bias: uniform(next, outFeatures, -bound, bound),
    in: inFeatures,
    out: outFeatures,
  };
}

/** The data of one workload at one size: plain arrays of float32 values (JSON for the Python worker). */
export function makeData(id, size) {
  if (id === 'sgd' || id === 'adam') return { t_c: T_C, t_u: T_U };
  if (id === 'mlp1') {
    const next = rng(6);
    return { t_c: T_C, t_u: T_U, hidden: linearInit(next, 1, 8), output: linearInit(next, 8, 1), lr: 1e-3 };
  }
  if (id === 'mlp784') {
    const next = rng(784);
    const x = uniform(next, size.batch * 784, 0, 1);
    const labels = Array.from({ length: size.batch }, () => Math.floor(next() * 10));
    return { x, labels, batch: size.batch, fc1: linearInit(next, 784, 128), fc2: linearInit(next, 128, 10), lr: 0.05 };
  }
  if (id.startsWith('matmul')) {
    const next = rng(size.n);
    return { n: size.n, a: uniform(next, size.n * size.n, -1, 1), b: uniform(next, size.n * size.n, -1, 1) };
  }
  throw new Error(`unknown workload ${id}`);
}

/** Positions of C = A @ B every implementation reports, to compare products. */
export function probeIndices(n) {
  const next = rng(n * 7 + 1);
  const out = [0, n * n - 1];
  for (let i = 0; i < 30; i++) out.push(Math.floor(next() * n * n));
  return out;
}

/**
 * Whether two results of one workload agree. Each result is a flat list of numbers (final
 * parameters and loss, or samples of a product); they agree when every pair is within
 * `atol + rtol * |reference|`. Returns the largest violation ratio (≤ 1 means they agree).
 */
export function compareResults(id, ref, got) {
  if (!Array.isArray(ref) || !Array.isArray(got) || ref.length !== got.length) return Infinity;
  // Float32 runs of thousands of steps by different kernels (fused or not, other summation
  // orders) drift apart by a few ulps per step; products of 512-term sums differ by rounding.
  const tol = {
    sgd: [1e-4, 1e-5],
    adam: [2e-3, 1e-4],
    mlp1: [2e-3, 1e-4],
    mlp784: [2e-3, 1e-4],
  }[id] ?? [1e-3, 1e-3];
  const [rtol, atol] = tol;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    const g = got[i];
    if (!Number.isFinite(r) || !Number.isFinite(g)) return Infinity;
    worst = Math.max(worst, Math.abs(r - g) / (atol + rtol * Math.abs(r)));
  }
  return worst;
}
