/**
 * The Graph view's model, as pure functions: labels and kinds in torchviz's conventions (data
 * the ops read, which torchviz leaves out, drawn as torchviz draws saved tensors), the
 * Step backward walk (reverse topological order, from the snapshot's `backwardOrder`): each
 * step one node's backward call as the engine ran it — the gradient it received (one per
 * output), the local derivative of each input as the engine explains it (the snapshot's
 * `localDerivatives`: the view has no derivative table of its own), the gradient it sent along
 * each input edge, and a leaf's `.grad` after accumulation. Every number shown is one the
 * snapshot recorded: nothing is summed or derived here. Also the DOT / JSON exports. No DOM, no
 * vscode.
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

/** The name a node goes by everywhere in the view: the first line of its box (a parameter's own name). */
export function nodeTitle(node: GraphNode | undefined): string {
  return node ? nodeLabelLines(node)[0]! : 'a node left out of the graph';
}

/** A gradient as the view writes it: PyTorch's print, or `None` where the engine passed none. */
function gradText(preview: TensorPreview | null | undefined): string {
  return preview === null ? 'None' : previewText(preview);
}

/** What one output of a node received in its backward call, and which backward calls sent it. */
export interface ReceivedGradient {
  /** The output's number; null when the snapshot does not say (records made before `grads`). */
  outputNr: number | null;
  text: string;
  /** Titles of the nodes whose backward calls sent it (several: the engine summed them first). */
  from: string[];
}

/**
 * What a node receives: one gradient per output when the snapshot records them (`grads`); in
 * older records, the gradient each consumer sent, listed apart (the record does not say which
 * output each fed, so they are never added up here).
 */
export type Received = { kind: 'outputs'; outputs: ReceivedGradient[] } | { kind: 'contributions'; contributions: ReceivedGradient[] };

/** One input edge of a step: the gradient the node's backward call sends back along it. */
export interface StepFlow {
  edge: GraphEdge;
  input: GraphNode | undefined;
  inputTitle: string;
  /** The engine's explanation of ∂output/∂input (null: the snapshot has none). */
  rule: string | null;
  /** The gradient sent along this edge, exactly as recorded. */
  sent: string;
  /** How many more backward calls will still send the input a gradient after this step (0: complete). */
  waiting: number;
}

export interface BackwardStepView {
  /** 0-based index into backwardSteps. */
  index: number;
  total: number;
  node: GraphNode;
  title: string;
  received: Received;
  /** The edges the gradient flows along in this step: from `node` back to each of its inputs, in input order. */
  flows: StepFlow[];
  /** The data `node`'s op read: inputs no gradient flows back to. */
  data: GraphNode[];
  /** A parameter's step: its `.grad` right after the accumulation, as recorded (null: not recorded). */
  leafGrad: string | null;
}

/** Edges the gradient runs along from `consumer` steps back into `node` (data edges carry none). */
function consumerEdges(snapshot: GraphSnapshot, node: GraphNode, byId: ReadonlyMap<string, GraphNode>): GraphEdge[] {
  return snapshot.edges
    .filter((e) => e.from === node.id && typeof byId.get(e.to)?.backwardOrder === 'number')
    .sort((a, b) => byId.get(a.to)!.backwardOrder! - byId.get(b.to)!.backwardOrder!);
}

function received(snapshot: GraphSnapshot, node: GraphNode, byId: ReadonlyMap<string, GraphNode>): Received {
  const consumers = consumerEdges(snapshot, node, byId);
  const titles = (edges: readonly GraphEdge[]) => edges.map((e) => nodeTitle(byId.get(e.to)));
  if (Array.isArray(node.grads) && node.grads.length > 0) {
    const grads = node.grads;
    return {
      kind: 'outputs',
      outputs: grads.map((g, k) => ({
        outputNr: grads.length > 1 ? k : null,
        text: gradText(g),
        // With one output every consumer fed it; with several, the edges say which (outputNr).
        from: titles(grads.length === 1 ? consumers : consumers.filter((e) => e.outputNr === k)),
      })),
    };
  }
  if (consumers.length <= 1) {
    // The loss receives the seed; a node with one consumer exactly what that consumer sent.
    const only = consumers[0];
    return { kind: 'outputs', outputs: [{ outputNr: null, text: only ? gradText(only.grad) : gradText(node.grad), from: titles(consumers) }] };
  }
  return { kind: 'contributions', contributions: consumers.map((e) => ({ outputNr: e.outputNr ?? null, text: gradText(e.grad), from: titles([e]) })) };
}

/** What step `index` of the backward walk shows: one node's backward call as the engine ran it. */
export function backwardStep(snapshot: GraphSnapshot, index: number): BackwardStepView | null {
  const steps = backwardSteps(snapshot);
  if (index < 0 || index >= steps.length) return null;
  const node = steps[index]!;
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const data = dataNodeIds(snapshot);
  const inputs = snapshot.edges.filter((e) => e.to === node.id).sort((a, b) => a.inputNr - b.inputNr);
  const flows = inputs
    .filter((e) => !data.has(e.from))
    .map((edge): StepFlow => {
      const input = byId.get(edge.from);
      const later = input ? consumerEdges(snapshot, input, byId).filter((e) => byId.get(e.to)!.backwardOrder! > node.backwardOrder!) : [];
      return {
        edge,
        input,
        inputTitle: nodeTitle(input),
        rule: localDerivative(node, edge.inputNr),
        sent: edge.grad === undefined ? 'not captured' : gradText(edge.grad),
        // Counted per output where the edges say which; else every later consumer counts.
        waiting: later.filter((e) => edge.outputNr === undefined || e.outputNr === undefined || e.outputNr === edge.outputNr).length,
      };
    });
  return {
    index,
    total: steps.length,
    node,
    title: nodeTitle(node),
    received: received(snapshot, node, byId),
    flows,
    data: inputs.filter((e) => data.has(e.from)).map((e) => byId.get(e.from)!),
    leafGrad: node.kind === 'parameter' && node.leafGrad !== undefined ? gradText(node.leafGrad) : null,
  };
}

/**
 * Which nodes have their gradient at step `index` of the walk (−1: none yet, so every gradient
 * reads "not computed yet"; undefined: the whole backward pass is done).
 */
export function gradientKnown(snapshot: GraphSnapshot, node: GraphNode, index?: number): boolean {
  if (node.kind === 'data' || node.kind === 'summary') return false;
  if (node.grad === null && !(Array.isArray(node.grads) && node.grads.some((g) => g !== null))) return false;
  if (index === undefined) return true;
  return typeof node.backwardOrder === 'number' && node.backwardOrder <= index;
}

/**
 * A node's gradient at step `index` of the walk as the view writes it (see gradientKnown): one
 * per output for a node with several (`[0] tensor(…) · [1] tensor(…)`), never their sum.
 */
export function gradientText(snapshot: GraphSnapshot, node: GraphNode, index?: number): string {
  if (node.kind === 'data') return NO_GRAD_DATA;
  if (!gradientKnown(snapshot, node, index)) return NOT_COMPUTED;
  if (Array.isArray(node.grads) && node.grads.length > 1) return node.grads.map((g, k) => `[${k}] ${gradText(g)}`).join(' · ');
  return previewText(node.grads?.[0] ?? node.grad);
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
