/**
 * `nn.Module`, the base of every layer and model.
 *
 * PyTorch registers submodules and parameters in `__setattr__`. TypeScript class fields are
 * defined after the base constructor has run, so registration here is read off the instance:
 * any own property holding a Module or a Parameter is registered, in the order the property
 * first appeared (`hidden = new nn.Linear(1, 8)` as a class field or `this.hidden = ...` in a
 * constructor both work). `add_module`/`register_parameter`/`register_buffer` define such a
 * property explicitly. A property set to null stays a (None) slot, as PyTorch's `bias = None`.
 */
import { no_grad } from '../autograd/grad_mode.js';
import { type DType, float32, float64 } from '../dtype.js';
import { NotImplementedError, RuntimeError, TorchTypeError, ValueError } from '../errors.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Parameter, setData } from './parameter.js';
import { AttributeError, KeyError, pyClass, torchSize, typeName } from './python.js';

/** A module's learnable state by dotted name: `{ 'hidden_linear.weight': Tensor, ... }`. */
export type StateDict = Record<string, Tensor>;

/** What load_state_dict reports (PyTorch's `_IncompatibleKeys`). */
export interface IncompatibleKeys {
  missing_keys: string[];
  unexpected_keys: string[];
}

export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown;
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;

export interface RemovableHandle {
  remove(): void;
}

export interface NamedMembersOptions {
  prefix?: string;
  recurse?: boolean;
  remove_duplicate?: boolean;
}

/** Bookkeeping kept under a symbol, so it never shows up among the learner's attributes. */
const STATE = Symbol('nn.Module state');

interface ModuleState {
  /** Own property names in the order they first appeared. */
  order: string[];
  seen: Set<string>;
  buffers: Set<string>;
  nonPersistent: Set<string>;
  preHooks: Map<number, ForwardPreHook>;
  hooks: Map<number, ForwardHook>;
}

let nextHookId = 0;

function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

function quoted(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

export class Module {
  /** Training mode (train()) or evaluation mode (eval()); layers such as Dropout read it. */
  training = true;
  private readonly [STATE]: ModuleState = {
    order: [],
    seen: new Set(),
    buffers: new Set(),
    nonPersistent: new Set(),
    preHooks: new Map(),
    hooks: new Map(),
  };

  /** The computation of the module; subclasses override it. */
  forward(...inputs: unknown[]): unknown {
    void inputs;
    throw new NotImplementedError(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /** `module(x)` in Python: runs the forward pre-hooks, forward, then the forward hooks. */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    const st = this[STATE];
    let inputs: unknown[] = args;
    if (st.preHooks.size > 0) {
      for (const hook of [...st.preHooks.values()]) {
        const replaced = hook(this, inputs);
        if (replaced !== undefined) inputs = Array.isArray(replaced) ? replaced : [replaced];
      }
    }
    let output = this.forward(...inputs);
    if (st.hooks.size > 0) {
      for (const hook of [...st.hooks.values()]) {
        const replaced = hook(this, inputs, output);
        if (replaced !== undefined) output = replaced;
      }
    }
    return output as ReturnType<this['forward']>;
  }

  register_forward_pre_hook(hook: ForwardPreHook): RemovableHandle {
    const id = nextHookId++;
    this[STATE].preHooks.set(id, hook);
    return { remove: () => void this[STATE].preHooks.delete(id) };
  }

  register_forward_hook(hook: ForwardHook): RemovableHandle {
    const id = nextHookId++;
    this[STATE].hooks.set(id, hook);
    return { remove: () => void this[STATE].hooks.delete(id) };
  }

  // ---------------------------------------------------------------- registration

  /** Own property names in first-appearance order (catching up with properties added since). */
  private _names(): string[] {
    const st = this[STATE];
    const keys = Object.keys(this);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!st.seen.has(key)) {
        st.seen.add(key);
        st.order.push(key);
      }
    }
    // Every name still present: the order list only ever grows, so compare counts first.
    if (keys.length === st.order.length) return st.order;
    return st.order.filter((k) => Object.prototype.hasOwnProperty.call(this, k));
  }

  private _slot(name: string): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }

  private _define(name: string, value: unknown): void {
    this._names();
    (this as unknown as Record<string, unknown>)[name] = value;
    this._names();
  }

  /** This module's own parameters (not its children's), in registration order. */
  _parameters(): [string, Parameter][] {
    return this._names().flatMap((k): [string, Parameter][] => {
      const v = this._slot(k);
      return v instanceof Parameter ? [[k, v]] : [];
    });
  }

  /** This module's direct submodules (values only), in registration order: what Sequential runs. */
  _childModules(): Module[] {
    const out: Module[] = [];
    for (const k of this._names()) {
      const v = this._slot(k);
      if (v instanceof Module) out.push(v);
    }
    return out;
  }

  /** This module's direct submodules, in registration order. */
  _modules(): [string, Module][] {
    return this._names().flatMap((k): [string, Module][] => {
      const v = this._slot(k);
      return v instanceof Module ? [[k, v]] : [];
    });
  }

  /** This module's own buffers (registered with register_buffer), in registration order. */
  _buffers(): [string, Tensor][] {
    const names = this[STATE].buffers;
    return this._names().flatMap((k): [string, Tensor][] => {
      const v = this._slot(k);
      return names.has(k) && v instanceof Tensor && !(v instanceof Parameter) ? [[k, v]] : [];
    });
  }

  private _checkName(kind: 'parameter' | 'module' | 'buffer', name: unknown, isSameKind: (v: unknown) => boolean): asserts name is string {
    if (typeof name !== 'string') throw new TorchTypeError(`${kind} name should be a string. Got ${typeName(name)}`);
    if (name.includes('.')) throw new KeyError(kind === 'module' ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
    if (name === '') throw new KeyError(`${kind} name can't be empty string ""`);
    if (name in this && !isSameKind(this._slot(name))) throw new KeyError(`attribute '${name}' already exists`);
  }

  /** Registers `param` (or a null slot) under `name`, as assigning a Parameter attribute does. */
  register_parameter(name: string, param: Parameter | null): void {
    this._checkName('parameter', name, (v) => v instanceof Parameter || v === null);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TorchTypeError(`cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    if (param !== null && param.grad_fn !== null) {
      throw new ValueError(
        `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
      );
    }
    this._define(name, param);
  }

  /** Registers a submodule under `name`, as assigning a Module attribute does. */
  add_module(name: string, module: Module | null): void {
    if (!(module instanceof Module) && module !== null) throw new TorchTypeError(`${typeName(module)} is not a Module subclass`);
    this._checkName('module', name, (v) => v instanceof Module || v === null);
    this._define(name, module);
  }

  register_module(name: string, module: Module | null): void {
    this.add_module(name, module);
  }

  /** A tensor that belongs to the module's state (saved in state_dict) but is not learned. */
  register_buffer(name: string, tensor: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    const st = this[STATE];
    this._checkName('buffer', name, () => st.buffers.has(name));
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchTypeError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    st.buffers.add(name);
    const keep = typeof persistent === 'object' ? (persistent.persistent ?? true) : persistent;
    if (keep) st.nonPersistent.delete(name);
    else st.nonPersistent.add(name);
    this._define(name, tensor);
  }

  // ---------------------------------------------------------------- traversal

  /** Every module of the tree with its dotted name, this one first (`''`), depth first. */
  named_modules(options: { memo?: Set<Module>; prefix?: string; remove_duplicate?: boolean } = {}): [string, Module][] {
    const memo = options.memo ?? new Set<Module>();
    const prefix = options.prefix ?? '';
    const dedupe = options.remove_duplicate ?? true;
    const out: [string, Module][] = [];
    if (memo.has(this)) return out;
    if (dedupe) memo.add(this);
    out.push([prefix, this]);
    for (const [name, child] of this._modules()) {
      out.push(...child.named_modules({ memo, prefix: prefix ? `${prefix}.${name}` : name, remove_duplicate: dedupe }));
    }
    return out;
  }

  modules(): Module[] {
    return this.named_modules().map(([, m]) => m);
  }

  named_children(): [string, Module][] {
    const memo = new Set<Module>();
    return this._modules().filter(([, m]) => (memo.has(m) ? false : (memo.add(m), true)));
  }

  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }

  private _namedMembers<T>(members: (m: Module) => [string, T][], o: NamedMembersOptions): [string, T][] {
    const prefix = o.prefix ?? '';
    const dedupe = o.remove_duplicate ?? true;
    const scope: [string, Module][] = o.recurse ?? true ? this.named_modules({ prefix, remove_duplicate: dedupe }) : [[prefix, this]];
    const memo = new Set<T>();
    const out: [string, T][] = [];
    for (const [modulePrefix, module] of scope) {
      for (const [name, value] of members(module)) {
        if (memo.has(value)) continue;
        if (dedupe) memo.add(value);
        out.push([modulePrefix ? `${modulePrefix}.${name}` : name, value]);
      }
    }
    return out;
  }

  /** `[name, parameter]` pairs of the whole tree: `hidden_linear.weight`, `0.bias`, ... */
  named_parameters(prefix: string | NamedMembersOptions = '', recurse = true): [string, Parameter][] {
    const o = typeof prefix === 'object' ? prefix : { prefix, recurse };
    return this._namedMembers((m) => m._parameters(), o);
  }

  /** The learnable tensors, each once, in registration order (hand them to an optimizer). */
  parameters(recurse: boolean | { recurse?: boolean } = true): Parameter[] {
    const r = typeof recurse === 'object' ? (recurse.recurse ?? true) : recurse;
    return this.named_parameters({ recurse: r }).map(([, p]) => p);
  }

  named_buffers(prefix: string | NamedMembersOptions = '', recurse = true): [string, Tensor][] {
    const o = typeof prefix === 'object' ? prefix : { prefix, recurse };
    return this._namedMembers((m) => m._buffers(), o);
  }

  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    const r = typeof recurse === 'object' ? (recurse.recurse ?? true) : recurse;
    return this.named_buffers({ recurse: r }).map(([, b]) => b);
  }

  /** The submodule at a dotted path (`'0'`, `'encoder.hidden'`); `''` is this module. */
  get_submodule(target: string): Module {
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      if (!(item in mod)) throw new AttributeError(`${mod._get_name()} has no attribute \`${item}\``);
      const next = mod._slot(item);
      if (!(next instanceof Module)) throw new AttributeError(`\`${item}\` is not an nn.Module`);
      mod = next;
    }
    return mod;
  }

  get_parameter(target: string): Parameter {
    const cut = target.lastIndexOf('.');
    const mod = this.get_submodule(cut < 0 ? '' : target.slice(0, cut));
    const name = target.slice(cut + 1);
    if (!(name in mod)) throw new AttributeError(`${mod._get_name()} has no attribute \`${name}\``);
    const param = mod._slot(name);
    if (!(param instanceof Parameter)) throw new AttributeError(`\`${name}\` is not an nn.Parameter`);
    return param;
  }

  /** Calls `fn` on every submodule (children first) and then on this module. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---------------------------------------------------------------- modes and gradients

  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('training mode is expected to be boolean');
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  requires_grad_(requires_grad = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /**
   * Clears the gradients of all parameters. With set_to_none (the default here, as in
   * PyTorch 2) `.grad` becomes null; otherwise it is zeroed in place.
   */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    const toNone = typeof set_to_none === 'object' ? (set_to_none.set_to_none ?? true) : set_to_none;
    for (const p of this.parameters()) {
      const g = p._grad;
      if (g === null) continue;
      if (toNone) {
        p.grad = null;
        continue;
      }
      if (g.grad_fn !== null) g.detach_();
      else g.requires_grad_(false);
      no_grad(() => g.zero_());
    }
  }

  // ---------------------------------------------------------------- dtype conversion

  /** Applies `fn` to every parameter (in place, keeping the Parameter objects), gradient and buffer. */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const child of this.children()) child._apply(fn);
    no_grad(() => {
      for (const [, p] of this._parameters()) {
        setData(p, fn(p));
        if (p._grad !== null) setData(p._grad, fn(p._grad));
      }
      for (const [name, b] of this._buffers()) (this as unknown as Record<string, unknown>)[name] = fn(b);
    });
    return this;
  }

  /** Casts floating-point parameters and buffers to `dtype`. */
  to(dtype: DType): this {
    return this._apply((t) => (t.is_floating_point() ? t.to(dtype) : t));
  }

  double(): this {
    return this.to(float64);
  }

  float(): this {
    return this.to(float32);
  }

  cpu(): this {
    return this;
  }

  // ---------------------------------------------------------------- state dict

  /** Parameters and persistent buffers by dotted name, detached but sharing storage. */
  state_dict(options: { destination?: StateDict; prefix?: string; keep_vars?: boolean } = {}): StateDict {
    const destination = options.destination ?? {};
    const prefix = options.prefix ?? '';
    const keep = options.keep_vars ?? false;
    for (const [name, p] of this._parameters()) destination[prefix + name] = keep ? p : p.detach();
    const nonPersistent = this[STATE].nonPersistent;
    for (const [name, b] of this._buffers()) {
      if (!nonPersistent.has(name)) destination[prefix + name] = keep ? b : b.detach();
    }
    for (const [name, child] of this._modules()) child.state_dict({ destination, prefix: `${prefix}${name}.`, keep_vars: keep });
    return destination;
  }

  /**
   * Copies a state dict's tensors into this module's parameters and buffers. Missing and
   * unexpected keys are errors unless `strict` is false; shape mismatches always are.
   */
  load_state_dict(state_dict: StateDict | ReadonlyMap<string, Tensor>, strict: boolean | { strict?: boolean } = true): IncompatibleKeys {
    const isStrict = typeof strict === 'object' ? (strict.strict ?? true) : strict;
    let entries: [string, unknown][];
    if (state_dict instanceof Map) entries = [...state_dict.entries()];
    else if (state_dict !== null && typeof state_dict === 'object' && !Array.isArray(state_dict) && !(state_dict instanceof Tensor)) {
      entries = Object.entries(state_dict);
    } else {
      throw new TorchTypeError(`Expected state_dict to be dict-like, got ${pyClass(state_dict)}.`);
    }
    const missing: string[] = [];
    const unexpected: string[] = [];
    const errors: string[] = [];
    const load = (module: Module, local: [string, unknown][], prefix: string): void => {
      module._loadFromStateDict(local, prefix, missing, unexpected, errors);
      for (const [name, child] of module._modules()) {
        const childPrefix = `${prefix}${name}.`;
        load(child, local.filter(([k]) => k.startsWith(childPrefix)), childPrefix);
      }
    };
    load(this, entries, '');
    if (isStrict) {
      if (unexpected.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(unexpected)}. `);
      if (missing.length > 0) errors.unshift(`Missing key(s) in state_dict: ${quoted(missing)}. `);
    }
    if (errors.length > 0) {
      const keyProblem = isStrict && (missing.length > 0 || unexpected.length > 0);
      throw new RuntimeError(
        `Error(s) in loading state_dict for ${this._get_name()}:\n\t${errors.join('\n\t')}`,
        keyProblem
          ? `Autograd Lab: this model's keys are ${quoted(Object.keys(this.state_dict()))}. Keys come from attribute names (or Sequential's positions 0, 1, ...), so save and load with the same model structure.`
          : undefined,
      );
    }
    return { missing_keys: missing, unexpected_keys: unexpected };
  }

  /** Loads this module's own entries (prefix + name) and notes missing and unexpected keys. */
  _loadFromStateDict(stateDict: [string, unknown][], prefix: string, missing: string[], unexpected: string[], errors: string[]): void {
    const lookup = new Map(stateDict);
    const nonPersistent = this[STATE].nonPersistent;
    const local: [string, Tensor][] = [...this._parameters(), ...this._buffers().filter(([n]) => !nonPersistent.has(n))];
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!lookup.has(key)) {
        missing.push(key);
        continue;
      }
      const input = lookup.get(key);
      if (!(input instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClass(input)}`);
        continue;
      }
      // Checkpoints from PyTorch 0.3 stored scalars as 1-element vectors.
      const source = param.dim() === 0 && input.dim() === 1 ? input.get(0) : input;
      if (!sameShape(source.shape, param.shape)) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${torchSize(source.shape)} from checkpoint, the shape in current model is ${torchSize(param.shape)}.`);
        continue;
      }
      try {
        no_grad(() => param.copy_(source));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        errors.push(
          `While copying the parameter named "${key}", whose dimensions in the model are ${torchSize(param.shape)} and whose dimensions in the checkpoint are ${torchSize(source.shape)}, an exception occurred : ('${message}',).`,
        );
      }
    }
    const localNames = new Set(local.map(([n]) => n));
    const childNames = new Set(this._modules().map(([n]) => n));
    for (const [key] of stateDict) {
      if (!key.startsWith(prefix)) continue;
      const inputName = key.slice(prefix.length).split('.', 1)[0]!;
      if (!childNames.has(inputName) && !localNames.has(inputName)) unexpected.push(key);
    }
  }

  // ---------------------------------------------------------------- printing

  /** The module's own settings for its repr (`in_features=1, out_features=8, bias=True`). */
  extra_repr(): string {
    return '';
  }

  _get_name(): string {
    return this.constructor.name || 'Module';
  }

  /** PyTorch's module repr: the class name, extra_repr, then each child indented. */
  toString(): string {
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this._modules().map(([name, m]) => `(${name}): ${addIndent(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = `${this._get_name()}(`;
    if (lines.length > 0) {
      main += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
