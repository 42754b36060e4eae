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
        return new Float32Array(n);
      case 'float64':
      case 'int64':
        return new Float64Array(n);
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
