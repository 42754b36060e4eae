/**
 * The activation functions chapter 6 of the book draws, as `nn.functional` has them (the
 * modules in activation.ts call these). Each is one entry: its forward on one element, computed
 * in double and rounded to the input's dtype, and its Derivative (PyTorch's node, the backward
 * formula with tensor ops, the explanation). Where PyTorch composes an activation from other
 * ops (softsign, tanhshrink) it is composed the same way here, so the graph has the same nodes.
 */
import { type Derivative, derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { num } from '../autograd/notation.js';
import { type DType, float32 } from '../dtype.js';
import { notImplementedFor, ValueError } from '../errors.js';
import { mapUnary } from '../ops/kernels.js';
import { scalarTensor } from '../ops/pointwise.js';
import { inplace as inplaceOp } from '../ops/inplace.js';
import { dropoutNoise } from '../ops/sampling.js';
import { erf } from '../ops/unary.js';
import { type Scalar, scalarValue } from '../scalar.js';
import type { Tensor } from '../tensor.js';

/** `(x) => y` for one element in double; `c` rounds an intermediate step to the dtype, as ATen's kernel does. */
type Forward<P> = (x: number, p: P, c: (v: number) => number) => number;

interface Activation<P> {
  readonly derivative: Derivative<P>;
  /** The node of the in-place form (`elu_`), when PyTorch names it otherwise. */
  readonly inplaceDerivative?: Derivative<P>;
  readonly forward: Forward<P>;
  /** What the backward reads: the input, or (the in-place forms of elu and celu) the result. */
  readonly saves?: 'result';
}

function rounding(dtype: DType): (v: number) => number {
  return dtype === float32 ? Math.fround : (v: number) => v;
}

/** Runs one activation on `input` (in place when asked), recording its node. */
function activate<P>(name: string, a: Activation<P>, input: Tensor, params: P, inplace: boolean): Tensor {
  if (!input.dtype.is_floating_point) throw notImplementedFor(`${name}_cpu`, input.dtype);
  const out = (x: Tensor, node: Derivative<P>, savesResult: boolean): Tensor => {
    const c = rounding(x.dtype);
    const y = mapUnary(x, x.dtype, (v) => a.forward(v, params, c));
    if (recording(x)) record(node, [x], [y], [savesResult ? y : x], params);
    return y;
  };
  if (!inplace) return out(input, a.derivative, false);
  const node = a.inplaceDerivative ?? a.derivative;
  return inplaceOp(input, `${name}_`, (x) => out(x, node, a.inplaceDerivative !== undefined && a.saves === 'result'), []);
}

// ------------------------------------------------------------------ hardtanh, relu6

interface Bounds {
  readonly min: number;
  readonly max: number;
}

const HARDTANH: Activation<Bounds> = {
  forward: (x, { min, max }) => (x !== x ? x : x < min ? min : x > max ? max : x),
  derivative: derivative<Bounds>({
    name: 'HardtanhBackward0',
    backward: ([g], [x], { params: { min, max } }) => [g!.masked_fill(x!.le(min).logical_or(x!.ge(max)), 0)],
    explain: ({ min, max }) => [`∂hardtanh(x)/∂x = 1 where ${num(min)} < x < ${num(max)}, else 0`],
  }),
};

/** `x` clipped to [min_val, max_val] (HardtanhBackward0). */
export function hardtanh(input: Tensor, min_val: Scalar = -1, max_val: Scalar = 1, inplace = false): Tensor {
  const c = rounding(input.dtype);
  return activate('hardtanh', HARDTANH, input, { min: c(scalarValue(min_val)), max: c(scalarValue(max_val)) }, inplace);
}

export function hardtanh_(input: Tensor, min_val: Scalar = -1, max_val: Scalar = 1): Tensor {
  return hardtanh(input, min_val, max_val, true);
}

/** `min(max(x, 0), 6)`: hardtanh between 0 and 6, as PyTorch computes it. */
export function relu6(input: Tensor, inplace = false): Tensor {
  return hardtanh(input, 0, 6, inplace);
}

// ------------------------------------------------------------------ softplus

interface SoftplusParams {
  readonly beta: number;
  readonly threshold: number;
}

const SOFTPLUS: Activation<SoftplusParams> = {
  // Linear above the threshold (no overflow of exp), as ATen.
  forward: (x, { beta, threshold }, c) => (c(x * beta) > threshold ? x : c(Math.log1p(c(Math.exp(c(x * beta))))) / beta),
  derivative: derivative<SoftplusParams>({
    name: 'SoftplusBackward0',
    backward: ([g], [x], { params: { beta, threshold } }) => {
      const z = x!.mul(beta).exp();
      return [g!.where(x!.mul(beta).gt(threshold), g!.mul(z).div(z.add(1)))];
    },
    explain: ({ beta }) => [`∂softplus(x)/∂x = σ(${num(beta)}·x) (1 above the threshold)`],
  }),
};

/** `log(1 + exp(beta·x)) / beta`, linear where beta·x > threshold. */
export function softplus(input: Tensor, beta: Scalar = 1, threshold: Scalar = 20): Tensor {
  const c = rounding(input.dtype);
  return activate('softplus', SOFTPLUS, input, { beta: c(scalarValue(beta)), threshold: c(scalarValue(threshold)) }, false);
}

// ------------------------------------------------------------------ elu, selu, celu

interface EluParams {
  /** alpha · scale, ATen's negcoef. */
  readonly negcoef: number;
  /** scale, ATen's poscoef. */
  readonly poscoef: number;
  /** input_scale, ATen's negiptcoef. */
  readonly negiptcoef: number;
}

const eluForward: Forward<EluParams> = (x, { negcoef, poscoef, negiptcoef }, c) => (x <= 0 ? c(c(c(Math.exp(c(x * negiptcoef))) - 1) * negcoef) : c(x * poscoef));

/** ATen's elu_backward from the input: g·negiptcoef·negcoef·exp(x·negiptcoef) where x ≤ 0, else g·poscoef. */
const eluFromInput: Derivative<EluParams>['backward'] = ([g], [x], { params: p }) => [
  g!.mul(p.poscoef).where(x!.gt(0), g!.mul(p.negiptcoef).mul(p.negcoef).mul(x!.mul(p.negiptcoef).exp())),
];
/** The in-place form reads the result y: g·negiptcoef·(y + negcoef) where y ≤ 0. */
const eluFromResult: Derivative<EluParams>['backward'] = ([g], [y], { params: p }) => [
  g!.mul(p.poscoef).where(y!.gt(0), g!.mul(p.negiptcoef).mul(y!.add(p.negcoef))),
];
const eluExplained = ({ negcoef, poscoef, negiptcoef }: EluParams): string[] => [
  `∂elu(x)/∂x = ${num(poscoef)} where x > 0, else ${num(negiptcoef * negcoef)}·e^(${num(negiptcoef)}·x)`,
];

function eluKind(name: 'Elu' | 'Celu'): Activation<EluParams> {
  return {
    forward: eluForward,
    derivative: derivative<EluParams>({ name: `${name}Backward0`, backward: eluFromInput, explain: eluExplained }),
    inplaceDerivative: derivative<EluParams>({ name: `${name}Backward1`, backward: eluFromResult, explain: eluExplained }),
    saves: 'result',
  };
}
const ELU = eluKind('Elu');
const CELU = eluKind('Celu');

function eluParams(dtype: DType, alpha: number, scale: number, inputScale: number): EluParams {
  const c = rounding(dtype);
  return { negcoef: c(c(alpha) * c(scale)), poscoef: c(scale), negiptcoef: c(inputScale) };
}

/** `x` where x > 0, else `alpha·(exp(x) − 1)` (EluBackward0). */
export function elu(input: Tensor, alpha: Scalar = 1, inplace = false): Tensor {
  return activate('elu', ELU, input, eluParams(input.dtype, scalarValue(alpha), 1, 1), inplace);
}

export function elu_(input: Tensor, alpha: Scalar = 1): Tensor {
  return elu(input, alpha, true);
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** `scale·elu(x, alpha)` with the self-normalizing constants (an elu node, as PyTorch records it). */
export function selu(input: Tensor, inplace = false): Tensor {
  return activate('elu', ELU, input, eluParams(input.dtype, SELU_ALPHA, SELU_SCALE, 1), inplace);
}

/** `max(0, x) + min(0, alpha·(exp(x/alpha) − 1))` (CeluBackward0). */
export function celu(input: Tensor, alpha: Scalar = 1, inplace = false): Tensor {
  const a = scalarValue(alpha);
  if (a === 0) throw new ValueError('ZeroDivisionError: alpha cannot be 0 for CELU');
  return activate('celu', CELU, input, eluParams(input.dtype, a, 1, 1 / a), inplace);
}

// ------------------------------------------------------------------ hardswish, hardsigmoid

const HARDSWISH: Activation<undefined> = {
  forward: (x, _, c) => c(c(x * Math.min(Math.max(c(x + 3), 0), 6)) / 6),
  derivative: derivative({
    name: 'HardswishBackward0',
    backward: ([g], [x]) => [g!.where(x!.gt(3), g!.mul(x!.div(3).add(0.5))).masked_fill(x!.lt(-3), 0)],
    explain: () => ['∂hardswish(x)/∂x = 0 where x < −3, x/3 + 0.5 where −3 ≤ x ≤ 3, else 1'],
  }),
};

/** `x·min(max(x + 3, 0), 6)/6` (HardswishBackward0). */
export function hardswish(input: Tensor, inplace = false): Tensor {
  return activate('hardswish', HARDSWISH, input, undefined, inplace);
}

const HARDSIGMOID: Activation<undefined> = {
  forward: (x, _, c) => c(Math.min(Math.max(c(x + 3), 0), 6) / 6),
  derivative: derivative({
    name: 'HardsigmoidBackward0',
    backward: ([g], [x]) => [g!.div(6).masked_fill(x!.le(-3).logical_or(x!.ge(3)), 0)],
    explain: () => ['∂hardsigmoid(x)/∂x = 1/6 where −3 < x < 3, else 0'],
  }),
};

/** `min(max(x + 3, 0), 6)/6` (HardsigmoidBackward0). */
export function hardsigmoid(input: Tensor, inplace = false): Tensor {
  return activate('hardsigmoid', HARDSIGMOID, input, undefined, inplace);
}

// ------------------------------------------------------------------ gelu

const SQRT1_2 = Math.SQRT1_2;
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
const GELU_KAPPA = 0.044715;

interface GeluParams {
  readonly approximate: 'none' | 'tanh';
}

const GELU: Activation<GeluParams> = {
  forward: (x, { approximate }, c) => {
    if (approximate === 'none') return c(c(x * 0.5) * c(1 + c(erf(c(x * SQRT1_2)))));
    const inner = c(GELU_BETA * c(x + c(GELU_KAPPA * c(c(x * x) * x))));
    return c(c(0.5 * x) * c(1 + c(Math.tanh(inner))));
  },
  derivative: derivative<GeluParams>({
    name: 'GeluBackward0',
    backward: ([g], [x], { params: { approximate } }) => {
      if (approximate === 'none') {
        const cdf = x!.mul(SQRT1_2).erf().add(1).mul(0.5);
        const pdf = x!.mul(x!).mul(-0.5).exp().mul((2 / Math.sqrt(Math.PI)) * SQRT1_2 * 0.5);
        return [g!.mul(cdf.add(x!.mul(pdf)))];
      }
      const x2 = x!.mul(x!);
      const tanhInner = x!.add(x2.mul(x!).mul(GELU_KAPPA)).mul(GELU_BETA).tanh();
      const left = x!.mul(0.5);
      const right = tanhInner.add(1);
      const rightDerivative = left.mul(tanhInner.mul(tanhInner).rsub(1)).mul(x2.mul(3 * GELU_KAPPA).add(1).mul(GELU_BETA));
      return [g!.mul(right.mul(0.5).add(rightDerivative))];
    },
    explain: ({ approximate }) => [
      approximate === 'none' ? '∂gelu(x)/∂x = Φ(x) + x·φ(x) (Φ, φ: the standard normal CDF and density)' : '∂gelu(x)/∂x, with Φ approximated by ½(1 + tanh(√(2/π)(x + 0.044715x³)))',
    ],
  }),
};

/** `x·Φ(x)`, Φ the standard normal CDF (`approximate: 'tanh'` for its tanh approximation). */
export function gelu(input: Tensor, approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none'): Tensor {
  const a = typeof approximate === 'object' ? (approximate.approximate ?? 'none') : approximate;
  if (a !== 'none' && a !== 'tanh') throw new ValueError(`approximate argument must be either none or tanh.`);
  return activate('gelu', GELU, input, { approximate: a }, false);
}

// ------------------------------------------------------------------ silu, mish, logsigmoid

const SILU: Activation<undefined> = {
  forward: (x, _, c) => c(x / c(1 + c(Math.exp(-x)))),
  derivative: derivative({
    name: 'SiluBackward0',
    backward: ([g], [x]) => {
      const s = x!.sigmoid();
      return [g!.mul(s).mul(x!.mul(s.rsub(1)).add(1))];
    },
    explain: () => ['∂(x·σ(x))/∂x = σ(x)·(1 + x·(1 − σ(x)))'],
  }),
};

/** `x·σ(x)` (SiluBackward0). */
export function silu(input: Tensor, inplace = false): Tensor {
  return activate('silu', SILU, input, undefined, inplace);
}

const MISH: Activation<undefined> = {
  forward: (x, _, c) => c(x * c(Math.tanh(c(Math.log1p(c(Math.exp(x))))))),
  derivative: derivative({
    name: 'MishBackward0',
    backward: ([g], [x]) => {
      const s = x!.sigmoid();
      const t = x!.exp().log1p().tanh();
      return [g!.mul(t.add(x!.mul(s).mul(t.mul(t).rsub(1))))];
    },
    explain: () => ['∂(x·tanh(softplus(x)))/∂x = tanh(softplus(x)) + x·σ(x)·(1 − tanh²(softplus(x)))'],
  }),
};

/** `x·tanh(softplus(x))` (MishBackward0). */
export function mish(input: Tensor, inplace = false): Tensor {
  return activate('mish', MISH, input, undefined, inplace);
}

const LOGSIGMOID: Activation<undefined> = {
  forward: (x, _, c) => c(Math.min(x, 0) - c(Math.log1p(c(Math.exp(-Math.abs(x)))))),
  derivative: derivative({
    name: 'LogSigmoidBackward0',
    backward: ([g], [x]) => {
      // ATen: max_deriv − sign·z/(1 + z), z = exp(−|x|); 1 − z/(1+z) for x < 0, z/(1+z) otherwise.
      const z = x!.abs().neg().exp();
      const share = z.div(z.add(1));
      return [g!.mul(share.where(x!.ge(0), share.rsub(1)))];
    },
    explain: () => ['∂log σ(x)/∂x = 1 − σ(x)'],
  }),
};

/** `log σ(x)`, computed without overflow (LogSigmoidBackward0). */
export function logsigmoid(input: Tensor): Tensor {
  return activate('log_sigmoid', LOGSIGMOID, input, undefined, false);
}

// ------------------------------------------------------------------ softshrink, hardshrink

interface Lambd {
  readonly lambd: number;
}

const SOFTSHRINK: Activation<Lambd> = {
  forward: (x, { lambd }, c) => (x > lambd ? c(x - lambd) : x < -lambd ? c(x + lambd) : x !== x ? x : 0),
  derivative: derivative<Lambd>({
    name: 'SoftshrinkBackward0',
    backward: ([g], [x], { params: { lambd } }) => [g!.masked_fill(x!.ge(-lambd).logical_and(x!.le(lambd)), 0)],
    explain: ({ lambd }) => [`∂softshrink(x)/∂x = 1 where |x| > ${num(lambd)}, else 0`],
  }),
};

const HARDSHRINK: Activation<Lambd> = {
  forward: (x, { lambd }) => (x >= -lambd && x <= lambd ? 0 : x),
  derivative: derivative<Lambd>({
    name: 'HardshrinkBackward0',
    backward: ([g], [x], { params: { lambd } }) => [g!.masked_fill(x!.ge(-lambd).logical_and(x!.le(lambd)), 0)],
    explain: ({ lambd }) => [`∂hardshrink(x)/∂x = 1 where |x| > ${num(lambd)}, else 0`],
  }),
};

function checkLambd(lambd: number): number {
  if (lambd < 0) throw new ValueError(`lambda must be greater or equal to 0, but found to be ${lambd}.`);
  return lambd;
}

/** `x − lambd` above lambd, `x + lambd` below −lambd, else 0 (SoftshrinkBackward0). */
export function softshrink(input: Tensor, lambd: Scalar = 0.5): Tensor {
  return activate('softshrink', SOFTSHRINK, input, { lambd: rounding(input.dtype)(checkLambd(scalarValue(lambd))) }, false);
}

/** `x` where |x| > lambd, else 0 (HardshrinkBackward0). */
export function hardshrink(input: Tensor, lambd: Scalar = 0.5): Tensor {
  return activate('hardshrink', HARDSHRINK, input, { lambd: rounding(input.dtype)(scalarValue(lambd)) }, false);
}

// ------------------------------------------------------------------ the composite ones

/** `x / (|x| + 1)`, composed as PyTorch composes it (DivBackward0 over AddBackward0 and AbsBackward0). */
export function softsign(input: Tensor): Tensor {
  return input.div(input.abs().add(1));
}

/** `x − tanh(x)`, composed as PyTorch composes it (SubBackward0 and TanhBackward0). */
export function tanhshrink(input: Tensor): Tensor {
  return input.sub(input.tanh());
}

// ------------------------------------------------------------------ dropout

/**
 * Dropout: in training, each element zeroed with probability p and the others scaled by
 * 1/(1 − p), by PyTorch's random mask (the same draws from the generator); `input` itself
 * when not training, when p is 0 or the tensor is empty.
 */
export function dropout(input: Tensor, p: number | { p?: number; training?: boolean; inplace?: boolean } = 0.5, training = true, inplace = false): Tensor {
  const o = typeof p === 'object' ? { p: 0.5, training: true, inplace: false, ...p } : { p, training, inplace };
  if (o.p < 0 || o.p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${o.p}`);
  if (o.p === 0 || !o.training || input.numel() === 0) return input;
  // p = 1 multiplies by a zero-dim zero (ATen's `input * zeros({})`), so the gradient is zeros too.
  const noise = o.p === 1 ? scalarTensor(0, input.dtype) : dropoutNoise(input, o.p);
  return o.inplace ? input.mul_(noise) : input.mul(noise);
}
