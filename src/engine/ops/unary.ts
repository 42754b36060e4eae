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
  sign(): T;
  sin(): T;
  cos(): T;
}

/** `∂L/∂x` from `g = ∂L/∂y` and the saved tensor: pointwise methods only, no branches on values. */
export type UnaryDerivative = <T extends Operand<T>>(g: T, saved: T) => T;

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
  /** Integer and bool inputs give a float32 result (exp, log, sin, ...); otherwise the input's dtype. */
  readonly floatOnly?: boolean;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export const UNARY = {
  neg: { node: 'NegBackward0', forward: (x) => -x, save: 'none', derivative: (g) => g.neg(), explain: '∂(−x)/∂x = −1' },
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
  abs: { node: 'AbsBackward0', forward: Math.abs, save: 'self', derivative: (g, x) => g.mul(x.sign()), explain: '∂|x|/∂x = sign(x)' },
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
  },
  reciprocal: {
    node: 'ReciprocalBackward0',
    forward: (x) => 1 / x,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.neg().mul(y.mul(y)),
    explain: '∂(1/x)/∂x = −1/x²',
  },
  sign: { node: 'SignBackward0', forward: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), save: 'none', derivative: (g) => g.mul(0), explain: '∂sign(x)/∂x = 0' },
} satisfies Record<string, UnaryEntry>;

export type UnaryName = keyof typeof UNARY;

/** The unary methods every Tensor has, out of place (`x.exp()`) and in place (`x.exp_()`). */
export type UnaryMethods = { [K in UnaryName]: () => Tensor } & { [K in UnaryName as `${K}_`]: () => Tensor };
