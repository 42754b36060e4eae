/**
 * What a backward node is: PyTorch's name for it, the formula that turns the gradient of the
 * node's output into the gradient of each input, and the explanation of that local derivative
 * the graph view shows. Each op defines its Derivative in its own entry, beside its forward (the
 * single-table idea of PyTorch's derivatives.yaml), so the text cannot drift from the formula.
 *
 * This module imports types only: an op module may define its derivatives at load time whatever
 * the import order of the engine's modules.
 */
import type { Tensor } from '../tensor.js';
import type { FunctionNode } from './node.js';

/**
 * A derivative formula: output gradients and saved tensors in, one gradient per input out (null
 * where an input needs none). `node.params` holds the non-tensor facts the op recorded (alpha,
 * an exponent, dims); `node.needsInputGrad` says which inputs need a gradient. A saved entry is
 * null when the op didn't need to keep it.
 */
export type BackwardFormula<P> = (grads: Tensor[], saved: (Tensor | null)[], node: FunctionNode<P>) => (Tensor | null)[];

export interface Derivative<P = undefined> {
  /** PyTorch's class name of the node: `MulBackward0`. */
  readonly name: string;
  readonly backward: BackwardFormula<P>;
  /** One line per input (index = inputNr): the local derivative ∂output/∂input, with the op's own values. */
  readonly explain: (params: P) => readonly string[];
}

const registry = new Set<Derivative<never>>();

/** Declares a derivative (and lists it, so tests can check that every kind of node explains itself). */
export function derivative<P = undefined>(d: Derivative<P>): Derivative<P> {
  registry.add(d as unknown as Derivative<never>);
  return d;
}

/** Every derivative declared so far (by the modules loaded). */
export function declaredDerivatives(): readonly Derivative<never>[] {
  return [...registry];
}
