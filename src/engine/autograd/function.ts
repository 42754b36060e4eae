import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import type { Derivative } from './derivative.js';
import { gradientEdge } from './engine.js';
import { is_grad_enabled } from './grad_mode.js';
import { type Edge, FunctionNode, type Node } from './node.js';

/** True when an op on these inputs must record a node (grad mode on and some input requires grad). */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!is_grad_enabled()) return false;
  for (const t of inputs) if (t && t._requires_grad) return true;
  return false;
}

/**
 * Called for every node recorded while set: the runner's graph snapshots use it to learn each
 * node's forward output, the source line that created it and the inputs that need no gradient
 * (the data the op read), for one epoch at a time, so the other epochs pay only this null check.
 */
export type RecordObserver = (node: Node, outputs: readonly Tensor[], inputs: readonly (Tensor | null | undefined)[]) => void;
let recordObserver: RecordObserver | null = null;
export function setRecordObserver(observer: RecordObserver | null): void {
  recordObserver = observer;
}

/** `t` when `needed` (the gradient that reads it will be computed), else null: what to save. */
export function saveIf(needed: Tensor | null | undefined, t: Tensor): Tensor | null {
  return needed && needed._requires_grad && is_grad_enabled() ? t : null;
}

const NO_SAVED: readonly (Tensor | null)[] = [];

/**
 * Attaches a backward node to the outputs of an op: `derivative` says what the node is, `inputs`
 * line up with the gradients its formula returns, `saved` are the tensors the formula reads and
 * `params` the op's other values (alpha, an exponent, dims). Null when nothing records.
 */
export function record(derivative: Derivative<undefined>, inputs: readonly (Tensor | null | undefined)[], outputs: readonly Tensor[], saved?: readonly (Tensor | null)[]): FunctionNode<undefined> | null;
export function record<P>(
  derivative: Derivative<P>,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: readonly Tensor[],
  saved: readonly (Tensor | null)[],
  params: P,
): FunctionNode<P> | null;
export function record<P>(
  derivative: Derivative<P>,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: readonly Tensor[],
  saved: readonly (Tensor | null)[] = NO_SAVED,
  params?: P,
): FunctionNode<P> | null {
  if (!is_grad_enabled()) return null;
  const nIn = inputs.length;
  let any = false;
  for (let i = 0; i < nIn; i++) {
    const t = inputs[i];
    if (t && t._requires_grad) {
      any = true;
      break;
    }
  }
  if (!any) return null;
  const nOut = outputs.length;
  const edges = new Array<Edge>(nIn);
  const meta = new Array<readonly number[] | DType | null>(2 * (nIn + nOut));
  for (let i = 0; i < nIn; i++) {
    const t = inputs[i];
    if (t) {
      edges[i] = t._requires_grad ? gradientEdge(t) : NULL_EDGE;
      meta[2 * i] = t._shape;
      meta[2 * i + 1] = t.dtype;
    } else {
      edges[i] = NULL_EDGE;
      meta[2 * i] = null;
      meta[2 * i + 1] = null;
    }
  }
  const node = new FunctionNode<P>(derivative, edges, params as P);
  for (let i = 0; i < nOut; i++) {
    const o = outputs[i]!;
    meta[2 * (nIn + i)] = o._shape;
    meta[2 * (nIn + i) + 1] = o.dtype;
    if (!o.dtype.is_floating_point) continue;
    o.grad_fn = node;
    o._output_nr = i;
    o._requires_grad = true;
  }
  node._meta = meta;
  node._inputs = nIn;
  node.save(saved, outputs);
  if (recordObserver !== null) recordObserver(node, outputs, inputs);
  return node;
}

/** The edge of an input that needs no gradient (shared: edges are never changed in place). */
const NULL_EDGE: Edge = [null, 0];

/** Whether an op on `a` (and `b`) records a node: the cheap test hot ops make before building record()'s arguments. */
export function recording(a: Tensor, b?: Tensor | null): boolean {
  return is_grad_enabled() && (a._requires_grad || (b != null && b._requires_grad));
}
