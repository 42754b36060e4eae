/**
 * Tensor element types. int64 values live in a Float64Array (exact up to 2^53, which covers
 * every index and count a learner's script produces); bool lives in a Uint8Array.
 */
export type DTypeName = 'float32' | 'float64' | 'int64' | 'bool';
export type Storage = Float32Array | Float64Array | Uint8Array;

export class DType {
  private constructor(
    readonly name: DTypeName,
    readonly itemsize: number,
    readonly is_floating_point: boolean,
    /** PyTorch's legacy type name, used in error messages: `torch.FloatTensor`. */
    readonly legacyName: string,
  ) {}

  static readonly float32 = new DType('float32', 4, true, 'FloatTensor');
  static readonly float64 = new DType('float64', 8, true, 'DoubleTensor');
  static readonly int64 = new DType('int64', 8, false, 'LongTensor');
  static readonly bool = new DType('bool', 1, false, 'BoolTensor');

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
      case 'bool':
        return new Uint8Array(n);
    }
  }

  /** Converts a JS number to the value this dtype stores (rounding, truncation, 0/1). */
  cast(x: number): number {
    switch (this.name) {
      case 'float32':
        return Math.fround(x);
      case 'float64':
        return x;
      case 'int64':
        return Math.trunc(x);
      case 'bool':
        return x ? 1 : 0;
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
export const bool = DType.bool;

export function dtypeFromName(name: DTypeName): DType {
  return DType[name];
}

/** Rank of a dtype's category in PyTorch's type promotion: bool < integral < floating. */
function category(d: DType): number {
  return d === bool ? 0 : d === int64 ? 1 : 2;
}

/** The wider of two dtypes (both from tensors of the same priority class). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (category(a) !== category(b)) return category(a) > category(b) ? a : b;
  // same category, different types: only float32 vs float64 remains
  return float64;
}

/**
 * PyTorch's result_type. Operands come in three priority classes: tensors with dimensions (2),
 * zero-dim tensors (1) and Python-style scalars (0, a float scalar counts as float32). The
 * strongest class present decides, unless a weaker class holds a higher category (an int64
 * tensor times 0.5 is float32; times a float64 zero-dim tensor is float64).
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
    if (result === null || category(d) > category(result)) result = d;
  }
  return result ?? float32;
}
