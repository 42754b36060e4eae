/**
 * `torch.nn.functional`: activations and losses. Ops PyTorch implements as one kernel (softmax,
 * mse_loss, nll_loss, ...) record one node under PyTorch's name, with a forward rounded to the
 * input's dtype at the same steps as ATen's CPU kernel and a backward written with tensor ops
 * (so create_graph gives second derivatives). Ops PyTorch composes from other ops (l1_loss,
 * label smoothing, probability targets) are composed the same way here, so the recorded graph
 * has the same nodes.
 *
 * Nothing here touches an import at module-evaluation time, so core files may import these
 * functions (e.g. for `Tensor.softmax`) without an import-cycle problem.
 */
import { type Derivative, derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { no_grad } from '../autograd/grad_mode.js';
import { num } from '../autograd/notation.js';
import { bool, type DType, float32, int64 } from '../dtype.js';
import { IndexError, notImplementedFor, RuntimeError, ValueError, warnOnce } from '../errors.js';
import { inplace as inplaceOp } from '../ops/inplace.js';
import { addmm } from '../ops/linalg.js';
import { contiguousData, mapBinary } from '../ops/kernels.js';
import { fusedFormula } from '../ops/loops.js';
import { divByInteger } from '../ops/pointwise.js';
import { broadcastShapes, normalizeDim, numelOf, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { torchSize } from './python.js';
import { type LossOptions, type Reduction, resolveReduction } from './reduction.js';

export type { Reduction, LossOptions } from './reduction.js';
export {
  celu,
  dropout,
  elu,
  elu_,
  gelu,
  hardshrink,
  hardsigmoid,
  hardswish,
  hardtanh,
  hardtanh_,
  logsigmoid,
  mish,
  relu6,
  selu,
  silu,
  softplus,
  softshrink,
  softsign,
  tanhshrink,
} from './activations.js';

export interface WeightedLossOptions extends LossOptions {
  weight?: Tensor | null;
}

export interface NLLLossOptions extends WeightedLossOptions {
  ignore_index?: number;
}

export interface CrossEntropyOptions extends NLLLossOptions {
  label_smoothing?: number;
}

export interface BCEWithLogitsOptions extends WeightedLossOptions {
  pos_weight?: Tensor | null;
}

export interface SoftmaxOptions {
  dim?: number | null;
  /** Cast the input to this dtype first (PyTorch's `dtype=` argument). */
  dtype?: DType | null;
}

// ------------------------------------------------------------------ helpers


/** PyTorch validates the reduction string when the loss is computed (`_Reduction.get_enum`). */
function checkReduction(reduction: string): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ValueError(`${reduction} is not a valid value for reduction`);
  }
  return reduction;
}

/** Reduces a loss tensor the way ATen's apply_loss_reduction does, without recording a node. */
function reduceValue(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return no_grad(() => (reduction === 'mean' ? loss.mean() : loss.sum()));
}

/** Reduction as recorded ops (MeanBackward0 / SumBackward0), for the losses PyTorch composes. */
function reduceComposite(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? loss.mean() : reduction === 'sum' ? loss.sum() : loss;
}

/** Splits the `(weight?, options?)` or `(options?)` tail of a functional loss call. */
function weightAndOptions<O extends WeightedLossOptions>(weightOrOptions: Tensor | null | O | undefined, options: O | undefined): O {
  if (weightOrOptions instanceof Tensor || weightOrOptions === null) return { ...options, weight: weightOrOptions } as O;
  return { ...weightOrOptions, ...options } as O;
}

/** `torch.broadcast_tensors` for two operands: expand views (ExpandBackward0 when a shape changes). */
function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (sameShape(a.shape, b.shape)) return [a, b];
  const shape = broadcastShapes(a.shape, b.shape);
  return [a.expand(shape), b.expand(shape)];
}

function warnSizeMismatch(input: Tensor, target: Tensor): void {
  if (sameShape(input.shape, target.shape)) return;
  warnOnce(
    'UserWarning',
    `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.\n` +
      `Autograd Lab: reshape one side so both have the same shape, e.g. target.unsqueeze(1) or input.squeeze(1).`,
  );
}

// ------------------------------------------------------------------ linear

/** `y = x Wᵀ + b`. A 2-D input goes through addmm (AddmmBackward0), as in PyTorch. */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (input.dtype !== weight.dtype && input.dim() > 0) {
    throw new RuntimeError(
      'mat1 and mat2 must have the same dtype',
      `Autograd Lab: the input is ${input.dtype} but the weight is ${weight.dtype}; convert the input (x.float()) or the model (model.double()).`,
    );
  }
  const b = bias ?? null;
  if (b !== null && input.dim() === 2) return addmm(b, input, weight.t());
  if (b !== null && input.dim() === 3 && input.is_contiguous()) {
    // PyTorch folds a contiguous 3-D batch into one matrix product.
    const [n, s, k] = input.shape as [number, number, number];
    return addmm(b, input.view(n * s, k), weight.t()).view(n, s, -1);
  }
  const out = input.matmul(weight.t());
  return b === null ? out : out.add(b);
}

// ------------------------------------------------------------------ activations

export function relu(input: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor {
  const inPlace = typeof inplace === 'object' ? (inplace.inplace ?? false) : inplace;
  return inPlace ? input.relu_() : input.relu();
}

/** Deprecated in PyTorch in favour of torch.tanh, and warns so. */
export function tanh(input: Tensor): Tensor {
  warnOnce('UserWarning', 'nn.functional.tanh is deprecated. Use torch.tanh instead.');
  return input.tanh();
}

/** Deprecated in PyTorch in favour of torch.sigmoid, and warns so. */
export function sigmoid(input: Tensor): Tensor {
  warnOnce('UserWarning', 'nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.');
  return input.sigmoid();
}


interface Slope {
  readonly slope: number;
}

const leakyReluBackward: Derivative<Slope>['backward'] = ([g], [x], { params: p }) => [g!.where(x!.gt(0), g!.mul(p.slope))];
const leakyReluExplained = ({ slope }: Slope) => [`∂leaky_relu(x)/∂x = 1 where x > 0, else ${num(slope)}`];
const LEAKY_RELU = {
  LeakyReluBackward0: derivative<Slope>({ name: 'LeakyReluBackward0', backward: leakyReluBackward, explain: leakyReluExplained }),
  /** The in-place form's node. */
  LeakyReluBackward1: derivative<Slope>({ name: 'LeakyReluBackward1', backward: leakyReluBackward, explain: leakyReluExplained }),
};

function leakyReluOut(input: Tensor, slope: number, nodeName: keyof typeof LEAKY_RELU): Tensor {
  if (!input.dtype.is_floating_point) throw notImplementedFor('leaky_relu_cpu', input.dtype);
  const dtype = input.dtype;
  const s = dtype.cast(slope);
  const data = contiguousData(input);
  const out = dtype.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[i] = v > 0 ? v : v * s;
  }
  const result = Tensor._make(out, input.shape, dtype);
  if (recording(input)) record(LEAKY_RELU[nodeName], [input], [result], [input], { slope: s });
  return result;
}

/** `x if x > 0 else negative_slope * x`. */
export function leaky_relu(
  input: Tensor,
  negative_slope: number | { negative_slope?: number; inplace?: boolean } = 0.01,
  inplace = false,
): Tensor {
  const o = typeof negative_slope === 'object' ? negative_slope : { negative_slope, inplace };
  const slope = o.negative_slope ?? 0.01;
  if (!o.inplace) return leakyReluOut(input, slope, 'LeakyReluBackward0');
  // The in-place form records PyTorch's in-place variant of the node.
  return inplaceOp(input, 'leaky_relu_', (x) => leakyReluOut(x, slope, 'LeakyReluBackward1'), []);
}

/** PyTorch's choice of dim when softmax is called without one (deprecated, and warned about). */
function implicitDim(name: string, rank: number): number {
  warnOnce('UserWarning', `Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return rank === 0 || rank === 1 || rank === 3 ? 0 : 1;
}

function softmaxArgs(name: string, input: Tensor, dim: number | null | SoftmaxOptions | undefined, options: SoftmaxOptions | undefined): [Tensor, number] {
  const o: SoftmaxOptions = typeof dim === 'object' && dim !== null ? { ...dim, ...options } : { ...options, dim: dim ?? options?.dim ?? null };
  const d = o.dim ?? implicitDim(name, input.dim());
  const x = o.dtype ? input.to(o.dtype) : input;
  return [x, normalizeDim(d, x.dim())];
}

/**
 * The softmax family's kernel: along `dim`, subtract the max (so exp never overflows), exponentiate,
 * sum in the input's dtype. Softmax over the last dim multiplies by the reciprocal of the sum and
 * over other dims divides by it, as ATen's two CPU kernels do.
 */
function softmaxForward(x: Tensor, dim: number, log: boolean): Tensor {
  const dtype = x.dtype;
  if (!dtype.is_floating_point) {
    const lastDim = x.dim() === 0 || dim === x.dim() - 1;
    throw notImplementedFor(`${log ? 'log_softmax' : 'softmax'}${lastDim ? '_lastdim' : ''}_kernel_impl`, x.dtype);
  }
  const c = dtype === float32 ? Math.fround : (v: number) => v;
  const shape = x.shape;
  const size = x.dim() === 0 ? 1 : shape[dim]!;
  const outer = numelOf(shape.slice(0, dim));
  const inner = x.dim() === 0 ? 1 : numelOf(shape.slice(dim + 1));
  const src = contiguousData(x);
  const out = dtype.alloc(src.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = src[base + k * inner]!;
        if (v > max || v !== v) max = v;
      }
      let sum = 0;
      for (let k = 0; k < size; k++) {
        const e = c(Math.exp(c(src[base + k * inner]! - max)));
        if (!log) out[base + k * inner] = e;
        sum = c(sum + e);
      }
      if (log) {
        const logSum = c(Math.log(sum));
        for (let k = 0; k < size; k++) out[base + k * inner] = c(src[base + k * inner]! - max) - logSum;
      } else if (inner === 1) {
        const r = c(1 / sum);
        for (let k = 0; k < size; k++) out[base + k] = out[base + k]! * r;
      } else {
        for (let k = 0; k < size; k++) out[base + k * inner] = out[base + k * inner]! / sum;
      }
    }
  }
  return Tensor._make(out, shape, dtype);
}

/** `exp(x_i) / Σ_j exp(x_j)` along `dim`: `F.softmax(x, 1)` or `F.softmax(x, { dim: 1 })`. */
export function softmax(input: Tensor, dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor {
  const [x, d] = softmaxArgs('softmax', input, dim, options);
  const y = softmaxForward(x, d, false);
  if (recording(x)) record(SoftmaxBackward0, [x], [y], [y], { dim: d });
  return y;
}

/** dL/dx = y * (g - Σ g*y), the formula of ATen's softmax_backward_data. */
const SoftmaxBackward0 = derivative<{ dim: number }>({
  name: 'SoftmaxBackward0',
  backward: ([g], [out], { params: p }) => {
    const gy = g!.mul(out!);
    const s = out!.dim() === 0 ? gy : gy.sum(p.dim, true);
    return [out!.mul(g!.sub(s))];
  },
  explain: ({ dim }) => [`∂softmax(x)ᵢ/∂xⱼ = yᵢ·(δᵢⱼ − yⱼ) along dim ${dim}: the gradient becomes y·(g − Σ g·y)`],
});

/** `x_i - log Σ_j exp(x_j)` along `dim`, computed without overflow. */
export function log_softmax(input: Tensor, dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor {
  const [x, d] = softmaxArgs('log_softmax', input, dim, options);
  const y = softmaxForward(x, d, true);
  if (recording(x)) record(LogSoftmaxBackward0, [x], [y], [y], { dim: d });
  return y;
}

/** dL/dx = g - exp(y) * Σ g */
const LogSoftmaxBackward0 = derivative<{ dim: number }>({
  name: 'LogSoftmaxBackward0',
  backward: ([g], [out], { params: p }) => {
    const s = out!.dim() === 0 ? g! : g!.sum(p.dim, true);
    return [g!.sub(out!.exp().mul(s))];
  },
  explain: ({ dim }) => [`∂log_softmax(x)ᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ along dim ${dim}: the gradient becomes g − softmax(x)·Σ g`],
});

// ------------------------------------------------------------------ regression losses

/** Mean (or sum) of squared differences. One MseLossBackward0 node, as PyTorch records it. */
export function mse_loss(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  warnSizeMismatch(input, target);
  const reduction = checkReduction(resolveReduction(options));
  const [x, t] = broadcastPair(input, target);
  // The elementwise (x - t)², then the reduction: each square rounded to the dtype, summed in
  // order as sum()/mean() sum, without recording (the loss records one node of its own).
  const result = no_grad(() => reduceValue(squaredError(x, t), reduction));
  if (recording(x, t)) record(MseLossBackward0, [x, t], [result], [x, t], { reduction, count: x.numel() });
  return result;
}

/** `(x - t)²` elementwise, each difference and square rounded to the dtype (one loop when it can). */
const squaredError = fusedFormula('mse_loss', (x: Tensor, t: Tensor) => x.sub(t).pow(2));

/** ATen's mse_loss_backward: `norm * (a - b) * g`, norm = 2/N for the mean and 2 otherwise. */
const mseGrad = fusedFormula('MseLossBackward0', (a: Tensor, b: Tensor, norm: number, g: Tensor) => a.sub(b).mul(norm).mul(g));

const MseLossBackward0 = derivative<{ reduction: Reduction; count: number }>({
  name: 'MseLossBackward0',
  backward: ([g], [xs, ts], node) => {
    const { reduction, count } = node.params;
    const norm = reduction === 'mean' ? 2 / count : 2;
    return [node.needsInputGrad[0] ? mseGrad(xs!, ts!, norm, g!) : null, node.needsInputGrad[1] ? mseGrad(ts!, xs!, norm, g!) : null];
  },
  explain: ({ reduction, count }) => {
    const f = reduction === 'mean' ? `mean((x − y)²)` : reduction === 'sum' ? 'Σ(x − y)²' : '(x − y)²';
    const k = reduction === 'mean' ? `2/${num(count)}` : '2';
    return [`∂${f}/∂xᵢ = ${k}·(xᵢ − yᵢ)`, `∂${f}/∂yᵢ = −${k}·(xᵢ − yᵢ)`];
  },
});

export interface SmoothL1Options extends LossOptions {
  /** Where the loss turns from quadratic to linear (1 by default). */
  beta?: number;
}

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (1 by default). */
  delta?: number;
}

interface Robust {
  readonly reduction: Reduction;
  readonly count: number;
  /** beta (smooth L1) or delta (Huber). */
  readonly bound: number;
}

/** Elementwise smooth L1 (`huber: false`) or Huber loss of x − t, each step rounded to the dtype as ATen's vectorized kernel. */
function robustLoss(x: Tensor, t: Tensor, bound: number, huber: boolean): Tensor {
  const c = x.dtype === float32 ? Math.fround : (v: number) => v;
  const b = c(bound);
  return mapBinary(x, t, x.dtype, (p, q) => {
    const z = Math.abs(c(p - q));
    if (huber) return z < b ? c(c(0.5 * z) * z) : c(b * c(z - c(0.5 * b)));
    return z < b ? c(c(c(0.5 * z) * z) / b) : c(z - c(0.5 * b));
  });
}

/**
 * ATen's smooth_l1_backward / huber_backward for d = a − b: ∓norm·g (times delta for Huber)
 * beyond the bound, norm·d·g (over beta for smooth L1) inside; norm is 1/N for the mean.
 */
function robustGrad(a: Tensor, b: Tensor, g: Tensor, p: Robust, huber: boolean): Tensor {
  const norm = p.reduction === 'mean' ? 1 / p.count : 1;
  const d = a.sub(b);
  const up = huber ? g.mul(norm).mul(p.bound) : g.mul(norm);
  const down = huber ? g.mul(-norm).mul(p.bound) : g.mul(-norm);
  const inside = huber ? d.mul(norm).mul(g) : d.mul(norm).mul(g).div(p.bound);
  return down.where(d.le(-p.bound), up.where(d.ge(p.bound), inside));
}

function robustDerivative(name: string, huber: boolean, explain: (p: Robust) => string[]): Derivative<Robust> {
  return derivative<Robust>({
    name,
    backward: ([g], [xs, ts], node) => [
      node.needsInputGrad[0] ? robustGrad(xs!, ts!, g!, node.params, huber) : null,
      node.needsInputGrad[1] ? robustGrad(ts!, xs!, g!, node.params, huber) : null,
    ],
    explain,
  });
}

const SmoothL1LossBackward0 = robustDerivative('SmoothL1LossBackward0', false, ({ bound }) => [
  `∂smooth_l1/∂xᵢ = (xᵢ − yᵢ)/${num(bound)} where |xᵢ − yᵢ| < ${num(bound)}, else sign(xᵢ − yᵢ)`,
  `∂smooth_l1/∂yᵢ = −(xᵢ − yᵢ)/${num(bound)} where |xᵢ − yᵢ| < ${num(bound)}, else −sign(xᵢ − yᵢ)`,
]);
const HuberLossBackward0 = robustDerivative('HuberLossBackward0', true, ({ bound }) => [
  `∂huber/∂xᵢ = xᵢ − yᵢ where |xᵢ − yᵢ| < ${num(bound)}, else ${num(bound)}·sign(xᵢ − yᵢ)`,
  `∂huber/∂yᵢ = −(xᵢ − yᵢ) where |xᵢ − yᵢ| < ${num(bound)}, else −${num(bound)}·sign(xᵢ − yᵢ)`,
]);

function robust(input: Tensor, target: Tensor, options: LossOptions | undefined, bound: number, huber: boolean): Tensor {
  warnSizeMismatch(input, target);
  const reduction = checkReduction(resolveReduction(options));
  const [x, t] = broadcastPair(input, target);
  const result = no_grad(() => reduceValue(robustLoss(x, t, bound, huber), reduction));
  if (recording(x, t)) record(huber ? HuberLossBackward0 : SmoothL1LossBackward0, [x, t], [result], [x, t], { reduction, count: x.numel(), bound });
  return result;
}

/** Smooth L1: `0.5·d²/beta` where |d| < beta, else `|d| − 0.5·beta` (d = input − target), then the reduction. */
export function smooth_l1_loss(input: Tensor, target: Tensor, options?: SmoothL1Options): Tensor {
  const beta = options?.beta ?? 1;
  if (beta < 0) throw new RuntimeError('smooth_l1_loss does not support negative values for beta.');
  return robust(input, target, options, beta, false);
}

/** Huber: `0.5·d²` where |d| < delta, else `delta·(|d| − 0.5·delta)` (d = input − target), then the reduction. */
export function huber_loss(input: Tensor, target: Tensor, options?: HuberOptions): Tensor {
  const delta = options?.delta ?? 1;
  if (!(delta > 0)) throw new RuntimeError('huber_loss does not support non-positive values for delta.');
  return robust(input, target, options, delta, true);
}

/** Mean (or sum) of absolute differences: `(input - target).abs()` then the reduction, as PyTorch composes it. */
export function l1_loss(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  warnSizeMismatch(input, target);
  const reduction = checkReduction(resolveReduction(options));
  const [x, t] = broadcastPair(input, target);
  return reduceComposite(x.sub(t).abs(), reduction);
}

// ------------------------------------------------------------------ classification losses

function checkClassTarget(target: Tensor): void {
  if (target.dtype !== int64) {
    throw new RuntimeError(
      `expected scalar type Long but found ${target.dtype.scalarTypeName}`,
      'Autograd Lab: class-index targets must be int64 tensors. JavaScript numbers make float32 tensors; write torch.tensor([0n, 2n, 1n]), pass { dtype: torch.int64 }, or call target.long().',
    );
  }
}

/**
 * ATen's nll_loss forward sums with a cascade of partial sums (8 levels, 16 terms per level at
 * least) to limit rounding error. Reproducing the cascade keeps float32 results bit-identical.
 */
class CascadeSum {
  private readonly levels = new Float64Array(8);
  private readonly power: number;
  constructor(
    count: number,
    private readonly c: (v: number) => number,
  ) {
    this.power = Math.max(4, Math.floor(Math.ceil(Math.log2(Math.max(count, 1))) / 8));
  }
  /** Adds `value` to the lowest level, then carries full levels upward as ATen does at item `i`. */
  add(value: number, i: number): void {
    const c = this.c;
    const levels = this.levels;
    levels[0] = c(levels[0]! + value);
    const mask = (1 << this.power) - 1;
    for (let j = 0; j + 1 < 8; j++) {
      if ((i & (mask * 2 ** (j * this.power))) !== 0) break;
      levels[j + 1] = c(levels[j + 1]! + levels[j]!);
      levels[j] = 0;
    }
  }
  total(): number {
    let acc = 0;
    for (const v of this.levels) acc = this.c(acc + v);
    return acc;
  }
}

/**
 * Negative log likelihood of the target classes: input `[N, C]` (or `[C]`, or `[N, C, d1, ...]`)
 * holds log-probabilities, target `[N]` (`[]`, `[N, d1, ...]`) holds int64 class indices.
 */
export function nll_loss(input: Tensor, target: Tensor, weight?: Tensor | null | NLLLossOptions, options?: NLLLossOptions): Tensor {
  const o = weightAndOptions<NLLLossOptions>(weight, options);
  const reduction = checkReduction(resolveReduction(o));
  return nllLoss(input, target, o.weight ?? null, reduction, o.ignore_index ?? -100);
}

/**
 * ATen's nll_loss_nd: 1-D and 2-D inputs go to the plain kernel and 4-D inputs to the spatial
 * one; 3-D and 5+-D inputs are viewed as 4-D first and the per-item result viewed back, so the
 * graph has the same ViewBackward0 nodes as PyTorch's.
 */
function nllLoss(input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, ignoreIndex: number): Tensor {
  const rank = input.dim();
  if (rank < 1) throw new ValueError(`Expected 1 or more dimensions (got ${rank})`);
  if (rank !== 1 && target.dim() > 0 && input.shape[0] !== target.shape[0]) {
    throw new ValueError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  checkClassTarget(target);
  if (rank === 3 || rank > 4) {
    const [n, c] = input.shape as [number, number];
    const outSize = [n, ...input.shape.slice(2)];
    if (!sameShape(target.shape.slice(1), input.shape.slice(2))) {
      throw new RuntimeError(`Expected target size [${outSize.join(', ')}], got [${target.shape.join(', ')}]`);
    }
    const empty = input.numel() === 0;
    const x4 = input.contiguous().view(empty ? [n, c, 0, 0] : [n, c, 1, -1]);
    const t4 = target.contiguous().view(empty ? [n, 0, 0] : [n, 1, -1]);
    const out = nllKernel(x4, t4, weight, reduction, ignoreIndex);
    return reduction === 'none' ? out.view(outSize) : out;
  }
  return nllKernel(input, target, weight, reduction, ignoreIndex);
}

function nllKernel(input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, ignoreIndex: number): Tensor {
  const rank = input.dim();
  if (rank <= 2) {
    if (target.dim() > 1) throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported');
    const noBatch = rank === 1 && target.dim() === 0;
    if (!noBatch && input.shape[0] !== target.shape[0]) {
      throw new RuntimeError(`size mismatch (got input: [${input.shape.join(', ')}], target: [${target.shape.join(', ')}])`);
    }
  } else {
    if (target.dim() !== 3) throw new RuntimeError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.dim()}`);
    const [n, , h, w] = input.shape;
    if (n !== target.shape[0] || h !== target.shape[1] || w !== target.shape[2]) {
      // (PyTorch's message really lacks the closing parenthesis.)
      throw new RuntimeError(`size mismatch (got input: [${input.shape.join(', ')}] , target: [${target.shape.join(', ')}]`);
    }
  }
  const classes = rank === 1 ? input.shape[0]! : input.shape[1]!;
  if (weight !== null && (weight.dim() !== 1 || weight.numel() !== classes)) {
    throw new RuntimeError(`weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
  }
  const dtype = input.dtype;
  const c = dtype === float32 ? Math.fround : (v: number) => v;
  // View the input as [N, C, S] and the target as [N, S].
  const batch = rank === 1 ? 1 : input.shape[0]!;
  const spatial = rank <= 2 ? 1 : numelOf(input.shape.slice(2));
  const x = contiguousData(input);
  const t = contiguousData(target);
  const w = weight === null ? null : contiguousData(weight.to(dtype));
  const count = batch * spatial;
  const perItem = dtype.alloc(count);
  // Where each item's gradient lands, with the class weight it carries there.
  const slotWeight = dtype.alloc(x.length);
  const slotUsed = bool.alloc(x.length);
  const loss = new CascadeSum(count, c);
  const totalWeight = new CascadeSum(count, c);
  let ignored = 0;
  for (let i = 0; i < count; i++) {
    const cls = t[i]!;
    if (cls === ignoreIndex) {
      ignored++;
      continue;
    }
    if (cls < 0 || cls >= classes) throw new IndexError(`Target ${cls} is out of bounds.`);
    const n = Math.floor(i / spatial);
    const s = i % spatial;
    const at = (n * classes + cls) * spatial + s;
    const wv = w === null ? 1 : w[cls]!;
    const value = c(x[at]! * wv);
    perItem[i] = -value;
    slotWeight[at] = wv;
    slotUsed[at] = 1;
    loss.add(-value, i);
    totalWeight.add(wv, i);
  }
  let result: Tensor;
  const total = w === null ? count - ignored : totalWeight.total();
  if (reduction === 'none') {
    result = Tensor._make(perItem, rank === 1 ? [] : target.shape, dtype);
  } else {
    const out = dtype.alloc(1);
    const sum = loss.total();
    out[0] = reduction === 'mean' ? sum / total : sum;
    result = Tensor._make(out, [], dtype);
  }
  const weights = Tensor._make(slotWeight, input.shape, dtype);
  const used = Tensor._make(slotUsed, input.shape, bool);
  if (recording(input)) record(rank <= 2 ? NllLossBackward0 : NllLoss2DBackward0, [input], [result], [], { weights, used, reduction, total, rank });
  return result;
}

/** Where nll_loss read its values: the class weight of each target's slot, and which slots are targets. */
interface Targets {
  readonly weights: Tensor;
  readonly used: Tensor;
  readonly reduction: Reduction;
  /** The divisor of the mean: the count (or total weight) of the targets not ignored. */
  readonly total: number;
  readonly rank: number;
}

/**
 * ATen writes -weight[target] * grad (grad / total weight for 'mean') into each target's slot
 * of a zero tensor; `where` keeps the other slots +0 rather than -0.
 */
const nllBackward: Derivative<Targets>['backward'] = ([g], _, { params: p }) => {
  if (p.reduction === 'none') {
    const gi = p.rank === 1 ? g! : g!.unsqueeze(1);
    return [p.weights.mul(gi).neg().where(p.used, 0)];
  }
  const scaled = p.reduction === 'mean' ? g!.div(p.total) : g!;
  return [p.weights.mul(scaled.neg()).where(p.used, 0)];
};

const nllExplained = ({ reduction, total }: Targets) => [
  reduction === 'mean'
    ? `∂(−mean of x[target])/∂x = −w/${num(total)} at each target's entry (w its class weight), else 0`
    : '∂(−x[target])/∂x = −w at each target\'s entry (w its class weight), else 0',
];

const NllLossBackward0 = derivative<Targets>({ name: 'NllLossBackward0', backward: nllBackward, explain: nllExplained });
const NllLoss2DBackward0 = derivative<Targets>({ name: 'NllLoss2DBackward0', backward: nllBackward, explain: nllExplained });

function classDim(input: Tensor): number {
  return input.dim() === 1 ? 0 : 1;
}

/** Shape that lines a per-class weight up with the class dim of `input`. */
function weightShape(input: Tensor, classes: number): number[] {
  const shape = input.shape.map(() => 1);
  shape[classDim(input)] = classes;
  return shape;
}

/**
 * Cross entropy of logits against class indices (int64) or class probabilities (a float target
 * of the input's shape): log_softmax over the class dim followed by nll_loss, as in PyTorch.
 */
export function cross_entropy(input: Tensor, target: Tensor, weight?: Tensor | null | CrossEntropyOptions, options?: CrossEntropyOptions): Tensor {
  const o = weightAndOptions<CrossEntropyOptions>(weight, options);
  const reduction = checkReduction(resolveReduction(o));
  const w = o.weight ?? null;
  const ignoreIndex = o.ignore_index ?? -100;
  const smoothing = o.label_smoothing ?? 0;
  if (sameShape(input.shape, target.shape)) {
    if (!target.dtype.is_floating_point) {
      throw new RuntimeError(
        `Expected floating point type for target with class probabilities, got ${target.dtype.scalarTypeName}`,
        'Autograd Lab: a target with the same shape as the input is read as class probabilities; for class indices pass one int64 index per sample (shape [N]).',
      );
    }
    if (ignoreIndex >= 0) throw new RuntimeError('ignore_index is not supported for floating point target');
    return crossEntropyProbabilities(input, target, w, reduction, smoothing);
  }
  if (smoothing > 0) {
    if (smoothing > 1) throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
    return crossEntropySmoothed(input, target, w, reduction, ignoreIndex, smoothing);
  }
  if (input.dim() === 0) throw new ValueError('Expected 1 or more dimensions (got 0)');
  return nllLoss(log_softmax(input, classDim(input)), target, w, reduction, ignoreIndex);
}

function crossEntropySmoothed(input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, ignoreIndex: number, smoothing: number): Tensor {
  const cd = classDim(input);
  const logp = log_softmax(input, cd);
  const nll = nllLoss(logp, target, weight, reduction, ignoreIndex);
  const classes = logp.shape[cd]!;
  const ignoreMask = target.eq(ignoreIndex);
  const smooth = (weight === null ? logp.sum(cd) : logp.mul(weight.view(weightShape(input, classes))).sum(cd)).neg().masked_fill(ignoreMask, 0);
  let ret: Tensor;
  if (reduction === 'mean') {
    const kept = ignoreMask.logical_not();
    // (PyTorch gathers the weights; index_select reads the same values.)
    ret = weight === null ? smooth.sum().div(kept.sum()) : smooth.sum().div(weight.index_select(0, target.get(kept).flatten()).sum());
  } else {
    ret = reduction === 'sum' ? smooth.sum() : smooth;
  }
  return nll.mul(1 - smoothing).add(ret.mul(smoothing / classes));
}

function crossEntropyProbabilities(input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, smoothing: number): Tensor {
  const cd = classDim(input);
  const classes = input.shape[cd]!;
  if (weight !== null && (weight.dim() !== 1 || weight.numel() !== classes)) {
    throw new RuntimeError(`cross_entropy: weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
  }
  const logp = log_softmax(input, cd);
  const t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
  let prod = logp.mul(t);
  if (weight !== null) prod = prod.mul(weight.view(weightShape(input, classes)));
  if (reduction === 'none') return prod.sum(cd).neg();
  const total = prod.sum().neg();
  return reduction === 'sum' ? total : divByInteger(total, Math.trunc(input.numel() / classes));
}

interface Averaging {
  readonly reduction: Reduction;
  /** How many elements a mean divides by. */
  readonly count: number;
}

const BinaryCrossEntropyBackward0 = derivative<Averaging>({
  name: 'BinaryCrossEntropyBackward0',
  backward: ([g], [xs, ts, ws], node) => {
    const { reduction, count } = node.params;
    const finish = (grad: Tensor): Tensor => {
      const weighted = ws ? grad.mul(ws) : grad;
      return reduction === 'mean' ? weighted.div(count) : weighted;
    };
    return [
      // d/dx = g (x - y) / max(x (1 - x), 1e-12)
      node.needsInputGrad[0] ? finish(g!.mul(xs!.sub(ts!)).div(xs!.rsub(1).mul(xs!).clamp_min(1e-12))) : null,
      // d/dy = -g logit(x)
      node.needsInputGrad[1] ? finish(xs!.div(xs!.rsub(1)).log().neg().mul(g!)) : null,
    ];
  },
  explain: ({ reduction, count }) => {
    const per = reduction === 'mean' ? `/${num(count)}` : '';
    return [`∂bce(x, y)/∂xᵢ = (xᵢ − yᵢ)/(xᵢ·(1 − xᵢ))${per}`, `∂bce(x, y)/∂yᵢ = −ln(xᵢ/(1 − xᵢ))${per}`];
  },
});

/** Binary cross entropy of probabilities in [0, 1]; each log is clamped at -100 as PyTorch does. */
export function binary_cross_entropy(input: Tensor, target: Tensor, weight?: Tensor | null | WeightedLossOptions, options?: WeightedLossOptions): Tensor {
  const o = weightAndOptions<WeightedLossOptions>(weight, options);
  const reduction = checkReduction(resolveReduction(o));
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(
      `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  if (target.dtype !== input.dtype) {
    throw new RuntimeError(`Found dtype ${target.dtype.scalarTypeName} but expected ${input.dtype.scalarTypeName}`);
  }
  const w = o.weight ? o.weight.expand(broadcastShapes(target.shape, o.weight.shape)) : null;
  const dtype = input.dtype;
  const c = dtype === float32 ? Math.fround : (v: number) => v;
  const x = contiguousData(input);
  const y = contiguousData(target);
  const out = dtype.alloc(x.length);
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (!(p >= 0 && p <= 1)) throw new RuntimeError('all elements of input should be between 0 and 1');
    const logOneMinus = Math.max(c(Math.log1p(-p)), -100);
    const logP = Math.max(c(Math.log(p)), -100);
    out[i] = c(c(q - 1) * logOneMinus) - c(q * logP);
  }
  let loss = Tensor._make(out, input.shape, dtype);
  if (w !== null) loss = no_grad(() => loss.mul(w));
  const result = reduceValue(loss, reduction);
  const saved = w === null ? [input, target] : [input, target, w];
  if (recording(input, target)) record(BinaryCrossEntropyBackward0, [input, target], [result], saved, { reduction, count: input.numel() });
  return result;
}

/** log σ(z) = min(z, 0) - log(1 + exp(-|z|)), without overflow. */
function logSigmoid(z: Tensor): Tensor {
  return z.clamp_max(0).sub(z.abs().neg().exp().add(1).log());
}

const BinaryCrossEntropyWithLogitsBackward0 = derivative<Averaging & { weighted: boolean; positiveWeighted: boolean }>({
  name: 'BinaryCrossEntropyWithLogitsBackward0',
  backward: ([g], [xs, ts, ...rest], node) => {
    const { reduction, count, weighted, positiveWeighted } = node.params;
    const ws = weighted ? rest[0]! : null;
    const pws = positiveWeighted ? rest[weighted ? 1 : 0]! : null;
    const finish = (grad: Tensor): Tensor => {
      const scaled = ws ? grad.mul(g!).mul(ws) : grad.mul(g!);
      return reduction === 'mean' ? scaled.div(count) : scaled;
    };
    const gradInput = (): Tensor => {
      // d/dz = σ(z) - y, or with pos_weight p: (p y + 1 - y) σ(z) - p y
      if (!pws) return xs!.sigmoid().sub(ts!);
      const tp = pws.mul(ts!);
      return tp.add(1).sub(ts!).mul(xs!.sigmoid()).sub(tp);
    };
    // d/dy = -z, or with pos_weight p: log σ(-z) - p log σ(z)
    const gradTarget = (): Tensor => (pws ? logSigmoid(xs!.neg()).sub(logSigmoid(xs!).mul(pws)) : xs!.neg());
    return [node.needsInputGrad[0] ? finish(gradInput()) : null, node.needsInputGrad[1] ? finish(gradTarget()) : null];
  },
  explain: ({ reduction, count, positiveWeighted }) => {
    const per = reduction === 'mean' ? `/${num(count)}` : '';
    return positiveWeighted
      ? [`∂bce(σ(z), y)/∂zᵢ = ((p·yᵢ + 1 − yᵢ)·σ(zᵢ) − p·yᵢ)${per}`, `∂bce(σ(z), y)/∂yᵢ = (ln σ(−zᵢ) − p·ln σ(zᵢ))${per}`]
      : [`∂bce(σ(z), y)/∂zᵢ = (σ(zᵢ) − yᵢ)${per}`, `∂bce(σ(z), y)/∂yᵢ = −zᵢ${per}`];
  },
});

/**
 * Binary cross entropy on logits: σ and the log folded together, stable for large |z| (the
 * log-sum-exp trick with m = max(-z, 0)). `pos_weight` scales the loss of positive targets.
 */
export function binary_cross_entropy_with_logits(
  input: Tensor,
  target: Tensor,
  weight?: Tensor | null | BCEWithLogitsOptions,
  options?: BCEWithLogitsOptions,
): Tensor {
  const o = weightAndOptions<BCEWithLogitsOptions>(weight, options);
  const reduction = checkReduction(resolveReduction(o));
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(`Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`);
  }
  const w = o.weight ?? null;
  const pw = o.pos_weight ?? null;
  // The forward is ATen's composite formula, op by op, so every rounding step matches.
  const loss = no_grad(() => {
    const maxVal = input.neg().clamp_min(0);
    const logTerm = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log();
    let l: Tensor;
    if (pw !== null) {
      const logWeight = pw.sub(1).mul(target).add(1);
      l = target.rsub(1).mul(input).add(logWeight.mul(logTerm.add(maxVal)));
    } else {
      l = target.rsub(1).mul(input).add(maxVal).add(logTerm);
    }
    if (w !== null) l = l.mul(w);
    return reduceValue(l, reduction);
  });
  const saved = [input, target, ...(w ? [w] : []), ...(pw ? [pw] : [])];
  if (recording(input, target)) {
    record(BinaryCrossEntropyWithLogitsBackward0, [input, target], [loss], saved, { reduction, count: input.numel(), weighted: w !== null, positiveWeighted: pw !== null });
  }
  return loss;
}
