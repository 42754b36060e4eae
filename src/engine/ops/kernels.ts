/**
 * Loops over tensor storage. Every op's forward goes through these: they read strided or
 * broadcast operands and write a fresh contiguous result, so float32 results are rounded to
 * float32 once per elementary operation, exactly where PyTorch rounds them.
 */
import type { DType, Storage } from '../dtype.js';
import { broadcastShapes, broadcastStrides, numelOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

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
  const offsets = stridedOffsets(t.shape, t._strides, t._offset);
  const data = t._data;
  for (let i = 0; i < n; i++) out[i] = data[offsets[i]!]!;
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
  } else {
    const offsets = stridedOffsets(t.shape, t._strides, t._offset);
    for (let i = 0; i < n; i++) out[i] = f(src[offsets[i]!]!);
  }
  return Tensor._make(out, t.shape, outDtype);
}

export function mapBinary(a: Tensor, b: Tensor, outDtype: DType, f: (x: number, y: number) => number): Tensor {
  const shape = a.shape.length === b.shape.length && sameDims(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape);
  const n = numelOf(shape);
  const out = outDtype.alloc(n);
  const da = a._data;
  const db = b._data;
  const sa = a._offset;
  const sb = b._offset;
  // One-element operands (scalars, a 0-dim `w` times a vector) are read once.
  if (b.numel() === 1 && a._contiguous && a.numel() === n) {
    const y = db[sb]!;
    for (let i = 0; i < n; i++) out[i] = f(da[sa + i]!, y);
    return Tensor._make(out, shape, outDtype);
  }
  if (a.numel() === 1 && b._contiguous && b.numel() === n) {
    const x = da[sa]!;
    for (let i = 0; i < n; i++) out[i] = f(x, db[sb + i]!);
    return Tensor._make(out, shape, outDtype);
  }
  const oa = readOffsets(a, shape);
  const ob = readOffsets(b, shape);
  if (oa === null && ob === null) {
    for (let i = 0; i < n; i++) out[i] = f(da[sa + i]!, db[sb + i]!);
  } else if (oa === null) {
    for (let i = 0; i < n; i++) out[i] = f(da[sa + i]!, db[ob![i]!]!);
  } else if (ob === null) {
    for (let i = 0; i < n; i++) out[i] = f(da[oa[i]!]!, db[sb + i]!);
  } else {
    for (let i = 0; i < n; i++) out[i] = f(da[oa[i]!]!, db[ob[i]!]!);
  }
  return Tensor._make(out, shape, outDtype);
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
