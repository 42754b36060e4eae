/** torch.autograd: grad, backward and gradcheck. */
import { RuntimeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { backwardFrom, type BackwardOptions, runBackward } from './engine.js';

export interface GradOptions {
  grad_outputs?: Tensor | readonly (Tensor | null)[] | null;
  retain_graph?: boolean;
  create_graph?: boolean;
  allow_unused?: boolean;
}

function asList<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? [...(x as readonly T[])] : [x as T];
}

/**
 * `torch.autograd.grad(outputs, inputs)`: the gradients of `outputs` with respect to `inputs`,
 * returned instead of accumulated into `.grad`.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const outs = asList(outputs);
  const ins = asList(inputs);
  const gradOuts = options.grad_outputs == null ? outs.map(() => null) : asList(options.grad_outputs);
  if (gradOuts.length !== outs.length) {
    throw new RuntimeError(`grad requires one grad_output per output: got ${gradOuts.length} for ${outs.length} outputs`);
  }
  const createGraph = options.create_graph ?? false;
  const result = runBackward({
    roots: outs,
    rootGrads: gradOuts,
    keepGraph: options.retain_graph ?? createGraph,
    createGraph,
    capture: ins,
  });
  if (!options.allow_unused && result.some((g) => g === null)) {
    throw new RuntimeError(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
      'Autograd Lab: pass { allow_unused: true } to get null for inputs the outputs do not depend on.',
    );
  }
  return result;
}

/**
 * `torch.autograd.backward(tensors, grad_tensors, { inputs })`: backward from several roots at
 * once, into the leaves' `.grad` (or only into `inputs`).
 */
export function backward(tensors: Tensor | readonly Tensor[], grad_tensors?: Tensor | readonly (Tensor | null)[] | null, options: BackwardOptions = {}): void {
  const roots = asList(tensors);
  const grads = grad_tensors == null ? roots.map(() => null) : asList(grad_tensors);
  backwardFrom(roots, grads, options);
}
