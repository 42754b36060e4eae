/**
 * Views: tensors that share storage (and the version counter) with their base, so an
 * in-place change through one is seen through the other, as in PyTorch.
 */
import { type Derivative, derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { shapeText } from '../autograd/notation.js';
import { zeros } from '../creation.js';
import type { DType, Storage } from '../dtype.js';
import { IndexError, NotImplementedError, RuntimeError } from '../errors.js';
import { formatSizes, inferShape, normalizeDim, numelOf, sameShape, type Shape, zerosArray } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cat, stack } from './join.js';
import { contiguousData as contiguousOf, writeInto } from './kernels.js';
import { sumToShape } from './reduction.js';

const NO_DIMS: number[] = [];

/** A view's input shape: where its gradient goes back to. */
interface Reshaped {
  readonly inputShape: Shape;
}

/** A view changing only the shape: the gradient is reshaped back. */
function reshapeDerivative(name: string, op: string): Derivative<Reshaped> {
  return derivative<Reshaped>({
    name,
    backward: ([g], _, { params: p }) => [g!.reshape(p.inputShape)],
    explain: ({ inputShape }) => [`∂${op}(x)/∂x = 1: the gradient is reshaped back to ${shapeText(inputShape)}`],
  });
}

const VIEW_DERIVATIVES = {
  ViewBackward0: reshapeDerivative('ViewBackward0', 'view'),
  ReshapeAliasBackward0: reshapeDerivative('ReshapeAliasBackward0', 'reshape'),
  UnsafeViewBackward0: reshapeDerivative('UnsafeViewBackward0', 'reshape'),
};

/** A tensor over `base`'s storage with another shape/stride/offset. */
export function makeView(base: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  const t = Tensor._view(base._data, shape, base.dtype, strides, offset, base._version_counter);
  t._base = base._base ?? base;
  return t;
}

/**
 * Strides for viewing (shape, strides) as `target` without copying, or null when the memory
 * layout makes that impossible (PyTorch's computeStride).
 */
function viewStrides(shape: Shape, strides: readonly number[], target: Shape): number[] | null {
  if (shape.length === 0) return target.map(() => 1);
  const numel = numelOf(shape);
  if (numel === 0) return sameShape(shape, target) ? [...strides] : target.map(() => 1);
  const out = zerosArray(target.length);
  let viewD = target.length - 1;
  let chunkBase = strides[strides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d]!;
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= target[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/** `view` under the node name PyTorch records for the op that produced it. */
function viewNamed(x: Tensor, size: Shape, nodeName: keyof typeof VIEW_DERIVATIVES): Tensor {
  const shape = inferShape(size, x.numel());
  const strides = viewStrides(x.shape, x._strides, shape);
  if (strides === null) {
    throw new RuntimeError(
      'view size is not compatible with input tensor\'s size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.',
      'Autograd Lab: this tensor is not contiguous: call `.contiguous()` first, or use `.reshape()`.',
    );
  }
  const out = makeView(x, shape, strides, x._offset);
  if (recording(x)) record(VIEW_DERIVATIVES[nodeName], [x], [out], [], { inputShape: x.shape });
  return out;
}

export function view(x: Tensor, size: Shape): Tensor {
  return viewNamed(x, size, 'ViewBackward0');
}

/** A view when the layout allows (ReshapeAliasBackward0), else a copy (CloneBackward0 + UnsafeViewBackward0), as PyTorch 1.13. */
export function reshape(x: Tensor, size: Shape): Tensor {
  const shape = inferShape(size, x.numel());
  if (viewStrides(x.shape, x._strides, shape) !== null) return viewNamed(x, shape, 'ReshapeAliasBackward0');
  return unsafeView(x.clone(), shape);
}

/** A reshape of a fresh contiguous result (PyTorch's _unsafe_view, UnsafeViewBackward0). */
export function unsafeView(x: Tensor, size: Shape): Tensor {
  return viewNamed(x.contiguous(), size, 'UnsafeViewBackward0');
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const rank = x.dim();
  if (dims.length !== rank) {
    throw new RuntimeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${rank} is not equal to len(dims) = ${dims.length}`);
  }
  const order = dims.map((d) => normalizeDim(d, rank));
  if (new Set(order).size !== rank) throw new RuntimeError('permute(): duplicate dims are not allowed.');
  const out = makeView(x, order.map((d) => x.shape[d]!), order.map((d) => x._strides[d]!), x._offset);
  if (recording(x)) {
    const inverse = zerosArray(rank);
    order.forEach((d, i) => (inverse[d] = i));
    record(PermuteBackward0, [x], [out], [], { dims: order, inverse });
  }
  return out;
}

const PermuteBackward0 = derivative<{ dims: readonly number[]; inverse: readonly number[] }>({
  name: 'PermuteBackward0',
  backward: ([g], _, { params: p }) => [g!.permute(p.inverse)],
  explain: ({ dims, inverse }) => [`∂permute(x, ${shapeText(dims)})/∂x = 1: the gradient is permuted back with ${shapeText(inverse)}`],
});

function swapDims(x: Tensor, d0: number, d1: number): Tensor {
  const shape = [...x.shape];
  const strides = [...x._strides];
  [shape[d0], shape[d1]] = [shape[d1]!, shape[d0]!];
  [strides[d0], strides[d1]] = [strides[d1]!, strides[d0]!];
  return makeView(x, shape, strides, x._offset);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const rank = x.dim();
  const d0 = normalizeDim(dim0, rank);
  const d1 = normalizeDim(dim1, rank);
  const out = rank === 0 ? makeView(x, [], [], x._offset) : swapDims(x, d0, d1);
  if (recording(x)) record(TransposeBackward0, [x], [out], [], { dim0: d0, dim1: d1 });
  return out;
}

const TransposeBackward0 = derivative<{ dim0: number; dim1: number }>({
  name: 'TransposeBackward0',
  backward: ([g], _, { params: p }) => [g!.transpose(p.dim0, p.dim1)],
  explain: ({ dim0, dim1 }) => [`∂transpose(x, ${dim0}, ${dim1})/∂x = 1: the gradient is transposed back`],
});

const TBackward0 = derivative({
  name: 'TBackward0',
  backward: ([g]) => [g!.t()],
  explain: () => ['∂xᵀ/∂x = 1: the gradient is transposed back'],
});

export function t(x: Tensor): Tensor {
  if (x.dim() > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.dim()}D`);
  const out =
    x.dim() < 2
      ? makeView(x, x.shape, x._strides, x._offset)
      : makeView(x, [x._shape[1]!, x._shape[0]!], [x._strides[1]!, x._strides[0]!], x._offset);
  if (recording(x)) record(TBackward0, [x], [out]);
  return out;
}

export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  const s = normalizeDim(startDim, x.dim());
  const e = normalizeDim(endDim, x.dim());
  if (x.dim() === 0) return reshape(x, [1]);
  if (s > e) throw new RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

const SQUEEZE = {
  SqueezeBackward0: derivative<Reshaped>({
    name: 'SqueezeBackward0',
    backward: ([g], _, { params: p }) => [g!.reshape(p.inputShape)],
    explain: ({ inputShape }) => [`∂squeeze(x)/∂x = 1: the gradient gets its size-1 dims back, as ${shapeText(inputShape)}`],
  }),
  SqueezeBackward1: derivative<Reshaped>({
    name: 'SqueezeBackward1',
    backward: ([g], _, { params: p }) => [g!.reshape(p.inputShape)],
    explain: ({ inputShape }) => [`∂squeeze(x, dim)/∂x = 1: the gradient gets its size-1 dim back, as ${shapeText(inputShape)}`],
  }),
  SqueezeBackward3: derivative<Reshaped>({
    name: 'SqueezeBackward3',
    backward: ([g], _, { params: p }) => [g!.reshape(p.inputShape)],
    explain: ({ inputShape }) => [`∂squeeze(x, dims)/∂x = 1: the gradient gets its size-1 dims back, as ${shapeText(inputShape)}`],
  }),
};

export function squeeze(x: Tensor, dim?: number, nodeName?: keyof typeof SQUEEZE): Tensor {
  const inputShape = x.shape;
  let keep: number[];
  if (dim === undefined) {
    keep = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  } else {
    const d = normalizeDim(dim, x.dim());
    keep = x.shape.map((_, i) => i).filter((i) => i !== d || x.shape[i] !== 1);
  }
  const out = makeView(x, keep.map((i) => x.shape[i]!), keep.map((i) => x._strides[i]!), x._offset);
  if (recording(x)) record(SQUEEZE[nodeName ?? (dim === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1')], [x], [out], [], { inputShape });
  return out;
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.dim() + 1);
  const shape = [...x.shape];
  const strides = [...x._strides];
  const stride = d < x.dim() ? x.shape[d]! * x._strides[d]! : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  const out = makeView(x, shape, strides, x._offset);
  if (recording(x)) record(UnsqueezeBackward0, [x], [out], [], { dim: d });
  return out;
}

const UnsqueezeBackward0 = derivative<{ dim: number }>({
  name: 'UnsqueezeBackward0',
  backward: ([g], _, { params: p }) => [g!.squeeze(p.dim)],
  explain: ({ dim }) => [`∂unsqueeze(x, ${dim})/∂x = 1: the gradient loses dim ${dim} again`],
});

function hasNegative(sizes: Shape): boolean {
  for (let i = 0; i < sizes.length; i++) if (sizes[i]! < 0) return true;
  return false;
}

/** Stride arrays of zeros by rank (shared: stride arrays are never changed in place). */
const ZERO_STRIDES: number[][] = [];

/**
 * `x` viewed at `sizes`, size-1 dims repeated (stride 0). `sizes` is kept as the view's shape,
 * as a tensor's shape array is: never changed in place afterwards.
 */
export function expand(x: Tensor, sizes: Shape): Tensor {
  const rank = sizes.length;
  if (rank < x.dim()) {
    throw new RuntimeError(
      `expand(torch.${x.dtype.legacyName}{${formatSizes(x.shape)}}, size=${formatSizes(sizes)}): the number of sizes provided (${rank}) must be greater or equal to the number of dimensions in the tensor (${x.dim()})`,
    );
  }
  if (x._shape.length === 0 && !hasNegative(sizes)) {
    // A zero-dim tensor repeated everywhere (a loss's gradient expanded back over its elements): every dim is new, stride 0.
    const out = makeView(x, sizes, (ZERO_STRIDES[rank] ??= zerosArray(rank)), x._offset);
    if (recording(x)) record(ExpandBackward0, [x], [out], [], { inputShape: x.shape });
    return out;
  }
  const lead = rank - x.dim();
  const shape = zerosArray(rank);
  const strides = zerosArray(rank);
  for (let i = 0; i < rank; i++) {
    const want = sizes[i]!;
    if (i < lead) {
      if (want < 0) throw new RuntimeError(`The expanded size of the tensor (${want}) isn't allowed in a leading, non-existing dimension ${i}`);
      shape[i] = want;
      strides[i] = 0;
      continue;
    }
    const have = x.shape[i - lead]!;
    if (want === -1 || want === have) {
      shape[i] = have;
      strides[i] = x._strides[i - lead]!;
    } else if (have === 1) {
      shape[i] = want;
      strides[i] = 0;
    } else {
      throw new RuntimeError(
        `The expanded size of the tensor (${want}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: ${formatSizes(sizes)}.  Tensor sizes: ${formatSizes(x.shape)}`,
      );
    }
  }
  const out = makeView(x, shape, strides, x._offset);
  if (recording(x)) record(ExpandBackward0, [x], [out], [], { inputShape: x.shape });
  return out;
}

const ExpandBackward0 = derivative<Reshaped>({
  name: 'ExpandBackward0',
  backward: ([g], _, { params: p }) => [sumToShape(g!, p.inputShape)],
  explain: ({ inputShape }) => [`∂expand(x)/∂x = 1 for each copy: the copies' gradients are summed back to ${shapeText(inputShape)}`],
});

/** Where a view's part sits in its input: how its gradient is embedded back. */
interface Part {
  readonly inputShape: Shape;
  /** The same view of another tensor of the input's shape. */
  readonly pick: (t: Tensor) => Tensor;
}

/**
 * The gradient of a view that picks part of its input: zeros with `g` written into the part.
 * Itself differentiable (its gradient picks the part again), for second derivatives.
 */
function embedInZeros(g: Tensor, part: Part, embedded: Derivative<Part>): Tensor {
  const out = zeros(part.inputShape, { dtype: g.dtype });
  writeInto(part.pick(out), g);
  if (recording(g)) record(embedded, [g], [out], [], part);
  return out;
}

/** The node of embedInZeros for one kind of view. */
function embedded(name: string, view: string): Derivative<Part> {
  return derivative<Part>({
    name,
    backward: ([gg], _, { params: p }) => [p.pick(gg!)],
    explain: () => [`∂(zeros with g written into ${view})/∂g = 1 there: the gradient is picked from the same place`],
  });
}

const SelectBackwardBackward0 = embedded('SelectBackwardBackward0', 'x[i]');
const SelectBackward0 = derivative<Part & { dim: number; index: number }>({
  name: 'SelectBackward0',
  backward: ([g], _, { params: p }) => [embedInZeros(g!, p, SelectBackwardBackward0)],
  explain: ({ dim, index }) => [`∂select(x, ${dim}, ${index})/∂x = 1 at index ${index} of dim ${dim}, else 0`],
});

const SliceBackwardBackward0 = embedded('SliceBackwardBackward0', 'x[a:b]');
const SliceBackward0 = derivative<Part & { dim: number; start: number; stop: number; step: number }>({
  name: 'SliceBackward0',
  backward: ([g], _, { params: p }) => [embedInZeros(g!, p, SliceBackwardBackward0)],
  explain: ({ dim, start, stop, step }) => [`∂x[${start}:${stop}${step === 1 ? '' : `:${step}`}]/∂x = 1 inside the slice (dim ${dim}), else 0`],
});

const AsStridedBackwardBackward0 = embedded('AsStridedBackwardBackward0', 'the strided view');
const AsStridedBackward0 = derivative<Part>({
  name: 'AsStridedBackward0',
  backward: ([g], _, { params: p }) => [embedInZeros(g!, p, AsStridedBackwardBackward0)],
  explain: () => ['∂(a strided view of x)/∂x = 1 at the elements the view reads, else 0'],
});

export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.dim() === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.filter((_, k) => k !== d);
  const strides = x._strides.filter((_, k) => k !== d);
  const out = makeView(x, shape, strides, x._offset + i * x._strides[d]!);
  if (recording(x)) record(SelectBackward0, [x], [out], [], { inputShape: x.shape, pick: (z) => select(z, d, i), dim: d, index: i });
  return out;
}

/** Python's slice bounds resolved as `range(start, stop, step)` over a dimension of `size`. */
export function resolveSlice(size: number, start: number | null, stop: number | null, step: number): [number, number] {
  const clampBound = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const s = start === null ? 0 : clampBound(start);
  const e = stop === null ? size : clampBound(stop);
  return [s, Math.max(e, s)];
}

export function slice(x: Tensor, dim: number, start: number | null, stop: number | null, step: number): Tensor {
  if (step <= 0) throw new RuntimeError('slice step must be positive');
  const d = normalizeDim(dim, x.dim());
  const [s, e] = resolveSlice(x.shape[d]!, start, stop, step);
  const shape = [...x.shape];
  const strides = [...x._strides];
  shape[d] = Math.ceil((e - s) / step);
  strides[d] = x._strides[d]! * step;
  const out = makeView(x, shape, strides, x._offset + s * x._strides[d]!);
  if (recording(x)) record(SliceBackward0, [x], [out], [], { inputShape: x.shape, pick: (z) => slice(z, d, s, e, step), dim: d, start: s, stop: e, step });
  return out;
}

/** Views of each index along `dim`, sharing one UnbindBackward0 node (Python's `*params`). */
export function unbind(x: Tensor, dim: number): Tensor[] {
  const d = normalizeDim(dim, x.dim());
  const rank = x._shape.length;
  // A vector unbinds into zero-dim views (`w, b = params`): no shape arrays to build.
  const shape = rank === 1 ? NO_DIMS : x.shape.filter((_, k) => k !== d);
  const strides = rank === 1 ? NO_DIMS : x._strides.filter((_, k) => k !== d);
  const size = x._shape[d]!;
  const step = x._strides[d]!;
  const outs = new Array<Tensor>(size);
  for (let i = 0; i < size; i++) outs[i] = makeView(x, shape, strides, x._offset + i * step);
  if (recording(x)) record(UnbindBackward0, [x], outs, [], { dim: d });
  return outs;
}

const UnbindBackward0 = derivative<{ dim: number }>({
  name: 'UnbindBackward0',
  backward: (grads, _, { params: p }) => [stack(grads, p.dim)],
  explain: ({ dim }) => [`∂unbind(x, ${dim})[k]/∂x = 1 at slice k: the pieces' gradients are stacked back along dim ${dim}`],
});

/** Views of consecutive pieces of `splitSize` along `dim`, sharing one SplitBackward0 node. */
export function split(x: Tensor, splitSize: number, dim: number): Tensor[] {
  if (!Number.isInteger(splitSize) || splitSize <= 0) throw new RuntimeError(`split expects split_size be positive, but got split_size=${splitSize}`);
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  const parts: Tensor[] = [];
  for (let s = 0; s < Math.max(size, 1); s += splitSize) {
    const shape = [...x.shape];
    shape[d] = Math.min(s + splitSize, size) - s;
    parts.push(makeView(x, shape, x._strides, x._offset + s * x._strides[d]!));
  }
  if (recording(x)) record(SplitBackward0, [x], parts, [], { dim: d });
  return parts;
}

const SplitBackward0 = derivative<{ dim: number }>({
  name: 'SplitBackward0',
  backward: (grads, _, { params: p }) => [cat(grads, p.dim)],
  explain: ({ dim }) => [`∂split(x)[k]/∂x = 1 at piece k: the pieces' gradients are concatenated back along dim ${dim}`],
});

/** Views of consecutive pieces of the given sizes along `dim` (SplitWithSizesBackward0). */
export function splitWithSizes(x: Tensor, sizes: readonly number[], dim: number): Tensor[] {
  const d = normalizeDim(dim, x.dim());
  const size = x.dim() === 0 ? 1 : x.shape[d]!;
  let total = 0;
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 0) throw new RuntimeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${formatSizes(sizes)}`);
    total += s;
  }
  if (total !== size) {
    throw new RuntimeError(
      `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${formatSizes(sizes)}`,
    );
  }
  const parts: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    const shape = [...x.shape];
    shape[d] = s;
    parts.push(makeView(x, shape, x._strides, x._offset + start * x._strides[d]!));
    start += s;
  }
  if (recording(x)) record(SplitWithSizesBackward0, [x], parts, [], { dim: d });
  return parts;
}

const SplitWithSizesBackward0 = derivative<{ dim: number }>({
  name: 'SplitWithSizesBackward0',
  backward: (grads, _, { params: p }) => [cat(grads, p.dim)],
  explain: ({ dim }) => [`∂split(x)[k]/∂x = 1 at piece k: the pieces' gradients are concatenated back along dim ${dim}`],
});

export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  if (x.dim() === 0) throw new RuntimeError('chunk expects at least a 1-dimensional tensor');
  if (!(chunks > 0)) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const size = x.shape[normalizeDim(dim, x.dim())]!;
  return split(x, Math.ceil(size / chunks), dim);
}

/**
 * A view of `x` (a contiguous tensor) with explicit geometry relative to x's first element:
 * how the gradient reaches one region of a base after an in-place change through a view.
 */
export function asStrided(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  if (!x._contiguous) x = x.contiguous();
  const out = makeView(x, shape, strides, x._offset + offset);
  if (recording(x)) record(AsStridedBackward0, [x], [out], [], { inputShape: x.shape, pick: (z) => asStrided(z, shape, strides, offset) });
  return out;
}

// ------------------------------------------------------------------ copies that rearrange: repeat, flip

interface Repeated extends Reshaped {
  readonly repeats: readonly number[];
}

/** PyTorch's repeat_backward: the copies' gradients summed (leading new dims first, then each repeated dim's blocks). */
const RepeatBackward0 = derivative<Repeated>({
  name: 'RepeatBackward0',
  backward: ([g], _, { params: p }) => {
    if (p.repeats.includes(0)) return [zeros(p.inputShape, { dtype: g!.dtype })];
    let grad = g!;
    const lead = grad.dim() - p.inputShape.length;
    for (let i = 0; i < lead; i++) grad = grad.sum(0);
    const size: number[] = [];
    const dims: number[] = [];
    p.inputShape.forEach((s, i) => {
      const r = p.repeats[i + lead]!;
      if (r !== 1) {
        size.push(r);
        dims.push(size.length - 1);
      }
      size.push(s);
    });
    grad = grad.reshape(size);
    return [dims.length > 0 ? grad.sum(dims) : grad];
  },
  explain: ({ repeats }) => [`∂repeat(x, ${formatSizes(repeats)})/∂x = 1 for each copy: the copies' gradients are summed`],
});

/** The tensor copied `repeats[i]` times along each dim i (new leading dims where repeats has more entries). */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.dim()) throw new RuntimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  for (const r of repeats) if (!Number.isInteger(r) || r < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${r}: ${formatSizes(repeats)}`);
  const lead = repeats.length - x.dim();
  const padded = [...Array<number>(lead).fill(1), ...x.shape];
  const shape = padded.map((s, i) => s * repeats[i]!);
  const src = contiguousOf(x);
  const out = x.dtype.alloc(numelOf(shape));
  const rank = shape.length;
  const inStrides = padded.map((_, i) => numelOf(padded.slice(i + 1)));
  const index = zerosArray(rank);
  for (let n = 0; n < out.length; n++) {
    let at = 0;
    for (let i = 0; i < rank; i++) at += (index[i]! % padded[i]!) * inStrides[i]!;
    out[n] = src[at]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < shape[i]!) break;
      index[i] = 0;
    }
  }
  const result = Tensor._make(out, shape, x.dtype);
  if (recording(x)) record(RepeatBackward0, [x], [result], [], { inputShape: x.shape, repeats: [...repeats] });
  return result;
}

const FlipBackward0 = derivative<{ dims: readonly number[] }>({
  name: 'FlipBackward0',
  backward: ([g], _, { params: p }) => [flip(g!, p.dims)],
  explain: ({ dims }) => [`∂flip(x, ${formatSizes(dims)})/∂x = 1 at the mirrored place: the gradient is flipped back`],
});

/** A copy with the order of the elements reversed along `dims`. */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const flipped = new Set(dims.map((d) => normalizeDim(d, x.dim())));
  if (flipped.size !== dims.length) throw new RuntimeError('dims has duplicates, original flip dims size=' + dims.length + ', but unique flip dims size=' + flipped.size);
  const shape = x.shape;
  const strides = x._strides.map((s, i) => (flipped.has(i) ? -s : s));
  let offset = x._offset;
  for (const d of flipped) offset += (shape[d]! - 1) * x._strides[d]!;
  const reversed = Tensor._view(x._data, shape, x.dtype, strides, offset, x._version_counter);
  const result = Tensor._make(contiguousOf(reversed).slice() as Tensor['_data'], shape, x.dtype);
  if (recording(x)) record(FlipBackward0, [x], [result], [], { dims: [...flipped].sort((a, b) => a - b) });
  return result;
}

// ------------------------------------------------------------------ the same memory as another dtype

/**
 * `x.view(dtype)`: the same bytes read as another dtype of the same size (float32 ↔ int32,
 * bool ↔ uint8), sharing the storage. int64 lives in doubles here, so its bits cannot be read as
 * a float64 (or back) exactly: refused, as are dtypes of other sizes.
 */
/** PyTorch's checks, in its order, for reading a tensor as a dtype of another element size. */
function checkViewAsOtherSize(x: Tensor, dtype: DType): void {
  const what = `to view ${x.dtype.scalarTypeName} as ${dtype.scalarTypeName} (different element sizes)`;
  const rank = x.dim();
  if (rank === 0) throw new RuntimeError(`self.dim() cannot be 0 ${what}`);
  const lastStride = x._strides[rank - 1]!;
  if (lastStride !== 1) throw new RuntimeError(`self.stride(-1) must be 1 ${what}, but got ${lastStride}`);
  if (dtype.itemsize < x.dtype.itemsize) return;
  const ratio = dtype.itemsize / x.dtype.itemsize;
  const last = x.shape[rank - 1]!;
  if (last % ratio !== 0) throw new RuntimeError(`self.size(-1) must be divisible by ${ratio} ${what}, but got ${last}`);
  if (x._offset % ratio !== 0) throw new RuntimeError(`self.storage_offset() must be divisible by ${ratio} ${what}, but got ${x._offset}`);
  for (let i = 0; i < rank - 1; i++) {
    const stride = x._strides[i]!;
    if (stride % ratio !== 0) throw new RuntimeError(`self.stride(${i}) must be divisible by ${ratio} ${what}, but got ${stride}`);
  }
}

export function viewAsDtype(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  const pair = `${x.dtype.name}>${dtype.name}`;
  const data = x._data;
  let storage: Storage;
  if (pair === 'float32>int32') storage = new Int32Array(data.buffer, data.byteOffset, data.length);
  else if (pair === 'int32>float32') storage = new Float32Array(data.buffer, data.byteOffset, data.length);
  else if (pair === 'bool>uint8' || pair === 'uint8>bool') storage = data;
  else {
    if (dtype.itemsize !== x.dtype.itemsize) checkViewAsOtherSize(x, dtype);
    throw new NotImplementedError(`torch.Tensor.view(${dtype}) of a ${x.dtype} tensor is not supported by Autograd Lab yet`);
  }
  const t = Tensor._view(storage, x.shape, dtype, x._strides, x._offset, x._version_counter);
  t._base = x._base ?? x;
  return t;
}

