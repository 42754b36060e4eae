/**
 * The backward engine: one pass for `tensor.backward()`, `torch.autograd.backward()` and
 * `torch.autograd.grad()`, as PyTorch's engine does it. It counts how many edges lead into each
 * node reachable from the roots, then runs nodes whose gradients are complete, latest-created
 * first, summing gradients that meet at a node. With `inputs` (or autograd.grad's `capture`) it
 * runs only the nodes on a path to those tensors.
 *
 * The pass keeps its scratch state (pending counts, gradient buffers) on the nodes themselves
 * instead of in maps; a pass started inside another (from a hook) lends those fields out and
 * gives them back when it ends.
 */
import { RuntimeError } from '../errors.js';
import { formatSize, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { is_grad_enabled, setGradModeUnscoped } from './grad_mode.js';
import { AccumulateGrad, type Edge, type Node, RETAINS_GRAD, type TensorHook } from './node.js';

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
  /** Only these tensors accumulate a gradient (leaves into `.grad`, others through retain_grad), as PyTorch's `inputs=`. */
  inputs?: Tensor | readonly Tensor[] | null;
}

export interface EngineRequest {
  roots: readonly Tensor[];
  rootGrads: readonly (Tensor | null)[];
  keepGraph: boolean;
  createGraph: boolean;
  /** backward(inputs=...): the only tensors that accumulate a gradient. */
  inputs?: readonly Tensor[];
  /** autograd.grad: the tensors whose gradients are returned instead of accumulated. */
  capture?: readonly Tensor[];
}

/** Observers of backward passes (the runner's graph snapshots); called before the graph runs. */
export type BackwardObserver = (roots: readonly Tensor[]) => void;
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

/** How many backward passes are running (a hook may start one inside another). */
let active = 0;
/** Stamps the nodes a pass has counted (Node._pass), so no per-pass set is needed. */
let passCounter = 0;

/** Node._flags: the pass applies the node's formula. */
const RUNS = 1;
/** Node._flags: the pass hands the node gradients (it runs, or autograd.grad reads its input). */
const RECEIVES = 2;

/**
 * `tensor.backward()` and `torch.autograd.backward()`: the gradients of `roots` added to the
 * leaves' `.grad` (or only to `options.inputs`).
 */
export function backwardFrom(roots: readonly Tensor[], rootGrads: readonly (Tensor | null)[], options: BackwardOptions = {}): void {
  const given = options.inputs ?? null;
  const inputs = given === null ? undefined : given instanceof Tensor ? [given] : [...given];
  if (inputs !== undefined && inputs.length === 0) throw new RuntimeError("'inputs' argument to backward() cannot be empty.");
  const createGraph = options.create_graph ?? false;
  runBackward({ roots, rootGrads, keepGraph: options.retain_graph ?? createGraph, createGraph, inputs });
}

/** The gradient a root starts with (checked as PyTorch's _make_grads does), or null for a root that needs none. */
function rootGradOf(req: EngineRequest, i: number): Tensor | null {
  const root = req.roots[i]!;
  const grad = req.rootGrads[i] ?? null;
  if (grad !== null) {
    if (!sameShape(grad.shape, root.shape)) {
      throw new RuntimeError(
        `Mismatch in shape: grad_output[${i}] has a shape of ${formatSize(grad.shape)} and output[${i}] has a shape of ${formatSize(root.shape)}.`,
      );
    }
    return grad;
  }
  if (!root.requires_grad) return null;
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

/** The edges the pass must reach (where `inputs` accumulate or `capture` reads), checked as PyTorch checks them. */
function targetEdges(req: EngineRequest): Edge[] | null {
  if (req.inputs !== undefined) {
    return req.inputs.map((t) => {
      // As PyTorch: a non-leaf input keeps its gradient through retain_grad (which rejects a tensor without grad).
      t.retain_grad();
      return gradientEdge(t);
    });
  }
  if (req.capture !== undefined) {
    return req.capture.map((t) => {
      const edge = gradientEdge(t);
      if (edge[0] === null) throw new RuntimeError('One of the differentiated Tensors does not require grad');
      return edge;
    });
  }
  return null;
}

/** Adds a gradient into a node's input buffer. */
function addToBuffer(node: Node, nr: number, grad: Tensor): void {
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

const NO_GRADIENTS: (Tensor | null)[] = [];

/** Marks `node` as counted by pass `pass` with fresh scratch state (keeping an outer pass's state in `lent`). */
function stamp(node: Node, pass: number, flags: number, lent: (Node | number | (Tensor | null)[] | null)[] | null): Node {
  if (lent !== null) lent.push(node, node._pass, node._pending, node._buffer, node._flags);
  node._pass = pass;
  node._pending = 0;
  node._buffer = null;
  node._flags = flags;
  return node;
}

/**
 * Runs a backward pass. Returns the captured gradients when `capture` is given (autograd.grad),
 * else nothing.
 */
export function runBackward(req: EngineRequest): (Tensor | null)[] {
  for (const observe of observers) observe(req.roots);
  const roots = req.roots;
  const rootGrads = new Array<Tensor | null>(roots.length);
  for (let i = 0; i < roots.length; i++) rootGrads[i] = rootGradOf(req, i);
  const rootEdges = new Array<Edge>(roots.length);
  for (let i = 0; i < roots.length; i++) {
    const edge = gradientEdge(roots[i]!);
    if (edge[0] === null) {
      throw new RuntimeError(
        `element ${i} of tensors does not require grad and does not have a grad_fn`,
        'Hint: create the parameters with { requires_grad: true }, and compute the loss outside torch.no_grad() and without .detach().',
      );
    }
    rootEdges[i] = edge;
  }
  const targets = targetEdges(req);

  const pass = ++passCounter;
  // A pass inside another lends the outer pass's scratch fields of the nodes it counts: kept here, restored at the end.
  const lent: (Node | number | (Tensor | null)[] | null)[] | null = active > 0 ? [] : null;
  // Predecessors of each node, needed only to find the nodes on a path to the targets.
  const predecessors: Map<Node, Node[]> | null = targets === null ? null : new Map();
  const everything = targets === null ? RUNS | RECEIVES : 0;

  // Count dependencies (incoming edges) of every reachable node.
  const stack: Node[] = [];
  for (let i = 0; i < rootEdges.length; i++) {
    const node = rootEdges[i]![0]!;
    if (node._pass !== pass) stack.push(stamp(node, pass, everything, lent));
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    const next = node.next_functions;
    for (let i = 0; i < next.length; i++) {
      const n = next[i]![0];
      if (n === null) continue;
      if (n._pass !== pass) stack.push(stamp(n, pass, everything, lent));
      n._pending++;
      if (predecessors !== null) {
        const list = predecessors.get(n);
        if (list === undefined) predecessors.set(n, [node]);
        else list.push(node);
      }
    }
  }

  const captured: (Tensor | null)[] = targets === null ? NO_GRADIENTS : [];
  let captures: Map<Node, [number, number][]> | null = null;
  if (targets !== null) {
    // The targets receive their gradient (and, for `inputs`, run: a leaf's AccumulateGrad, a
    // non-leaf's grad_fn with its retain_grad hook); every node on a path to them runs.
    const work: Node[] = [];
    const accumulate = req.inputs !== undefined;
    if (!accumulate) captures = new Map();
    for (let i = 0; i < targets.length; i++) {
      captured.push(null);
      const [node, nr] = targets[i]!;
      if (node === null || node._pass !== pass) continue;
      if (captures !== null) {
        const list = captures.get(node);
        if (list === undefined) captures.set(node, [[nr, i]]);
        else list.push([nr, i]);
      }
      node._flags |= accumulate ? RUNS | RECEIVES : RECEIVES;
      work.push(node);
    }
    while (work.length > 0) {
      for (const p of predecessors!.get(work.pop()!) ?? []) {
        if (p._flags & RUNS) continue;
        p._flags |= RUNS | RECEIVES;
        work.push(p);
      }
    }
  }

  const previous = is_grad_enabled();
  setGradModeUnscoped(req.createGraph);
  active++;
  try {
    const ready = new ReadyQueue();
    for (let i = 0; i < rootEdges.length; i++) {
      const [node, nr] = rootEdges[i]!;
      const grad = rootGrads[i];
      if (grad && node!._flags & RECEIVES) addToBuffer(node!, nr, grad);
    }
    for (let i = 0; i < rootEdges.length; i++) {
      const node = rootEdges[i]![0]!;
      // _pass is flipped negative once queued, so a root listed twice is queued once.
      if (node._pending === 0 && node._pass === pass && node._flags & RECEIVES) {
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
      if (captures !== null) {
        const list = captures.get(node);
        if (list !== undefined) for (const [nr, index] of list) captured[index] = inputs[nr] ?? null;
      }
      // autograd.grad reads a captured node's input without running it (its leaf's .grad is left alone).
      if (!(node._flags & RUNS)) continue;
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
        if (n === null || !(n._flags & RECEIVES)) continue;
        const grad = outputs[i];
        if (grad) addToBuffer(n, edge[1], grad);
        if (--n._pending === 0) ready.push(n);
      }
    }
  } finally {
    active--;
    setGradModeUnscoped(previous);
    if (lent !== null) {
      for (let i = lent.length - 5; i >= 0; i -= 5) {
        const node = lent[i] as Node;
        node._pass = lent[i + 1] as number;
        node._pending = lent[i + 2] as number;
        node._buffer = lent[i + 3] as (Tensor | null)[] | null;
        node._flags = lent[i + 4] as number;
      }
    }
  }
  return captured;
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

function runHooks(hooks: readonly TensorHook[], grad: Tensor): Tensor {
  let g = grad;
  let retains: TensorHook | null = null;
  for (const hook of hooks) {
    if ((hook as { [RETAINS_GRAD]?: boolean })[RETAINS_GRAD]) {
      retains = hook;
      continue;
    }
    const replaced = hook(g);
    if (replaced) g = replaced;
  }
  if (retains !== null) retains(g);
  return g;
}
