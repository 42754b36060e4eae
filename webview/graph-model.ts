/**
 * The Graph view's model, as pure functions: labels and kinds in torchviz's conventions (data
 * the ops read, which torchviz leaves out, drawn as torchviz draws saved tensors), the
 * Step backward walk (reverse topological order, from the snapshot's `backwardOrder`), local
 * derivatives and accumulated gradients, and the DOT / JSON exports. No DOM, no vscode.
 */
import type { GraphEdge, GraphNode, GraphSnapshot, TensorPreview } from '../src/protocol/run-events.js';
import { formatValue } from '../src/protocol/number-format.js';

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

/** The symbolic local derivative of a backward function with respect to input `inputNr`. */
export function localDerivativeRule(name: string, inputNr: number): string | null {
  const base = name.replace(/Backward\d*$/, '');
  switch (base) {
    case 'Add':
      return '∂(a + b)/∂' + (inputNr === 0 ? 'a' : 'b') + ' = 1';
    case 'Sub':
    case 'Rsub':
      return inputNr === 0 ? '∂(a − b)/∂a = 1' : '∂(a − b)/∂b = −1';
    case 'Mul':
      return inputNr === 0 ? '∂(a·b)/∂a = b' : '∂(a·b)/∂b = a';
    case 'Div':
      return inputNr === 0 ? '∂(a/b)/∂a = 1/b' : '∂(a/b)/∂b = −a/b²';
    case 'Pow':
      return inputNr === 0 ? '∂(xⁿ)/∂x = n·xⁿ⁻¹' : '∂(aˣ)/∂x = aˣ·ln a';
    case 'Mean':
      return '∂mean(x)/∂xᵢ = 1/N';
    case 'Sum':
      return '∂sum(x)/∂xᵢ = 1';
    case 'Exp':
      return '∂eˣ/∂x = eˣ';
    case 'Log':
      return '∂ln x/∂x = 1/x';
    case 'Tanh':
      return '∂tanh x/∂x = 1 − tanh²x';
    case 'Sigmoid':
      return '∂σ(x)/∂x = σ(x)(1 − σ(x))';
    case 'Relu':
      return '∂relu(x)/∂x = 1 if x > 0 else 0';
    case 'Neg':
      return '∂(−x)/∂x = −1';
    case 'Mm':
    case 'Addmm':
    case 'Matmul':
      return 'matrix product: grad · Wᵀ / xᵀ · grad';
    case 'AccumulateGrad':
      return 'the gradient is added to .grad';
    default:
      return null;
  }
}

/**
 * The numeric local derivative along an edge, where it can be read off the snapshot: the
 * gradient sent back along the edge divided by the gradient that reached `to`, elementwise, when
 * both have the same shape. Null where that isn't meaningful (reductions, matrix products).
 */
export function localDerivativeValues(edge: GraphEdge, to: GraphNode): number[] | null {
  const sent = edge.grad;
  const got = to.grad;
  if (!sent || !got) return null;
  if (sent.shape.join(',') !== got.shape.join(',')) return null;
  const n = Math.min(sent.values.length, got.values.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(got.values[i] === 0 ? NaN : sent.values[i]! / got.values[i]!);
  return out;
}

export interface BackwardStepView {
  /** 0-based index into backwardSteps. */
  index: number;
  total: number;
  node: GraphNode;
  /** Edges the gradient flows along in this step: from `node` back to each of its inputs. */
  edges: { edge: GraphEdge; input: GraphNode | undefined; rule: string | null; local: number[] | null; sent: string }[];
  /** The data `node`'s op read: inputs no gradient flows back to. */
  data: GraphNode[];
  /** Per input of this step: the gradient accumulated at it so far (this step included). */
  accumulated: { nodeId: string; text: string; contributions: number }[];
}

function sumPreviews(previews: TensorPreview[]): TensorPreview | null {
  if (previews.length === 0) return null;
  const first = previews[0]!;
  if (previews.some((p) => p.shape.join(',') !== first.shape.join(','))) return null;
  const n = Math.min(...previews.map((p) => p.values.length));
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(previews.reduce((s, p) => s + p.values[i]!, 0));
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
      rule: localDerivativeRule(node.name, edge.inputNr),
      local: localDerivativeValues(edge, node),
      sent: edge.grad ? previewText(edge.grad) : edge.grad === null ? NOT_COMPUTED : '(not captured)',
    }));
  const accumulated = edges.map(({ edge }) => {
    const incoming = snapshot.edges.filter((e) => e.from === edge.from && done.has(e.to));
    const grads = incoming.map((e) => e.grad).filter((g): g is TensorPreview => !!g);
    const sum = sumPreviews(grads);
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

export function toJson(snapshot: GraphSnapshot): string {
  return JSON.stringify(snapshot, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}
