/** Factories: torch.tensor, zeros, ones, arange, rand, ... */
import { bool, type DType, float32, float64, getDefaultDtype, int64, uint8 } from './dtype.js';
import { contiguousData } from './ops/kernels.js';
import { RuntimeError, TorchTypeError, ValueError } from './errors.js';
import { isFloatScalar, PyFloat, type Scalar, scalarDtype, scalarValue } from './scalar.js';
import { defaultGenerator, type Generator } from './random.js';
import { numelOf } from './shape.js';
import { sizeArgs, Tensor, type SizeArgs } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  requires_grad?: boolean;
}

/** Data `torch.tensor` accepts: numbers and PyFloats (the default float dtype), bigints (int64), booleans (bool), nested arrays, typed arrays, tensors. */
export type TensorData = number | bigint | boolean | PyFloat | Float32Array | Float64Array | readonly TensorData[];

function withGrad(t: Tensor, options: TensorOptions | undefined): Tensor {
  if (options?.requires_grad) {
    if (!t.dtype.is_floating_point) {
      throw new RuntimeError(
        'Only Tensors of floating point and complex dtype can require gradients',
        'Autograd Lab: gradients need float tensors; drop { dtype } or use torch.float32.',
      );
    }
    t.requires_grad_(true);
  }
  return t;
}

/**
 * `torch.tensor(data)`. JavaScript has one number type, so numbers become the default float
 * dtype (float32, PyTorch's for `1.0`); write bigints (`[1n, 2n]`) or pass `{ dtype: torch.int64 }`
 * for integers.
 */
export function tensor(data: TensorData | Tensor, options?: TensorOptions): Tensor {
  if (data instanceof Tensor) {
    const copy = data.detach().to(options?.dtype ?? data.dtype).clone();
    return withGrad(copy, options);
  }
  const shape: number[] = [];
  let probe: TensorData = data;
  while (Array.isArray(probe) || probe instanceof Float32Array || probe instanceof Float64Array) {
    const list = probe as ArrayLike<TensorData>;
    shape.push(list.length);
    if (list.length === 0) break;
    probe = list[0]!;
  }
  const flat: (number | bigint | boolean)[] = [];
  let inferred: DType | null = null;
  const walk = (value: TensorData, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        throw new ValueError(`expected sequence of length ${shape[dim - 1]} at dim ${dim - 1} (got a nested sequence)`);
      }
      const kind = typeof value === 'bigint' ? int64 : typeof value === 'boolean' ? bool : typeof value === 'number' || value instanceof PyFloat ? getDefaultDtype() : null;
      if (kind === null) throw new TorchTypeError(`Could not infer dtype of ${typeof value}`);
      if (inferred === null || (inferred !== kind && (kind.is_floating_point || (kind === int64 && inferred === bool)))) inferred = kind;
      flat.push(value instanceof PyFloat ? value.value : (value as number | bigint | boolean));
      return;
    }
    const list = value as ArrayLike<TensorData>;
    if (!(Array.isArray(list) || ArrayBuffer.isView(list)) || list.length !== shape[dim]) {
      const got = Array.isArray(list) || ArrayBuffer.isView(list) ? list.length : 'a number';
      throw new ValueError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${got})`);
    }
    for (let i = 0; i < list.length; i++) walk(list[i]!, dim + 1);
  };
  walk(data, 0);
  if (ArrayBuffer.isView(data) && options?.dtype === undefined) inferred = data instanceof Float64Array ? float64 : float32;
  const dtype = options?.dtype ?? inferred ?? getDefaultDtype();
  const storage = dtype.alloc(flat.length);
  for (let i = 0; i < flat.length; i++) storage[i] = dtype.cast(Number(flat[i]));
  return withGrad(new Tensor(storage, shape, dtype), options);
}

export function as_tensor(data: TensorData | Tensor, options?: { dtype?: DType }): Tensor {
  if (data instanceof Tensor && (options?.dtype === undefined || options.dtype === data.dtype)) return data;
  return tensor(data, options);
}

function filled(shape: readonly number[], value: number, options?: TensorOptions): Tensor {
  const dtype = options?.dtype ?? getDefaultDtype();
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: ${JSON.stringify(shape)}`);
  }
  const data = dtype.alloc(numelOf(shape));
  if (value !== 0) data.fill(dtype.cast(value));
  return withGrad(new Tensor(data, shape, dtype), options);
}

type SizeWithOptions = SizeArgs | [...number[], TensorOptions] | [readonly number[], TensorOptions];

/** Splits `zeros(2, 3, { dtype })` / `zeros([2, 3], { dtype })` into size and options. */
function splitSize(args: SizeWithOptions): [number[], TensorOptions | undefined] {
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    return [sizeArgs(args.slice(0, -1) as SizeArgs), last as TensorOptions];
  }
  return [sizeArgs(args as SizeArgs), undefined];
}

export function zeros(...args: SizeWithOptions): Tensor {
  const [shape, options] = splitSize(args);
  return filled(shape, 0, options);
}
export function ones(...args: SizeWithOptions): Tensor {
  const [shape, options] = splitSize(args);
  return filled(shape, 1, options);
}
export function empty(...args: SizeWithOptions): Tensor {
  return zeros(...args);
}
/** `torch.full(size, v)`: the dtype is v's kind (bool, int64, or the default float dtype) unless given. */
export function full(size: readonly number[], fill_value: Scalar, options?: TensorOptions): Tensor {
  return filled(size, scalarValue(fill_value), { dtype: scalarDtype(fill_value), ...options });
}
export function zeros_like(t: Tensor, options?: TensorOptions): Tensor {
  return filled(t.shape, 0, { dtype: t.dtype, ...options });
}
export function ones_like(t: Tensor, options?: TensorOptions): Tensor {
  return filled(t.shape, 1, { dtype: t.dtype, ...options });
}
export function full_like(t: Tensor, fill_value: Scalar, options?: TensorOptions): Tensor {
  return filled(t.shape, scalarValue(fill_value), { dtype: t.dtype, ...options });
}
export function empty_like(t: Tensor, options?: TensorOptions): Tensor {
  return zeros_like(t, options);
}
/** `torch.scalar_tensor(s)`: a zero-dim tensor of the default float dtype (whatever s's kind), unless given one. */
export function scalar_tensor(s: Scalar, options?: TensorOptions): Tensor {
  return filled([], scalarValue(s), options);
}

/**
 * `torch.arange(end)`, `arange(start, end)`, `arange(start, end, step)`. As in PyTorch, int
 * arguments give int64 and any float among them the default float dtype (an integral JS number
 * is an int; `torch.pyfloat(12)` is Python's `12.0`).
 */
export function arange(...args: (Scalar | TensorOptions)[]): Tensor {
  const scalars = args.filter((a): a is Scalar => typeof a === 'number' || typeof a === 'boolean' || a instanceof PyFloat);
  const nums = scalars.map(scalarValue);
  const options = args.find((a): a is TensorOptions => typeof a === 'object' && !(a instanceof PyFloat));
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new RuntimeError('step must be nonzero');
  if ((end - start) / step < 0) {
    throw new RuntimeError('upper bound and larger bound inconsistent with step sign');
  }
  const dtype = options?.dtype ?? (scalars.some(isFloatScalar) ? getDefaultDtype() : int64);
  const n = Math.ceil((end - start) / step);
  const data = dtype.alloc(n);
  for (let i = 0; i < n; i++) data[i] = dtype.cast(start + i * step);
  return withGrad(new Tensor(data, [n], dtype), options);
}

export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  const dtype = options?.dtype ?? getDefaultDtype();
  const data = dtype.alloc(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the second half from the end so both endpoints are exact.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = dtype.cast(i < half ? start + step * i : end - step * (steps - 1 - i));
  return withGrad(new Tensor(data, [steps], dtype), options);
}

export function eye(n: number, m: number | TensorOptions = n, options?: TensorOptions): Tensor {
  const cols = typeof m === 'number' ? m : n;
  const opts = typeof m === 'object' ? m : options;
  const t = filled([n, cols], 0, opts);
  for (let i = 0; i < Math.min(n, cols); i++) t._data[i * cols + i] = 1;
  return t;
}

// ---------------------------------------------------------------- random

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

function randomSplit(args: (number | readonly number[] | RandomOptions)[]): [number[], RandomOptions] {
  const last = args[args.length - 1];
  const options = last !== undefined && typeof last === 'object' && !Array.isArray(last) ? (last as RandomOptions) : {};
  const sizes = (options === last ? args.slice(0, -1) : args) as SizeArgs;
  return [sizeArgs(sizes), options];
}

function floatDtype(options: TensorOptions): 'float32' | 'float64' {
  const d = options.dtype ?? getDefaultDtype();
  if (d !== float32 && d !== float64) throw new RuntimeError(`"check_uniform_bounds" not implemented for '${d.scalarTypeName}'`);
  return d.name as 'float32' | 'float64';
}

/** Uniform on [0, 1), the same numbers as PyTorch CPU for the same seed. */
export function rand(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const [shape, options] = randomSplit(args);
  const t = filled(shape, 0, { dtype: options.dtype ?? getDefaultDtype() });
  (options.generator ?? defaultGenerator).fillUniform(t._data as Float32Array, 0, 1, floatDtype(options));
  return withGrad(t, options);
}

/** Standard normal, the same numbers as PyTorch CPU for the same seed. */
export function randn(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const [shape, options] = randomSplit(args);
  const t = filled(shape, 0, { dtype: options.dtype ?? getDefaultDtype() });
  (options.generator ?? defaultGenerator).fillNormal(t._data as Float32Array, 0, 1, floatDtype(options));
  return withGrad(t, options);
}

/** `torch.randint(low=0, high, size)`: `randint(10, [3])` or `randint(2, 10, [3])`. */
export function randint(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const options = (args.find((a) => typeof a === 'object' && !Array.isArray(a)) ?? {}) as RandomOptions;
  const size = args.find((a) => Array.isArray(a)) as readonly number[] | undefined;
  const bounds = args.filter((a): a is number => typeof a === 'number');
  if (!size) throw new TorchTypeError('randint() missing required argument: size (a list of dimensions, e.g. [3])');
  const [low, high] = bounds.length === 1 ? [0, bounds[0]!] : [bounds[0]!, bounds[1]!];
  if (!(low < high)) throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const dtype = options.dtype ?? int64;
  const t = filled(size, 0, { dtype });
  (options.generator ?? defaultGenerator).fillRandint(t._data as Float64Array, low, high, dtype.name as 'int64');
  return t;
}

/** A random permutation of 0..n-1 (int64), the same as PyTorch CPU for the same seed. */
export function randperm(n: number, options?: RandomOptions): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RuntimeError(`n must be non-negative, got${n}`);
  const values = (options?.generator ?? defaultGenerator).randperm(n);
  const dtype = options?.dtype ?? int64;
  const data = dtype.alloc(n);
  data.set(values);
  return new Tensor(data, [n], dtype);
}

export function rand_like(t: Tensor, options?: RandomOptions): Tensor {
  return rand(t.shape, { dtype: t.dtype, ...options });
}
export function randn_like(t: Tensor, options?: RandomOptions): Tensor {
  return randn(t.shape, { dtype: t.dtype, ...options });
}

/** `torch.get_rng_state()`: the default generator's state as PyTorch's 5056-byte uint8 tensor. */
export function get_rng_state(): Tensor {
  const bytes = defaultGenerator.get_state();
  return new Tensor(bytes, [bytes.length], uint8);
}

/** `torch.set_rng_state(state)`: restores a state from get_rng_state (or PyTorch's own). */
export function set_rng_state(new_state: Tensor): void {
  if (!(new_state instanceof Tensor) || new_state.dtype !== uint8) throw new TorchTypeError('RNG state must be a torch.ByteTensor');
  defaultGenerator.set_state(new Uint8Array(contiguousData(new_state)));
}

export function manual_seed(seed: number | bigint): Generator {
  return defaultGenerator.manual_seed(seed);
}
export function seed(): number {
  return defaultGenerator.seed();
}
export function initial_seed(): number {
  return defaultGenerator.initial_seed();
}
