/**
 * The `_agl_numpy` module Python's `numpy` calls (registered in Pyodide by
 * ../python/run-python.ts): the few computations where NumPy's result depends on an order of
 * operations the engine (which follows PyTorch) does not share. NumPy's arrays are engine
 * tensors; these kernels read a tensor's values and strides through the engine's public API and
 * return new tensors (made by the engine the script process loaded, which run-python.ts passes).
 *
 *   - sum: NumPy adds along the axis that is innermost in memory by pairwise summation (blocks
 *     of 8 partial sums below 128 elements, halves above), and along other axes one element
 *     after another, in memory order; when it has to convert the values first (ints summed as
 *     float64), it does so in buffers of 8192 elements, summed one after another.
 *   - prod: one element after another, in memory order.
 *   - floor_divide and remainder of floats: from fmod, as NumPy's npy_divmod.
 *   - the floating-point flags an elementwise op raised, for NumPy's RuntimeWarnings.
 */
import type { Tensor } from '../../../engine/index.js';

type Engine = typeof import('../../../engine/index.js');
type Torch = Engine['torch'];

type Values = Float32Array | Float64Array | Uint8Array;
type Round = (x: number) => number;

const identity: Round = (x) => x;
const BUFFER = 8192;
const BLOCK = 128;

/** The values of `t` in row-major order (a copy). */
function valuesOf(t: Tensor): Values {
  return t.values() as Values;
}

/** NumPy's pairwise sum of `data`, rounded by `r` after each add. */
function pairwise(data: Float64Array, start: number, n: number, r: Round): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = r(res + data[start + i]!);
    return res;
  }
  if (n <= BLOCK) {
    const acc = data.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) acc[j] = r(acc[j]! + data[start + i + j]!);
    }
    let res = r(r(r(acc[0]! + acc[1]!) + r(acc[2]! + acc[3]!)) + r(r(acc[4]! + acc[5]!) + r(acc[6]! + acc[7]!)));
    for (; i < n; i++) res = r(res + data[start + i]!);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return r(pairwise(data, start, half, r) + pairwise(data, start + half, n - half, r));
}

/** Calls `visit(offset)` for every combination of the given axes, the first one outermost. */
function each(lengths: readonly number[], steps: readonly number[], base: number, visit: (offset: number) => void): void {
  const n = lengths.length;
  if (n === 0) {
    visit(base);
    return;
  }
  const index = new Array<number>(n).fill(0);
  let offset = base;
  for (;;) {
    visit(offset);
    let d = n - 1;
    for (; d >= 0; d--) {
      index[d]!++;
      offset += steps[d]!;
      if (index[d]! < lengths[d]!) break;
      offset -= steps[d]! * lengths[d]!;
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * How NumPy's iterator walks a reduction of a tensor: the reduced axes (longer than 1) from
 * outermost to innermost in memory, as lengths and steps in the row-major values, split into
 * the inner run (the innermost axes in memory when they are reduced and follow each other in
 * memory, which NumPy coalesces into one run) and the rest; and where each result element starts.
 */
interface Walk {
  outerLengths: number[];
  outerSteps: number[];
  runLengths: number[];
  runSteps: number[];
  starts: number[];
}

function walkOf(shape: readonly number[], strides: readonly number[], axes: readonly number[]): Walk {
  const reduce = shape.map((_, d) => axes.includes(d));
  const rowMajor: number[] = [];
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    rowMajor[d] = step;
    step *= shape[d]!;
  }
  // Outermost in memory first; the engine has no negative strides. Ties keep the axis order.
  const order = shape.map((_, d) => d).filter((d) => shape[d]! > 1);
  order.sort((a, b) => Math.abs(strides[b]!) - Math.abs(strides[a]!) || a - b);
  let runFrom = order.length;
  while (runFrom > 0 && reduce[order[runFrom - 1]!]) {
    const d = order[runFrom - 1]!;
    const inner = order[runFrom];
    if (inner !== undefined && Math.abs(strides[d]!) !== Math.abs(strides[inner]!) * shape[inner]!) break;
    runFrom--;
  }
  const walk: Walk = { outerLengths: [], outerSteps: [], runLengths: [], runSteps: [], starts: [] };
  order.forEach((d, i) => {
    if (!reduce[d]) return;
    if (i >= runFrom) {
      walk.runLengths.push(shape[d]!);
      walk.runSteps.push(rowMajor[d]!);
    } else {
      walk.outerLengths.push(shape[d]!);
      walk.outerSteps.push(rowMajor[d]!);
    }
  });
  const kept = shape.map((_, d) => d).filter((d) => !reduce[d]);
  each(
    kept.map((d) => shape[d]!),
    kept.map((d) => rowMajor[d]!),
    0,
    (o) => walk.starts.push(o),
  );
  return walk;
}

function floatArray(dtype: 'float32' | 'float64', n: number): Float32Array | Float64Array {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/**
 * NumPy's add.reduce of `t` over `axes`, in `dtype` ('float32' or 'float64'; `converted`: the
 * values were converted to it, so NumPy summed each run buffer by buffer). The result is
 * row-major over the kept axes.
 */
function sum(torch: Torch, t: Tensor, axes: number[], dtype: 'float32' | 'float64', converted: boolean): Tensor {
  const data = valuesOf(t);
  const r: Round = dtype === 'float32' ? Math.fround : identity;
  const walk = walkOf(t.shape, t.stride(), axes);
  const runLength = walk.runLengths.reduce((a, b) => a * b, 1);
  const run = new Float64Array(runLength);
  const chunk = converted ? BUFFER : Math.max(runLength, 1);
  const out = floatArray(dtype, walk.starts.length);
  walk.starts.forEach((start, k) => {
    let acc = 0;
    each(walk.outerLengths, walk.outerSteps, start, (offset) => {
      if (walk.runLengths.length === 0) {
        acc = r(acc + data[offset]!);
        return;
      }
      let i = 0;
      each(walk.runLengths, walk.runSteps, offset, (o) => void (run[i++] = data[o]!));
      for (let done = 0; done < runLength; done += chunk) acc = r(acc + pairwise(run, done, Math.min(chunk, runLength - done), r));
    });
    out[k] = acc;
  });
  return torch.tensor(out, { dtype: torch[dtype] });
}

/** NumPy's multiply.reduce of a float tensor over `axes`: one product after another, in memory order. */
function prod(torch: Torch, t: Tensor, axes: number[], dtype: 'float32' | 'float64'): Tensor {
  const data = valuesOf(t);
  const r: Round = dtype === 'float32' ? Math.fround : identity;
  const walk = walkOf(t.shape, t.stride(), axes);
  const lengths = [...walk.outerLengths, ...walk.runLengths];
  const steps = [...walk.outerSteps, ...walk.runSteps];
  const out = floatArray(dtype, walk.starts.length);
  walk.starts.forEach((start, k) => {
    let acc = 1;
    each(lengths, steps, start, (offset) => {
      acc = r(acc * data[offset]!);
    });
    out[k] = acc;
  });
  return torch.tensor(out, { dtype: torch[dtype] });
}

// ------------------------------------------------------------------ elementwise, with flags

/** NumPy's floating-point flags, as bits. */
const DIVIDE = 1;
const OVERFLOW = 2;
const INVALID = 4;

class Flags {
  bits = 0;
  constructor(readonly r: Round) {}
  result(z: number, x: number, y: number): number {
    const v = this.r(z);
    if (!Number.isFinite(v) && !Number.isNaN(v) && Number.isFinite(x) && Number.isFinite(y)) this.bits |= OVERFLOW;
    else if (Number.isNaN(v) && !Number.isNaN(x) && !Number.isNaN(y)) this.bits |= INVALID;
    return v;
  }
  div(x: number, y: number): number {
    if (y === 0) {
      if (x === 0) this.bits |= INVALID;
      else if (Number.isFinite(x)) this.bits |= DIVIDE;
      return x / y;
    }
    return this.result(x / y, x, y);
  }
  fmod(x: number, y: number): number {
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
    if (!Number.isFinite(x) || y === 0) {
      this.bits |= INVALID;
      return NaN;
    }
    return x % y;
  }
  sub(x: number, y: number): number {
    return this.result(x - y, x, y);
  }
  add(x: number, y: number): number {
    return this.result(x + y, x, y);
  }
  /** NumPy's floor_divide (npy_divmod's quotient); C's `if (v)` is true for nan, hence `!== 0`. */
  floorDivide(x: number, y: number): number {
    if (y === 0) return this.div(x, y);
    const mod = this.fmod(x, y);
    let div = this.div(this.sub(x, mod), y);
    if (mod !== 0 && y < 0 !== mod < 0) div = this.sub(div, 1);
    if (div === 0) return Math.sign(this.r(x / y)) < 0 || Object.is(this.r(x / y), -0) ? -0 : 0;
    let floordiv = Math.floor(div);
    if (this.sub(div, floordiv) > 0.5) floordiv = this.add(floordiv, 1);
    return floordiv;
  }
  /** NumPy's remainder: fmod, moved to the divisor's sign. */
  remainder(x: number, y: number): number {
    const mod = this.fmod(x, y);
    if (mod === 0) return y < 0 || Object.is(y, -0) ? -0 : 0;
    return y < 0 !== mod < 0 ? this.add(mod, y) : mod;
  }
}

/**
 * NumPy's floor_divide or remainder of two float tensors of one shape and dtype: the result and
 * the flags raised.
 */
function divmod(torch: Torch, x: Tensor, y: Tensor, which: 'floor_divide' | 'remainder'): [Tensor, number] {
  const float32 = x.dtype.name === 'float32';
  const a = valuesOf(x);
  const b = valuesOf(y);
  const flags = new Flags(float32 ? Math.fround : identity);
  const out = float32 ? new Float32Array(a.length) : new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = which === 'floor_divide' ? flags.floorDivide(a[i]!, b[i]!) : flags.remainder(a[i]!, b[i]!);
  return [torch.tensor(out, { dtype: x.dtype }).reshape(x.shape), flags.bits];
}

/**
 * The flags NumPy's `op` raised computing z from x and y (float tensors of z's shape; y null for
 * a one-operand op): overflow where a finite input gave an infinite result, invalid where a
 * non-nan input gave nan, divide by zero where a finite input gave an infinity by division or
 * by a pole (log(0)).
 */
function flagsOf(op: string, x: Tensor, y: Tensor | number | null | undefined, z: Tensor): number {
  const a = valuesOf(x);
  const b = y === null || y === undefined || typeof y === 'number' ? null : valuesOf(y);
  const scalar = typeof y === 'number' ? y : 0;
  const c = valuesOf(z);
  let bits = 0;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    if (Number.isFinite(v)) continue;
    const p = a[i]!;
    const q = b === null ? scalar : b[i]!;
    if (Number.isNaN(v)) {
      if (!Number.isNaN(p) && !Number.isNaN(q)) bits |= INVALID;
    } else if (Number.isFinite(p) && Number.isFinite(q)) {
      const pole =
        (op === 'divide' && q === 0) || (op === 'power' && p === 0 && q < 0) || ((op === 'reciprocal' || op.startsWith('log')) && p === 0);
      bits |= pole ? DIVIDE : OVERFLOW;
    }
  }
  return bits;
}

/** Whether every value of `t` is finite (NumPy raised no flag when so). */
function allFinite(t: Tensor): boolean {
  const data = valuesOf(t);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}

/** The largest magnitude in `t` (0 when empty). */
function maxAbs(t: Tensor): number {
  const data = valuesOf(t);
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** The position (row-major) of the first value of an index tensor outside [-size, size), or -1. */
function firstOutOfBounds(t: Tensor, size: number): number {
  const data = valuesOf(t);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < -size || v >= size) return i;
  }
  return -1;
}

/** The module for Pyodide, over the engine the script process loaded. */
export function numpyModule(engine: Engine) {
  const { torch } = engine;
  return {
    values: valuesOf,
    sum: (t: Tensor, axes: number[], dtype: 'float32' | 'float64', converted: boolean) => sum(torch, t, axes, dtype, converted),
    prod: (t: Tensor, axes: number[], dtype: 'float32' | 'float64') => prod(torch, t, axes, dtype),
    divmod: (x: Tensor, y: Tensor, which: 'floor_divide' | 'remainder') => divmod(torch, x, y, which),
    flagsOf,
    allFinite,
    maxAbs,
    firstOutOfBounds,
    /** A tensor of `dtype` from a typed array or an array of numbers, in `shape`. */
    fromValues: (values: ArrayLike<number>, shape: number[], dtype: Tensor['dtype']) =>
      torch.tensor(values instanceof Float32Array || values instanceof Float64Array ? values : Array.from(values), { dtype }).reshape(shape),
  };
}
