/**
 * `torch.autograd.gradcheck`: compares the analytical gradient (backward) with central finite
 * differences. Inputs should be float64, as in PyTorch, for the comparison to be meaningful.
 */
import { RuntimeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { grad } from './grad.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on failure (PyTorch's default) instead of returning false. */
  raise_exception?: boolean;
}

export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const raise = options.raise_exception ?? true;
  const diffInputs = inputs.filter((t) => t.requires_grad);
  for (const t of diffInputs) {
    if (!t.is_contiguous()) throw new RuntimeError('gradcheck: inputs must be contiguous tensors (call .contiguous() first)');
  }
  const output = fn(...inputs);
  const outValues = output.values();
  for (let o = 0; o < outValues.length; o++) {
    // analytical: gradient of output element o with respect to every input
    const seed = output.detach().mul(0);
    seed._data[o] = 1;
    const analytical = grad([fn(...inputs)], diffInputs, { grad_outputs: [seed], allow_unused: true });
    for (let k = 0; k < diffInputs.length; k++) {
      const input = diffInputs[k]!;
      const a = analytical[k];
      const n = input.numel();
      for (let i = 0; i < n; i++) {
        // Perturb the storage directly; grad mode stays on, as the function may itself call
        // autograd.grad (checking a second derivative).
        const data = input._data;
        const at = input._offset + i * (input.dim() === 0 ? 0 : input.stride(-1));
        const orig = data[at]!;
        let numerical: number;
        try {
          data[at] = orig + eps;
          const plus = fn(...inputs).values()[o]!;
          data[at] = orig - eps;
          const minus = fn(...inputs).values()[o]!;
          numerical = (plus - minus) / (2 * eps);
        } finally {
          data[at] = orig;
        }
        const analyticalValue = a ? a.values()[i]! : 0;
        if (!(Math.abs(analyticalValue - numerical) <= atol + rtol * Math.abs(numerical))) {
          if (!raise) return false;
          throw new RuntimeError(
            `Jacobian mismatch for output ${o} with respect to input ${k},\nnumerical:${numerical}\nanalytical:${analyticalValue}\n`,
          );
        }
      }
    }
  }
  return true;
}
