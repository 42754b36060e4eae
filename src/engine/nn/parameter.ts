/**
 * `nn.Parameter`: a Tensor that a Module registers as one of its learnable values. It shares
 * the given tensor's storage and version counter (as `_make_subclass` does) and requires grad
 * unless told otherwise. Results of ops on a Parameter are ordinary Tensors.
 */
import { type DType, float32 } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { Tensor } from '../tensor.js';

export class Parameter extends Tensor {
  constructor(data?: Tensor | null, requires_grad: boolean | { requires_grad?: boolean } = true) {
    const src = data ?? new Tensor(new Float32Array(0), [0], float32);
    super(src._data, src._shape, src.dtype, src._strides, src._offset, src._version_counter);
    const wants = typeof requires_grad === 'object' ? (requires_grad.requires_grad ?? true) : requires_grad;
    if (wants) {
      if (!src.dtype.is_floating_point) {
        throw new RuntimeError(
          'Only Tensors of floating point and complex dtype can require gradients',
          'Autograd Lab: make the tensor from decimal data or pass { dtype: torch.float32 }; or pass requires_grad false.',
        );
      }
      this._requires_grad = true;
    }
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/**
 * Replaces a tensor's values in place with `value`'s (possibly of another dtype), keeping the
 * tensor object: what `param.data = param.data.double()` does in PyTorch. The engine's `data`
 * setter keeps the old dtype, so the dtype is carried over here too.
 */
export function setData(t: Tensor, value: Tensor): void {
  t.data = value;
  if (t.dtype !== value.dtype) (t as unknown as { dtype: DType }).dtype = value.dtype;
}
