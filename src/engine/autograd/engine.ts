import { RuntimeError } from '../errors.js';
import { formatSize, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { ones_like } from '../creation.js';
import { is_grad_enabled, set_grad_enabled, setGradModeUnscoped } from './grad_mode.js';
import { AccumulateGrad, type Edge, type Node } from './node.js';

/** Where the gradient of a tensor enters the graph: its grad_fn, or its leaf accumulator. */
export function gradientEdge(t: Tensor): Edge {
  const fn = t.grad_fn;
  if (fn) return t._output_nr === 0 ? (fn._firstOutputEdge ??= [fn, 0]) : [fn, t._output_nr];
  if (t.requires_grad) return t._gradAccumulator()._edge;
  return [null, 0];
}

export interface BackwardOptions {
  retain_graph?: boolean;
  create_graph?: boolean;
}

export interface EngineRequest {
  roots: readonly Tensor[];
  rootGrads: readonly (Tensor | null)[];
  keepGraph: boolean;
  createGraph: boolean;
  /** For autograd.grad: the tensors whose gradients are returned instead of accumulated. */
  capture?: readonly Tensor[];
}

/** Observers of backward passes (the runner's graph snapshots); called before the graph runs. */
type BackwardObserver = (roots: readonly Tensor[]) => void;
const observers: BackwardObserver[] = [];
export function onBackward(observer: BackwardObserver): () => void {
  observers.push(observer);
  return () => void observers.splice(observers.indexOf(observer) >>> 0, 1);
}

/**
 * Called after each node runs during backward, with the gradients it received (per output)
 * and produced (per input): the runner shows them in the graph view. Null when unused.
 */
export type NodeObserver = (node: Node, gradOutputs: readonly (Tensor | null)[], gradInputs: readonly (Tensor | null)[]) => void;
let nodeObserver: NodeObserver | null = null;
export function setNodeObserver(observer: NodeObserver | null): void {
  nodeObserver = observer;
}

/** Max-heap on sequence_nr: PyTorch runs the most recently created ready node first. */
class ReadyQueue {
  private heap: Node[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(node: Node): void {
    const h = this.heap;
    h.push(node);
    let i = h.length - 1;
    const seq = node.sequence_nr;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (p.sequence_nr >= seq) break;
      h[i] = p;
      i = parent;
    }
    h[i] = node;
  }
  pop(): Node {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      const seq = last.sequence_nr;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let m = l;
        if (r < n && h[r]!.sequence_nr > h[l]!.sequence_nr) m = r;
        if (h[m]!.sequence_nr <= seq) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}

/**
 * Runs the backward pass: counts how many edges lead into each node, then runs nodes whose
 * gradients are complete, latest-created first, summing gradients that meet at a node.
 * Returns the captured gradients when `capture` is given (autograd.grad), else nothing.
 */
export function runBackward(req: EngineRequest): (Tensor | null)[] {
  for (const observe of observers) observe(req.roots);
  // The common case, `loss.backward()` outside another backward, runs on the nodes' own
  // scratch fields instead of maps and sets; nested passes and autograd.grad take the general path.
  if (active === 0 && req.capture === undefined) {
    active++;
    try {
      runSimple(req);
    } finally {
      active--;
    }
    return [];
  }
  active++;
  try {
    return runGeneral(req);
  } finally {
    active--;
  }
}

/** How many backward passes are running (a hook may start one inside another). */
let active = 0;
/** Stamps the nodes a pass has counted (Node._pass), so no per-pass set is needed. */
let passCounter = 0;

function rootEdgesOf(req: EngineRequest): Edge[] {
  const roots = req.roots;
  const edges = new Array<Edge>(roots.length);
  for (let i = 0; i < roots.length; i++) {
    const edge = gradientEdge(roots[i]!);
    if (edge[0] === null) {
      throw new RuntimeError(
        `element ${i} of tensors does not require grad and does not have a grad_fn`,
        'Hint: create the parameters with { requires_grad: true }, and compute the loss outside torch.no_grad() and without .detach().',
      );
    }
    edges[i] = edge;
  }
  return edges;
}

function rootGradOf(req: EngineRequest, i: number): Tensor {
  const root = req.roots[i]!;
  const grad = req.rootGrads[i] ?? null;
  if (grad === null) {
    if (root.numel() !== 1) {
      throw new RuntimeError(
        'grad can be implicitly created only for scalar outputs',
        'Hint: reduce the output to one number first (e.g. loss.mean() or loss.sum()), or pass a gradient tensor of the same shape to backward().',
      );
    }
    // ones_like(root), made directly: a one-element tensor of root's float dtype holding 1.
    const one = root.dtype.alloc(1);
    one[0] = 1;
    return Tensor._make(one, root._shape, root.dtype);
  }
  if (!sameShape(grad.shape, root.shape)) {
    throw new RuntimeError(
      `Mismatch in shape: grad_output[${i}] has a shape of ${formatSize(grad.shape)} and output[${i}] has a shape of ${formatSize(root.shape)}.`,
    );
  }
  return grad;
}

/** Adds a gradient into a node's input buffer (the scratch one of the simple pass). */
function addToNodeBuffer(node: Node, nr: number, grad: Tensor): void {
  const buffer = node._buffer;
  if (buffer === null) {
    // Most nodes have one output: a one-element array, not an empty one grown to a default capacity.
    if (nr === 0) node._buffer = [grad];
    else {
      const fresh: (Tensor | null)[] = [];
      for (let i = 0; i < nr; i++) fresh.push(null);
      fresh.push(grad);
      node._buffer = fresh;
    }
    return;
  }
  while (buffer.length < nr) buffer.push(null);
  const existing = buffer[nr];
  buffer[nr] = existing ? existing.add(grad) : grad;
}

/** The engine of runBackward, with dependency counts and gradient buffers kept on the nodes. */
function runSimple(req: EngineRequest): void {
  const rootEdges = rootEdgesOf(req);
  const pass = ++passCounter;
  // Count dependencies (incoming edges) of every reachable node.
  const stack: Node[] = [];
  for (let i = 0; i < rootEdges.length; i++) {
    const node = rootEdges[i]![0]!;
    if (node._pass !== pass) {
      node._pass = pass;
      node._pending = 0;
      node._buffer = null;
      stack.push(node);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    const next = node.next_functions;
    for (let i = 0; i < next.length; i++) {
      const n = next[i]![0];
      if (n === null) continue;
      if (n._pass !== pass) {
        n._pass = pass;
        n._pending = 1;
        n._buffer = null;
        stack.push(n);
      } else n._pending++;
    }
  }

  const previous = is_grad_enabled();
  setGradModeUnscoped(req.createGraph);
  try {
    const ready = new ReadyQueue();
    for (let i = 0; i < rootEdges.length; i++) {
      const [node, nr] = rootEdges[i]!;
      addToNodeBuffer(node!, nr, rootGradOf(req, i));
    }
    for (let i = 0; i < rootEdges.length; i++) {
      const node = rootEdges[i]![0]!;
      // _pass is flipped negative once queued, so a root listed twice is queued once.
      if (node._pending === 0 && node._pass === pass) {
        node._pass = -pass;
        ready.push(node);
      }
    }
    const keepGraph = req.keepGraph;
    while (ready.size > 0) {
      const node = ready.pop();
      const inputs = node._buffer ?? [];
      node._buffer = null;
      runTensorPreHooks(node, inputs);
      const outputs = node.apply(inputs);
      if (nodeObserver !== null) nodeObserver(node, inputs, outputs);
      if (!keepGraph) node.releaseVariables();
      const postHooks = node._postHooks;
      if (postHooks !== null) {
        for (const hook of postHooks) {
          const replaced = hook(outputs, inputs);
          if (replaced) outputs.splice(0, outputs.length, ...replaced);
        }
      }
      const next = node.next_functions;
      for (let i = 0; i < next.length; i++) {
        const edge = next[i]!;
        const n = edge[0];
        if (n === null) continue;
        const grad = outputs[i];
        if (grad) addToNodeBuffer(n, edge[1], grad);
        if (--n._pending === 0) ready.push(n);
      }
    }
  } finally {
    setGradModeUnscoped(previous);
  }
}

/** The general engine: autograd.grad's captures, and passes started inside another pass. */
function runGeneral(req: EngineRequest): (Tensor | null)[] {
  const rootEdges: Edge[] = req.roots.map((t, i) => {
    const edge = gradientEdge(t);
    if (edge[0] === null) {
      throw new RuntimeError(
        `element ${i} of tensors does not require grad and does not have a grad_fn`,
        'Hint: create the parameters with { requires_grad: true }, and compute the loss outside torch.no_grad() and without .detach().',
      );
    }
    return edge;
  });

  // Capture points for autograd.grad: the gradient arriving at (node, output_nr).
  const captureIndex = new Map<Node, Map<number, number>>();
  (req.capture ?? []).forEach((t, i) => {
    const [node, nr] = gradientEdge(t);
    if (!node) {
      throw new RuntimeError('One of the differentiated Tensors does not require grad');
    }
    let m = captureIndex.get(node);
    if (!m) captureIndex.set(node, (m = new Map()));
    m.set(nr, i);
  });
  const captured: (Tensor | null)[] = (req.capture ?? []).map(() => null);

  // Count dependencies (incoming edges) of every reachable node.
  const dependencies = new Map<Node, number>();
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const [node] of rootEdges) {
    if (node && !seen.has(node)) {
      seen.add(node);
      stack.push(node);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const [next] of node.next_functions) {
      if (!next) continue;
      dependencies.set(next, (dependencies.get(next) ?? 0) + 1);
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }

  const buffers = new Map<Node, (Tensor | null)[]>();
  const addToBuffer = (node: Node, nr: number, grad: Tensor): void => {
    let buffer = buffers.get(node);
    if (!buffer) buffers.set(node, (buffer = []));
    const existing = buffer[nr];
    buffer[nr] = existing ? existing.add(grad) : grad;
  };

  return set_grad_enabled(req.createGraph, () => {
    const ready = new ReadyQueue();
    rootEdges.forEach(([node, nr], i) => {
      const root = req.roots[i]!;
      let grad = req.rootGrads[i] ?? null;
      if (grad === null) {
        if (root.numel() !== 1) {
          throw new RuntimeError(
            'grad can be implicitly created only for scalar outputs',
            'Hint: reduce the output to one number first (e.g. loss.mean() or loss.sum()), or pass a gradient tensor of the same shape to backward().',
          );
        }
        grad = ones_like(root);
      } else if (!sameShape(grad.shape, root.shape)) {
        throw new RuntimeError(
          `Mismatch in shape: grad_output[${i}] has a shape of ${formatSize(grad.shape)} and output[${i}] has a shape of ${formatSize(root.shape)}.`,
        );
      }
      addToBuffer(node!, nr, grad);
    });
    for (const [node] of rootEdges) {
      if (node && !dependencies.has(node)) {
        dependencies.set(node, 0);
      }
    }
    const queued = new Set<Node>();
    for (const [node] of rootEdges) {
      if (node && dependencies.get(node) === 0 && !queued.has(node)) {
        queued.add(node);
        ready.push(node);
      }
    }

    const capturing = req.capture !== undefined;
    while (ready.size > 0) {
      const node = ready.pop();
      const inputs = buffers.get(node) ?? [];
      buffers.delete(node);
      runTensorPreHooks(node, inputs);

      const captures = captureIndex.get(node);
      if (captures) {
        for (const [nr, index] of captures) captured[index] = inputs[nr] ?? null;
      }
      // autograd.grad never accumulates into .grad; its captured leaves end the walk there.
      const skip = capturing && node instanceof AccumulateGrad;
      const outputs = skip ? [] : node.apply(inputs);
      if (nodeObserver !== null) nodeObserver(node, inputs, outputs);
      if (!req.keepGraph) node.releaseVariables();
      for (const hook of node._postHooks ?? []) {
        const replaced = hook(outputs, inputs);
        if (replaced) outputs.splice(0, outputs.length, ...replaced);
      }

      node.next_functions.forEach(([next, nr], i) => {
        if (!next) return;
        const grad = outputs[i];
        if (grad) addToBuffer(next, nr, grad);
        const left = dependencies.get(next)! - 1;
        dependencies.set(next, left);
        if (left === 0) ready.push(next);
      });
    }
    return captured;
  });
}

/** Hooks of non-leaf tensors and retain_grad(): they see (and may replace) the output's gradient. */
function runTensorPreHooks(node: Node, inputs: (Tensor | null)[]): void {
  if (node instanceof AccumulateGrad) {
    const leaf = node.variable;
    const g = inputs[0];
    if (g) inputs[0] = runHooks(leaf._hooks, g);
    return;
  }
  const preHooks = node._tensorPreHooks;
  if (preHooks === null) return;
  for (const [nr, hooks] of preHooks) {
    const g = inputs[nr];
    if (g) inputs[nr] = runHooks(hooks, g);
  }
}

function runHooks(hooks: readonly ((g: Tensor) => Tensor | void | undefined)[], grad: Tensor): Tensor {
  let g = grad;
  for (const hook of hooks) {
    const replaced = hook(g);
    if (replaced) g = replaced;
  }
  return g;
}
