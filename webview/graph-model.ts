/**
 * The Graph view's model, as pure functions: labels and kinds in torchviz's conventions (data
 * the ops read, which torchviz leaves out, drawn as torchviz draws saved tensors), the
 * Step backward walk (reverse topological order, from the snapshot's `backwardOrder`), the
 * local derivative of each step as the engine explains it (the snapshot's `localDerivatives`:
 * the view has no derivative table of its own), accumulated gradients, and the DOT / JSON
 * exports. No DOM, no vscode.
 */
import type { GraphEdge, GraphNode, GraphSnapshot, TensorPreview } from '../src/protocol/run-events.js';
import { formatValue } from '../src/protocol/number-format.js';
import { encodeJson } from '../src/protocol/wire.js';

export const NOT_COMPUTED = 'not computed yet';
/** What a data leaf shows where other nodes show their gradient: it never gets one. */
export const NO_GRAD_DATA = 'no grad: data';

/**
 * torchviz's colours: backward functions grey, parameters light blue, the output green; data
 * (requires_grad=False inputs, which torchviz doesn't draw) orange like its saved tensors.
 */
export type NodeRole = 'root' | 'parameter' | 'data' | 'function' | 'summary';

export const TORCHVIZ_FILL: Record<NodeRole, string> = {
  root: 'darkolivegreen1',
  parameter: 'lightblue',
  data: 'orange',
  function: 'lightgrey',
  summary: 'white',
};

export function nodeRole(snapshot: Pick<GraphSnapshot, 'rootId'>, node: GraphNode): NodeRole {
  if (node.kind === 'summary') return 'summary';
  if (node.kind === 'parameter') return 'parameter';
  if (node.kind === 'data') return 'data';
  return node.id === snapshot.rootId ? 'root' : 'function';
}

/** The ids of a snapshot's data leaves (edges from them carry data forward, never a gradient back). */
export function dataNodeIds(snapshot: Pick<GraphSnapshot, 'nodes'>): Set<string> {
  return new Set(snapshot.nodes.filter((n) => n.kind === 'data').map((n) => n.id));
}

export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/**
 * Lines of a node's box: a parameter shows its name and shape (torchviz), data its name and
 * shape (and dtype, unless float32), a function its class.
 */
export function nodeLabelLines(node: GraphNode): string[] {
  if (node.kind === 'parameter') return [node.tensorName ?? 'parameter', shapeText(node.shape)];
  if (node.kind === 'data') return [node.tensorName ?? 'data', node.dtype && node.dtype !== 'float32' ? `${shapeText(node.shape)} ${node.dtype}` : shapeText(node.shape)];
  if (node.kind === 'summary') return [node.name, node.hiddenCount !== undefined ? `${node.hiddenCount} nodes` : ''].filter(Boolean);
  return [node.name];
}

/** A preview's values as PyTorch prints a short tensor: `tensor(2.5)`, `tensor([1, 2, …])`. */
export function previewText(preview: TensorPreview | null | undefined, maxValues = 6): string {
  if (!preview) return NOT_COMPUTED;
  const vals = preview.values.slice(0, maxValues).map(formatValue);
  if (preview.shape.length === 0) return `tensor(${vals[0] ?? ''})`;
  const more = preview.truncated || preview.values.length > maxValues;
  return `tensor([${vals.join(', ')}${more ? ', …' : ''}]) ${shapeText(preview.shape)}`;
}

/** The backward walk: nodes that ran, in the order the backward pass reached them. */
export function backwardSteps(snapshot: GraphSnapshot): GraphNode[] {
  return snapshot.nodes.filter((n) => typeof n.backwardOrder === 'number').sort((a, b) => a.backwardOrder! - b.backwardOrder!);
}

/**
 * How the engine explains the local derivative of `node` with respect to its input `inputNr`
 * (for AccumulateGrad, input 0: how the gradient lands in `.grad`). Null when the snapshot has
 * no explanation (records made before snapshots carried them): no rule is shown then, never a
 * guessed one.
 */
export function localDerivative(node: GraphNode, inputNr: number): string | null {
  const text = node.localDerivatives?.[inputNr];
  return typeof text === 'string' && text !== '' ? text : null;
}

export interface BackwardStepView {
  /** 0-based index into backwardSteps. */
  index: number;
  total: number;
  node: GraphNode;
  /** Edges the gradient flows along in this step: from `node` back to each of its inputs. */
  edges: { edge: GraphEdge; input: GraphNode | undefined; rule: string | null; sent: string }[];
  /** The data `node`'s op read: inputs no gradient flows back to. */
  data: GraphNode[];
  /** Per input of this step: the gradient accumulated at it so far (this step included). */
  accumulated: { nodeId: string; text: string; contributions: number }[];
}

/**
 * The sum of gradients as the engine accumulates them: added in the order they arrived, each sum
 * rounded to the dtype (float32 sums in float32). Null when their shapes differ.
 */
function sumPreviews(previews: readonly TensorPreview[]): TensorPreview | null {
  if (previews.length === 0) return null;
  const first = previews[0]!;
  if (previews.some((p) => p.shape.join(',') !== first.shape.join(','))) return null;
  const round = first.dtype === 'float32' ? Math.fround : (v: number) => v;
  const n = Math.min(...previews.map((p) => p.values.length));
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(previews.reduce((sum, p, k) => (k === 0 ? p.values[i]! : round(sum + p.values[i]!)), 0));
  const finite = values.filter(Number.isFinite);
  return {
    shape: first.shape,
    dtype: first.dtype,
    values,
    truncated: previews.some((p) => p.truncated),
    min: finite.length ? Math.min(...finite) : NaN,
    max: finite.length ? Math.max(...finite) : NaN,
    mean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN,
  };
}

/** What step `index` of the backward walk shows. */
export function backwardStep(snapshot: GraphSnapshot, index: number): BackwardStepView | null {
  const steps = backwardSteps(snapshot);
  if (index < 0 || index >= steps.length) return null;
  const node = steps[index]!;
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const done = new Set(steps.slice(0, index + 1).map((n) => n.id));
  const data = dataNodeIds(snapshot);
  const inputs = snapshot.edges.filter((e) => e.to === node.id);
  const edges = inputs
    .filter((e) => !data.has(e.from))
    .sort((a, b) => a.inputNr - b.inputNr)
    .map((edge) => ({
      edge,
      input: byId.get(edge.from),
      rule: localDerivative(node, edge.inputNr),
      sent: edge.grad ? previewText(edge.grad) : edge.grad === null ? NOT_COMPUTED : '(not captured)',
    }));
  const order = (id: string) => byId.get(id)?.backwardOrder ?? Infinity;
  const accumulated = edges.map(({ edge, input }) => {
    const feeding = snapshot.edges.filter((e) => e.from === edge.from && typeof byId.get(e.to)?.backwardOrder === 'number');
    const incoming = feeding.filter((e) => done.has(e.to)).sort((a, b) => order(a.to) - order(b.to));
    // Once every gradient has arrived, the total is the one the engine recorded.
    const complete = incoming.length === feeding.length && input?.grad;
    const grads = incoming.map((e) => e.grad).filter((g): g is TensorPreview => !!g);
    const sum = complete ? input.grad : sumPreviews(grads);
    const text = sum ? previewText(sum) : grads.length > 0 ? `${grads.length} contributions (shapes differ)` : NOT_COMPUTED;
    return { nodeId: edge.from, text, contributions: incoming.length };
  });
  const dataInputs = inputs
    .filter((e) => data.has(e.from))
    .sort((a, b) => a.inputNr - b.inputNr)
    .map((e) => byId.get(e.from)!);
  return { index, total: steps.length, node, edges, data: dataInputs, accumulated };
}

/**
 * Which nodes have their gradient at step `index` of the walk (−1: none yet, so every gradient
 * reads "not computed yet"; undefined: the whole backward pass is done).
 */
export function gradientKnown(snapshot: GraphSnapshot, node: GraphNode, index?: number): boolean {
  if (node.grad === null || node.kind === 'data') return false;
  if (index === undefined) return true;
  return typeof node.backwardOrder === 'number' && node.backwardOrder <= index;
}

/** A node's gradient at step `index` of the walk as the view writes it (see gradientKnown). */
export function gradientText(snapshot: GraphSnapshot, node: GraphNode, index?: number): string {
  if (node.kind === 'data') return NO_GRAD_DATA;
  return gradientKnown(snapshot, node, index) ? previewText(node.grad) : NOT_COMPUTED;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The snapshot as Graphviz DOT, styled like torchviz's make_dot (inputs above, the loss below). */
export function toDot(snapshot: GraphSnapshot): string {
  const lines = ['digraph {', '  graph [size="12,12"]', '  node [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]'];
  for (const node of snapshot.nodes) {
    const role = nodeRole(snapshot, node);
    const style = role === 'data' ? ' style="filled,rounded"' : '';
    lines.push(`  ${dotString(node.id)} [label=${dotString(nodeLabelLines(node).join('\n'))} fillcolor=${TORCHVIZ_FILL[role]}${style}]`);
  }
  for (const edge of snapshot.edges) lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The snapshot as JSON, non-finite numbers spelled as the run records spell them (wire.ts). */
export function toJson(snapshot: GraphSnapshot): string {
  return encodeJson(snapshot, 2) + '\n';
}
