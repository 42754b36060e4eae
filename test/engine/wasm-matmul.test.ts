// The WebAssembly SIMD matrix kernels (src/engine/wasm/) against the arithmetic they must
// reproduce: the f64 kernel bit for bit against the TypeScript reference (float64 sums in order,
// one rounding), the f32 kernel against float32 sums in order; and torch.mm/addmm on both sides
// of the size thresholds, with transposed operands, against the reference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import torch from '../../src/engine/index.js';
import { wasmAvailable, wasmProduct, type MatrixView } from '../../src/engine/wasm/matmul.js';

function random(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 * 2 - 1;
  }
  return out;
}

/** The reference: each output summed over p in order in float64, zeros of A skipped. */
function reference64(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      if (av === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += av * b[p * m + j]!;
    }
  }
  return out;
}

function reference32(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float32Array {
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = Math.fround(acc + Math.fround(a[i * k + p]! * b[p * m + j]!));
      out[i * m + j] = acc;
    }
  }
  return out;
}

const rowMajor = (data: Float32Array, cols: number): MatrixView => ({ data, offset: 0, rowStride: cols, colStride: 1 });
/** The same matrix stored transposed (column-major), read through strides. */
function colMajor(data: Float32Array, rows: number, cols: number): MatrixView {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j]!;
  return { data: t, offset: 0, rowStride: 1, colStride: rows };
}

function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

const SHAPES: [number, number, number][] = [
  [4, 4, 4],
  [5, 7, 9],
  [33, 17, 65],
  [64, 64, 64],
  [100, 3, 13],
  [1, 5, 4],
  [7, 1, 8],
];

describe('WebAssembly matrix kernels', () => {
  it('are built and loaded (npm run build runs build:wasm)', () => {
    assert.equal(wasmAvailable(), true);
  });

  for (const [n, k, m] of SHAPES) {
    it(`f64 kernel is bit-identical to the reference, ${n}×${k} @ ${k}×${m}, row- and column-major operands`, () => {
      const a = random(n * k, n * 31 + k);
      const b = random(k * m, m * 17 + k);
      a[0] = 0;
      const expected = reference64(a, b, n, k, m);
      sameBits(wasmProduct(rowMajor(a, k), rowMajor(b, m), n, k, m, 'f64acc')!, expected, 'row-major');
      sameBits(wasmProduct(colMajor(a, n, k), colMajor(b, k, m), n, k, m, 'f64acc')!, expected, 'column-major');
    });
    it(`f32 kernel sums in float32 in order, ${n}×${k} @ ${k}×${m}`, () => {
      const a = random(n * k, n + k);
      const b = random(k * m, m + 2 * k);
      const expected = reference32(a, b, n, k, m);
      sameBits(wasmProduct(rowMajor(a, k), rowMajor(b, m), n, k, m, 'f32')!, expected, 'row-major');
      sameBits(wasmProduct(colMajor(a, n, k), colMajor(b, k, m), n, k, m, 'f32')!, expected, 'column-major');
    });
  }

  it('torch.mm keeps the reference digits below the float32-kernel size, with transposed operands', () => {
    for (const [n, k, m] of [
      [3, 5, 2],
      [40, 50, 30],
      [128, 128, 128],
      [256, 64, 200],
    ] as [number, number, number][]) {
      const a = random(n * k, n * 3 + 1);
      const bt = random(m * k, m * 5 + 2); // stored [m, k]: the product uses its transpose
      const b = new Float32Array(k * m);
      for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) b[p * m + j] = bt[j * k + p]!;
      const exact = reference64(a, b, n, k, m);
      const expected = Float32Array.from(exact);
      const A = torch.tensor(a).reshape(n, k);
      const B = torch.tensor(bt).reshape(m, k).t();
      sameBits(A.mm(B).values(), expected, `mm ${n}×${k}×${m}`);
      const bias = torch.tensor(random(m, 7));
      const biasValues = bias.values();
      const withBias = Float32Array.from(exact, (v, i) => biasValues[i % m]! + v);
      sameBits(torch.nn.functional.linear(A, B.t(), bias).values(), withBias, `addmm ${n}×${k}×${m}`);
    }
  });

  it('a 512×512 product (float32 kernel) agrees with the reference within float32 rounding', () => {
    const n = 512;
    const a = random(n * n, 1);
    const b = random(n * n, 2);
    const expected = reference64(a, b, n, n, n);
    const got = torch.tensor(a).reshape(n, n).mm(torch.tensor(b).reshape(n, n)).values();
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    assert.ok(worst < 1e-4, `max difference ${worst}`);
  });

  it('operands with an infinity keep the reference semantics (zeros of a skip the term)', () => {
    const n = 64;
    const a = new Float32Array(n * n);
    const b = random(n * n, 3);
    b[5] = Infinity;
    for (let i = 1; i < a.length; i += 2) a[i] = 0.5;
    const expected = Float32Array.from(reference64(a, b, n, n, n));
    sameBits(torch.tensor(a).reshape(n, n).mm(torch.tensor(b).reshape(n, n)).values(), expected, 'mm with Infinity');
  });
});
