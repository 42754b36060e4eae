/**
 * Graph snapshots, taken in the script process: on the first backward() and then at most
 * every `intervalMs`, the graph being differentiated with each node's forward value, the
 * gradient that flowed through it and the line that created it.
 *
 * Capturing costs something (a stack trace per op), so it is switched on for one epoch at a
 * time: the forward pass after a snapshot falls due is captured, then its backward pass, and
 * the snapshot is sent when the next backward starts (or when the host flushes at exit).
 *
 * Besides backward functions and parameters, a snapshot holds the data the ops read: inputs
 * that need no gradient (`t_u`, `t_c`), one node per tensor however many ops use it, named as
 * the script names them, at most `dataLeafLimit` per snapshot. Wrapped scalars (the 2 of
 * `x.mul(2)`) are left out: a constant is not data, and they would crowd the graph.
 */
import type { EngineHooks, Node, NodeObserver, RecordObserver, Tensor } from '../../engine/index.js';
import type { ChildEvent } from '../../protocol/script-process.js';
import type { GraphEdge, GraphNode, GraphSnapshot, SourceLocation, TensorPreview } from '../../protocol/run-events.js';
import { userLocation } from './stack.js';

/** An op's inputs as the engine records them: null/undefined where an input is not a tensor. */
type OpInputs = Parameters<RecordObserver>[2];

export interface GraphRecorderOptions {
  intervalMs?: number;
  nodeLimit?: number;
  previewSize?: number;
  /** Most data tensors (inputs that need no gradient) in one snapshot (default 40). */
  dataLeafLimit?: number;
  /** Decides which files are the learner's (for the creating line of each node). */
  isUserFile: (file: string) => boolean;
}

/** A bounded preview of a tensor's values (first values plus min/max/mean of all). */
export function previewTensor(t: Tensor, size: number): TensorPreview {
  const n = t.numel();
  const values = t.values();
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const shown = Math.min(n, size);
  const head: number[] = [];
  for (let i = 0; i < shown; i++) head.push(values[i]!);
  return { shape: [...t.shape], dtype: t.dtype.name, values: head, truncated: n > shown, min: n ? min : 0, max: n ? max : 0, mean: n ? sum / n : 0 };
}

/** An input of an op that needs no gradient: which input it was, the tensor and its values then. */
interface DataInput {
  inputNr: number;
  tensor: Tensor;
  preview: TensorPreview;
}

interface NodeFacts {
  value?: TensorPreview;
  data?: DataInput[];
  location?: SourceLocation;
  grad?: TensorPreview | null;
  /** What reached each output (index = output number), as the engine handed it to the node. */
  grads?: (TensorPreview | null)[];
  /** For an AccumulateGrad: the leaf's .grad right after it ran. */
  leafGrad?: TensorPreview | null;
  edgeGrads?: (TensorPreview | null)[];
  backwardOrder?: number;
}

export class GraphRecorder {
  private readonly intervalMs: number;
  private readonly nodeLimit: number;
  private readonly previewSize: number;
  private readonly dataLeafLimit: number;
  /**
   * Previews of the data tensors seen in this capture: a tensor used by many ops is read once.
   * Weak, because a script that never calls backward() stays in its first capture for good.
   */
  private dataPreviews = new WeakMap<Tensor, TensorPreview>();
  private backwardCount = 0;
  private capturing = true;
  private nextDue = 0;
  private facts = new WeakMap<Node, NodeFacts>();
  private pending: { root: Node; backwardIndex: number } | null = null;
  private order = 0;

  constructor(
    private readonly send: (event: ChildEvent) => void,
    private readonly engine: EngineHooks,
    private readonly options: GraphRecorderOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.nodeLimit = options.nodeLimit ?? 300;
    this.previewSize = options.previewSize ?? 8;
    this.dataLeafLimit = options.dataLeafLimit ?? 40;
  }

  install(): () => void {
    const off = this.engine.onBackward((roots) => this.beforeBackward(roots));
    this.engine.setRecordObserver(this.recordObserver);
    return () => {
      off();
      this.engine.setRecordObserver(null);
      this.engine.setNodeObserver(null);
    };
  }

  private readonly recordObserver: RecordObserver = (node, outputs, inputs) => {
    const out = outputs[0];
    const facts: NodeFacts = {};
    if (out) facts.value = previewTensor(out, this.previewSize);
    const location = userLocation(new Error().stack ?? '', this.options.isUserFile);
    if (location) facts.location = location;
    const data = this.dataInputs(node, inputs);
    if (data) facts.data = data;
    this.facts.set(node, facts);
  };

  /** The inputs of `node` that get no gradient (their edge is empty), or null when there are none. */
  private dataInputs(node: Node, inputs: OpInputs): DataInput[] | null {
    const edges = node.next_functions;
    let data: DataInput[] | null = null;
    for (let i = 0; i < inputs.length; i++) {
      const tensor = inputs[i];
      if (!tensor || edges[i]?.[0]) continue;
      let preview = this.dataPreviews.get(tensor);
      if (!preview) this.dataPreviews.set(tensor, (preview = previewTensor(tensor, this.previewSize)));
      (data ??= []).push({ inputNr: i, tensor, preview });
    }
    return data;
  }

  private readonly nodeObserver: NodeObserver = (node, gradOutputs, gradInputs) => {
    let facts = this.facts.get(node);
    if (!facts) this.facts.set(node, (facts = {}));
    // The engine's buffer ends at the last output that received a gradient: pad it to every output.
    const grads: (TensorPreview | null)[] = [];
    for (let k = 0; k < Math.max(node.outputMeta.length, gradOutputs.length); k++) grads.push(this.previewOrNull(gradOutputs[k]));
    facts.grads = grads;
    facts.grad = grads[0] ?? null;
    facts.edgeGrads = gradInputs.map((gi) => this.previewOrNull(gi));
    facts.backwardOrder = this.order++;
    const leaf = this.engine.leafOf(node);
    if (leaf !== null) {
      facts.value = previewTensor(leaf, this.previewSize);
      facts.leafGrad = this.previewOrNull(leaf.grad);
    }
  };

  private previewOrNull(t: Tensor | null | undefined): TensorPreview | null {
    return t ? previewTensor(t, this.previewSize) : null;
  }

  private beforeBackward(roots: readonly Tensor[]): void {
    // Between snapshots only every 16th backward reads the clock: a snapshot every intervalMs
    // needs no finer time, and the chapter's loops call backward() every few microseconds.
    if ((++this.backwardCount & 15) !== 0 && !this.capturing && this.pending === null) return;
    this.flush();
    const now = Date.now();
    if (this.capturing) {
      // This backward differentiates the captured forward pass: watch the gradients flow.
      const root = roots[0]?.grad_fn;
      if (root) {
        this.pending = { root, backwardIndex: this.backwardCount };
        this.order = 0;
        this.engine.setNodeObserver(this.nodeObserver);
      }
      this.capturing = false;
      this.engine.setRecordObserver(null);
      this.dataPreviews = new WeakMap();
      this.nextDue = now + this.intervalMs;
    } else if (now >= this.nextDue) {
      // Due again: capture the next forward pass.
      this.capturing = true;
      this.engine.setNodeObserver(null);
      this.engine.setRecordObserver(this.recordObserver);
    } else {
      this.engine.setNodeObserver(null);
    }
  }

  /** Sends the pending snapshot, if any (called before the next backward and at exit). */
  flush(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    this.engine.setNodeObserver(null);
    this.send({ type: 'graph', snapshot: this.snapshot(pending.root, pending.backwardIndex) });
  }

  private snapshot(root: Node, backwardIndex: number): GraphSnapshot {
    // Breadth-first from the loss, so a cut keeps the nodes nearest to it.
    const ids = new Map<Node, string>();
    const queue: Node[] = [root];
    ids.set(root, 'n0');
    for (let i = 0; i < queue.length; i++) {
      for (const [next] of queue[i]!.next_functions) {
        if (next && !ids.has(next)) {
          ids.set(next, `n${ids.size}`);
          queue.push(next);
        }
      }
    }
    const total = queue.length;
    const shown = queue.slice(0, this.nodeLimit);
    const shownSet = new Set(shown);
    const nodes: GraphNode[] = shown.map((node) => this.describe(node, ids.get(node)!));
    const edges: GraphEdge[] = [];
    for (const node of shown) {
      const facts = this.facts.get(node);
      node.next_functions.forEach(([next, outputNr], inputNr) => {
        if (!next) return;
        const grad = facts?.edgeGrads ? (facts.edgeGrads[inputNr] ?? null) : undefined;
        const from = shownSet.has(next) ? ids.get(next)! : 'summary';
        edges.push({ from, to: ids.get(node)!, inputNr, outputNr, ...(grad !== undefined ? { grad } : {}) });
      });
    }
    const snapshot: GraphSnapshot = { backwardIndex, rootId: 'n0', nodes, edges };
    this.addDataLeaves(shown, ids, snapshot);
    if (total > shown.length) {
      nodes.push({
        id: 'summary',
        kind: 'summary',
        name: `${total - shown.length} more nodes`,
        shape: [],
        dtype: '',
        grad: null,
        hiddenCount: total - shown.length,
      });
      snapshot.truncated = { shownNodes: shown.length, totalNodes: total };
    }
    return snapshot;
  }

  /**
   * The data the shown ops read, as leaves feeding them: one node per tensor (in the order the
   * backward walk from the loss meets them), edges from it to every op that used it.
   */
  private addDataLeaves(shown: readonly Node[], ids: ReadonlyMap<Node, string>, snapshot: GraphSnapshot): void {
    // null: a tensor over the limit, counted but not drawn.
    const dataIds = new Map<Tensor, string | null>();
    let shownLeaves = 0;
    for (const node of shown) {
      for (const input of this.facts.get(node)?.data ?? []) {
        const { tensor } = input;
        if (this.engine.tensorName(tensor) === null && tensor.shape.length === 0) continue;
        let id = dataIds.get(tensor);
        if (id === undefined) {
          id = shownLeaves < this.dataLeafLimit ? `d${shownLeaves++}` : null;
          dataIds.set(tensor, id);
          if (id !== null) snapshot.nodes.push(this.describeData(tensor, input.preview, id));
        }
        if (id !== null) snapshot.edges.push({ from: id, to: ids.get(node)!, inputNr: input.inputNr });
      }
    }
    if (dataIds.size > shownLeaves) snapshot.truncatedData = { shownLeaves, totalLeaves: dataIds.size };
  }

  private describeData(tensor: Tensor, preview: TensorPreview, id: string): GraphNode {
    const out: GraphNode = { id, kind: 'data', name: 'data', shape: [...tensor.shape], dtype: tensor.dtype.name, grad: null, value: preview };
    const name = this.engine.tensorName(tensor);
    if (name !== null) out.tensorName = name;
    return out;
  }

  private describe(node: Node, id: string): GraphNode {
    const facts = this.facts.get(node);
    const leaf = this.engine.leafOf(node);
    const meta = node.outputMeta[0];
    const out: GraphNode = {
      id,
      kind: leaf !== null ? 'parameter' : 'function',
      name: node.name(),
      shape: meta ? [...meta.shape] : [],
      dtype: meta ? meta.dtype.name : '',
      grad: facts?.grad ?? null,
      localDerivatives: [...this.engine.explain(node)],
    };
    const name = leaf !== null ? this.engine.tensorName(leaf) : null;
    if (name !== null) out.tensorName = name;
    if (facts?.grads) out.grads = facts.grads;
    if (leaf !== null && facts?.leafGrad !== undefined) out.leafGrad = facts.leafGrad;
    if (facts?.value) out.value = facts.value;
    if (facts?.location) out.location = facts.location;
    if (facts?.backwardOrder !== undefined) out.backwardOrder = facts.backwardOrder;
    return out;
  }
}
