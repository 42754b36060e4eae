/**
 * A Python script process kept ready: forked, with Pyodide and the torch layer loaded, before
 * anyone asks for a run, so that Run Training on a `.py` does not wait seconds for Pyodide. A
 * run takes it (and hands it its HostConfig over IPC); once that run's process has ended, a new
 * one is started, so every run still gets a fresh interpreter that ran nobody's code. A ready
 * process that died is replaced, never handed out.
 *
 * Nothing is kept ready until `keepPythonReady` is called (the extension calls it when a Python
 * file or notebook is opened); the CLI runs cold.
 */
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { alive, forkHost, heapLimitMB, killGroup } from './host-process.js';
import { isStandbyReady } from '../protocol/script-process.js';

interface Standby {
  child: ChildProcess;
  heapMB: number;
  /** Whether it has said that Pyodide and the torch layer are loaded. */
  loaded: boolean;
  /** Resolves true once it has loaded, false if it ended first. */
  ready: Promise<boolean>;
}

let standby: Standby | null = null;
/** The last process a run took, while it runs: its replacement waits, not to slow that run down. */
let inUse: ChildProcess | null = null;
/** The heap limit to keep a process ready for, or null when none is to be kept. */
let wantedHeapMB: number | null = null;
/**
 * Ready processes that died one after another before loading. A process that cannot load
 * Python at all fails the same way cold (where the run reports why), so after a few in a row no
 * more are started until `keepPythonReady` is called again.
 */
let failedInARow = 0;
const MAX_FAILED_IN_A_ROW = 3;

function startStandby(heapMB: number): Standby {
  // Its working directory is the run's, set when a run takes it.
  const child = forkHost({ standby: 'python' }, heapMB, tmpdir());
  let settle!: (loaded: boolean) => void;
  const entry: Standby = { child, heapMB, loaded: false, ready: new Promise((resolve) => (settle = resolve)) };
  child.on('message', (message: unknown) => {
    if (!isStandbyReady(message)) return;
    entry.loaded = true;
    failedInARow = 0;
    settle(true);
  });
  child.once('exit', () => {
    settle(false);
    if (standby !== entry) return;
    // It died before any run took it: it is never handed out, and another takes its place.
    standby = null;
    if (!entry.loaded) failedInARow++;
    if (failedInARow < MAX_FAILED_IN_A_ROW) replenish();
  });
  return entry;
}

function replenish(): void {
  if (wantedHeapMB === null || standby !== null || (inUse !== null && alive(inUse))) return;
  standby = startStandby(wantedHeapMB);
}

/**
 * Keeps a Python script process ready for runs with this memory limit (MiB): starts one now
 * unless one is ready or loading, or a run on the last one is still going (then once it ends).
 * A ready process for another limit is ended (its heap limit is fixed when it starts).
 */
export function keepPythonReady(options: { memoryLimitMB: number }): void {
  const heapMB = heapLimitMB(options.memoryLimitMB);
  wantedHeapMB = heapMB;
  failedInARow = 0;
  if (standby && standby.heapMB !== heapMB) {
    killGroup(standby.child);
    standby = null;
  }
  replenish();
}

/** Stops keeping a Python process ready and ends the one there is. */
export function stopKeepingPythonReady(): void {
  wantedHeapMB = null;
  if (standby) killGroup(standby.child);
  standby = null;
}

/**
 * Hands the ready Python process (ready or still loading) to a run with this heap limit; null
 * when there is none alive for that limit. Once the run's process ends, another is started.
 */
export function takeReadyPython(heapMB: number): ChildProcess | null {
  const taken = standby;
  if (taken === null || taken.heapMB !== heapMB || !alive(taken.child)) return null;
  standby = null;
  inUse = taken.child;
  taken.child.removeAllListeners('message');
  taken.child.once('exit', () => {
    if (inUse === taken.child) inUse = null;
    replenish();
  });
  return taken.child;
}

/** Resolves true once the process kept ready has loaded Python (false: none, or it ended). */
export function pythonReady(): Promise<boolean> {
  return standby ? standby.ready : Promise.resolve(false);
}

/** The process id of the Python process kept ready, if there is one. */
export function readyPythonPid(): number | undefined {
  return standby?.child.pid;
}
