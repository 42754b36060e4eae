/**
 * What script-process code (the runner's line probes and graph snapshots) may use of the
 * engine, and nothing else: observers of recording and of backward passes, what a node explains
 * and which leaf it fills, names for tensors, and what a host may install at
 * `globalThis.__autogradLab`. The runner passes this object around instead of reaching into
 * tensors' fields, so it always talks to the engine instance the script imported.
 */
import { type BackwardObserver, type NodeObserver, onBackward, setNodeObserver } from './autograd/engine.js';
import { type RecordObserver, setRecordObserver } from './autograd/function.js';
import { AccumulateGrad, type Node } from './autograd/node.js';
import { Module } from './nn/module.js';
import { Tensor } from './tensor.js';

export type { BackwardObserver, NodeObserver, RecordObserver };

export interface EngineHooks {
  /** Calls `observer` with the roots before every backward pass; returns the function that removes it. */
  onBackward(observer: BackwardObserver): () => void;
  /** Calls `observer` for every node recorded (null: none). */
  setRecordObserver(observer: RecordObserver | null): void;
  /** Calls `observer` after every node runs in backward, with the gradients it received and produced (null: none). */
  setNodeObserver(observer: NodeObserver | null): void;
  /** The tensor whose `.grad` an AccumulateGrad node fills; null for any other node. */
  leafOf(node: Node): Tensor | null;
  /** Per input of the node (index = inputNr; a leaf's accumulator has one line): its local derivative, from the op's own entry. */
  explain(node: Node): readonly string[];
  isTensor(value: unknown): value is Tensor;
  /**
   * Names a tensor as the script does (`t_u`, `model.0.weight`), for graphs; the first name a
   * tensor gets stays. Only leaves keep a name (parameters and data are what a graph names; a
   * computed tensor is shown as the op that made it), so naming every value a loop assigns costs
   * nothing for the tensors it computes.
   */
  nameTensor(tensor: Tensor, name: string): void;
  /** The name a tensor was given, or null. */
  tensorName(tensor: Tensor): string | null;
  /** The value of a one-element tensor as a number, read without allocating; undefined for anything else. */
  scalarValue(value: unknown): number | undefined;
  /** An nn.Module's parameters with their dotted names (`0.weight`); null for anything that is not a module. */
  namedParameters(value: unknown): [string, Tensor][] | null;
}

const names = new WeakMap<Tensor, string>();

export const hooks: EngineHooks = {
  onBackward,
  setRecordObserver,
  setNodeObserver,
  leafOf: (node) => (node instanceof AccumulateGrad ? node.variable : null),
  explain: (node) => node.localDerivatives(),
  isTensor: (value): value is Tensor => value instanceof Tensor,
  nameTensor(tensor, name) {
    if (tensor.grad_fn === null && !names.has(tensor)) names.set(tensor, name);
  },
  tensorName: (tensor) => names.get(tensor) ?? null,
  scalarValue: (value) => (value instanceof Tensor && value._numel === 1 ? +value._data[value._offset]! : undefined),
  namedParameters: (value) => (value instanceof Module ? value.named_parameters() : null),
};

/** One instrumented assignment of a script: the assigned name and where it is (1-based line and column). */
export interface ProbeSite {
  /** Index of the site within its file (what the probe function is called with). */
  id: number;
  line: number;
  column: number;
  name: string;
}

/**
 * What a host may install at `globalThis.__autogradLab`. The engine reads `scalar`
 * (SummaryWriter under the runner); instrumented scripts call `file` on their first probe.
 */
export interface AutogradLabGlobal {
  /** Registers an instrumented file's sites; returns the probe `(siteId, value) => value` its lines call. */
  file?: (file: string, sites: ProbeSite[]) => (id: number, value: unknown) => unknown;
  /** Takes a logged scalar (SummaryWriter.add_scalar) as the point of `series` at `step`. */
  scalar?: (series: string, step: number, value: number) => void;
}

/** What the host installed at `globalThis.__autogradLab`, if anything. */
export function hostGlobal(): AutogradLabGlobal | undefined {
  return (globalThis as { __autogradLab?: AutogradLabGlobal }).__autogradLab;
}

/** Installs (or, with undefined, removes) what `globalThis.__autogradLab` holds. */
export function setHostGlobal(lab: AutogradLabGlobal | undefined): void {
  if (lab === undefined) delete (globalThis as { __autogradLab?: AutogradLabGlobal }).__autogradLab;
  else (globalThis as { __autogradLab?: AutogradLabGlobal }).__autogradLab = lab;
}
