/** torch.autograd: grad, backward and gradcheck. */
import { zeros_like } from '../creation.js';
import { NotImplementedError, RuntimeError, ValueError, warnOnce } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { backwardFrom, type BackwardOptions, runBackward } from './engine.js';

export interface GradOptions {
  grad_outputs?: Tensor | readonly (Tensor | null)[] | null;
  retain_graph?: boolean | null;
  create_graph?: boolean;
  /** Deprecated in PyTorch and ignored (the gradients always go to `inputs` only); false warns. */
  only_inputs?: boolean;
  /** null: false, unless materialize_grads (then true). */
  allow_unused?: boolean | null;
  /** vmap over the first dim of grad_outputs, which Autograd Lab does not have: only false. */
  is_grads_batched?: boolean;
  /** Zeros instead of null for inputs the outputs do not depend on (PyTorch 2.1). */
  materialize_grads?: boolean;
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
  if (options.is_grads_batched) throw new NotImplementedError('torch.autograd.grad(is_grads_batched=True) is not supported by Autograd Lab yet');
  if (options.only_inputs === false) {
    warnOnce(
      'UserWarning',
      'only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate gradient for other parts of the graph, please use torch.autograd.backward.',
    );
  }
  const materialize = options.materialize_grads ?? false;
  if (materialize && options.allow_unused === false) {
    throw new ValueError('Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False.');
  }
  const allowUnused = options.allow_unused ?? materialize;
  const createGraph = options.create_graph ?? false;
  const result = runBackward({
    roots: outs,
    rootGrads: gradOuts,
    keepGraph: options.retain_graph ?? createGraph,
    createGraph,
    capture: ins,
  });
  if (!allowUnused && result.some((g) => g === null)) {
    throw new RuntimeError(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
      'Autograd Lab: pass { allow_unused: true } to get null for inputs the outputs do not depend on.',
    );
  }
  return materialize ? result.map((g, i) => g ?? zeros_like(ins[i]!)) : result;
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
