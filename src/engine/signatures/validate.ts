/**
 * The engine's API checks its arguments as PyTorch's binding does: a value of the wrong kind, a
 * missing argument, an extra one, or an option the function does not have is PyTorch's
 * TypeError naming the function, the argument and the type (`add(): argument 'other' (position
 * 1) must be Tensor, not str`; `sum() got an unexpected keyword argument 'dimm'`), never a NaN
 * or an option silently ignored.
 *
 * What each callable takes is the engine's own declarations, read by gen_engine_calls.ts into
 * engine-calls.ts (kinds of value per parameter and option); PyTorch's names for the callables
 * and their parameter types come from the signature table. Each callable gets a checking
 * wrapper compiled for its overloads (its own code, so V8 inlines the few type tests of the
 * common call shapes); the wording of an error is only worked out once a call fails.
 */
import { DType } from '../dtype.js';
import { TorchTypeError } from '../errors.js';
import { Slice } from '../ops/indexing.js';
import { Generator } from '../random.js';
import { PyFloat } from '../scalar.js';
import { Tensor } from '../tensor.js';

/** One parameter of an engine callable, as gen_engine_calls.ts describes it. */
export interface CallParam {
  name: string;
  /** What it takes: tensor, number, boolean, string, array, object, dtype, function, pyfloat... ('*': anything). */
  kinds: string[];
  rest?: true;
  required?: true;
  nullable?: true;
  /** The options object's names and what each takes. */
  options?: Record<string, string[]>;
}

export interface EngineCallTable {
  about: string;
  calls: Record<string, CallParam[][]>;
  /** PyTorch's name of the callable and its parser's type name per parameter, where the signature table has them. */
  pytorch: Record<string, { name: string; types?: Record<string, string> }>;
}

/** Classes the checks recognise, by kind (the module and optimizer bases are given when installed). */
interface Classes {
  Module: abstract new (...args: never[]) => object;
  Optimizer: abstract new (...args: never[]) => object;
}

// ------------------------------------------------------------------ kinds of value

type Check = (x: unknown) => boolean;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A sequence: an array, a typed array, or any iterable object that is not a tensor (model.parameters()). */
function isSequence(x: unknown): boolean {
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return true;
  return x !== null && typeof x === 'object' && !(x instanceof Tensor) && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function kindCheck(kind: string, classes: Classes): Check {
  switch (kind) {
    case 'tensor':
      return (x) => x instanceof Tensor;
    case 'number':
      return (x) => typeof x === 'number';
    case 'boolean':
      return (x) => typeof x === 'boolean';
    case 'string':
      return (x) => typeof x === 'string';
    case 'pyfloat':
      return (x) => x instanceof PyFloat;
    case 'dtype':
      return (x) => x instanceof DType;
    case 'generator':
      return (x) => x instanceof Generator;
    case 'slice':
      return (x) => x instanceof Slice;
    case 'module':
      return (x) => x instanceof classes.Module;
    case 'optimizer':
      return (x) => x instanceof classes.Optimizer;
    case 'function':
      return (x) => typeof x === 'function';
    case 'array':
      return isSequence;
    case 'object':
      return (x) => x !== null && typeof x === 'object' && !(x instanceof Tensor);
    default:
      return () => true;
  }
}

/** The same test as source text, inlined in a compiled wrapper (`v` is the value). */
function kindSource(kind: string): string {
  switch (kind) {
    case 'tensor':
      return 'v instanceof T';
    case 'number':
      return "typeof v === 'number'";
    case 'boolean':
      return "typeof v === 'boolean'";
    case 'string':
      return "typeof v === 'string'";
    case 'pyfloat':
      return 'v instanceof PF';
    case 'dtype':
      return 'v instanceof DT';
    default:
      return `K.${kind.replace(/\W/g, '_') || 'any'}(v)`;
  }
}

// ------------------------------------------------------------------ PyTorch's words

/** What PyTorch calls a value's type in its messages (Python's type name of the corresponding value). */
export function pythonTypeName(x: unknown): string {
  if (x === undefined || x === null) return 'NoneType';
  if (typeof x === 'boolean') return 'bool';
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float';
  if (typeof x === 'bigint') return 'int';
  if (typeof x === 'string') return 'str';
  if (typeof x === 'function') return 'function';
  if (x instanceof Tensor) return 'Tensor';
  if (x instanceof PyFloat) return 'float';
  if (x instanceof DType) return 'torch.dtype';
  if (Array.isArray(x)) return 'list';
  if (isPlainObject(x) || x instanceof Map) return 'dict';
  return (x as object).constructor?.name ?? 'object';
}

const KIND_NAMES: Record<string, string> = {
  tensor: 'Tensor',
  number: 'Number',
  boolean: 'bool',
  string: 'str',
  pyfloat: 'float',
  dtype: 'torch.dtype',
  generator: 'torch.Generator',
  slice: 'slice',
  module: 'Module',
  optimizer: 'Optimizer',
  function: 'callable',
  array: 'tuple',
  object: 'dict',
};

// ------------------------------------------------------------------ one callable

class Callable {
  readonly overloads: CallParam[][];
  readonly name: string;
  private readonly types: Record<string, string>;
  private readonly checks = new Map<string, Check>();

  constructor(
    key: string,
    overloads: CallParam[][],
    names: { name: string; types?: Record<string, string> } | undefined,
    private readonly classes: Classes,
  ) {
    this.overloads = overloads;
    this.name = names?.name ?? key.slice(key.lastIndexOf('.') + 1);
    this.types = names?.types ?? {};
  }

  private check(kinds: readonly string[]): Check {
    const key = kinds.join(',');
    let c = this.checks.get(key);
    if (c === undefined) {
      const parts = kinds.map((k) => kindCheck(k, this.classes));
      c = parts.length === 1 ? parts[0]! : (x) => parts.some((p) => p(x));
      this.checks.set(key, c);
    }
    return c;
  }

  private typeName(name: string, kinds: readonly string[]): string {
    return this.types[name] ?? kinds.map((k) => KIND_NAMES[k] ?? k).join(' or ');
  }

  /** Whether a value fits a parameter (an options object: its names and their kinds too). */
  accepts(p: CallParam, v: unknown): boolean {
    if (v === undefined) return !p.required;
    if (v === null) return !p.required || p.nullable === true;
    if (p.options !== undefined && isPlainObject(v) && p.kinds.includes('object')) return this.optionsProblem(p, v) === null;
    return p.kinds.includes('*') || this.check(p.kinds)(v);
  }

  private optionsProblem(p: CallParam, v: Record<string, unknown>): string | null {
    const options = p.options!;
    for (const k of Object.keys(v)) {
      const kinds = options[k];
      if (kinds === undefined) return `${this.name}() got an unexpected keyword argument '${k}'`;
      const value = v[k];
      if (value === undefined || value === null || kinds.length === 0 || kinds.includes('*')) continue;
      if (!this.check(kinds)(value)) return `${this.name}(): argument '${k}' must be ${this.typeName(k, kinds)}, not ${pythonTypeName(value)}`;
    }
    return null;
  }

  /** Why the arguments don't fit one overload (PyTorch's message), or null when they do. */
  problem(params: readonly CallParam[], args: ArrayLike<unknown>): string | null {
    const n = args.length;
    const rest = params.findIndex((p) => p.rest);
    const positional = rest < 0 ? params.length : rest;
    if (rest < 0 && n > params.length) {
      let last = n;
      while (last > params.length && args[last - 1] === undefined) last--;
      if (last > params.length) {
        const optional = params.filter((p) => !p.required).length;
        const counts = optional > 0 ? `from ${params.length - optional} to ${params.length}` : `${params.length}`;
        return `${this.name}() takes ${counts} positional argument${params.length === 1 ? '' : 's'} but ${last} ${last === 1 ? 'was' : 'were'} given`;
      }
    }
    for (let j = 0; j < positional; j++) {
      const p = params[j]!;
      const v = args[j];
      if (v === undefined || (v === null && !p.nullable)) {
        if (p.required) return `${this.name}() missing 1 required positional arguments: "${p.name}"`;
        continue;
      }
      if (v === null) continue;
      if (p.options !== undefined && isPlainObject(v) && p.kinds.includes('object')) {
        const wrong = this.optionsProblem(p, v);
        if (wrong !== null) return wrong;
        continue;
      }
      if (!p.kinds.includes('*') && !this.check(p.kinds)(v)) {
        return `${this.name}(): argument '${p.name}' (position ${j + 1}) must be ${this.typeName(p.name, p.kinds)}, not ${pythonTypeName(v)}`;
      }
    }
    if (rest >= 0) {
      const p = params[rest]!;
      for (let j = rest; j < n; j++) {
        const v = args[j];
        if (j === n - 1 && p.options !== undefined && isPlainObject(v)) {
          const wrong = this.optionsProblem(p, v);
          if (wrong !== null) return wrong;
          continue;
        }
        if (v === null && p.nullable) continue;
        if (!p.kinds.includes('*') && !this.check(p.kinds)(v)) {
          return `${this.name}(): argument '${p.name}' (position ${j + 1}) must be ${this.typeName(p.name, p.kinds)}, not ${pythonTypeName(v)}`;
        }
      }
    }
    return null;
  }

  /** Throws PyTorch's TypeError for arguments no overload takes, against the overload that fits best. */
  fail(args: ArrayLike<unknown>): void {
    let best: string | null = null;
    let bestScore = -1;
    for (const params of this.overloads) {
      const wrong = this.problem(params, args);
      if (wrong === null) return;
      // The overload whose arity fits, then the one with more parameters named like the arguments, is blamed.
      const fits = args.length <= params.length || params.some((p) => p.rest) ? 2 : 0;
      const score = fits + Math.min(args.length, params.length) / 100;
      if (score > bestScore) {
        bestScore = score;
        best = wrong;
      }
    }
    if (best !== null) throw new TorchTypeError(best);
  }

  /** The source of the common-case test of one overload's arguments (a0, a1, ... and n = their count). */
  overloadSource(params: readonly CallParam[], index: number): string {
    const rest = params.findIndex((p) => p.rest);
    const conditions: string[] = [];
    if (rest < 0) conditions.push(`n <= ${params.length}`);
    params.forEach((p, j) => {
      if (p.rest) {
        conditions.push(`R(${index}, arguments, ${j})`);
        return;
      }
      const v = `a${j}`;
      const kinds = p.kinds.filter((k) => k !== 'object' || p.options === undefined);
      const tests = kinds.includes('*') ? ['true'] : kinds.map((k) => kindSource(k).replace(/\bv\b/g, v));
      if (p.options !== undefined) tests.push(`O(${index}, ${j}, ${v})`);
      const missing = p.required ? (p.nullable ? `${v} === undefined ? false : ${v} === null ? true : ` : `${v} == null ? false : `) : `${v} == null ? true : `;
      conditions.push(`(${missing}(${tests.join(' || ') || 'false'}))`);
    });
    return conditions.join(' && ') || 'true';
  }

  /** The checking wrapper of `impl` (`this` passed through). */
  compile(impl: (...args: unknown[]) => unknown, label: string): (...args: unknown[]) => unknown {
    const arity = Math.max(0, ...this.overloads.map((ps) => ps.filter((p) => !p.rest).length));
    const formals = Array.from({ length: arity }, (_, i) => `a${i}`);
    // The arguments are passed on as named (a call through `arguments` costs several times the
    // checks); a rest parameter's values only through `arguments` (in strict mode, where it is cheap).
    const rest = this.overloads.some((ps) => ps.some((p) => p.rest));
    const call = rest ? 'impl.apply(this, arguments)' : `impl.call(this${formals.map((f) => `, ${f}`).join('')})`;
    const body = this.overloads.map((ps, i) => `  if (${this.overloadSource(ps, i)}) return ${call};`).join('\n');
    const source = `'use strict';\nreturn function ${safeName(this.name)}(${formals.join(', ')}) {\n  const n = arguments.length;\n${body}\n  fail(arguments);\n  return ${call};\n};`;
    const self = this;
    const K = Object.fromEntries(['generator', 'slice', 'module', 'optimizer', 'function', 'array', 'object', 'any'].map((k) => [k, kindCheck(k, this.classes)]));
    const O = (i: number, j: number, v: unknown): boolean => isPlainObject(v) && self.optionsProblem(self.overloads[i]![j]!, v) === null;
    const R = (i: number, args: ArrayLike<unknown>, j: number): boolean => {
      const p = self.overloads[i]![j]!;
      for (let k = j; k < args.length; k++) {
        const v = args[k];
        if (k === args.length - 1 && p.options !== undefined && isPlainObject(v)) return self.optionsProblem(p, v) === null;
        if (v === null && p.nullable) continue;
        if (!(p.kinds.includes('*') || self.check(p.kinds)(v))) return false;
      }
      return true;
    };
    const fail = (args: ArrayLike<unknown>) => self.fail(args);
    try {
      return new Function('impl', 'fail', 'T', 'PF', 'DT', 'K', 'O', 'R', `// ${label}\n${source}`)(impl, fail, Tensor, PyFloat, DType, K, O, R) as (...args: unknown[]) => unknown;
    } catch {
      // No eval (a strict Content Security Policy): the same checks, interpreted.
      return function checked(this: unknown, ...args: unknown[]): unknown {
        if (!self.overloads.some((ps) => self.problem(ps, args) === null)) self.fail(args);
        return impl.apply(this, args);
      };
    }
  }
}

function safeName(name: string): string {
  const plain = name.replace(/\W/g, '_');
  return /^[A-Za-z_]/.test(plain) ? plain : `_${plain}`;
}

// ------------------------------------------------------------------ installing the checks

export class Validation {
  private readonly callables = new Map<string, Callable>();
  /** Prototypes whose methods are checked already, and each class's checking Proxy (a namespace may be met twice: nn and torch.nn). */
  private readonly done = new WeakSet<object>();
  private readonly proxies = new WeakMap<object, unknown>();

  constructor(
    private readonly table: EngineCallTable,
    private readonly classes: Classes,
  ) {}

  callable(key: string): Callable | null {
    let c = this.callables.get(key);
    if (c === undefined) {
      const overloads = this.table.calls[key];
      if (overloads === undefined) return null;
      c = new Callable(key, overloads, this.table.pytorch[key], this.classes);
      this.callables.set(key, c);
    }
    return c;
  }

  /** `fn` checking its arguments as `key` declares them (fn itself when the table lacks it). */
  function<F extends (...args: never[]) => unknown>(key: string, fn: F): F {
    const c = this.callable(key);
    if (c === null) return fn;
    const wrapped = c.compile(fn as unknown as (...args: unknown[]) => unknown, key);
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    return wrapped as unknown as F;
  }

  /** Every method of `proto` that the table lists under `prefix.<name>`, checked in place (own methods only). */
  methods(proto: object, prefix: string): void {
    if (this.done.has(proto)) return;
    this.done.add(proto);
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (d === undefined || typeof d.value !== 'function' || this.table.calls[`${prefix}.${name}`] === undefined) continue;
      Object.defineProperty(proto, name, { ...d, value: this.function(`${prefix}.${name}`, d.value as (...args: never[]) => unknown) });
    }
  }

  /** A class whose constructor checks its arguments as `key` declares them (a Proxy: instanceof and subclassing work as before). */
  class<C extends abstract new (...args: never[]) => unknown>(key: string, cls: C): C {
    const known = this.proxies.get(cls);
    if (known !== undefined) return known as C;
    const c = this.callable(key);
    if (c === null) return cls;
    const proxy = new Proxy(cls, {
      construct(target, args, newTarget) {
        if (!c.overloads.some((ps) => c.problem(ps, args) === null)) {
          // PyTorch's classes check their own arguments (an optimizer's "params argument given to
          // the optimizer should be an iterable of Tensors or dicts", a scheduler's "... is not an
          // Optimizer"): where the engine's constructor has that message, it is the one raised.
          Reflect.construct(target, args, newTarget);
          c.fail(args);
        }
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    this.proxies.set(cls, proxy);
    return proxy;
  }

  /**
   * A copy of a namespace (torch, torch.nn, nn.functional...) whose functions and classes check
   * their arguments (keys `prefix.<name>`), nested namespaces too; each class's own methods are
   * checked in place on its prototype.
   */
  namespace<N extends object>(ns: N, prefix: string, depth = 0): N {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(ns)) {
      const key = `${prefix}.${name}`;
      if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))) {
        this.methods(value.prototype as object, key);
        out[name] = name === 'Tensor' || name === 'Generator' || name === 'PyFloat' ? value : this.class(key, value as abstract new (...args: never[]) => unknown);
      } else if (typeof value === 'function') out[name] = this.function(key, value as (...args: never[]) => unknown);
      else if (value !== null && typeof value === 'object' && depth < 3 && /^[a-z]/.test(name) && !(value instanceof DType)) out[name] = this.namespace(value, key, depth + 1);
      else out[name] = value;
    }
    return out as N;
  }
}
