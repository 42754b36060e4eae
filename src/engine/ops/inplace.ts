/**
 * In-place ops (trailing underscore). Each computes its out-of-place twin, writes the values
 * into the tensor's storage (seen by every view), bumps the shared version counter and, when
 * autograd records, makes the new node the tensor's grad_fn (its history is rebased).
 */
import { derivative } from '../autograd/derivative.js';
import { needsGrad, record } from '../autograd/function.js';
import { is_grad_enabled, no_grad } from '../autograd/grad_mode.js';
import { arange, ones, zeros } from '../creation.js';
import { asStrided } from './views.js';
import type { DTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { formatSizes, sameShape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { contiguousData, writeInto } from './kernels.js';
import { index, type IndexItem } from './indexing.js';
import { asTensorLike } from './pointwise.js';
import { fillBernoulliFrom } from './sampling.js';

const LEAF_INPLACE = 'a leaf Variable that requires grad is being used in an in-place operation.';
const LEAF_HINT = 'Autograd Lab: update parameters inside torch.no_grad(() => { ... }) (or let an optimizer do it), or build a new tensor: params = params.sub(...).';

/** PyTorch's guard: parameters may only be changed in place where autograd isn't recording. */
/** The C++ type names clamp_'s error uses (ATen's other in-place ops say "Long", clamp_ "long int"). */
const CPP_TYPE_NAMES: Record<DTypeName, string> = { float32: 'float', float64: 'double', int64: 'long int', int32: 'int', uint8: 'unsigned char', bool: 'bool' };

export function checkInplaceAllowed(self: Tensor): void {
  if (!is_grad_enabled()) return;
  if (self.is_leaf && self._requires_grad) throw new RuntimeError(LEAF_INPLACE, LEAF_HINT);
  const base = self._base;
  if (base !== null && base.is_leaf && base._requires_grad) {
    throw new RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.', LEAF_HINT);
  }
}

/**
 * A copy of `self`'s current values carrying its autograd identity: what the backward formula
 * reads as the input's value before the in-place change (PyTorch's `original_self`).
 */
function originalSelf(self: Tensor): Tensor {
  const copy = new Tensor(contiguousData(self).slice() as Tensor['_data'], self.shape, self.dtype);
  copy.grad_fn = self.grad_fn;
  copy._output_nr = self._output_nr;
  copy._requires_grad = self._requires_grad;
  return copy;
}

export function inplace<T extends Tensor>(self: T, name: string, compute: (self: Tensor) => Tensor, others: readonly unknown[]): T {
  checkInplaceAllowed(self);
  const tensors = others.filter((o): o is Tensor => o instanceof Tensor);
  const recording = needsGrad(self, ...tensors);
  const base = self._base;
  if (recording && base !== null) return inplaceOnView(self, base, compute);
  const result = recording ? compute(originalSelf(self)) : no_grad(() => compute(self));
  if (!sameShape(result.shape, self.shape)) {
    throw new RuntimeError(`output with shape ${formatSizes(self.shape)} doesn't match the broadcast shape ${formatSizes(result.shape)}`);
  }
  // PyTorch's can_cast: an in-place result may not go from float to integer, or from a number to bool.
  if (result.dtype.category > self.dtype.category) {
    const names = name.startsWith('clamp') ? CPP_TYPE_NAMES : null;
    throw new RuntimeError(
      `result type ${result.dtype.scalarTypeName} can't be cast to the desired output type ${names ? names[self.dtype.name] : self.dtype.scalarTypeName}`,
    );
  }
  writeInto(self, result);
  self._version_counter.value++;
  if (recording && result.grad_fn) {
    self.grad_fn = result.grad_fn;
    self._output_nr = result._output_nr;
    self._requires_grad = true;
  }
  return self;
}

/**
 * An in-place change through a view while autograd records: the view's new values come from
 * `compute`, and the base's history is rebased onto a CopySlices node whose gradient sends the
 * view's region to the new computation and the rest to the base's old history (PyTorch's
 * CopySlices); the view itself becomes an AsStrided view of the rebased base.
 */
function inplaceOnView<T extends Tensor>(view: T, base: Tensor, compute: (self: Tensor) => Tensor): T {
  if (!base._contiguous) {
    throw new RuntimeError(
      'in-place operation on a view of a non-contiguous tensor while autograd records is not supported by Autograd Lab yet.',
      'Use the out-of-place form, or call .contiguous() on the tensor first.',
    );
  }
  const viewShape = [...view.shape];
  const viewStrides = [...view._strides];
  const relOffset = view._offset - base._offset;
  // The view's values and history before the change (its own grad_fn when it was made while
  // recording, otherwise a fresh view node over the base's current history).
  const before = originalSelf(view);
  if (view.grad_fn === null && base._requires_grad) {
    const current = asStrided(base, viewShape, viewStrides, relOffset);
    before.grad_fn = current.grad_fn;
    before._output_nr = current._output_nr;
    before._requires_grad = current._requires_grad;
  }
  const result = compute(before);
  if (!sameShape(result.shape, view.shape)) {
    throw new RuntimeError(`output with shape ${formatSizes(view.shape)} doesn't match the broadcast shape ${formatSizes(result.shape)}`);
  }
  writeInto(view, result);
  view._version_counter.value++;
  const baseShape = [...base.shape];
  // The rest of the base keeps its old gradient path; the region's gradient goes to `result`.
  const keep = ones(baseShape, { dtype: base.dtype });
  writeInto(asStridedRaw(keep, viewShape, viewStrides, relOffset), zeros(viewShape, { dtype: base.dtype }));
  record(CopySlices, [base, result], [base], [], { keep, viewShape, viewStrides, relOffset });
  const refreshed = asStrided(base, viewShape, viewStrides, relOffset);
  view.grad_fn = refreshed.grad_fn;
  view._output_nr = refreshed._output_nr;
  view._requires_grad = refreshed._requires_grad;
  return view;
}

/** Where a view changed in place sits in its base. */
interface Region {
  /** Ones outside the region, zeros inside. */
  readonly keep: Tensor;
  readonly viewShape: readonly number[];
  readonly viewStrides: readonly number[];
  readonly relOffset: number;
}

const CopySlices = derivative<Region>({
  name: 'CopySlices',
  backward: ([g], _, { params: p }) => {
    const gc = g!.contiguous();
    return [gc.mul(p.keep), asStrided(gc, p.viewShape, p.viewStrides, p.relOffset)];
  },
  explain: () => [
    '∂/∂(the tensor before) = 1 outside the region changed in place, 0 inside it',
    '∂/∂(the region\'s new values) = 1 inside the region: its gradient goes to the in-place op',
  ],
});

/** The same region of another tensor of the base's shape, with no autograd record. */
function asStridedRaw(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(t._data, shape, t.dtype, strides, t._offset + offset);
}

const FillBackward0 = derivative({
  name: 'FillBackward0',
  backward: ([g]) => [g!.mul(0), g!.sum()],
  explain: () => ['∂fill_(x, v)/∂x = 0: every value is replaced', '∂fill_(x, v)/∂v = 1 for each element (their gradients add up)'],
});

export function fill_<T extends Tensor>(self: T, value: TensorLike): T {
  const v = value instanceof Tensor ? value : asTensorLike(value, self);
  if (v.dim() !== 0) {
    throw new RuntimeError(`fill_ only supports 0-dimension value tensor but got tensor with ${v.dim()} dimensions.`);
  }
  return inplace(
    self,
    'fill_',
    (s) => {
      const out = s.dtype.alloc(s.numel());
      out.fill(s.dtype.cast(v.item()));
      const result = Tensor._make(out, s.shape, s.dtype);
      record(FillBackward0, [s, value instanceof Tensor ? value : null], [result]);
      return result;
    },
    [value],
  );
}

const CopyBackwards = derivative({
  name: 'CopyBackwards',
  backward: ([g]) => [g!.mul(0), g!],
  explain: () => ['∂copy_(x, src)/∂x = 0: every value is overwritten', '∂copy_(x, src)/∂src = 1'],
});

export function copy_<T extends Tensor>(self: T, src: TensorLike): T {
  const source = asTensorLike(src, self);
  return inplace(
    self,
    'copy_',
    (s) => {
      const out = source.expand(s.shape).to(s.dtype);
      const fresh = Tensor._make(contiguousData(out).slice() as Tensor['_data'], s.shape, s.dtype);
      record(CopyBackwards, [s, source], [fresh]);
      return fresh;
    },
    [source],
  );
}

/** `self[items] = value`. */
export function indexAssign(self: Tensor, items: readonly IndexItem[], value: TensorLike): void {
  const basic = items.every((it) => !(it instanceof Tensor) && !Array.isArray(it));
  if (basic) {
    copy_(index(self, items), value);
    return;
  }
  inplace(self, 'index_put_', (s) => indexPut(s, items, value), [value]);
}

/**
 * Out-of-place `x[items] = value` with tensor indices (IndexPutBackward0): the selected
 * positions are found by indexing a tensor of flat positions the same way.
 */
function indexPut(x: Tensor, items: readonly IndexItem[], value: TensorLike): Tensor {
  const positions = index(arange(x.numel()).reshape(x.shape), items);
  const flat = contiguousData(positions);
  const v = asTensorLike(value, x);
  const src = contiguousData(v.expand(positions.shape).contiguous());
  const out = contiguousData(x).slice() as Tensor['_data'];
  for (let i = 0; i < flat.length; i++) out[flat[i]!] = x.dtype.cast(src[i]!);
  const result = Tensor._make(out, x.shape, x.dtype);
  const keep = ones(x.shape, { dtype: x.dtype });
  for (let i = 0; i < flat.length; i++) keep._data[flat[i]!] = 0;
  record(IndexPutBackward0, [x, value instanceof Tensor ? value : null], [result], [], { keep, selected: positions.reshape(-1), shape: positions.shape });
  return result;
}

/** Which elements `x[items] = value` wrote. */
interface Written {
  /** Ones where x keeps its value, zeros where it was written. */
  readonly keep: Tensor;
  /** The flat positions written, in the order of value's (broadcast) elements. */
  readonly selected: Tensor;
  readonly shape: readonly number[];
}

const IndexPutBackward0 = derivative<Written>({
  name: 'IndexPutBackward0',
  backward: ([g], _, { params: p }) => [g!.mul(p.keep), g!.reshape(-1).index_select(0, p.selected).reshape(p.shape)],
  explain: () => ['∂(x[idx] = v)/∂x = 0 where it was written, else 1', '∂(x[idx] = v)/∂v = 1 at each place it was written to'],
});

function fillRandom<T extends Tensor>(self: T, fill: (out: Float32Array | Float64Array) => void): T {
  checkInplaceAllowed(self);
  if (!self.dtype.is_floating_point) throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${self.dtype.scalarTypeName}'`);
  const tmp = self.dtype.alloc(self.numel()) as Float32Array | Float64Array;
  fill(tmp);
  writeInto(self, Tensor._make(tmp, self.shape, self.dtype));
  self._version_counter.value++;
  return self;
}

export function uniform_<T extends Tensor>(self: T, from: number, to: number, generator?: Generator): T {
  return fillRandom(self, (out) => (generator ?? defaultGenerator).fillUniform(out, from, to, self.dtype.name as 'float32'));
}

export function normal_<T extends Tensor>(self: T, mean: number, std: number, generator?: Generator): T {
  return fillRandom(self, (out) => (generator ?? defaultGenerator).fillNormal(out, mean, std, self.dtype.name as 'float32', self.is_contiguous()));
}

/** `self.bernoulli_(p)`: 1 with probability p (a number, or a tensor broadcast to self), else 0, in self's dtype. */
export function bernoulli_<T extends Tensor>(self: T, p: number | Tensor, generator: Generator = defaultGenerator): T {
  checkInplaceAllowed(self);
  const out = Tensor._make(self.dtype.alloc(self.numel()), self.shape, self.dtype);
  if (p instanceof Tensor) fillBernoulliFrom(out, p, generator);
  else generator.fillBernoulli(out._data, p);
  writeInto(self, out);
  self._version_counter.value++;
  return self;
}
