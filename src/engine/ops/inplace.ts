/**
 * In-place ops (trailing underscore). Each computes its out-of-place twin, writes the values
 * into the tensor's storage (seen by every view), bumps the shared version counter and, when
 * autograd records, makes the new node the tensor's grad_fn (its history is rebased).
 */
import { needsGrad, record } from '../autograd/function.js';
import { is_grad_enabled, no_grad } from '../autograd/grad_mode.js';
import { arange } from '../creation.js';
import { RuntimeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { formatSizes, sameShape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { contiguousData, stridedOffsets, writeInto } from './kernels.js';
import { index, type IndexItem } from './indexing.js';
import { asTensorLike } from './pointwise.js';

const LEAF_INPLACE = 'a leaf Variable that requires grad is being used in an in-place operation.';
const LEAF_HINT = 'Autograd Lab: update parameters inside torch.no_grad(() => { ... }) (or let an optimizer do it), or build a new tensor: params = params.sub(...).';

/** PyTorch's guard: parameters may only be changed in place where autograd isn't recording. */
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
  if (recording && self._base !== null && self._base._requires_grad) {
    throw new RuntimeError(
      `${name}: in-place operations on a view of a tensor that requires grad are not supported by Autograd Lab yet.`,
      'Use the out-of-place form (y = y.add(...)) instead.',
    );
  }
  const result = recording ? compute(originalSelf(self)) : no_grad(() => compute(self));
  if (!sameShape(result.shape, self.shape)) {
    throw new RuntimeError(`output with shape ${formatSizes(self.shape)} doesn't match the broadcast shape ${formatSizes(result.shape)}`);
  }
  if (result.dtype !== self.dtype && result.dtype.is_floating_point && !self.dtype.is_floating_point) {
    const names = { float32: 'Float', float64: 'Double', int64: 'Long', bool: 'Bool' };
    throw new RuntimeError(`result type ${names[result.dtype.name]} can't be cast to the desired output type ${names[self.dtype.name]}`);
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
      record('FillBackward0', [s, value instanceof Tensor ? value : null], [result], [], ([g]) => [g!.mul(0), g!.sum()]);
      return result;
    },
    [value],
  );
}

export function copy_<T extends Tensor>(self: T, src: TensorLike): T {
  const source = asTensorLike(src, self);
  return inplace(
    self,
    'copy_',
    (s) => {
      const out = source.expand(s.shape).to(s.dtype);
      const fresh = Tensor._make(contiguousData(out).slice() as Tensor['_data'], s.shape, s.dtype);
      record('CopyBackwards', [s, source], [fresh], [], ([g]) => [g!.mul(0), g!]);
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
  checkInplaceAllowed(self);
  if (needsGrad(self, value instanceof Tensor ? value : null)) {
    throw new RuntimeError(
      'index_put_: assigning through tensor indices while autograd records is not supported by Autograd Lab yet.',
      'Do it inside torch.no_grad(() => ...), or build the result with torch.where / masked_fill.',
    );
  }
  // Positions of the selected elements, found by indexing a tensor of flat positions the same way.
  const positions = index(arange(self.numel()).reshape(self.shape), items);
  const storageOffsets = stridedOffsets(self.shape, self._strides, self._offset);
  const src = asTensorLike(value, self).expand(positions.shape);
  const values = contiguousData(src.contiguous());
  const flat = contiguousData(positions);
  for (let i = 0; i < flat.length; i++) self._data[storageOffsets[flat[i]!]!] = self.dtype.cast(values[i]!);
  self._version_counter.value++;
}

function fillRandom<T extends Tensor>(self: T, fill: (out: Float32Array | Float64Array) => void): T {
  checkInplaceAllowed(self);
  if (!self.dtype.is_floating_point) throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${self.dtype.name === 'int64' ? 'Long' : 'Bool'}'`);
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
