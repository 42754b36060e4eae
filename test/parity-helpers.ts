// Shared by the PyTorch parity tests (test/parity/*.test.ts): reading the fixtures that
// test/parity/gen_*.py wrote from PyTorch 1.13, replaying generic calls, and THE tolerance.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { torch, nn, setWarningListener, Tensor } from '../src/engine/index.js';

// ------------------------------------------------------------------------------------------
// fixture encoding (see test/parity/common.py)
// ------------------------------------------------------------------------------------------

export type DTypeName = 'float32' | 'float64' | 'int64' | 'bool';
export type Encoded = number | boolean | 'nan' | 'inf' | '-inf';
export type Nested = Encoded | Nested[];

export interface TensorSpec {
  dtype: DTypeName;
  shape: number[];
  data: Nested;
  requires_grad?: boolean;
  grad_fn?: string | null;
}

/** An argument of a generic call: a literal, a list, an input tensor or a non-finite number. */
export type Arg = number | boolean | string | null | Arg[] | { tensor: string } | { number: 'nan' | 'inf' | '-inf' };

/** A generic call case (parity-ops.json, parity-broadcast.json, "call" cases of parity-nn.json). */
export interface CallCase {
  group: string;
  name: string;
  python: string;
  call: 'method' | 'function';
  op: string;
  args: Arg[];
  kwargs?: Record<string, Arg>;
  note?: string;
  inputs: Record<string, TensorSpec>;
  returns: 'tensor' | 'tuple' | 'list';
  fields?: string[];
  outputs: TensorSpec[];
  upstream?: { output: number; grad: TensorSpec };
  grads?: Record<string, TensorSpec | null>;
}

export interface Fixture<C> {
  generator: string;
  torch_version: string;
  cases: C[];
  [extra: string]: unknown;
}

export function loadFixture<C>(area: string): Fixture<C> {
  const url = new URL(`./fixtures/parity-${area}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Fixture<C>;
}

export function decodeNumber(v: Encoded): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function decodeNested(data: Nested, dtype: DTypeName): unknown {
  if (Array.isArray(data)) return data.map((d) => decodeNested(d, dtype));
  if (dtype === 'bool') return Boolean(data);
  return decodeNumber(data);
}

/** Row-major values of a spec, as numbers (bools as 0/1, non-finite decoded). */
export function specValues(spec: TensorSpec): number[] {
  const out: number[] = [];
  const walk = (d: Nested): void => {
    if (Array.isArray(d)) d.forEach(walk);
    else out.push(decodeNumber(d));
  };
  walk(spec.data);
  return out;
}

export function dtypeOf(name: DTypeName) {
  return torch[name];
}

/** The tensor a spec describes (float32 values round-trip exactly through Math.fround). */
export function fromSpec(spec: TensorSpec, requiresGrad = spec.requires_grad ?? false): Tensor {
  const numel = spec.shape.reduce((a, b) => a * b, 1);
  let t: Tensor;
  if (numel === 0) {
    t = torch.zeros(spec.shape, { dtype: dtypeOf(spec.dtype) });
  } else {
    t = torch.tensor(decodeNested(spec.data, spec.dtype) as never, { dtype: dtypeOf(spec.dtype) });
  }
  if (requiresGrad) t.requires_grad_(true);
  return t;
}

export function isTensorSpec(v: unknown): v is TensorSpec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'dtype' in v && 'shape' in v && 'data' in v;
}

// ------------------------------------------------------------------------------------------
// THE tolerance
// ------------------------------------------------------------------------------------------

export interface Tolerance {
  /** relative to the expected element */
  rtol: number;
  /** absolute, multiplied by max(1, largest |expected| finite element of the tensor) */
  atol: number;
}

/**
 * How close the engine must be to PyTorch. Elementwise, for finite expected values:
 *     |actual - expected| <= atol * max(1, max|expected|) + rtol * |expected|
 * NaN must be NaN, ±inf must be the same infinity; int64/bool values, dtypes and shapes are exact.
 *  - float32: a few ulps of float32 plus different summation orders (PyTorch sums with SIMD
 *    lanes and pairwise blocks, so the last bits of a reduction legitimately differ).
 *  - float64: the same argument at float64 precision.
 *  - trajectory: values after many dependent float32 steps (optimizers, training loops), where
 *    rounding differences of the first steps compound.
 *  - lr: learning rates, Python floats in PyTorch; a closed form and PyTorch's recursive form of
 *    a schedule agree to ~1e-15, so the recursion need not be copied step by step.
 */
export const TOLERANCE = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-10, atol: 1e-12 },
  trajectory: { rtol: 1e-4, atol: 1e-5 },
  lr: { rtol: 1e-12, atol: 1e-15 },
} as const satisfies Record<string, Tolerance>;

export function toleranceFor(dtype: DTypeName): Tolerance {
  return dtype === 'float64' ? TOLERANCE.float64 : TOLERANCE.float32;
}

/** Describes the first mismatches between two equally long value lists, or returns null. */
function compareValues(actual: ArrayLike<number>, expected: readonly number[], exact: boolean, tol: Tolerance): string | null {
  let scale = 1;
  for (const e of expected) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let ok: boolean;
    if (exact) ok = a === e;
    else if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (!Number.isFinite(e)) ok = a === e;
    else ok = Math.abs(a - e) <= tol.atol * scale + tol.rtol * Math.abs(e);
    if (!ok) {
      count++;
      if (bad.length < 6) bad.push(`[${i}] got ${a}, expected ${e}${exact ? '' : ` (diff ${Math.abs(a - e).toExponential(2)})`}`);
    }
  }
  if (count === 0) return null;
  return `${count} of ${expected.length} values differ${exact ? '' : ` (rtol ${tol.rtol}, atol ${tol.atol} x ${scale.toPrecision(3)})`}: ${bad.join('; ')}`;
}

function flatList(v: unknown): number[] {
  const out: number[] = [];
  const walk = (d: unknown): void => {
    if (Array.isArray(d)) d.forEach(walk);
    else out.push(typeof d === 'boolean' ? (d ? 1 : 0) : (d as number));
  };
  walk(v);
  return out;
}

/** Values of a tensor in row-major order (via tolist(), the public API). */
export function tensorValues(t: Tensor): number[] {
  return flatList(t.tolist());
}

/** Asserts dtype, shape (exact) and values (exact for int64/bool, within `tol` for floats). */
export function assertTensor(actual: unknown, expected: TensorSpec, label: string, tol?: Tolerance): void {
  assert.ok(actual instanceof Tensor, `${label}: expected a Tensor, got ${describe(actual)}`);
  const t = actual as Tensor;
  assert.equal(t.dtype.name, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...t.shape], expected.shape, `${label}: shape`);
  const exact = expected.dtype === 'int64' || expected.dtype === 'bool';
  const problem = compareValues(tensorValues(t), specValues(expected), exact, tol ?? toleranceFor(expected.dtype));
  if (problem) assert.fail(`${label}: ${problem}`);
}

/** Asserts that a plain number is within tolerance of an encoded expected number. */
export function assertNumber(actual: unknown, expected: Encoded, label: string, tol: Tolerance = TOLERANCE.float32): void {
  assert.equal(typeof actual, 'number', `${label}: expected a number, got ${describe(actual)}`);
  const problem = compareValues([actual as number], [decodeNumber(expected)], false, tol);
  if (problem) assert.fail(`${label}: ${problem}`);
}

export function assertNumbers(actual: readonly number[], expected: readonly Encoded[], label: string, tol: Tolerance = TOLERANCE.float32): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) assertNumber(actual[i], expected[i]!, `${label}[${i}]`, tol);
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `Tensor(${v.dtype.name} ${JSON.stringify(v.shape)})`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array(${v.length})`;
  return typeof v;
}

/**
 * Compares any recorded value: tensor specs with assertTensor, numbers within tolerance,
 * arrays and objects recursively (a Map is read by key), everything else exactly.
 */
export function assertMatches(actual: unknown, expected: unknown, label: string, tol?: Tolerance): void {
  if (isTensorSpec(expected)) {
    assertTensor(actual, expected, label, tol);
  } else if (Array.isArray(expected)) {
    const list = actual !== null && typeof actual === 'object' && Symbol.iterator in actual ? [...(actual as Iterable<unknown>)] : actual;
    assert.ok(Array.isArray(list), `${label}: expected a list, got ${describe(actual)}`);
    assert.equal(list.length, expected.length, `${label}: length`);
    expected.forEach((e, i) => assertMatches(list[i], e, `${label}[${i}]`, tol));
  } else if (typeof expected === 'object' && expected !== null) {
    assert.ok(typeof actual === 'object' && actual !== null, `${label}: expected an object, got ${describe(actual)}`);
    for (const [k, e] of Object.entries(expected)) {
      const a = actual instanceof Map ? actual.get(k) ?? actual.get(Number(k)) : (actual as Record<string, unknown>)[k];
      assertMatches(a, e, `${label}.${k}`, tol);
    }
  } else if (typeof expected === 'number' || expected === 'nan' || expected === 'inf' || expected === '-inf') {
    assertNumber(actual, expected, label, tol);
  } else {
    assert.equal(actual, expected, label);
  }
}

// ------------------------------------------------------------------------------------------
// errors and warnings
// ------------------------------------------------------------------------------------------

export interface ExpectedError {
  type: string;
  message: string;
}

/**
 * The engine's message must be PyTorch's exactly, optionally followed by a newline and a
 * teaching hint of our own; the error's name must be PyTorch's exception type.
 */
export function assertPyTorchMessage(actual: string, expected: string, label: string): void {
  if (actual === expected || actual.startsWith(expected + '\n')) return;
  assert.fail(`${label}: message differs from PyTorch's\n  got:      ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`);
}

export function assertThrowsPyTorch(fn: () => unknown, expected: ExpectedError, label = 'error'): void {
  let thrown: unknown = undefined;
  let threw = false;
  try {
    fn();
  } catch (e) {
    thrown = e;
    threw = true;
  }
  assert.ok(threw, `${label}: expected ${expected.type}: ${expected.message}, but nothing was thrown`);
  assert.ok(thrown instanceof Error, `${label}: expected an Error, got ${String(thrown)}`);
  assertPyTorchMessage(thrown.message, expected.message, label);
  assert.equal(thrown.name, expected.type, `${label}: error type (name)`);
}

/** Runs fn and returns the warnings the engine emitted meanwhile. */
export function captureWarnings(fn: () => void): { category: string; message: string }[] {
  const seen: { category: string; message: string }[] = [];
  setWarningListener((category, message) => seen.push({ category, message }));
  try {
    fn();
  } finally {
    setWarningListener((category, message) => {
      process.emitWarning(message, category);
    });
  }
  return seen;
}

// ------------------------------------------------------------------------------------------
// generic calls
// ------------------------------------------------------------------------------------------

export type Env = Record<string, Tensor>;

export function resolveArg(arg: Arg, env: Env): unknown {
  if (Array.isArray(arg)) return arg.map((a) => resolveArg(a, env));
  if (arg !== null && typeof arg === 'object') {
    if ('tensor' in arg) {
      const t = env[arg.tensor];
      assert.ok(t, `unknown input ${arg.tensor}`);
      return t;
    }
    if ('number' in arg) return decodeNumber(arg.number);
  }
  return arg;
}

/** Fresh input tensors for a case (each call gets its own leaves). */
export function makeInputs(inputs: Record<string, TensorSpec>): Env {
  const env: Env = {};
  for (const [k, s] of Object.entries(inputs)) env[k] = fromSpec(s);
  return env;
}

const ROOT: Record<string, unknown> = { ...torch, nn };

/** `torch.<op>` with dotted names resolved from the torch namespace ("nn.functional.mse_loss"). */
export function lookupFunction(op: string): (...args: unknown[]) => unknown {
  let fn: unknown = ROOT;
  for (const part of op.split('.')) {
    fn = fn === null || fn === undefined ? undefined : (fn as Record<string, unknown>)[part];
  }
  if (typeof fn !== 'function') throw new Error(`the engine has no torch.${op}`);
  return fn as (...args: unknown[]) => unknown;
}

/** Replays the call of a case: self.op(...args, kwargs?) or torch.op(...args, kwargs?). */
export function invoke(c: Pick<CallCase, 'call' | 'op' | 'args' | 'kwargs'>, env: Env): unknown {
  const args = c.args.map((a) => resolveArg(a, env));
  if (c.kwargs && Object.keys(c.kwargs).length > 0) {
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.kwargs)) options[k] = resolveArg(v, env);
    args.push(options);
  }
  if (c.call === 'method') {
    const self = args.shift() as Record<string, unknown>;
    assert.ok(self instanceof Tensor, `method ${c.op} called on a non-tensor`);
    const m = self[c.op];
    if (typeof m !== 'function') throw new Error(`the engine's Tensor has no method ${c.op}`);
    return (m as (...a: unknown[]) => unknown).apply(self, args);
  }
  return lookupFunction(c.op)(...args);
}

/** The outputs of a result as a list, in PyTorch's order (named fields first when recorded). */
export function outputsOf(result: unknown, c: Pick<CallCase, 'returns' | 'fields'>): unknown[] {
  if (c.returns === 'tensor') return [result];
  if (c.fields && result !== null && typeof result === 'object') {
    return c.fields.map((f) => (result as Record<string, unknown>)[f]);
  }
  assert.ok(result !== null && typeof result === 'object' && Symbol.iterator in result, `expected a ${c.returns}, got ${describe(result)}`);
  return [...(result as Iterable<unknown>)];
}

/** Runs a generic call case: checks outputs, then backward with the recorded upstream gradient and checks grads. */
export function checkCallCase(c: CallCase, tol?: Tolerance): void {
  const env = makeInputs(c.inputs);
  const outs = outputsOf(invoke(c, env), c);
  assert.equal(outs.length, c.outputs.length, 'number of outputs');
  c.outputs.forEach((spec, i) => {
    assertTensor(outs[i], spec, `output ${i}`, tol);
    assert.equal((outs[i] as Tensor).requires_grad, spec.requires_grad, `output ${i}: requires_grad`);
  });
  if (c.upstream) {
    const out = outs[c.upstream.output] as Tensor;
    out.backward(fromSpec(c.upstream.grad));
    for (const [name, spec] of Object.entries(c.grads ?? {})) {
      const grad = env[name]!.grad;
      if (spec === null) assert.equal(grad, null, `grad of ${name} should be None`);
      else assertTensor(grad, spec, `grad of ${name}`, tol);
    }
  }
}

/** grad_fn names of a call case's outputs (only when the values are right does this matter). */
export function gradFnNames(c: CallCase): (string | null)[] {
  const env = makeInputs(c.inputs);
  const outs = outputsOf(invoke(c, env), c) as Tensor[];
  return outs.map((o) => o.grad_fn?.name() ?? null);
}

export function hasGrad(c: CallCase): boolean {
  return c.upstream !== undefined;
}

// ------------------------------------------------------------------------------------------
// graphs
// ------------------------------------------------------------------------------------------

export interface GraphNode {
  name: string;
  next: [GraphNode | null, number][];
}

interface NodeLike {
  name(): string;
  next_functions: readonly (readonly [NodeLike | null, number])[];
}

/** The graph under a grad_fn as {name, next: [[child or null, output_nr]]}, like the fixtures. */
export function graphOf(fn: NodeLike | null | undefined): GraphNode | null {
  if (!fn) return null;
  return { name: fn.name(), next: fn.next_functions.map(([f, nr]) => [graphOf(f), nr] as [GraphNode | null, number]) };
}

export function tensorMeta(t: Tensor): { requires_grad: boolean; is_leaf: boolean; grad_fn: string | null } {
  return { requires_grad: t.requires_grad, is_leaf: t.is_leaf, grad_fn: t.grad_fn?.name() ?? null };
}
