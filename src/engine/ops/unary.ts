/**
 * The unary ops: one entry each, with everything the engine knows about the op. From this table
 * come the op's forward loop, its backward node and that node's explanation, the Tensor method
 * (`x.exp()`), its in-place form (`x.exp_()`) and the `torch.exp(x)` function, so adding a unary
 * op is adding an entry here (and its test).
 *
 * A derivative is written with tensor methods, as PyTorch's derivatives.yaml writes it: it
 * runs as tensor ops when autograd records (so create_graph differentiates it again) and as one
 * fused loop otherwise (see ops/loops.ts), with the same rounding at every step either way.
 *
 * This module holds data only (it imports types): Tensor installs the methods from it when it loads.
 */
import type { Tensor } from '../tensor.js';

/**
 * The Tensor methods a derivative here may use: pointwise ones, which ops/loops.ts can also
 * trace into one loop. (Tensor has them all; a formula is written as tensor code.)
 */
export interface Operand<T> {
  add(other: T | number): T;
  sub(other: T | number): T;
  rsub(other: T | number): T;
  mul(other: T | number): T;
  div(other: T | number): T;
  pow(exponent: number): T;
  gt(other: T | number): T;
  neg(): T;
  exp(): T;
  sign(): T;
  sin(): T;
  cos(): T;
}

/**
 * `∂L/∂x` from `g = ∂L/∂y` and the saved tensor: pointwise methods only, no branches on values.
 * 'zero' for a step function (sign, round, floor...): the gradient is zeros, as PyTorch's
 * `zeros_like(grad)`, whatever g holds (a NaN or an infinity in g gives 0, never NaN or -0).
 */
export type UnaryDerivative = (<T extends Operand<T>>(g: T, saved: T) => T) | 'zero';

export interface UnaryEntry {
  /** PyTorch's name of the backward node. */
  readonly node: string;
  /** The op on one element, computed in double and rounded to the result's dtype by the store. */
  readonly forward: (x: number) => number;
  /** What the derivative reads: the input x, the result y, or nothing. */
  readonly save: 'self' | 'result' | 'none';
  readonly derivative: UnaryDerivative;
  /** The local derivative `∂y/∂x`, as the graph view shows it. */
  readonly explain: string;
  /** Integer and bool inputs give a float result (exp, log, sin, ...: the default dtype); otherwise the input's dtype. */
  readonly floatOnly?: boolean;
  /** PyTorch's error for a bool input, where it refuses one (neg, abs, relu, round...). */
  readonly bool?: string;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** C's nearbyint in the default rounding mode: halves go to the even neighbour (2.5 → 2, -0.5 → -0). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The error function, to double precision: 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), a
 * series of positive terms (no cancellation) that converges for every x; 1 beyond |x| = 6.
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a >= 6) return x > 0 ? 1 : -1;
  const a2 = a * a;
  let term = a;
  let sum = a;
  for (let n = 0; term > sum * 1e-17; n++) {
    term *= (2 * a2) / (2 * n + 3);
    sum += term;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-a2) * sum;
  return x < 0 ? -r : r;
}

/** ATen's "not implemented for 'Bool'" error of a kernel. */
const notForBool = (kernel: string) => `"${kernel}" not implemented for 'Bool'`;

export const UNARY = {
  neg: {
    node: 'NegBackward0',
    forward: (x) => -x,
    save: 'none',
    derivative: (g) => g.neg(),
    explain: '∂(−x)/∂x = −1',
    bool: 'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
  },
  exp: { node: 'ExpBackward0', forward: Math.exp, save: 'result', floatOnly: true, derivative: (g, y) => g.mul(y), explain: '∂eˣ/∂x = eˣ' },
  expm1: {
    node: 'Expm1Backward0',
    forward: Math.expm1,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.mul(y.add(1)),
    explain: '∂(eˣ − 1)/∂x = eˣ',
  },
  log: { node: 'LogBackward0', forward: Math.log, save: 'self', floatOnly: true, derivative: (g, x) => g.div(x), explain: '∂ln x/∂x = 1/x' },
  log1p: {
    node: 'Log1PBackward0',
    forward: Math.log1p,
    save: 'self',
    floatOnly: true,
    derivative: (g, x) => g.div(x.add(1)),
    explain: '∂ln(1 + x)/∂x = 1/(1 + x)',
  },
  sqrt: { node: 'SqrtBackward0', forward: Math.sqrt, save: 'result', floatOnly: true, derivative: (g, y) => g.div(y.mul(2)), explain: '∂√x/∂x = 1/(2·√x)' },
  rsqrt: {
    node: 'RsqrtBackward0',
    forward: (x) => 1 / Math.sqrt(x),
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.mul(-0.5).mul(y.pow(3)),
    explain: '∂(1/√x)/∂x = −0.5·(1/√x)³',
  },
  abs: { node: 'AbsBackward0', forward: Math.abs, save: 'self', derivative: (g, x) => g.mul(x.sign()), explain: '∂|x|/∂x = sign(x)', bool: notForBool('abs_cpu') },
  sin: { node: 'SinBackward0', forward: Math.sin, save: 'self', floatOnly: true, derivative: (g, x) => g.mul(x.cos()), explain: '∂sin x/∂x = cos x' },
  cos: { node: 'CosBackward0', forward: Math.cos, save: 'self', floatOnly: true, derivative: (g, x) => g.mul(x.sin().neg()), explain: '∂cos x/∂x = −sin x' },
  tanh: {
    node: 'TanhBackward0',
    forward: Math.tanh,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.mul(y.mul(y).rsub(1)),
    explain: '∂tanh x/∂x = 1 − tanh²x',
  },
  sigmoid: {
    node: 'SigmoidBackward0',
    forward: sigmoid,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.mul(y.rsub(1)).mul(y),
    explain: '∂σ(x)/∂x = σ(x)·(1 − σ(x))',
  },
  relu: {
    node: 'ReluBackward0',
    forward: (x) => (x > 0 ? x : x !== x ? x : 0),
    save: 'result',
    derivative: (g, y) => g.mul(y.gt(0)),
    explain: '∂relu(x)/∂x = 1 where x > 0, else 0',
    bool: 'Boolean inputs not supported for relu',
  },
  reciprocal: {
    node: 'ReciprocalBackward0',
    forward: (x) => 1 / x,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.neg().mul(y.mul(y)),
    explain: '∂(1/x)/∂x = −1/x²',
  },
  erf: {
    node: 'ErfBackward0',
    forward: erf,
    save: 'self',
    floatOnly: true,
    derivative: (g, x) => x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)).mul(g),
    explain: '∂erf(x)/∂x = 2/√π·e^(−x²)',
  },
  // sign(NaN) and sign(-0) are 0, as ATen's (0 < x) - (x < 0).
  sign: { node: 'SignBackward0', forward: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), save: 'none', derivative: 'zero', explain: '∂sign(x)/∂x = 0' },
  floor: { node: 'FloorBackward0', forward: Math.floor, save: 'none', derivative: 'zero', explain: '∂⌊x⌋/∂x = 0 (a step function)', bool: notForBool('floor_vml_cpu') },
  ceil: { node: 'CeilBackward0', forward: Math.ceil, save: 'none', derivative: 'zero', explain: '∂⌈x⌉/∂x = 0 (a step function)', bool: notForBool('ceil_vml_cpu') },
  round: {
    node: 'RoundBackward0',
    forward: roundHalfEven,
    save: 'none',
    derivative: 'zero',
    explain: '∂round(x)/∂x = 0 (a step function)',
    bool: notForBool('round_vml_cpu'),
  },
  trunc: { node: 'TruncBackward0', forward: Math.trunc, save: 'none', derivative: 'zero', explain: '∂trunc(x)/∂x = 0 (a step function)', bool: notForBool('trunc_vml_cpu') },
} satisfies Record<string, UnaryEntry>;

export type UnaryName = keyof typeof UNARY;

/** The unary methods every Tensor has, out of place (`x.exp()`) and in place (`x.exp_()`). */
export type UnaryMethods = { [K in UnaryName]: () => Tensor } & { [K in UnaryName as `${K}_`]: () => Tensor };
