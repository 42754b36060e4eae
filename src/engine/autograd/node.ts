import { RuntimeError } from '../errors.js';
import { formatSizes, sameShape } from '../shape.js';
import { sumToShape } from '../ops/reduction.js';
import type { DType } from '../dtype.js';
import { zeros } from '../creation.js';
import { copyOf } from '../ops/kernels.js';
import { addLoops } from '../ops/pointwise.js';
import type { Tensor } from '../tensor.js';
import type { Derivative } from './derivative.js';
import { is_grad_enabled, no_grad } from './grad_mode.js';

/** Edge of the graph: the node that receives a gradient and which of its outputs it is for. */
export type Edge = [Node | null, number];

export type TensorHook = (grad: Tensor) => Tensor | void | undefined;

let nextSequenceNr = 0;

/** Shape and dtype of a node's output or input. */
export interface TensorMeta {
  shape: readonly number[];
  dtype: DType;
}

/** Marks retain_grad()'s hook, which runs after the tensor's other hooks (what it keeps is their result). */
export const RETAINS_GRAD: unique symbol = Symbol('retains grad');

type PostHook = (gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | void;

/**
 * A node of the backward graph (PyTorch's `grad_fn`). `apply` maps the gradients of the node's
 * outputs to the gradients of its inputs, one per entry of `next_functions`.
 */
export abstract class Node {
  /** Creation order; the engine runs later-created nodes first, as PyTorch does. */
  readonly sequence_nr: number = nextSequenceNr++;
  next_functions: Edge[] = NO_EDGES;
  /** Created on first use: most nodes never get a hook. */
  _tensorPreHooks: Map<number, TensorHook[]> | null = null;
  _postHooks: PostHook[] | null = null;
  /**
   * The backward engine's scratch space: which pass last counted this node, its pending count,
   * its gradient buffer, and whether a pass limited to some tensors runs it (see engine.ts).
   */
  _pass = 0;
  _pending = 0;
  _buffer: (Tensor | null)[] | null = null;
  _flags = 0;
  /** The edge into this node's output 0, made once and shared by every node it feeds (edges are never changed in place). */
  _firstOutputEdge: Edge | null = null;

  /** Hooks registered on the non-leaf tensors this node produced, keyed by output number. */
  get tensorPreHooks(): Map<number, TensorHook[]> {
    return (this._tensorPreHooks ??= new Map());
  }

  /** Shape and dtype of each output, so a missing gradient can be materialised as zeros. */
  abstract get outputMeta(): TensorMeta[];

  abstract name(): string;
  /** Per input (index = inputNr, for a leaf's accumulator its one incoming gradient): what the node does with the gradient. */
  abstract localDerivatives(): readonly string[];
  abstract apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[];
  /** Frees what the node saved for backward (after a backward without retain_graph). */
  releaseVariables(): void {}

  toString(): string {
    return `<${this.name()} object>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Registers a hook called with the gradients of the node's inputs (`register_hook` on a grad_fn). */
  register_hook(hook: PostHook): { remove(): void } {
    const hooks = this.postHooks;
    hooks.push(hook);
    return { remove: () => void hooks.splice(hooks.indexOf(hook) >>> 0, 1) };
  }

  get postHooks(): PostHook[] {
    return (this._postHooks ??= []);
  }
}

const NO_EDGES: Edge[] = [];

const BACKWARD_TWICE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

/**
 * A tensor kept for backward. It remembers the version counter's value when saved, so an
 * in-place change made afterwards is caught instead of silently producing a wrong gradient.
 */
export class SavedTensor {
  private tensor: Tensor | null;
  private readonly savedVersion: number;
  /** For a saved output of the node itself, that node (its name is reported; the tensor's grad_fn may change later). */
  private readonly owner: Node | null;
  private readonly ownerOutputNr: number;

  constructor(tensor: Tensor, owner: Node | null) {
    this.tensor = tensor;
    this.savedVersion = tensor._version_counter.value;
    this.owner = owner;
    this.ownerOutputNr = tensor._output_nr;
  }

  unpack(): Tensor {
    const t = this.tensor;
    if (t === null) {
      throw new RuntimeError(BACKWARD_TWICE, 'Hint: compute the loss again in each epoch (forward pass inside the loop), or pass { retain_graph: true } to the first backward().');
    }
    const current = t._version_counter.value;
    if (current !== this.savedVersion) {
      // As PyTorch: a saved output names the node that made it; a saved input names its grad_fn now.
      const ownerName = this.owner ? this.owner.name() : null;
      const name = ownerName ?? t.grad_fn?.name() ?? null;
      const nr = ownerName ? this.ownerOutputNr : t._output_nr;
      const producer = name ? `, which is output ${nr} of ${name},` : '';
      throw new RuntimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [torch.${t.dtype.legacyName} ${formatSizes(t.shape)}]${producer} is at version ${current}; expected version ${this.savedVersion} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
        'Autograd Lab: an in-place update (a method ending in _ or -=, += on a tensor) changed a value backward() still needed; use the out-of-place form (x = x.add(1)) or update after backward().',
      );
    }
    return t;
  }

  release(): void {
    this.tensor = null;
  }
}

/** The node recorded by every differentiable op: its derivative (name, formula, explanation), the op's parameters and saved tensors. */
export class FunctionNode<P = unknown> extends Node {
  private saved: (SavedTensor | null)[] = NO_SAVED;
  /**
   * Shape and dtype of each input then each output, flat: [shape, dtype, shape, dtype, ...]
   * (null pairs for inputs that are not tensors). One array instead of an object per tensor.
   */
  _meta: (readonly number[] | DType | null)[] = NO_META;
  _inputs = 0;
  private _needs: boolean[] | null = null;

  constructor(
    readonly derivative: Derivative<P>,
    edges: Edge[],
    /** Non-tensor facts the formula needs (alpha, an exponent, dims, shapes). */
    readonly params: P,
  ) {
    super();
    this.next_functions = edges;
  }

  name(): string {
    return this.derivative.name;
  }

  localDerivatives(): readonly string[] {
    return this.derivative.explain(this.params);
  }

  /** Which inputs need a gradient (an input that doesn't gets `null` and no work). */
  get needsInputGrad(): boolean[] {
    if (this._needs === null) {
      const edges = this.next_functions;
      const needs = new Array<boolean>(edges.length);
      for (let i = 0; i < edges.length; i++) needs[i] = edges[i]![0] !== null;
      this._needs = needs;
    }
    return this._needs;
  }

  /** Saves tensors for backward; called once the outputs know their grad_fn (for error messages). */
  save(saved: readonly (Tensor | null)[], outputs: readonly Tensor[]): void {
    const n = saved.length;
    if (n === 0) return;
    const out = new Array<SavedTensor | null>(n);
    for (let i = 0; i < n; i++) {
      const t = saved[i];
      out[i] = t ? new SavedTensor(t, outputs.includes(t) ? this : null) : null;
    }
    this.saved = out;
  }

  /** Shape and dtype of each input, to bring each gradient back to its input's form. */
  get inputMeta(): (TensorMeta | null)[] {
    const out: (TensorMeta | null)[] = [];
    for (let i = 0; i < this._inputs; i++) {
      const shape = this._meta[2 * i] as readonly number[] | null;
      out.push(shape === null ? null : { shape, dtype: this._meta[2 * i + 1] as DType });
    }
    return out;
  }

  get outputMeta(): TensorMeta[] {
    const out: TensorMeta[] = [];
    for (let i = 2 * this._inputs; i < this._meta.length; i += 2) {
      out.push({ shape: this._meta[i] as readonly number[], dtype: this._meta[i + 1] as DType });
    }
    return out;
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const savedList = this.saved;
    const ns = savedList.length;
    const saved = new Array<Tensor | null>(ns);
    for (let i = 0; i < ns; i++) {
      const s = savedList[i];
      saved[i] = s ? s.unpack() : null;
    }
    const meta = this._meta;
    const nIn = this._inputs;
    const nOut = (meta.length >> 1) - nIn;
    let grads = gradOutputs as Tensor[];
    let complete = gradOutputs.length === nOut;
    if (complete) for (let i = 0; i < nOut; i++) if (!gradOutputs[i]) complete = false;
    if (!complete) {
      grads = new Array<Tensor>(nOut);
      for (let i = 0; i < nOut; i++) grads[i] = gradOutputs[i] ?? zerosForOutput(this, i);
    }
    const gradInputs = this.derivative.backward(grads, saved, this);
    // As PyTorch's engine does: a gradient computed at a broadcast shape is summed back to the
    // input's shape, and one computed in a wider dtype is cast back to the input's dtype.
    const edges = this.next_functions;
    for (let i = 0; i < gradInputs.length; i++) {
      const g = gradInputs[i];
      if (!g) {
        gradInputs[i] = null;
        continue;
      }
      const shape = i < nIn ? (meta[2 * i] as readonly number[] | null) : null;
      const edge = edges[i];
      if (shape === null || edge === undefined || edge[0] === null) {
        gradInputs[i] = null;
        continue;
      }
      let out = g;
      if (!sameShape(out.shape, shape)) out = sumToShape(out, shape);
      const dtype = meta[2 * i + 1] as DType;
      if (out.dtype !== dtype) out = out.to(dtype);
      gradInputs[i] = out;
    }
    return gradInputs;
  }

  override releaseVariables(): void {
    for (const s of this.saved) s?.release();
  }
}

const NO_SAVED: (SavedTensor | null)[] = [];
const NO_META: (readonly number[] | DType | null)[] = [];

function zerosForOutput(node: Node, i: number): Tensor {
  const meta = node.outputMeta[i];
  if (!meta) throw new RuntimeError(`missing gradient for output ${i} of ${node.name()}`);
  return zeros(meta.shape, { dtype: meta.dtype });
}

const ACCUMULATE_EXPLAINED = '.grad += ∂L/∂x: the gradient is added to what .grad holds (gradients add up until zero_grad())';

/**
 * The node at a leaf that requires grad: it adds the incoming gradient into the leaf's `.grad`.
 * Tensor hooks registered on the leaf run first and may replace the gradient.
 */
export class AccumulateGrad extends Node {
  /** The edge into this node (shared by every node that feeds it; edges are never changed in place). */
  readonly _edge: Edge = [this, 0];

  constructor(readonly variable: Tensor) {
    super();
  }

  get outputMeta(): TensorMeta[] {
    return [{ shape: this.variable.shape, dtype: this.variable.dtype }];
  }

  name(): string {
    return 'AccumulateGrad';
  }

  localDerivatives(): readonly string[] {
    return [ACCUMULATE_EXPLAINED];
  }

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const grad = gradOutputs[0];
    if (!grad) return [];
    accumulateInto(this.variable, grad, is_grad_enabled());
    return [];
  }
}

/**
 * `.grad += grad`. Without create_graph the first gradient is copied (the engine may hand the
 * same buffer to several leaves: x + y gives x and y one shared gradient) and later ones are
 * added in place; with create_graph the sum is itself recorded, for second derivatives.
 */
export function accumulateInto(variable: Tensor, grad: Tensor, createGraph: boolean): void {
  const current = variable._grad;
  if (current === null) {
    variable._grad = createGraph ? grad : grad._contiguous ? copyOf(grad) : grad.detach().clone();
  } else if (!createGraph && current._contiguous && grad._contiguous && current.dtype === grad.dtype && sameShape(current._shape, grad._shape) && !is_grad_enabled()) {
    // `.grad += g` without recording: add_'s elementwise sum written straight into .grad's storage.
    addLoops().both(current._data, current._offset, grad._data, grad._offset, current._data, current._offset, current._numel);
    current._version_counter.value++;
  } else if (createGraph) {
    variable._grad = current.add(grad);
  } else {
    no_grad(() => current.add_(grad));
  }
}
