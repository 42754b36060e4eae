/** Joining tensors: cat and stack. */
import { derivative } from '../autograd/derivative.js';
import { record } from '../autograd/function.js';
import { promoteTypes } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError('torch.cat(): expected a non-empty list of Tensors');
  // PyTorch skips legacy empty 1-D tensors ([0]) when concatenating.
  const parts = tensors.filter((t) => !(t.dim() === 1 && t.shape[0] === 0));
  if (parts.length === 0) return tensors[0]!.clone();
  const first = parts[0]!;
  if (first.dim() === 0) throw new RuntimeError(`zero-dimensional tensor (at position 0) cannot be concatenated`);
  const d = normalizeDim(dim, first.dim());
  parts.forEach((t, i) => {
    if (t.dim() !== first.dim()) {
      throw new RuntimeError(`Tensors must have same number of dimensions: got ${first.dim()} and ${t.dim()}`);
    }
    t.shape.forEach((s, k) => {
      if (k !== d && s !== first.shape[k]) {
        throw new RuntimeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[k]} but got size ${s} for tensor number ${i} in the list.`);
      }
    });
  });
  const dtype = parts.map((t) => t.dtype).reduce(promoteTypes);
  const outer = numelOf(first.shape.slice(0, d));
  const inner = numelOf(first.shape.slice(d + 1));
  const total = parts.reduce((n, t) => n + t.shape[d]!, 0);
  const shape = [...first.shape];
  shape[d] = total;
  const out = dtype.alloc(numelOf(shape));
  let column = 0;
  for (const t of parts) {
    const data = contiguousData(t);
    const block = t.shape[d]! * inner;
    for (let o = 0; o < outer; o++) {
      const dst = o * total * inner + column * inner;
      for (let i = 0; i < block; i++) out[dst + i] = data[o * block + i]!;
    }
    column += t.shape[d]!;
  }
  const result = Tensor._make(out, shape, dtype);
  record(CatBackward0, parts, [result], [], { dim: d, sizes: parts.map((t) => t.shape[d]!) });
  return result;
}

const CatBackward0 = derivative<{ dim: number; sizes: readonly number[] }>({
  name: 'CatBackward0',
  backward: ([g], _, { params: p }) => {
    let start = 0;
    return p.sizes.map((n) => {
      const piece = g!.narrow(p.dim, start, n);
      start += n;
      return piece;
    });
  },
  explain: ({ dim, sizes }) => sizes.map((_, k) => `∂cat(…)/∂(tensor ${k}) = 1 on its own part: the gradient is cut back into pieces along dim ${dim}`),
});

const StackBackward0 = derivative<{ dim: number; count: number }>({
  name: 'StackBackward0',
  backward: ([g], _, { params: p }) => g!.unbind(p.dim),
  explain: ({ dim, count }) => Array.from({ length: count }, (_, k) => `∂stack(…)/∂(tensor ${k}) = 1 at index ${k} of dim ${dim}: the gradient is unbound back`),
});

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError('stack expects a non-empty TensorList');
  const first = tensors[0]!;
  if (dim === 0 && first._shape.length === 0) {
    const fast = stackScalars(tensors);
    if (fast !== null) return fast;
  }
  tensors.forEach((t, i) => {
    if (t.dim() !== first.dim() || t.shape.some((s, k) => s !== first.shape[k])) {
      throw new RuntimeError(`stack expects each tensor to be equal size, but got ${JSON.stringify(first.shape)} at entry 0 and ${JSON.stringify(t.shape)} at entry ${i}`);
    }
  });
  const d = normalizeDim(dim, first.dim() + 1);
  // Unsqueezed views keep the recorded graph simple: one StackBackward0 node over the inputs.
  const outer = numelOf(first.shape.slice(0, d));
  const inner = numelOf(first.shape.slice(d));
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const n = tensors.length;
  const out = dtype.alloc(outer * n * inner);
  tensors.forEach((t, j) => {
    const data = contiguousData(t);
    for (let o = 0; o < outer; o++) {
      const dst = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = data[o * inner + i]!;
    }
  });
  const shape = [...first.shape];
  shape.splice(d, 0, n);
  const result = Tensor._make(out, shape, dtype);
  record(StackBackward0, tensors, [result], [], { dim: d, count: n });
  return result;
}

/**
 * `stack` of zero-dim tensors of one dtype (UnbindBackward0 of a parameter vector unbound into
 * scalars): a vector of their values. Null when the inputs don't all fit that case.
 */
function stackScalars(tensors: readonly Tensor[]): Tensor | null {
  const n = tensors.length;
  const dtype = tensors[0]!.dtype;
  for (let j = 0; j < n; j++) {
    const t = tensors[j]!;
    if (t._shape.length !== 0 || t.dtype !== dtype) return null;
  }
  const out = dtype.alloc(n);
  for (let j = 0; j < n; j++) {
    const t = tensors[j]!;
    out[j] = t._data[t._offset]!;
  }
  const result = Tensor._make(out, [n], dtype);
  record(StackBackward0, tensors, [result], [], { dim: 0, count: n });
  return result;
}
