/**
 * The contract between a notebook kernel (parent side: runner/kernel/notebook-kernel.ts) and the
 * kernel process it forks (runner/child/kernel/): the kernel's configuration (in the
 * AUTOGRAD_LAB_KERNEL environment variable), the requests the parent sends over IPC, and the
 * events the kernel process writes, one JSON line each, to the event pipe (fd EVENT_FD, as a
 * script process does). Cell outputs and the run events of a cell travel in that one pipe, so
 * they arrive in the order they happened.
 */
import type { ScriptError } from './run-events.js';
import { parseChildEvent, type ChildEvent } from './script-process.js';

/** What the parent tells the kernel process (JSON in the AUTOGRAD_LAB_KERNEL variable). */
export interface KernelConfig {
  /** The notebook's folder: the kernel's working directory and first entry of sys.path. */
  notebookDir: string;
  /** Files under this folder (outside node_modules) are the learner's. */
  userRoot: string;
  probes: boolean;
  graph: boolean;
  probeHistoryLimit?: number;
}

/** IPython's mime bundle; image/png is base64 (as nbformat stores it). */
export interface MimeBundle {
  'text/plain'?: string;
  'image/png'?: string;
  'image/svg+xml'?: string;
  'text/html'?: string;
}

/** One output of a cell, in the order the cell produced them. */
export type CellOutput =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  /** display(), a figure. */
  | { kind: 'display'; data: MimeBundle }
  /** The cell's last expression (IPython's Out[n]). */
  | { kind: 'result'; executionCount: number; data: MimeBundle }
  | { kind: 'error'; ename: string; evalue: string; traceback: string[] };

export type CellStatus = 'ok' | 'error' | 'interrupted';

/** Parent → kernel process (IPC). Cells are sent one at a time: the next after `cell-done`. */
export type KernelRequest =
  | { type: 'execute'; code: string; cellId: string }
  | { type: 'interrupt' }
  | { type: 'shutdown' };

/** Kernel process → parent (the event pipe). */
export type KernelEvent =
  /** Python is loaded: cells can run. */
  | { type: 'kernel-ready' }
  /** Python could not be loaded; the process ends after this. */
  | { type: 'kernel-failed'; message: string }
  | { type: 'cell-output'; output: CellOutput }
  /**
   * The cell ended. `executionCount` is IPython's count for it (an empty cell does not advance
   * it); `error` describes the cell's exception as a run's ScriptError (for run-failed).
   */
  | { type: 'cell-done'; executionCount: number; status: CellStatus; error?: ScriptError }
  | ChildEvent;

const KERNEL_EVENT_TYPES = new Set(['kernel-ready', 'kernel-failed', 'cell-output', 'cell-done']);

/** Reads one line of the kernel's event pipe; null when it is not a well-formed event. */
export function parseKernelEvent(line: string): KernelEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return null;
  if (!KERNEL_EVENT_TYPES.has(type)) return parseChildEvent(line);
  const event = value as KernelEvent;
  if (event.type === 'cell-output' && !isCellOutput(event.output)) return null;
  if (event.type === 'cell-done' && (typeof event.executionCount !== 'number' || !['ok', 'error', 'interrupted'].includes(event.status))) return null;
  return event;
}

function isCellOutput(output: unknown): output is CellOutput {
  if (output === null || typeof output !== 'object') return false;
  const o = output as Partial<Record<string, unknown>>;
  switch (o.kind) {
    case 'stream':
      return (o.name === 'stdout' || o.name === 'stderr') && typeof o.text === 'string';
    case 'display':
      return isMimeBundle(o.data);
    case 'result':
      return typeof o.executionCount === 'number' && isMimeBundle(o.data);
    case 'error':
      return typeof o.ename === 'string' && typeof o.evalue === 'string' && Array.isArray(o.traceback) && o.traceback.every((l) => typeof l === 'string');
    default:
      return false;
  }
}

function isMimeBundle(data: unknown): data is MimeBundle {
  if (data === null || typeof data !== 'object') return false;
  return Object.values(data).every((v) => typeof v === 'string');
}
