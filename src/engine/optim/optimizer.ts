/**
 * `torch.optim.Optimizer`: parameter groups, per-parameter state, zero_grad and the state dict,
 * shaped as PyTorch 1.13 shapes them so that checkpoints and printed state look the same.
 */
import { enable_grad } from '../autograd/grad_mode.js';
import { NotImplementedError, TorchTypeError, ValueError, warnOnce } from '../errors.js';
import { pyRepr } from '../pyformat.js';
import { Tensor } from '../tensor.js';

/** PyTorch's `required` marker: a hyperparameter every group must set (SGD's lr). */
export const required: unique symbol = Symbol('required');
export type RequiredMarker = typeof required;

/**
 * One parameter group: the tensors it updates and its hyperparameters. The optional keys are
 * the ones learning-rate schedulers add or rewrite.
 */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  initial_lr?: number;
  max_lr?: number;
  min_lr?: number;
  max_momentum?: number;
  base_momentum?: number;
  /** Read and cycled by OneCycleLR (SGD's momentum, Adam's beta1). */
  momentum?: number;
  betas?: [number, number];
}

/** What a state record may hold: tensors, numbers, flags, and lists of them (LBFGS keeps lists). */
export type StateValue = Tensor | number | boolean | string | null | readonly StateValue[];
export type StateRecord = { [key: string]: StateValue };

export type GroupOptions<G extends ParamGroup> = Omit<G, 'params'>;
export type OptimizerDefaults<G extends ParamGroup> = { [K in keyof GroupOptions<G>]: GroupOptions<G>[K] | RequiredMarker };
/** A group as the caller writes it: `{ params: [a], lr: 0.1 }`; unset options come from the defaults. */
export type ParamGroupInput<G extends ParamGroup> = Partial<GroupOptions<G>> & { params: Iterable<Tensor> | Tensor };
export type ParamsInput<G extends ParamGroup> = Iterable<Tensor> | Iterable<ParamGroupInput<G>>;

/** `state_dict()`: state keyed by each parameter's position across all groups, groups with positions for params. */
export interface OptimizerStateDict<G extends ParamGroup = ParamGroup> {
  state: { [index: number]: StateRecord };
  param_groups: (GroupOptions<G> & { params: number[] })[];
}

/** What `load_state_dict` accepts: a state dict, also one read back by torch.load. */
export interface StateDictInput {
  state: { [index: string]: StateRecord };
  param_groups: readonly { params: readonly number[] }[];
}

/** Python's KeyError: a missing state entry, or a scheduler resumed without `initial_lr`. */
export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** Python's `assert` failure (PyTorch asserts that a param group is a dict). */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

/**
 * Options PyTorch declares with float defaults. JavaScript has one number type, so these print
 * as Python prints a float (`1.0`, `1e-08`) and the others as ints when integral (`momentum: 0`).
 */
export const FLOAT_OPTIONS: ReadonlySet<string> = new Set(['lr', 'betas', 'eps', 'rho', 'lambd', 'alpha', 't0', 'etas', 'momentum_decay', 'tolerance_grad', 'tolerance_change']);

/** Python's `str()` of an option value, for messages and the optimizer's repr. */
export function pyStr(value: unknown, asFloat = false): string {
  if (typeof value === 'number') return asFloat || !Number.isInteger(value) ? pyRepr(value) : String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `(${value.map((v) => pyStr(v, asFloat)).join(', ')}${value.length === 1 ? ',' : ''})`;
  if (typeof value === 'function') return `<function ${value.name || '<lambda>'}>`;
  return String(value);
}

/** The Python type name PyTorch's messages show for a non-tensor value. */
export function pyTypeName(value: unknown): string {
  if (value instanceof Tensor) return `torch.${value.dtype.legacyName}`;
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Set) return 'set';
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return 'dict';
  return (value as object).constructor?.name ?? typeof value;
}

/** Raises PyTorch's ValueError for an invalid hyperparameter. */
export function check(valid: boolean, message: string): void {
  if (!valid) throw new ValueError(message);
}

/**
 * Merges the caller's options over PyTorch's keyword defaults, in PyTorch's key order, and
 * rejects a misspelt option as Python rejects an unknown keyword argument.
 */
export function mergeOptions<T extends object>(className: string, given: Partial<T> | undefined, defaults: T): T {
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in defaults)) throw new TorchTypeError(`${className}.__init__() got an unexpected keyword argument '${key}'`);
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The state map: like Python's `defaultdict(dict)`, reading the state of a parameter that has
 * none creates an empty record (so `opt.state.get(p).momentum_buffer` works on a fresh optimizer).
 */
export class OptimizerState extends Map<Tensor, StateRecord> {
  override get(param: Tensor): StateRecord {
    let record = super.get(param);
    if (record === undefined) {
      record = {};
      this.set(param, record);
    }
    return record;
  }
}

/** Deep copy for load_state_dict: tensors cloned, floating ones cast to the parameter's dtype (but never `step`). */
function castLike(param: Tensor, value: StateValue, key: string | null): StateValue {
  if (value instanceof Tensor) {
    const cast = key !== 'step' && param.is_floating_point() ? value.detach().to(param.dtype) : value.detach();
    // .to() copies when it converts; otherwise copy here, so the optimizer never shares the caller's tensors.
    return cast._data === value._data ? cast.clone() : cast;
  }
  if (Array.isArray(value)) return value.map((v: StateValue) => castLike(param, v, null));
  if (isPlainObject(value)) {
    const out: StateRecord = {};
    for (const [k, v] of Object.entries(value)) out[k] = castLike(param, v as StateValue, k);
    return out as unknown as StateValue;
  }
  return value;
}

function deepCopyPlain<T>(value: T): T {
  if (value instanceof Tensor) return value.detach().clone() as T;
  if (Array.isArray(value)) return value.map(deepCopyPlain) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepCopyPlain(v);
    return out as T;
  }
  return value;
}

/**
 * Base class of every optimizer. A subclass passes its hyperparameter defaults to the
 * constructor and implements `step`, reading `this.param_groups` and keeping per-parameter
 * records in `this.state`, as a PyTorch subclass does.
 */
export class Optimizer<G extends ParamGroup = ParamGroup> {
  defaults: OptimizerDefaults<G>;
  state: OptimizerState = new OptimizerState();
  param_groups: G[] = [];
  /** Counted by an attached learning-rate scheduler (PyTorch sets it the same way). */
  _step_count?: number;
  /** Which options the repr prints as floats (see FLOAT_OPTIONS). */
  protected _floatOptions: ReadonlySet<string> = FLOAT_OPTIONS;

  constructor(params: ParamsInput<G>, defaults: OptimizerDefaults<G>) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TorchTypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${pyTypeName(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ValueError('optimizer got an empty parameter list');
    const groups = isPlainObject(list[0]) ? list : [{ params: list }];
    for (const group of groups) this.add_param_group(group as ParamGroupInput<G>);
  }

  /** Adds a group (e.g. layers unfrozen while fine-tuning); unset options take the defaults. */
  add_param_group(param_group: ParamGroupInput<G>): void {
    if (!isPlainObject(param_group)) throw new AssertionError('param group must be a dict');
    if (!('params' in param_group)) throw new KeyError("'params'");
    const given = param_group.params;
    let params: unknown[];
    if (given instanceof Tensor) params = [given];
    else if (given instanceof Set) {
      throw new TorchTypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.',
      );
    } else params = [...(given as Iterable<unknown>)];

    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TorchTypeError(`optimizer can only optimize Tensors, but one of the params is ${pyTypeName(p)}`);
      if (!this._differentiable() && !(p.is_leaf || p.retains_grad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }

    // Key order as PyTorch's: params, the caller's options, then the remaining defaults. Built
    // key by key from an empty object (not with `{ ...param_group }`), so that every optimizer's
    // groups share one hidden class and the optimizer's code, once optimized, stays optimized.
    const group: Record<string | symbol, unknown> = {};
    const source = param_group as unknown as Record<string | symbol, unknown>;
    for (const key of Reflect.ownKeys(source)) {
      if (Object.prototype.propertyIsEnumerable.call(source, key)) group[key] = key === 'params' ? params : source[key];
    }
    for (const [name, value] of Object.entries(this.defaults)) {
      if (value === required && !(name in param_group)) {
        throw new ValueError(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      if (!(name in group)) group[name] = value;
    }

    const tensors = params as Tensor[];
    if (new Set(tensors).size !== tensors.length) {
      warnOnce(
        'UserWarning',
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
      );
    }
    const existing = new Set<Tensor>();
    for (const g of this.param_groups) for (const p of g.params) existing.add(p);
    if (tensors.some((p) => existing.has(p))) throw new ValueError('some parameters appear in more than one parameter group');

    this.param_groups.push(group as unknown as G);
  }

  private _differentiable(): boolean {
    return (this.defaults as Record<string, unknown>)['differentiable'] === true;
  }

  /**
   * Clears the gradients of every parameter: to null by default (PyTorch 2.x's default; 1.13's
   * was set_to_none=False), or, with `{ set_to_none: false }`, to zeros in place.
   */
  zero_grad(options: { set_to_none?: boolean } = {}): void {
    const setToNone = options.set_to_none ?? true;
    for (const group of this.param_groups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        if (grad.grad_fn !== null) grad.detach_();
        else grad.requires_grad_(false);
        grad.zero_();
      }
    }
  }

  /** Performs one update. `closure` re-evaluates the model and returns the loss, which step returns. */
  step<L>(closure?: () => L): L | null {
    void closure;
    throw new NotImplementedError('');
  }

  /** Runs the closure with gradient recording on (the update itself runs under no_grad). */
  protected _evaluateClosure<L>(closure?: () => L): L | null {
    return closure === undefined ? null : enable_grad(closure);
  }

  /**
   * The state as PyTorch saves it: each parameter replaced by its position, counting through
   * the groups in order. The records are the live ones (as PyTorch returns them).
   */
  state_dict(): OptimizerStateDict<G> {
    const index = new Map<Tensor, number>();
    let next = 0;
    const param_groups = this.param_groups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) if (k !== 'params') packed[k] = v;
      for (const p of group.params) if (!index.has(p)) index.set(p, next++);
      packed['params'] = group.params.map((p) => index.get(p)!);
      return packed as GroupOptions<G> & { params: number[] };
    });
    const state: { [i: number]: StateRecord } = {};
    for (const [p, record] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = record;
    }
    return { state, param_groups };
  }

  /** Restores a state dict (a deep copy of it), matching saved positions to this optimizer's parameters. */
  load_state_dict(state_dict: StateDictInput | OptimizerStateDict<G>): void {
    const saved = deepCopyPlain({ param_groups: state_dict.param_groups }).param_groups as unknown as Record<string, unknown>[];
    const groups = this.param_groups;
    if (groups.length !== saved.length) throw new ValueError('loaded state dict has a different number of parameter groups');
    for (let i = 0; i < groups.length; i++) {
      if (groups[i]!.params.length !== (saved[i]!['params'] as unknown[]).length) {
        throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    }
    const idMap = new Map<string, Tensor>();
    groups.forEach((g, i) => {
      const ids = saved[i]!['params'] as number[];
      g.params.forEach((p, j) => idMap.set(String(ids[j]), p));
    });
    const state = new OptimizerState();
    for (const [key, record] of Object.entries(state_dict.state as { [k: string]: StateRecord })) {
      const param = idMap.get(key);
      // State saved for no parameter is kept by PyTorch under its number; a Map keyed by tensors can't, so it is dropped.
      if (param !== undefined) state.set(param, castLike(param, record as unknown as StateValue, null) as unknown as StateRecord);
    }
    this.state = state;
    this.param_groups = groups.map((g, i) => ({ ...saved[i]!, params: g.params }) as unknown as G);
    this._setstate();
  }

  /** After loading: fill in options an older state dict lacks, as each PyTorch optimizer's __setstate__ does. */
  protected _setstate(): void {}

  /** PyTorch's repr: each group's options, sorted by name. */
  toString(): string {
    let out = `${this.constructor.name} (`;
    this.param_groups.forEach((group, i) => {
      out += `\nParameter Group ${i}\n`;
      const keys = Object.keys(group)
        .filter((k) => k !== 'params')
        .sort();
      for (const key of keys) out += `    ${key}: ${pyStr((group as unknown as Record<string, unknown>)[key], this._floatOptions.has(key))}\n`;
    });
    return `${out})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
