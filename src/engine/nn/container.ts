/**
 * `nn.Sequential`: runs its modules in order. Built from modules (`new nn.Sequential(a, b)`,
 * named 0, 1, ...) or from named modules — a Map (Python's OrderedDict) or an array of
 * `[name, module]` pairs. Submodules are reachable as `seq.get(0)`, `seq.get('hidden_linear')`
 * and as properties (`seq.hidden_linear`), typed when the names are written as pairs.
 */
import { IndexError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { AttributeError, typeName } from './python.js';

type NamedPairs = readonly (readonly [string, Module])[];

function isNamedPairs(arg: unknown): arg is NamedPairs {
  return Array.isArray(arg) && arg.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && e[1] instanceof Module);
}

class SequentialModule extends Module {
  constructor(...args: (Module | ReadonlyMap<string, Module> | NamedPairs)[]) {
    super();
    const [first] = args;
    if (args.length === 1 && first instanceof Map) {
      for (const [name, module] of first as ReadonlyMap<string, Module>) this.add_module(name, module);
    } else if (args.length === 1 && isNamedPairs(first)) {
      for (const [name, module] of first) this.add_module(name, module);
    } else {
      args.forEach((module, i) => this.add_module(String(i), module as Module));
    }
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    const modules = this._childModules();
    for (let i = 0; i < modules.length; i++) x = modules[i]!.call(x) as Tensor;
    return x;
  }

  /** The number of modules (Python's `len(seq)`). */
  get length(): number {
    return this._modules().length;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._modules()
      .map(([, m]) => m)
      [Symbol.iterator]();
  }

  private _entryAt(idx: number | string): [string, Module] {
    const entries = this._modules();
    if (typeof idx === 'string') {
      const found = entries.find(([name]) => name === idx);
      if (!found) throw new AttributeError(`'${this._get_name()}' object has no attribute '${idx}'`);
      return found;
    }
    if (typeof idx !== 'number' || !Number.isInteger(idx)) throw new TypeError(`'${typeName(idx)}' object cannot be interpreted as an integer`);
    const n = entries.length;
    if (idx < -n || idx >= n) throw new IndexError(`index ${idx} is out of range`);
    return entries[idx < 0 ? idx + n : idx]!;
  }

  /** `seq[i]` (negative counts from the end) or the module registered under a name. */
  get(idx: number | string): Module {
    return this._entryAt(idx)[1];
  }

  /** `seq[i] = module`: replaces the module at a position (or name), keeping its name. */
  set(idx: number | string, module: Module): void {
    this.add_module(this._entryAt(idx)[0], module);
  }

  /** `seq[start:stop]`: a new Sequential sharing the selected modules, names kept. */
  slice(start?: number | null, stop?: number | null): Sequential {
    const entries = this._modules();
    const n = entries.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    const s = start == null ? 0 : clamp(start);
    const e = stop == null ? n : clamp(stop);
    return new SequentialModule(entries.slice(s, Math.max(s, e)));
  }

  /** Adds a module at the end, named by its position. */
  append(module: Module): this {
    this.add_module(String(this.length), module);
    return this;
  }
}

/** Named submodules as typed properties, when the names are known at compile time. */
type NamedModules<K extends string, M extends Module> = string extends K ? unknown : { readonly [P in K]: M };

export interface SequentialConstructor {
  new (...modules: Module[]): Sequential;
  new <K extends string, M extends Module>(modules: ReadonlyMap<K, M>): Sequential & NamedModules<K, M>;
  new <const E extends NamedPairs>(modules: E): Sequential & { readonly [P in E[number] as P[0]]: P[1] };
  readonly prototype: Sequential;
}

// The implementation class is exported under the constructor type above; its repr name is PyTorch's.
Object.defineProperty(SequentialModule, 'name', { value: 'Sequential' });

export type Sequential = SequentialModule;
export const Sequential = SequentialModule as SequentialConstructor;
