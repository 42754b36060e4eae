/**
 * Loops over tensor storage. Every op's forward goes through these: they read strided or
 * broadcast operands and write a fresh contiguous result, so float32 results are rounded to
 * float32 once per elementary operation, exactly where PyTorch rounds them.
 */
import type { DType, Storage } from '../dtype.js';
import { broadcastShapes, broadcastStrides, numelOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { BinaryLoops, UnaryLoop } from './loops.js';

/** Flat storage offsets of every element of a strided layout, in row-major order. */
export function stridedOffsets(shape: Shape, strides: readonly number[], offset: number): Int32Array {
  const n = numelOf(shape);
  const out = new Int32Array(n);
  const rank = shape.length;
  if (n === 0) return out;
  if (rank === 0) {
    out[0] = offset;
    return out;
  }
  const index = new Array<number>(rank).fill(0);
  let pos = offset;
  const last = rank - 1;
  const lastSize = shape[last]!;
  const lastStride = strides[last]!;
  for (let i = 0; i < n; ) {
    for (let j = 0; j < lastSize; j++, i++) out[i] = pos + j * lastStride;
    // carry into the outer dimensions
    let d = last - 1;
    pos = offset;
    for (; d >= 0; d--) {
      index[d]!++;
      if (index[d]! < shape[d]!) break;
      index[d] = 0;
    }
    if (d < 0) break;
    for (let k = 0; k < last; k++) pos += index[k]! * strides[k]!;
  }
  return out;
}

/** The elements of `t` in row-major order: the storage itself when already laid out so. */
export function contiguousData(t: Tensor): Storage {
  const n = t.numel();
  if (t._contiguous) {
    const data = t._data;
    return t._offset === 0 && data.length === n ? data : (data.subarray(t._offset, t._offset + n) as Storage);
  }
  const out = t.dtype.alloc(n);
  gatherInto(t, t._shape, t._strides, out);
  return out;
}

/**
 * Copies the elements of `t` read through `strides` (which may hold zeros, for broadcasting)
 * at `shape`, in row-major order, into `out`. Walks the index like an odometer, without a
 * table of offsets.
 */
function gatherInto(t: Tensor, shape: Shape, strides: readonly number[], out: Storage): void {
  const n = out.length;
  if (n === 0) return;
  const data = t._data;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = data[t._offset]!;
    return;
  }
  const last = rank - 1;
  const lastSize = shape[last]!;
  const lastStride = strides[last]!;
  if (rank === 1) {
    for (let j = 0, pos = t._offset; j < lastSize; j++, pos += lastStride) out[j] = data[pos]!;
    return;
  }
  if (rank === 2) {
    const rows = shape[0]!;
    const rowStride = strides[0]!;
    let i = 0;
    for (let r = 0; r < rows; r++) {
      let pos = t._offset + r * rowStride;
      for (let j = 0; j < lastSize; j++, pos += lastStride) out[i++] = data[pos]!;
    }
    return;
  }
  const index = new Array<number>(rank).fill(0);
  let base = t._offset;
  for (let i = 0; i < n; ) {
    for (let j = 0, pos = base; j < lastSize; j++, pos += lastStride) out[i++] = data[pos]!;
    let d = last - 1;
    for (; d >= 0; d--) {
      index[d]!++;
      base += strides[d]!;
      if (index[d]! < shape[d]!) break;
      base -= index[d]! * strides[d]!;
      index[d] = 0;
    }
    if (d < 0) break;
  }
}

/** True when every element of `t` reads the same storage slot (one element, or broadcast from one). */
function isSingleValue(t: Tensor): boolean {
  const strides = t._strides;
  for (let i = 0; i < strides.length; i++) if (strides[i] !== 0 && t._shape[i] !== 1) return false;
  return true;
}

/** The values of `t` broadcast to `target`, row-major; null when `t` already is contiguous at that shape. */
function readBroadcast(t: Tensor, target: Shape, n: number): Storage | null {
  if (t._contiguous && t._shape.length === target.length && t.numel() === n) return null;
  const out = t.dtype.alloc(n);
  gatherInto(t, target, broadcastStrides(t._shape, t._strides, target), out);
  return out;
}

/** Offsets reading `t` broadcast to `target`, or null when it is already contiguous at that shape. */
function readOffsets(t: Tensor, target: Shape): Int32Array | null {
  if (t._contiguous && t.shape.length === target.length && t.numel() === numelOf(target)) return null;
  return stridedOffsets(target, broadcastStrides(t.shape, t._strides, target), t._offset);
}

export function mapUnary(t: Tensor, outDtype: DType, f: (x: number) => number): Tensor {
  const n = t.numel();
  const out = outDtype.alloc(n);
  const src = t._data;
  if (t._contiguous) {
    const o = t._offset;
    for (let i = 0; i < n; i++) out[i] = f(src[o + i]!);
  } else if (isSingleValue(t)) {
    if (n > 0) out.fill(f(src[t._offset]!));
  } else {
    const values = t.dtype.alloc(n);
    gatherInto(t, t._shape, t._strides, values);
    for (let i = 0; i < n; i++) out[i] = f(values[i]!);
  }
  return Tensor._make(out, t._shape, outDtype);
}

/** An op's own loop (see loops.ts) over the elements of `t`, in row-major order. */
export function unaryOp(t: Tensor, outDtype: DType, loop: UnaryLoop): Tensor {
  const n = t._numel;
  const out = outDtype.alloc(n);
  if (t._contiguous) loop(t._data, t._offset, out, n);
  else loop(contiguousData(t), 0, out, n);
  return Tensor._make(out, t._shape, outDtype);
}

/** A copy of a contiguous tensor's elements as a fresh tensor (clone's values, without history). */
export function copyOf(t: Tensor): Tensor {
  const n = t._numel;
  const data = t.dtype.alloc(n);
  const src = t._data;
  const o = t._offset;
  if (n > 64) data.set(src.subarray(o, o + n));
  else for (let i = 0; i < n; i++) data[i] = src[o + i]!;
  return Tensor._make(data, t._shape, t.dtype);
}

/**
 * `a op b` with broadcasting, in the op's own loops: each result computed in double and rounded
 * once by the store into `outDtype`'s storage (float32 rounds, int64 keeps the integer). A number
 * operand (already cast to the computation dtype) is one value for every element, as a wrapped
 * zero-dim tensor would be.
 */
export function binaryOp(a: Tensor | number, b: Tensor | number, outDtype: DType, loops: BinaryLoops): Tensor {
  if (typeof b === 'number') return withNumber(a as Tensor, b, outDtype, loops, false);
  if (typeof a === 'number') return withNumber(b, a, outDtype, loops, true);
  const as = a._shape;
  const bs = b._shape;
  // A zero-dim operand never changes the other's shape.
  const shape = bs.length === 0 ? as : as.length === 0 ? bs : as.length === bs.length && sameDims(as, bs) ? as : broadcastShapes(as, bs);
  const n = shape === as ? a._numel : shape === bs ? b._numel : numelOf(shape);
  const out = outDtype.alloc(n);
  let da = a._data;
  let db = b._data;
  let sa = a._offset;
  let sb = b._offset;
  const aFull = a._contiguous && a._numel === n;
  const bFull = b._contiguous && b._numel === n;
  if (aFull && bFull) loops.both(da, sa, db, sb, out, 0, n);
  else if (aFull && isSingleValue(b)) loops.right(da, sa, db[sb]!, out, n);
  else if (bFull && isSingleValue(a)) loops.left(da[sa]!, db, sb, out, n);
  else if (isSingleValue(a) && isSingleValue(b)) {
    // Both read one value each (a loss's gradient expanded back over its elements): one result, repeated.
    if (n > 0) out.fill(loops.f(da[sa]!, db[sb]!));
  } else {
    const ra = readBroadcast(a, shape, n);
    const rb = readBroadcast(b, shape, n);
    if (ra !== null) {
      da = ra;
      sa = 0;
    }
    if (rb !== null) {
      db = rb;
      sb = 0;
    }
    loops.both(da, sa, db, sb, out, 0, n);
  }
  return Tensor._make(out, shape, outDtype);
}

/**
 * binaryOp's loops for a function given per call (comparisons, logic, ops with constants of their
 * own): one call of `f` per element, through one shared call site. `f` is swapped in for the call.
 */
const perCall: BinaryLoops & { f: (p: number, q: number) => number } = {
  f: (p, q) => p + q,
  both(a, ao, b, bo, out, oo, n) {
    const f = perCall.f;
    for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i]!, b[bo + i]!);
  },
  right(a, ao, y, out, n) {
    const f = perCall.f;
    for (let i = 0; i < n; i++) out[i] = f(a[ao + i]!, y);
  },
  left(x, b, bo, out, n) {
    const f = perCall.f;
    for (let i = 0; i < n; i++) out[i] = f(x, b[bo + i]!);
  },
};

/** `f(a, b)` elementwise with broadcasting, into `outDtype`'s storage. */
export function mapBinary(a: Tensor, b: Tensor, outDtype: DType, f: (x: number, y: number) => number): Tensor {
  const previous = perCall.f;
  perCall.f = f;
  try {
    return binaryOp(a, b, outDtype, perCall);
  } finally {
    perCall.f = previous;
  }
}

export function mapTernary(
  a: Tensor,
  b: Tensor,
  c: Tensor,
  outDtype: DType,
  f: (x: number, y: number, z: number) => number,
): Tensor {
  const shape = broadcastShapes(broadcastShapes(a.shape, b.shape), c.shape);
  const n = numelOf(shape);
  const out = outDtype.alloc(n);
  const [da, db, dc] = [a._data, b._data, c._data];
  const oa = readOffsets(a, shape);
  const ob = readOffsets(b, shape);
  const oc = readOffsets(c, shape);
  for (let i = 0; i < n; i++) {
    out[i] = f(da[oa ? oa[i]! : a._offset + i]!, db[ob ? ob[i]! : b._offset + i]!, dc[oc ? oc[i]! : c._offset + i]!);
  }
  return Tensor._make(out, shape, outDtype);
}

/** `t op y` (or `y op t` when `numberFirst`) for a number `y`. */
function withNumber(t: Tensor, y: number, outDtype: DType, loops: BinaryLoops, numberFirst: boolean): Tensor {
  const n = t._numel;
  const out = outDtype.alloc(n);
  if (t._contiguous) {
    if (numberFirst) loops.left(y, t._data, t._offset, out, n);
    else loops.right(t._data, t._offset, y, out, n);
  } else if (isSingleValue(t)) {
    // One value broadcast (a loss's gradient expanded back over its elements): one result, repeated.
    const v = t._data[t._offset]!;
    if (n > 0) out.fill(numberFirst ? loops.f(y, v) : loops.f(v, y));
  } else {
    const data = contiguousData(t);
    if (numberFirst) loops.left(y, data, 0, out, n);
    else loops.right(data, 0, y, out, n);
  }
  return Tensor._make(out, t._shape, outDtype);
}

function sameDims(a: Shape, b: Shape): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes `values` (broadcast to dst's shape) into dst's storage through its strides. */
export function writeInto(dst: Tensor, values: Tensor): void {
  const n = dst.numel();
  const src = values._data;
  const so = readOffsets(values, dst.shape);
  const d = dst._data;
  const cast = dst.dtype.name === 'int64' ? Math.trunc : null;
  if (dst._contiguous) {
    const o = dst._offset;
    for (let i = 0; i < n; i++) {
      const v = src[so ? so[i]! : values._offset + i]!;
      d[o + i] = cast ? cast(v) : v;
    }
  } else {
    const offsets = stridedOffsets(dst.shape, dst._strides, dst._offset);
    for (let i = 0; i < n; i++) {
      const v = src[so ? so[i]! : values._offset + i]!;
      d[offsets[i]!] = cast ? cast(v) : v;
    }
  }
}
