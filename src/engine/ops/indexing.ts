/**
 * Python-style indexing and the gather/scatter family. Basic indexing (ints, slices, new axes,
 * ellipsis) gives views; tensor indices copy (IndexBackward0), as in PyTorch.
 */
import { derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { zeros } from '../creation.js';
import { bool, int64 } from '../dtype.js';
import { IndexError, NotImplementedError, RuntimeError } from '../errors.js';
import { broadcastShapes, contiguousStrides, normalizeDim, numelOf, type Shape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { contiguousData, mapBinary, stridedOffsets } from './kernels.js';
import { asTensorLike } from './pointwise.js';
import { select, slice as sliceView, unsqueeze } from './views.js';

/** A Python slice `start:stop:step`; null bounds are omitted ones. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
  toString(): string {
    return `${this.start ?? ''}:${this.stop ?? ''}${this.step === null ? '' : `:${this.step}`}`;
  }
}

/** `slice(a, b)` is Python's `a:b`; `slice(null, -2)` is `:-2`. */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return new Slice(start ?? null, stop ?? null, step ?? null);
}

/** One item of an index expression: an int, a slice, an index tensor or int array, a new axis (null) or `'...'`. */
export type IndexItem = number | Slice | Tensor | readonly number[] | null | '...';

/** Accepts items, or one string in Python syntax: `'1:3, 0'`, `':-2'`, `'..., None'`. */
export function parseIndex(items: readonly IndexItem[] | readonly [string]): IndexItem[] {
  if (items.length !== 1 || typeof items[0] !== 'string' || items[0] === '...') return [...(items as readonly IndexItem[])];
  const text = items[0];
  return text.split(',').map((part): IndexItem => {
    const p = part.trim();
    if (p === '...') return '...';
    if (p === 'None') return null;
    if (p.includes(':')) {
      const bounds = p.split(':').map((b) => (b.trim() === '' ? null : parseIntStrict(b, text)));
      if (bounds.length > 3) throw new IndexError(`invalid slice '${p}' in index '${text}'`);
      return new Slice(bounds[0] ?? null, bounds[1] ?? null, bounds[2] ?? null);
    }
    return parseIntStrict(p, text);
  });
}

function parseIntStrict(s: string, whole: string): number {
  const v = Number(s.trim());
  if (s.trim() === '' || !Number.isInteger(v)) throw new IndexError(`invalid index '${s.trim()}' in '${whole}': expected an integer, a slice a:b:c, None or ...`);
  return v;
}

function asIndexTensor(item: Tensor | readonly number[]): Tensor {
  if (item instanceof Tensor) {
    if (item.dtype !== int64 && item.dtype !== bool) {
      throw new IndexError(
        'tensors used as indices must be long, byte or bool tensors\nAutograd Lab: make index tensors with { dtype: torch.int64 } (or from randperm/arange/argmax).',
      );
    }
    return item;
  }
  const data = new Float64Array(item.length);
  item.forEach((v, i) => {
    if (!Number.isInteger(v)) throw new IndexError('tensors used as indices must be long, byte or bool tensors');
    data[i] = v;
  });
  return Tensor._make(data, [item.length], int64);
}

/** `x[items]`. */
export function index(x: Tensor, items: readonly IndexItem[]): Tensor {
  const consumes = (it: IndexItem) => {
    if (it === null || it === '...') return 0;
    if (it instanceof Tensor && it.dtype === bool) return Math.max(it.dim(), 1);
    return 1;
  };
  const used = items.reduce<number>((n, it) => n + consumes(it), 0);
  const ellipses = items.filter((it) => it === '...').length;
  if (ellipses > 1) throw new IndexError('an index can only have a single ellipsis (...)');
  if (used > x.dim() && !(x.dim() === 0 && used === 1 && items.every((it) => it instanceof Tensor && it.dtype === bool))) {
    throw new IndexError(`too many indices for tensor of dimension ${x.dim()}`);
  }
  // Basic indexing first, remembering where each tensor index applies in the resulting view.
  let v = x;
  let dim = 0;
  const advanced: { dim: number; index: Tensor }[] = [];
  for (const item of items) {
    if (item === '...') {
      dim += x.dim() - used;
    } else if (item === null) {
      v = unsqueeze(v, dim);
      dim++;
    } else if (typeof item === 'number') {
      if (!Number.isInteger(item)) throw new IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices');
      v = select(v, dim, item);
    } else if (item instanceof Slice) {
      v = sliceView(v, dim, item.start, item.stop, item.step ?? 1);
      dim++;
    } else {
      const idx = asIndexTensor(item);
      if (idx.dtype === bool) {
        const mask = idx;
        for (let k = 0; k < mask.dim(); k++) {
          if (mask.shape[k] !== v.shape[dim + k]) {
            throw new IndexError(`The shape of the mask [${mask.shape.join(', ')}] at index ${k} does not match the shape of the indexed tensor [${v.shape.join(', ')}] at index ${dim + k}`);
          }
        }
        const coords = nonzero(mask);
        for (let k = 0; k < Math.max(mask.dim(), 1); k++) {
          advanced.push({ dim: dim + k, index: mask.dim() === 0 ? coords.select(1, 0) : coords.select(1, k) });
        }
        dim += Math.max(mask.dim(), 1);
      } else {
        advanced.push({ dim, index: idx });
        dim++;
      }
    }
  }
  return advanced.length === 0 ? v : advancedIndex(v, advanced);
}

/** NumPy advanced indexing: tensor indices broadcast together and gather elements. */
function advancedIndex(x: Tensor, advanced: { dim: number; index: Tensor }[]): Tensor {
  const dims = advanced.map((a) => a.dim);
  const rest = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const indexShape = advanced.map((a) => a.index.shape).reduce((s, t) => broadcastShapes(s, t), [] as number[]);
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  const insertAt = adjacent ? rest.filter((d) => d < dims[0]!).length : 0;
  const restShape = rest.map((d) => x.shape[d]!);
  const outShape = [...restShape.slice(0, insertAt), ...indexShape, ...restShape.slice(insertAt)];
  const offsets = gatherOffsets(x, advanced, indexShape, rest, insertAt, outShape);
  const out = x.dtype.alloc(offsets.length);
  const data = x._data;
  for (let i = 0; i < offsets.length; i++) out[i] = data[offsets[i]!]!;
  const result = Tensor._make(out, outShape, x.dtype);
  record(IndexBackward0, [x], [result], [], { inputShape: x.shape, advanced, indexShape, rest, insertAt, outShape });
  return result;
}

/** Where advanced indexing read its elements from. */
interface Picked {
  readonly inputShape: Shape;
  readonly advanced: { dim: number; index: Tensor }[];
  readonly indexShape: Shape;
  readonly rest: readonly number[];
  readonly insertAt: number;
  readonly outShape: Shape;
}

const IndexBackward0 = derivative<Picked>({
  name: 'IndexBackward0',
  backward: ([g], _, { params: p }) => [indexPutAccumulate(g!, p)],
  explain: () => ['∂x[idx]/∂x = 1 at each element picked, else 0 (an element picked twice gets both gradients)'],
});

/** The backward of IndexBackward0's own formula (create_graph): the gradient picked at the same places. */
const IndexPutAccumulateBackward = derivative<Picked>({
  name: 'IndexPutBackward0',
  backward: ([gg], _, { params: p }) => [advancedIndex(gg!, p.advanced)],
  explain: () => ['∂(zeros with g put at idx)/∂g = 1 at the indexed places: the gradient is picked there'],
});

/** Storage offsets (into `x`, or into a contiguous tensor of x's shape when `contiguous`) of each output element. */
function gatherOffsets(
  x: { shape: Shape; _strides: readonly number[]; _offset: number },
  advanced: { dim: number; index: Tensor }[],
  indexShape: Shape,
  rest: readonly number[],
  insertAt: number,
  outShape: Shape,
): Int32Array {
  const idxValues = advanced.map((a) => {
    const expanded = a.index.expand(indexShape);
    return contiguousData(expanded);
  });
  const nIndex = numelOf(indexShape);
  const restSizes = rest.map((d) => x.shape[d]!);
  const restStrides = rest.map((d) => x._strides[d]!);
  const before = numelOf(restSizes.slice(0, insertAt));
  const afterSizes = restSizes.slice(insertAt);
  const afterOffsets = stridedOffsets(afterSizes, restStrides.slice(insertAt), 0);
  const beforeOffsets = stridedOffsets(restSizes.slice(0, insertAt), restStrides.slice(0, insertAt), 0);
  const out = new Int32Array(numelOf(outShape));
  let k = 0;
  for (let b = 0; b < before; b++) {
    for (let j = 0; j < nIndex; j++) {
      let base = x._offset + beforeOffsets[b]!;
      for (let a = 0; a < advanced.length; a++) {
        const d = advanced[a]!.dim;
        const size = x.shape[d]!;
        let v = idxValues[a]![j]!;
        if (v < -size || v >= size) throw new IndexError(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
        if (v < 0) v += size;
        base += v * x._strides[d]!;
      }
      for (let r = 0; r < afterOffsets.length; r++) out[k++] = base + afterOffsets[r]!;
    }
  }
  return out;
}

/** zeros(inputShape) with `g` added at the indexed positions (repeated indices accumulate). */
function indexPutAccumulate(g: Tensor, p: Picked): Tensor {
  const { inputShape, advanced, indexShape, rest, insertAt, outShape } = p;
  const target = { shape: inputShape, _strides: contiguousStrides(inputShape), _offset: 0 };
  const offsets = gatherOffsets(target, advanced, indexShape, rest, insertAt, outShape);
  const out = g.dtype.alloc(numelOf(inputShape));
  const src = contiguousData(g);
  const f32 = g.dtype.name === 'float32';
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i]!;
    out[o] = f32 ? Math.fround(out[o]! + src[i]!) : out[o]! + src[i]!;
  }
  const result = Tensor._make(out, inputShape, g.dtype);
  record(IndexPutAccumulateBackward, [g], [result], [], p);
  return result;
}

function checkIndex(index: Tensor, op: string): void {
  if (index.dtype !== int64) throw new RuntimeError(`${op}(): Expected dtype int64 for index`);
}

export function index_select(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, 'index_select');
  if (index.dim() > 1) throw new IndexError('index_select(): Index is supposed to be a vector');
  const d = normalizeDim(dim, x.dim());
  const idx = index.dim() === 0 ? index.reshape(1) : index;
  const result = advancedIndexAt(x, d, idx);
  record(IndexSelectBackward0, [x], [result], [idx], { inputShape: x.shape, dim: d });
  return result;
}

/** The input's shape and the dim an index runs along. */
interface Along {
  readonly inputShape: Shape;
  readonly dim: number;
}

const IndexSelectBackward0 = derivative<Along>({
  name: 'IndexSelectBackward0',
  backward: ([g], [i], { params: p }) => [index_add(zeros(p.inputShape, { dtype: g!.dtype }), p.dim, i!, g!)],
  explain: ({ dim }) => [`∂index_select(x, ${dim}, i)/∂x = 1 at each slice selected, else 0 (a slice selected twice gets both gradients)`],
});

function advancedIndexAt(x: Tensor, d: number, idx: Tensor): Tensor {
  const size = x.shape[d]!;
  const values = contiguousData(idx);
  for (const v of values) {
    if (v < -size || v >= size) throw new IndexError(`index out of range in self`);
  }
  const outer = numelOf(x.shape.slice(0, d));
  const inner = numelOf(x.shape.slice(d + 1));
  const data = contiguousData(x);
  const out = x.dtype.alloc(outer * values.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < values.length; j++) {
      const v = values[j]! < 0 ? values[j]! + size : values[j]!;
      const src = (o * size + v) * inner;
      const dst = (o * values.length + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = data[src + i]!;
    }
  }
  const shape = [...x.shape];
  shape[d] = values.length;
  return Tensor._make(out, shape, x.dtype);
}

/** `x.index_add(dim, index, src)`: out = x; out[..., index[j], ...] += src[..., j, ...]. */
export function index_add(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkIndex(index, 'index_add');
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  const outer = numelOf(x.shape.slice(0, d));
  const inner = numelOf(x.shape.slice(d + 1));
  const values = contiguousData(index);
  const out = contiguousData(x).slice();
  const s = contiguousData(src);
  const f32 = x.dtype.name === 'float32';
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < values.length; j++) {
      const v = values[j]! < 0 ? values[j]! + size : values[j]!;
      for (let i = 0; i < inner; i++) {
        const at = (o * size + v) * inner + i;
        const add = s[(o * values.length + j) * inner + i]!;
        out[at] = f32 ? Math.fround(out[at]! + add) : out[at]! + add;
      }
    }
  }
  const result = Tensor._make(out, x.shape, x.dtype);
  record(IndexAddBackward0, [x, src], [result], [index], { inputShape: x.shape, dim: d });
  return result;
}

const IndexAddBackward0 = derivative<Along>({
  name: 'IndexAddBackward0',
  backward: ([g], [i], { params: p }) => [g!, index_select(g!, p.dim, i!)],
  explain: ({ dim }) => ['∂(x + added)/∂x = 1', `∂(x + added)/∂src = 1: each slice of src gets the gradient of the slice (along dim ${dim}) it was added to`],
});

function checkGatherShapes(x: Tensor, d: number, index: Tensor, op: string): void {
  checkIndex(index, op);
  if (index.dim() !== x.dim()) throw new RuntimeError(`Index tensor must have the same number of dimensions as input tensor`);
  index.shape.forEach((s, k) => {
    if (k !== d && s > x.shape[k]!) {
      throw new RuntimeError(`Size does not match at dimension ${k} expected index ${JSON.stringify(index.shape)} to be smaller than self ${JSON.stringify(x.shape)} apart from dimension ${d}`);
    }
  });
}

/**
 * Offsets into a contiguous tensor of `shape` addressed by `index` along `d`: element i of the
 * index sits at some coordinates in the index's own shape; the target has the same coordinates
 * except along `d`, where it takes the index's value.
 */
function scatterOffsets(shape: Shape, d: number, index: Tensor): Int32Array {
  const idx = contiguousData(index);
  const strides = contiguousStrides(shape);
  // Offsets of the index's coordinates in the target, with the coordinate along d left at 0.
  const withoutD = strides.map((s, k) => (k === d ? 0 : s));
  const bases = stridedOffsets(index.shape, withoutD, 0);
  const size = shape[d]!;
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < -size || v >= size) throw new RuntimeError(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
    out[i] = bases[i]! + (v < 0 ? v + size : v) * strides[d]!;
  }
  return out;
}

/** `out[i][j] = x[i][index[i][j]]` (dim 1), as torch.gather. */
export function gather(x: Tensor, dim: number, index: Tensor, sparseGrad = false): Tensor {
  // A sparse gradient is a sparse tensor, which Autograd Lab does not have: the values are the same, the gradient would not be.
  if (sparseGrad && recording(x)) throw new NotImplementedError('torch.gather(sparse_grad=True) of a tensor that requires grad is not supported by Autograd Lab yet');
  const d = normalizeDim(dim, x.dim());
  checkGatherShapes(x, d, index, 'gather');
  const offsets = scatterOffsets(x.shape, d, index);
  const data = contiguousData(x);
  const out = x.dtype.alloc(offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = data[offsets[i]!]!;
  const result = Tensor._make(out, index.shape, x.dtype);
  record(GatherBackward0, [x], [result], [index], { inputShape: x.shape, dim: d });
  return result;
}

const GatherBackward0 = derivative<Along>({
  name: 'GatherBackward0',
  backward: ([g], [i], { params: p }) => [scatter_add(zeros(p.inputShape, { dtype: g!.dtype }), p.dim, i!, g!)],
  explain: ({ dim }) => [`∂gather(x, ${dim}, i)/∂x = 1 at each element gathered, else 0 (an element gathered twice gets both gradients)`],
});

/** `out = x; out[i][index[i][j]] += src[i][j]` (dim 1), as torch.scatter_add. */
export function scatter_add(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, x.dim());
  checkGatherShapes(x, d, index, 'scatter_add');
  const offsets = scatterOffsets(x.shape, d, index);
  const out = contiguousData(x).slice();
  const srcOffsets = stridedOffsets(index.shape, src._strides, src._offset);
  const s = src._data;
  const f32 = x.dtype.name === 'float32';
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i]!;
    out[o] = f32 ? Math.fround(out[o]! + s[srcOffsets[i]!]!) : out[o]! + s[srcOffsets[i]!]!;
  }
  const result = Tensor._make(out, x.shape, x.dtype);
  record(ScatterAddBackward0, [x, src], [result], [index], { inputShape: x.shape, dim: d });
  return result;
}

const ScatterAddBackward0 = derivative<Along>({
  name: 'ScatterAddBackward0',
  backward: ([g], [i], { params: p }) => [g!, gather(g!, p.dim, i!)],
  explain: ({ dim }) => ['∂(x + scattered)/∂x = 1', `∂(x + scattered)/∂src = 1: each element of src gets the gradient of the place (along dim ${dim}) it was added to`],
});

/** Copy of `x` with `value` where `mask` is true. */
export function masked_fill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  if (mask.dtype !== bool) {
    throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype.name === 'int64' ? 'long int' : 'float'}`);
  }
  if (value instanceof Tensor && value.dim() !== 0) {
    throw new RuntimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.dim()} dimension(s).`);
  }
  const v = asTensorLike(value, x);
  const fill = x.dtype.cast(Number(v.item()));
  const expandedMask = mask.expand(broadcastShapes(x.shape, mask.shape));
  const out = mapBinary(x, expandedMask, x.dtype, (p, m) => (m ? fill : p));
  if (out.dim() !== x.dim() || out.shape.some((s, i) => s !== x.shape[i])) {
    throw new RuntimeError(`The size of the mask must be broadcastable to the tensor: mask ${JSON.stringify(mask.shape)}, tensor ${JSON.stringify(x.shape)}`);
  }
  if (value instanceof Tensor) record(MaskedFillBackward1, [x, value], [out], [mask]);
  else record(MaskedFillBackward0, [x], [out], [mask]);
  return out;
}

const MaskedFillBackward0 = derivative({
  name: 'MaskedFillBackward0',
  backward: ([g], [m]) => [g!.masked_fill(m!, 0)],
  explain: () => ['∂masked_fill(x, mask, v)/∂x = 0 where mask, else 1'],
});

const MaskedFillBackward1 = derivative({
  name: 'MaskedFillBackward1',
  backward: ([g], [m]) => [g!.masked_fill(m!, 0), g!.mul(m!.to(g!.dtype)).sum()],
  explain: () => ['∂masked_fill(x, mask, v)/∂x = 0 where mask, else 1', '∂masked_fill(x, mask, v)/∂v = 1 at each masked element (their gradients add up)'],
});

/** The coordinates of the nonzero elements as one int64 tensor per dim (`nonzero(as_tuple=True)`, `torch.where(condition)`). */
export function nonzeroTuple(x: Tensor): Tensor[] {
  const rows = nonzero(x);
  if (x.dim() === 0) return [rows.reshape(-1)];
  return rows.unbind(1).map((column) => column.contiguous());
}

/** Coordinates of the nonzero elements, one row each (int64, shape [n, dims]). */
export function nonzero(x: Tensor): Tensor {
  const data = contiguousData(x);
  const rank = x.dim();
  const strides = contiguousStrides(x.shape);
  const rows: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    for (let k = 0; k < rank; k++) rows.push(Math.floor(i / strides[k]!) % x.shape[k]!);
  }
  const n = rank === 0 ? data.filter((v) => v !== 0).length : rows.length / rank;
  return Tensor._make(Float64Array.from(rows), [n, rank], int64);
}
