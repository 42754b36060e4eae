import { RuntimeError } from '../errors.js';
import { formatSizes, sameShape } from '../shape.js';
import { sumToShape } from '../ops/reduction.js';
import type { DType } from '../dtype.js';
import { zeros } from '../creation.js';
import type { Tensor } from '../tensor.js';
import { is_grad_enabled, no_grad } from './grad_mode.js';

/** Edge of the graph: the node that receives a gradient and which of its outputs it is for. */
export type Edge = [Node | null, number];

export type TensorHook = (grad: Tensor) => Tensor | void | undefined;

let nextSequenceNr = 0;

/**
 * A node of the backward graph (PyTorch's `grad_fn`). `apply` maps the gradients of the node's
 * outputs to the gradients of its inputs, one per entry of `next_functions`.
 */
export abstract class Node {
  /** Creation order; the engine runs later-created nodes first, as PyTorch does. */
  readonly sequence_nr: number = nextSequenceNr++;
  next_functions: Edge[] = [];
  /** Hooks registered on the non-leaf tensors this node produced, keyed by output number. */
  readonly tensorPreHooks = new Map<number, TensorHook[]>();
  /** Shape and dtype of each output, so a missing gradient can be materialised as zeros. */
  outputMeta: { shape: readonly number[]; dtype: DType }[] = [];

  abstract name(): string;
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
  register_hook(hook: (gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | void): { remove(): void } {
    this.postHooks.push(hook);
    return { remove: () => void this.postHooks.splice(this.postHooks.indexOf(hook) >>> 0, 1) };
  }

  readonly postHooks: ((gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | void)[] = [];
}

const BACKWARD_TWICE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

/**
 * A tensor kept for backward. It remembers the version counter's value when saved, so an
 * in-place change made afterwards is caught instead of silently producing a wrong gradient.
 */
export class SavedTensor {
  private tensor: Tensor | null;
  private readonly savedVersion: number;
  /** For a saved output of the node itself, that node's name (its grad_fn may change later). */
  private readonly ownerName: string | null;
  private readonly ownerOutputNr: number;

  constructor(tensor: Tensor, owner: Node | null) {
    this.tensor = tensor;
    this.savedVersion = tensor._version_counter.value;
    this.ownerName = owner ? owner.name() : null;
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
      const name = this.ownerName ?? t.grad_fn?.name() ?? null;
      const nr = this.ownerName ? this.ownerOutputNr : t._output_nr;
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

/**
 * A derivative formula: output gradients and saved tensors in, one gradient per input out.
 * A saved entry is null when the op didn't need to keep it (PyTorch saves `self` for mul only
 * when `other` needs a gradient, so later in-place changes to `self` stay legal).
 */
export type BackwardFn = (gradOutputs: Tensor[], saved: (Tensor | null)[], node: FunctionNode) => (Tensor | null)[];

/** The node recorded by every differentiable op: a name, saved tensors and a backward formula. */
export class FunctionNode extends Node {
  private saved: (SavedTensor | null)[] = [];
  /** Which inputs need a gradient (an input that doesn't gets `null` and no work). */
  readonly needsInputGrad: boolean[];

  constructor(
    private readonly nodeName: string,
    edges: Edge[],
    private readonly backwardFn: BackwardFn,
    /** Non-tensor facts the formula needs (dims, shapes, scalars). */
    readonly attrs: Readonly<Record<string, unknown>> = {},
  ) {
    super();
    this.next_functions = edges;
    this.needsInputGrad = edges.map(([n]) => n !== null);
  }

  name(): string {
    return this.nodeName;
  }

  /** Saves tensors for backward; called once the outputs know their grad_fn (for error messages). */
  save(saved: readonly (Tensor | null)[], outputs: readonly Tensor[]): void {
    this.saved = saved.map((t) => (t ? new SavedTensor(t, outputs.includes(t) ? this : null) : null));
  }

  /** Shape and dtype of each input, to bring each gradient back to its input's form. */
  inputMeta: ({ shape: readonly number[]; dtype: DType } | null)[] = [];

  apply(gradOutputs: (Tensor | null)[]): (Tensor | null)[] {
    const saved = this.saved.map((s) => (s ? s.unpack() : null));
    const grads = this.outputMeta.map((_, i) => gradOutputs[i] ?? zerosForOutput(this, i));
    const gradInputs = this.backwardFn(grads, saved, this);
    // As PyTorch's engine does: a gradient computed at a broadcast shape is summed back to the
    // input's shape, and one computed in a wider dtype is cast back to the input's dtype.
    return gradInputs.map((g, i) => {
      const meta = this.inputMeta[i];
      if (!g || !meta || !this.needsInputGrad[i]) return null;
      let out = g;
      if (!sameShape(out.shape, meta.shape)) out = sumToShape(out, meta.shape);
      if (out.dtype !== meta.dtype) out = out.to(meta.dtype);
      return out;
    });
  }

  override releaseVariables(): void {
    for (const s of this.saved) s?.release();
  }
}

function zerosForOutput(node: Node, i: number): Tensor {
  const meta = node.outputMeta[i];
  if (!meta) throw new RuntimeError(`missing gradient for output ${i} of ${node.name()}`);
  return zeros(meta.shape, { dtype: meta.dtype });
}

/**
 * The node at a leaf that requires grad: it adds the incoming gradient into the leaf's `.grad`.
 * Tensor hooks registered on the leaf run first and may replace the gradient.
 */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super();
    this.outputMeta = [{ shape: variable.shape, dtype: variable.dtype }];
  }

  name(): string {
    return 'AccumulateGrad';
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
    variable._grad = createGraph ? grad : grad.detach().clone();
  } else if (createGraph) {
    variable._grad = current.add(grad);
  } else {
    no_grad(() => current.add_(grad));
  }
}
