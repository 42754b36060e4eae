/**
 * Fast paths derived from each op's one formula, so that no formula is written twice:
 *
 * - `unaryLoop(name, f)`, `binaryLoops(name, f)`: the loops an elementwise op runs its scalar
 *   function `f` in. A loop shared by every op would call `f` through one call site that sees
 *   them all (megamorphic: a call per element, several times slower on large tensors). Each op
 *   gets a copy of the loop compiled from the same source text instead: its own type feedback,
 *   so V8 inlines that op's `f`.
 *
 * - `fusedFormula(label, formula)`: a pointwise formula written with tensor methods, as a
 *   derivative is (`(g, y) => g.mul(y.mul(y).rsub(1))`), runs with tensor ops when autograd
 *   records (so create_graph differentiates it) and otherwise as one loop: the formula is traced
 *   once with symbolic operands and compiled, with the checks of its operands, to a loop that
 *   rounds after every step exactly where the tensor ops round (float32: after each operation),
 *   so both ways give the same bits, with one allocation instead of one per step.
 */
import { is_grad_enabled } from '../autograd/grad_mode.js';
import { float32, float64, type Storage } from '../dtype.js';
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
 * A compiled formula: checks that its operands allow the fast path and, if so, computes the
 * result in one loop; null otherwise (the caller then runs the formula with tensor ops).
 */
type FusedEntry = (t0: unknown, t1: unknown, t2: unknown, t3: unknown, t4: unknown, t5: unknown) => Tensor | null;

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

/**
 * The source of a formula's entry (see FusedEntry), specialized to its operands' kinds: each
 * tensor operand of one float dtype, either a contiguous run of the result's elements (step 1)
 * or one value for all of them (step 0: one element, or a value broadcast by expand), the
 * one-element ones not widening the result's shape ([1, 1] with [3] would be [1, 3]).
 */
function entrySource(expr: Expr, arity: number, kinds: KindMask): string {
  const used = { unary: new Set<UnaryName>(), numbers: new Set<number>(), exponents: new Set<number>() };
  collect(expr, used);
  const tensors = [...Array(arity).keys()].filter((i) => (kinds >> i) & 1);
  const lines: string[] = [];
  for (let i = 0; i < arity; i++) lines.push((kinds >> i) & 1 ? `if (!(t${i} instanceof T)) return null;` : `if (typeof t${i} !== 'number') return null;`);
  lines.push(`const dt = t${tensors[0]}.dtype;`, 'if (dt !== F32 && dt !== F64) return null;');
  for (const i of tensors.slice(1)) lines.push(`if (t${i}.dtype !== dt) return null;`);
  lines.push('let shape = null, n = 1, single = null, rank = 0;');
  for (const i of tensors) {
    lines.push(
      `let s${i} = 1;`,
      `if (t${i}._numel === 1) {`,
      `  s${i} = 0;`,
      `  if (t${i}._shape.length > rank) rank = t${i}._shape.length;`,
      `  if (single === null) single = t${i}._shape; else if (!same(single, t${i}._shape)) return null;`,
      `} else {`,
      `  if (!t${i}._contiguous) { if (!oneValue(t${i})) return null; s${i} = 0; }`,
      `  if (shape === null) { shape = t${i}._shape; n = t${i}._numel; } else if (!same(shape, t${i}._shape)) return null;`,
      `}`,
    );
  }
  lines.push('if (shape === null) shape = single; else if (rank > shape.length) return null;');
  lines.push('const out = dt.alloc(n);');
  for (const i of tensors) lines.push(`const d${i} = t${i}._data, o${i} = t${i}._offset;`);
  // An exponent is used as given; other number operands are cast to the dtype, as a wrapped scalar is.
  for (const i of used.exponents) lines.push(`const e${i} = t${i};`);
  for (const op of used.unary) lines.push(`const u_${op} = U.${op}.forward;`);
  const loop = (f32: boolean) => {
    const consts = [...used.numbers].map((i) => `const c${i} = ${f32 ? `fr(t${i})` : `t${i}`};`);
    const reads = tensors.map((i) => `const a${i} = d${i}[o${i} + j * s${i}];`);
    return `${consts.join(' ')}\n  for (let j = 0; j < n; j++) {\n    ${reads.join(' ')}\n    out[j] = ${emit(expr, f32)};\n  }`;
  };
  lines.push(`if (dt === F32) {\n  ${loop(true)}\n} else {\n  ${loop(false)}\n}`);
  lines.push('return T._make(out, shape, dt);');
  return `return function fused(t0, t1, t2, t3, t4, t5) {\n${lines.join('\n')}\n};`;
}

/**
 * The formula as a function that takes the fast path when it can: nothing records, and the
 * operands are of the kinds (tensor or number) the formula was traced with, every tensor of one
 * float dtype and either a contiguous run of the result's elements or one value for all of them
 * (a zero-dim gradient over a loss's elements, or one expanded back over them). Otherwise the
 * formula itself runs. The formula is traced and compiled on its first call without recording.
 */
export function fusedFormula<A extends (Tensor | number)[]>(label: string, formula: (...args: A) => Tensor): (...args: A) => Tensor {
  // (No module-level constant is read here: op modules call this while the engine's modules load.)
  const arity = formula.length;
  if (arity > 6) throw new RangeError(`a fused formula takes at most 6 operands (${label} takes ${arity})`);
  let entry: FusedEntry | null | undefined;
  const compileFor = (args: readonly unknown[]): FusedEntry | null => {
    let kinds = 0;
    for (let i = 0; i < arity; i++) {
      if (args[i] instanceof Tensor) kinds |= 1 << i;
      else if (typeof args[i] !== 'number') return null;
    }
    const traced = trace(formula, arity, kinds);
    if (traced === null) return null;
    return compile<FusedEntry>(label, ['T', 'F32', 'F64', 'same', 'oneValue', 'U', 'P', 'fr'], entrySource(traced.expr, arity, kinds), [
      Tensor,
      float32,
      float64,
      sameShape,
      singleValued,
      UNARY,
      powScalar,
      Math.fround,
    ]);
  };
  const run = (a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, a4?: unknown, a5?: unknown): Tensor => {
    if (!is_grad_enabled()) {
      if (entry === undefined) entry = compileFor([a0, a1, a2, a3, a4, a5]);
      const out = entry === null ? null : entry(a0, a1, a2, a3, a4, a5);
      if (out !== null) return out;
    }
    return (formula as (...args: unknown[]) => Tensor)(a0, a1, a2, a3, a4, a5);
  };
  return run as unknown as (...args: A) => Tensor;
}

/** Whether every element of `t` reads the same storage slot (one element, or one broadcast by expand). */
function singleValued(t: Tensor): boolean {
  if (t._numel === 1) return true;
  const strides = t._strides;
  for (let i = 0; i < strides.length; i++) if (strides[i] !== 0 && t._shape[i] !== 1) return false;
  return true;
}

function trace<A extends unknown[]>(formula: (...args: A) => unknown, arity: number, kinds: KindMask): { kinds: KindMask; expr: Expr } | null {
  const args: unknown[] = [];
  for (let i = 0; i < arity; i++) args.push((kinds >> i) & 1 ? new Sym({ kind: 'tensor', arg: i }) : new Sym({ kind: 'number', arg: i }));
  try {
    const result = formula(...(args as A));
    return result instanceof Sym ? { kinds, expr: result.expr } : null;
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
