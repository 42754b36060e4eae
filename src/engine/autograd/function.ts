import type { Tensor } from '../tensor.js';
import { gradientEdge } from './engine.js';
import { is_grad_enabled } from './grad_mode.js';
import { type BackwardFn, type Edge, FunctionNode } from './node.js';

/** True when an op on these inputs must record a node (grad mode on and some input requires grad). */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!is_grad_enabled()) return false;
  for (const t of inputs) if (t && t._requires_grad) return true;
  return false;
}

/**
 * Called for every node recorded while set: the runner's graph snapshots use it to learn each
 * node's forward output and the source line that created it, for one epoch at a time, so the
 * other epochs pay only this null check.
 */
export type RecordObserver = (node: FunctionNode, outputs: readonly Tensor[]) => void;
let recordObserver: RecordObserver | null = null;
export function setRecordObserver(observer: RecordObserver | null): void {
  recordObserver = observer;
}

/** `t` when `needed` (the gradient that reads it will be computed), else null: what to save. */
export function saveIf(needed: Tensor | null | undefined, t: Tensor): Tensor | null {
  return needed && needed._requires_grad && is_grad_enabled() ? t : null;
}

/**
 * Attaches a backward node to the outputs of an op. `inputs` line up with the gradients the
 * backward formula returns; `saved` are the tensors the formula reads.
 */
export function record(
  nodeName: string,
  inputs: readonly (Tensor | null | undefined)[],
  outputs: readonly Tensor[],
  saved: readonly (Tensor | null)[],
  backward: BackwardFn,
  attrs?: Readonly<Record<string, unknown>>,
): FunctionNode | null {
  if (!needsGrad(...inputs)) return null;
  const edges: Edge[] = inputs.map((t) => (t && t._requires_grad ? gradientEdge(t) : [null, 0]));
  const node = new FunctionNode(nodeName, edges, backward, attrs);
  node.outputMeta = outputs.map((o) => ({ shape: o.shape, dtype: o.dtype }));
  node.inputMeta = inputs.map((t) => (t ? { shape: t.shape, dtype: t.dtype } : null));
  outputs.forEach((o, i) => {
    if (!o.dtype.is_floating_point) return;
    o.grad_fn = node;
    o._output_nr = i;
    o._requires_grad = true;
  });
  node.save(saved, outputs);
  if (recordObserver !== null) recordObserver(node, outputs);
  return node;
}
