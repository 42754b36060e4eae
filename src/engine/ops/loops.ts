/**
 * Fast paths derived from each op's one formula, so that no formula is written twice:
 *
 * - `elementLoops(name, f)`: the loops an elementwise op runs its scalar function `f` in. A loop
 *   shared by every op would call `f` through one call site that sees them all (megamorphic: a
 *   call per element, several times slower on large tensors). Each op gets a copy of the loop
 *   compiled from the same source text instead: its own type feedback, so V8 inlines that op's `f`.
 *
 * - `fusedFormula(formula)`: a pointwise formula written with tensor methods, as a derivative is
 *   (`(g, y) => g.mul(y.mul(y).rsub(1))`), runs with tensor ops when autograd records (so
 *   create_graph differentiates it) and otherwise as one loop: the formula is traced once with
 *   symbolic operands and compiled to a loop that rounds after every step exactly where the tensor
 *   ops round (float32: after each operation), so both ways give the same bits with one
 *   allocation instead of one per step.
 */
import { is_grad_enabled } from '../autograd/grad_mode.js';
import { float32, type DType, type Storage } from '../dtype.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { UNARY, type UnaryName } from './unary.js';

/** `x ** e` as the pow op computes it: `x * x` for 2 (one rounding, as PyTorch), √x for 0.5. */
export function powScalar(x: number, e: number): number {
  return e === 2 ? x * x : e === 0.5 ? Math.sqrt(x) : e === 1 ? x : Math.pow(x, e);
}

/** Compiles `body` as a function of `params` (one fresh copy per call); null where code can't be compiled (a CSP without eval). */
function compile<T>(label: string, params: readonly string[], body: string, args: readonly unknown[]): T | null {
  try {
    // The label keeps the source text of each copy distinct: V8 shares compiled code (and its
    // type feedback) between identical sources.
    return new Function(...params, `// ${label.replace(/[\r\n]/g, ' ')}\n${body}`)(...args) as T;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ elementwise loops

/** `out[i] = f(src[at + i])` for i < n. */
export type UnaryLoop = (src: ArrayLike<number>, at: number, out: Storage, n: number) => void;

const UNARY_LOOP = 'return function unaryLoop(src, at, out, n) { for (let i = 0; i < n; i++) out[i] = f(src[at + i]); };';

/** The loop of one unary op: `f` applied to `n` consecutive elements. */
export function unaryLoop(name: string, f: (x: number) => number): UnaryLoop {
  return (
    compile<UnaryLoop>(name, ['f'], UNARY_LOOP, [f]) ??
    ((src, at, out, n) => {
      for (let i = 0; i < n; i++) out[i] = f(src[at + i]!);
    })
  );
}

/** The loops of one binary op `f(p, q)`, by how its operands are read. */
export interface BinaryLoops {
  /** Two runs of n elements: `out[oo + i] = f(a[ao + i], b[bo + i])` (oo: the in-place form writes into a's storage). */
  both(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, out: Storage, oo: number, n: number): void;
  /** A run and one value on the right: `out[i] = f(a[ao + i], y)`. */
  right(a: ArrayLike<number>, ao: number, y: number, out: Storage, n: number): void;
  /** One value on the left and a run: `out[i] = f(x, b[bo + i])`. */
  left(x: number, b: ArrayLike<number>, bo: number, out: Storage, n: number): void;
  readonly f: (p: number, q: number) => number;
}

const BINARY_LOOPS = `return {
  both(a, ao, b, bo, out, oo, n) { for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i], b[bo + i]); },
  right(a, ao, y, out, n) { for (let i = 0; i < n; i++) out[i] = f(a[ao + i], y); },
  left(x, b, bo, out, n) { for (let i = 0; i < n; i++) out[i] = f(x, b[bo + i]); },
  f,
};`;

/** The loops of one binary op. */
export function binaryLoops(name: string, f: (p: number, q: number) => number): BinaryLoops {
  return (
    compile<BinaryLoops>(name, ['f'], BINARY_LOOPS, [f]) ?? {
      both(a, ao, b, bo, out, oo, n) {
        for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i]!, b[bo + i]!);
      },
      right(a, ao, y, out, n) {
        for (let i = 0; i < n; i++) out[i] = f(a[ao + i]!, y);
      },
      left(x, b, bo, out, n) {
        for (let i = 0; i < n; i++) out[i] = f(x, b[bo + i]!);
      },
      f,
    }
  );
}

// ------------------------------------------------------------------ fused formulas

/** The expression a formula builds when traced. */
type Expr =
  | { kind: 'tensor'; arg: number }
  | { kind: 'number'; arg: number }
  | { kind: 'literal'; value: number }
  /** A unary table op (its result rounded to the dtype). */
  | { kind: 'unary'; op: UnaryName; a: Expr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; a: Expr; b: Expr }
  /** The exponent is used as given, as the pow op uses it (not rounded to the dtype). */
  | { kind: 'pow'; a: Expr; e: Expr }
  /** 1 or 0 (a bool tensor in the tensor formula). */
  | { kind: 'compare'; op: Comparison; a: Expr; b: Expr };

/**
 * A stand-in for a tensor while a formula is traced: the same method names as Tensor's
 * pointwise ops, each returning the expression it would compute. A formula calling anything
 * else (a reduction, a view) cannot be traced, and runs with tensor ops only.
 */
class Sym {
  constructor(readonly expr: Expr) {}
  private static of(x: unknown): Expr {
    if (x instanceof Sym) return x.expr;
    if (typeof x === 'number') return { kind: 'literal', value: x };
    throw new TypeError('not traceable');
  }
  /** Branching on a traced value would bake one branch into the loop: refuse. */
  valueOf(): never {
    throw new TypeError('a fused formula must not branch on its operands');
  }
  private bin(op: '+' | '-' | '*' | '/', a: unknown, b: unknown): Sym {
    return new Sym({ kind: 'binary', op, a: Sym.of(a), b: Sym.of(b) });
  }
  /** `a.gt(b)`, ...: 1 or 0. */
  compare(op: Comparison, b: unknown): Sym {
    return new Sym({ kind: 'compare', op, a: this.expr, b: Sym.of(b) });
  }
  add(o: unknown, options?: unknown): Sym {
    return this.bin('+', this, Sym.plain(o, options));
  }
  sub(o: unknown, options?: unknown): Sym {
    return this.bin('-', this, Sym.plain(o, options));
  }
  rsub(o: unknown, options?: unknown): Sym {
    return this.bin('-', Sym.plain(o, options), this);
  }
  /** The operand of add/sub/rsub without options (alpha is not traced). */
  private static plain(o: unknown, options: unknown): unknown {
    if (options !== undefined) throw new TypeError('alpha is not traceable');
    return o;
  }
  mul(o: unknown): Sym {
    return this.bin('*', this, o);
  }
  div(o: unknown, options?: unknown): Sym {
    if (options !== undefined) throw new TypeError('rounding_mode is not traceable');
    return this.bin('/', this, o);
  }
  pow(e: unknown): Sym {
    const exponent = Sym.of(e);
    if (exponent.kind !== 'literal' && exponent.kind !== 'number') throw new TypeError('a tensor exponent is not traceable');
    return new Sym({ kind: 'pow', a: this.expr, e: exponent });
  }
}
// The comparisons under their method names (gt, lt, ...), and every unary table op under its
// own (neg, exp, tanh, sign, ...).
const COMPARISONS = { gt: '>', lt: '<', ge: '>=', le: '<=', eq: '===', ne: '!==' } as const;
type Comparison = (typeof COMPARISONS)[keyof typeof COMPARISONS];
for (const [name, op] of Object.entries(COMPARISONS)) {
  Object.defineProperty(Sym.prototype, name, {
    value(this: Sym, other: unknown): Sym {
      return this.compare(op, other);
    },
  });
}
for (const name of Object.keys(UNARY) as UnaryName[]) {
  Object.defineProperty(Sym.prototype, name, {
    value(this: Sym): Sym {
      return new Sym({ kind: 'unary', op: name, a: this.expr });
    },
  });
}

/** Operand kinds of a call: bit i set where argument i is a tensor (else a number). */
type KindMask = number;

/**
 * A compiled formula: reads operand i from the scratch list (`S[3i]` its storage, `S[3i + 1]`
 * its offset, `S[3i + 2]` its step: 1 for a run of the result's elements, 0 for a single value
 * read for every element; a number operand's value at `S[3i]`), writes n results into `out`.
 */
type FusedLoop = (scratch: readonly unknown[], out: Storage, n: number) => void;

interface Traced {
  kinds: KindMask;
  expr: Expr;
  /** For float32 and float64, compiled on first use (null: could not be compiled). */
  f32: FusedLoop | null | undefined;
  f64: FusedLoop | null | undefined;
}

function emit(expr: Expr, f32: boolean): string {
  const round = (s: string) => (f32 ? `fr(${s})` : `(${s})`);
  const literal = (v: number) => {
    const x = f32 ? Math.fround(v) : v;
    return Object.is(x, -0) ? '-0' : x < 0 ? `(${x})` : String(x);
  };
  const go = (e: Expr): string => {
    switch (e.kind) {
      case 'tensor':
        return `a${e.arg}`;
      case 'number':
        return `c${e.arg}`;
      case 'literal':
        return literal(e.value);
      case 'unary':
        return round(`u_${e.op}(${go(e.a)})`);
      case 'binary':
        return round(`${go(e.a)} ${e.op} ${go(e.b)}`);
      case 'pow':
        return round(`P(${go(e.a)}, ${e.e.kind === 'number' ? `e${e.e.arg}` : e.e.kind === 'literal' ? String(e.e.value) : 'NaN'})`);
      case 'compare':
        return `(${go(e.a)} ${e.op} ${go(e.b)} ? 1 : 0)`;
    }
  };
  return go(expr);
}

function collect(expr: Expr, out: { unary: Set<UnaryName>; numbers: Set<number>; exponents: Set<number> }): void {
  switch (expr.kind) {
    case 'number':
      out.numbers.add(expr.arg);
      return;
    case 'unary':
      out.unary.add(expr.op);
      collect(expr.a, out);
      return;
    case 'binary':
    case 'compare':
      collect(expr.a, out);
      collect(expr.b, out);
      return;
    case 'pow':
      collect(expr.a, out);
      if (expr.e.kind === 'number') out.exponents.add(expr.e.arg);
      return;
    default:
      return;
  }
}

function compileLoop(traced: Traced, arity: number, f32: boolean, label: string): FusedLoop | null {
  const used = { unary: new Set<UnaryName>(), numbers: new Set<number>(), exponents: new Set<number>() };
  collect(traced.expr, used);
  const lines: string[] = [];
  const reads: string[] = [];
  for (let i = 0; i < arity; i++) {
    if ((traced.kinds >> i) & 1) {
      lines.push(`const d${i} = S[${3 * i}], o${i} = S[${3 * i + 1}], s${i} = S[${3 * i + 2}];`);
      reads.push(`const a${i} = d${i}[o${i} + j * s${i}];`);
    }
  }
  // Number operands are cast to the dtype as a wrapped scalar is; an exponent is used as given.
  for (const i of used.numbers) lines.push(`const c${i} = ${f32 ? `fr(S[${3 * i}])` : `S[${3 * i}]`};`);
  for (const i of used.exponents) lines.push(`const e${i} = S[${3 * i}];`);
  for (const op of used.unary) lines.push(`const u_${op} = U.${op}.forward;`);
  const body = `return function fused(S, out, n) {\n${lines.join('\n')}\nfor (let j = 0; j < n; j++) {\n${reads.join('\n')}\nout[j] = ${emit(traced.expr, f32)};\n}\n};`;
  return compile<FusedLoop>(`${label} (${f32 ? 'float32' : 'float64'})`, ['U', 'P', 'fr'], body, [UNARY, powScalar, Math.fround]);
}

/** Scratch for one fused call's operands (the loop never calls back into the engine, so one list serves). */
const scratch: unknown[] = [];
/** The arguments of the call being checked (a list reused, not one allocated per call). */
const callArgs: unknown[] = [];

/**
 * The formula as a function that takes the fast path when it can: nothing records, every tensor
 * operand is of one float dtype and either holds a contiguous run of the result's elements or
 * one value for all of them (a zero-dim gradient over a loss's elements, or one expanded back
 * over them). Otherwise the formula itself runs.
 */
export function fusedFormula<A extends (Tensor | number)[]>(label: string, formula: (...args: A) => Tensor): (...args: A) => Tensor {
  // (No module-level constant is read here: op modules call this while the engine's modules load.)
  const arity = formula.length;
  if (arity > 6) throw new RangeError(`a fused formula takes at most 6 operands (${label} takes ${arity})`);
  let traced: Traced | null | undefined;
  const fused = (args: readonly unknown[]): Tensor | null => {
    let kinds = 0;
    let dtype: DType | null = null;
    // The result's shape: that of the runs, else of a value already broadcast; `scalarRank` is
    // the most dims of a one-element operand, which must not widen it ([1, 1] with [3] is [1, 3]).
    let shape: readonly number[] | null = null;
    let n = 1;
    let single: readonly number[] | null = null;
    let scalarRank = 0;
    for (let i = 0; i < arity; i++) {
      const a = args[i];
      if (typeof a === 'number') {
        scratch[3 * i] = a;
        continue;
      }
      if (!(a instanceof Tensor)) return null;
      kinds |= 1 << i;
      if (dtype === null) {
        dtype = a.dtype;
        if (!dtype.is_floating_point) return null;
      } else if (a.dtype !== dtype) return null;
      scratch[3 * i] = a._data;
      scratch[3 * i + 1] = a._offset;
      if (a._numel === 1) {
        scratch[3 * i + 2] = 0;
        if (a._shape.length > scalarRank) scalarRank = a._shape.length;
        if (single === null) single = a._shape;
        else if (!sameShape(single, a._shape)) single = SHAPES_DIFFER;
        continue;
      }
      let step = 1;
      if (!a._contiguous) {
        if (!singleValued(a)) return null;
        step = 0;
      }
      scratch[3 * i + 2] = step;
      if (shape === null) {
        shape = a._shape;
        n = a._numel;
      } else if (!sameShape(shape, a._shape)) return null;
    }
    if (dtype === null) return null;
    if (shape === null) {
      // Only one-element operands: they must agree on the shape.
      if (single === SHAPES_DIFFER) return null;
      shape = single!;
    } else if (scalarRank > shape.length) return null;
    if (traced === undefined) traced = trace(formula, arity, kinds);
    if (traced === null || traced.kinds !== kinds) return null;
    const f32 = dtype === float32;
    let loop = f32 ? traced.f32 : traced.f64;
    if (loop === undefined) {
      loop = compileLoop(traced, arity, f32, label);
      if (f32) traced.f32 = loop;
      else traced.f64 = loop;
    }
    if (loop === null) return null;
    const out = dtype.alloc(n);
    loop(scratch, out, n);
    return Tensor._make(out, shape, dtype);
  };
  const run = (a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, a4?: unknown, a5?: unknown): Tensor => {
    if (!is_grad_enabled()) {
      callArgs[0] = a0;
      callArgs[1] = a1;
      callArgs[2] = a2;
      callArgs[3] = a3;
      callArgs[4] = a4;
      callArgs[5] = a5;
      const out = fused(callArgs);
      // (Nothing here keeps the operands alive after the call.)
      for (let i = 0; i < 6; i++) callArgs[i] = undefined;
      for (let i = 0; i < 18; i++) scratch[i] = undefined;
      if (out !== null) return out;
    }
    return (formula as (...args: unknown[]) => Tensor)(a0, a1, a2, a3, a4, a5);
  };
  return run as unknown as (...args: A) => Tensor;
}

/** Marks one-element operands of different shapes. */
const SHAPES_DIFFER: readonly number[] = [];

/** Whether every element of `t` reads the same storage slot (one element, or one broadcast by expand). */
function singleValued(t: Tensor): boolean {
  if (t._numel === 1) return true;
  const strides = t._strides;
  for (let i = 0; i < strides.length; i++) if (strides[i] !== 0 && t._shape[i] !== 1) return false;
  return true;
}

function trace<A extends unknown[]>(formula: (...args: A) => unknown, arity: number, kinds: KindMask): Traced | null {
  const args: unknown[] = [];
  for (let i = 0; i < arity; i++) args.push((kinds >> i) & 1 ? new Sym({ kind: 'tensor', arg: i }) : new Sym({ kind: 'number', arg: i }));
  try {
    const result = formula(...(args as A));
    return result instanceof Sym ? { kinds, expr: result.expr, f32: undefined, f64: undefined } : null;
  } catch {
    return null;
  }
}

/** Whether `formula` runs as one loop for operands of these kinds (true = tensor): for tests of the fast paths. */
export function isFusable(formula: (...args: never[]) => unknown, kinds: readonly boolean[]): boolean {
  let mask = 0;
  kinds.forEach((k, i) => (mask |= k ? 1 << i : 0));
  return trace(formula as (...args: unknown[]) => unknown, kinds.length, mask) !== null;
}
