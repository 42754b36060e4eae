/**
 * Tensor element types. int64 values live in a Float64Array (exact up to 2^53, which covers
 * every index and count a learner's script produces); int32 in an Int32Array and uint8 in a
 * Uint8Array (a store wraps around as C's integer conversions do); bool lives in a Uint8Array.
 *
 * The default floating dtype (torch.get_default_dtype) lives here too: the dtype of float data,
 * of factories without a dtype, and of a Python float among the operands of an op.
 */
import { TorchTypeError } from './errors.js';

export type DTypeName = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool';
export type Storage = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Where a dtype stands in PyTorch's type promotion: bool < integral < floating. */
type Category = 0 | 1 | 2;

export class DType {
  private constructor(
    readonly name: DTypeName,
    readonly itemsize: number,
    readonly is_floating_point: boolean,
    /** PyTorch's legacy type name, used in error messages: `torch.FloatTensor`. */
    readonly legacyName: string,
    /** ATen's name of the scalar type, as its messages say it: "not implemented for 'Long'". */
    readonly scalarTypeName: string,
    /** 0 bool, 1 integral, 2 floating. */
    readonly category: Category,
  ) {}

  static readonly float32 = new DType('float32', 4, true, 'FloatTensor', 'Float', 2);
  static readonly float64 = new DType('float64', 8, true, 'DoubleTensor', 'Double', 2);
  static readonly int64 = new DType('int64', 8, false, 'LongTensor', 'Long', 1);
  static readonly int32 = new DType('int32', 4, false, 'IntTensor', 'Int', 1);
  static readonly uint8 = new DType('uint8', 1, false, 'ByteTensor', 'Byte', 1);
  static readonly bool = new DType('bool', 1, false, 'BoolTensor', 'Bool', 0);

  /** An integer dtype (not bool): uint8, int32, int64. */
  get is_integral(): boolean {
    return this.category === 1;
  }

  toString(): string {
    return `torch.${this.name}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Allocates zeroed storage for `n` elements of this type. */
  alloc(n: number): Storage {
    switch (this.name) {
      case 'float32':
        return allocFloat32(n);
      case 'float64':
      case 'int64':
        return allocFloat64(n);
      case 'int32':
        return new Int32Array(n);
      case 'uint8':
      case 'bool':
        return new Uint8Array(n);
    }
  }

  /** Converts a JS number to the value this dtype stores (rounding, truncation, wrap-around, 0/1). */
  cast(x: number): number {
    switch (this.name) {
      case 'float32':
        return Math.fround(x);
      case 'float64':
        return x;
      case 'int64':
        // `+ 0` turns the -0 of trunc(-0.5) into the 0 an integer is.
        return Math.trunc(x) + 0;
      case 'int32':
        return Math.trunc(x) | 0;
      case 'uint8':
        return (Math.trunc(x) | 0) & 0xff;
      case 'bool':
        // Nonzero is true, NaN included.
        return x !== 0 ? 1 : 0;
    }
  }
}

/*
 * Small storage comes from shared slabs. V8 keeps a typed array of at most 64 bytes inside its
 * own object, but gives a larger one a separate backing store, which costs about a microsecond
 * to create and to collect — more than the arithmetic on a few hundred elements. So arrays from
 * 65 bytes to SMALL_LIMIT are views into an ArrayBuffer of 32 KiB, carved off one after another and
 * never handed out twice (no reuse, so no aliasing). A slab is freed when none of its views is
 * reachable; as with Node's Buffer pool, a view kept alive keeps its whole slab.
 *
 * Only whole, non-negative element counts reach a slab: anything else (NaN, 2.5, -1) goes to the
 * typed-array constructor, which throws its usual RangeError, so a bad length can never leave the
 * slab's fill mark unaligned or NaN (a NaN mark would make every later view start at offset 0,
 * handing out the same memory again).
 */
const SLAB_BYTES = 32768;
const SMALL_LIMIT = 1024;
let slab = new ArrayBuffer(0);
let slabUsed = SLAB_BYTES;

/** Whether `n` elements of `itemsize` bytes are carved from a slab: a whole count above 64 bytes, up to SMALL_LIMIT. */
function fromSlab(n: number, itemsize: number): boolean {
  return Number.isInteger(n) && n * itemsize > 64 && n * itemsize <= SMALL_LIMIT;
}

/** The byte offset of a fresh, zeroed region of `bytes` (a multiple of 8, at most SMALL_LIMIT) in the current slab. */
function carve(bytes: number): number {
  // A slab that is full, or detached by a transfer (its length is then 0), is replaced.
  if (slabUsed + bytes > SLAB_BYTES || slab.byteLength !== SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += bytes;
  return at;
}

/** `new Float32Array(n)`, from a slab when it is small but not tiny. */
export function allocFloat32(n: number): Float32Array {
  if (!fromSlab(n, 4)) return new Float32Array(n);
  // carve() first: it may replace `slab`.
  const at = carve((n * 4 + 7) & ~7);
  return new Float32Array(slab, at, n);
}

/** `new Float64Array(n)`, from a slab when it is small but not tiny. */
export function allocFloat64(n: number): Float64Array {
  if (!fromSlab(n, 8)) return new Float64Array(n);
  const at = carve(n * 8);
  return new Float64Array(slab, at, n);
}

export const float32 = DType.float32;
export const float64 = DType.float64;
export const int64 = DType.int64;
export const int32 = DType.int32;
export const uint8 = DType.uint8;
export const bool = DType.bool;

export function dtypeFromName(name: DTypeName): DType {
  return DType[name];
}

let defaultFloat: DType = float32;

/** `torch.get_default_dtype()`: the dtype of float data and of factories given no dtype. */
export function getDefaultDtype(): DType {
  return defaultFloat;
}

/** `torch.set_default_dtype(d)`: float32 or float64, as PyTorch allows. */
export function setDefaultDtype(d: DType): void {
  if (!(d instanceof DType) || !d.is_floating_point) {
    throw new TorchTypeError('only floating-point types are supported as the default type');
  }
  defaultFloat = d;
}

/** The wider of two dtypes (from operands of the same priority class), as PyTorch's promote_types. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a.category !== b.category) return a.category > b.category ? a : b;
  // Same category, different types: the wider float, or the wider integer (uint8 < int32 < int64).
  return a.itemsize >= b.itemsize ? a : b;
}

/**
 * PyTorch's result_type. Operands come in three priority classes: tensors with dimensions (2),
 * zero-dim tensors (1) and Python-style scalars (0: a float scalar has the default dtype, an
 * int one int64, a bool one bool). The strongest class present decides, unless a weaker class
 * holds a higher category (an int64 tensor times 0.5 is float32; times a float64 zero-dim
 * tensor is float64; an int32 tensor times 2 stays int32).
 */
export function resultType(operands: readonly { dtype: DType; priority: 0 | 1 | 2 }[]): DType {
  const byClass: (DType | null)[] = [null, null, null];
  for (const { dtype, priority } of operands) {
    const seen = byClass[priority];
    byClass[priority] = seen === null ? dtype : promoteTypes(seen, dtype);
  }
  let result: DType | null = null;
  for (let priority = 2; priority >= 0; priority--) {
    const d = byClass[priority];
    if (d === null) continue;
    if (result === null || d.category > result.category) result = d;
  }
  return result ?? defaultFloat;
}
