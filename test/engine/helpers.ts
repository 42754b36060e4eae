// Shared by the engine behaviour tests (test/engine/*.test.ts): deterministic inputs without
// the random generator, and assertions on PyTorch's error texts.
import assert from 'node:assert/strict';

import { torch } from '../../src/engine/torch.js';
import type { Tensor } from '../../src/engine/tensor.js';

export type Nested = number | Nested[];

/** Reshapes a flat list into nested arrays of `shape` (row-major). */
export function nest(flat: readonly number[], shape: readonly number[]): Nested {
  if (shape.length === 0) return flat[0]!;
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const out: Nested[] = [];
  for (let i = 0; i < n!; i++) out.push(nest(flat.slice(i * step, (i + 1) * step), rest));
  return out;
}

/** A small deterministic pseudo-random stream (mulberry32), independent of torch's generator. */
export function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InputOptions {
  /** Values are drawn from [lo, hi). */
  lo?: number;
  hi?: number;
  /** Keep every value at least this far from zero (for abs, relu, div, log...). */
  awayFromZero?: number;
  requires_grad?: boolean;
}

/** A float64 leaf of `shape` with deterministic values (requires_grad unless told otherwise). */
export function input(shape: readonly number[], seed: number, options: InputOptions = {}): Tensor {
  const { lo = -1, hi = 1, awayFromZero = 0, requires_grad = true } = options;
  const next = stream(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const flat: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = lo + (hi - lo) * next();
    if (Math.abs(v) < awayFromZero) v = v < 0 ? -awayFromZero - Math.abs(v) : awayFromZero + v;
    flat.push(v);
  }
  return torch.tensor(nest(flat, shape) as never, { dtype: torch.float64, requires_grad });
}

/** A float64 leaf holding exactly these values. */
export function f64(data: Nested, requires_grad = true): Tensor {
  return torch.tensor(data as never, { dtype: torch.float64, requires_grad });
}

/** An int64 tensor (index tensors). */
export function long(data: Nested): Tensor {
  return torch.tensor(data as never, { dtype: torch.int64 });
}

/**
 * Asserts that `fn` throws an error whose message begins with PyTorch's exact text and then
 * carries Autograd Lab's extra hint on a line of its own (when `hint` is true).
 */
export function assertPyTorchError(fn: () => unknown, name: string, pytorchText: string, options: { hint?: boolean } = {}): Error {
  const { hint = true } = options;
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error, `expected ${name}: ${pytorchText}`);
  assert.equal(caught.name, name);
  assertStartsWithPyTorchText(caught.message, pytorchText, hint);
  return caught;
}

/** PyTorch's text verbatim, then (when `hint`) a newline and a non-empty hint line. */
export function assertStartsWithPyTorchText(message: string, pytorchText: string, hint = true): void {
  assert.equal(message.slice(0, pytorchText.length), pytorchText);
  const rest = message.slice(pytorchText.length);
  if (hint) {
    assert.match(rest, /^\n\S.*/, `expected a hint line after PyTorch's text, got ${JSON.stringify(rest)}`);
  } else {
    assert.ok(rest === '' || rest.startsWith('\n'), `unexpected text after PyTorch's message: ${JSON.stringify(rest)}`);
  }
}
