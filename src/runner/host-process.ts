/**
 * The script process (and a notebook's kernel process), as the runner starts and ends it: a fork
 * of child/host (child/kernel/kernel-host) that leads a process group of its own (so killing the
 * group ends whatever the script started), with stdio [ignore, stdout, stderr, ipc, event pipe].
 * Those still alive when this process exits (the CLI, an extension host shutting down) are
 * killed on the way out.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { STANDBY_ENV, type HostConfig } from '../protocol/script-process.js';

/** Process groups exist (POSIX); on Windows only the script process itself can be killed. */
const PROCESS_GROUPS = process.platform !== 'win32';

/**
 * Where the script host lives: compiled JS normally (beside this module, or — when the extension
 * bundle moved this code into a chunk shared with the notebook kernel, dist/runtime/chunks/ — in
 * the bundle's runner/child/); the TypeScript source under tsx (tests).
 */
function hostEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { path: resolve(dirname(here), 'child', 'host.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  const beside = resolve(dirname(here), 'child', 'host.js');
  const fromChunk = resolve(dirname(here), '..', 'runner', 'child', 'host.js');
  return { path: existsSync(beside) || !existsSync(fromChunk) ? beside : fromChunk, execArgv: [] };
}

/** The script's environment: ours, minus what would make its Node act as something else. */
function scriptEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // Set when we run under `node --test`: a child that inherits it reports to a test runner.
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

/** The heap limit a script process gets for a memory limit (its resident size is watched too). */
export function heapLimitMB(memoryLimitMB: number): number {
  return Math.max(64, Math.floor(memoryLimitMB));
}

/**
 * How the script process learns its run: in its environment when it is started for the run, or
 * (`standby`) over IPC once a run takes it, for a Python process started ahead of its run.
 */
export type HostStart = { config: HostConfig } | { standby: 'python' };

/** Forks a script process with the given heap limit, in `cwd`. */
export function forkHost(start: HostStart, heapMB: number, cwd: string): ChildProcess {
  return forkInGroup(hostEntry(), heapMB, cwd, 'config' in start ? { AUTOGRAD_LAB_RUN: JSON.stringify(start.config) } : { [STANDBY_ENV]: start.standby });
}

/**
 * Forks `entry` (a script host, a notebook kernel) with stdio [ignore, stdout, stderr, ipc, event
 * pipe] and the given heap limit, in `cwd`, as the leader of a process group of its own: Ctrl+C in
 * a terminal reaches only us (we stop it gracefully), and killGroup ends whatever it started.
 */
export function forkInGroup(entry: { path: string; execArgv: string[] }, heapMB: number, cwd: string, env: Record<string, string>): ChildProcess {
  const child = fork(entry.path, [], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
    execArgv: [...entry.execArgv, `--max-old-space-size=${heapMB}`],
    env: scriptEnvironment(env),
    serialization: 'json',
    detached: PROCESS_GROUPS,
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  killLiveGroupsOnExit();
  return child;
}

/** Calls `onLine` with each non-empty line of `stream` (UTF-8, a line split across chunks kept whole). */
export function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += decoder.write(chunk);
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
    }
  });
}

/** Whether a script process can still be used: not exited, not being killed, its IPC open. */
export function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && !child.killed && child.connected;
}

/** SIGKILL to the script process and every process of its group. */
export function killGroup(child: ChildProcess): void {
  if (PROCESS_GROUPS && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // no such group any more: nothing of the run is left
    }
  }
  child.kill('SIGKILL');
}

/**
 * Script processes whose group may still run. If this process exits before they end, their
 * groups are killed on the way out: timers no longer run by then.
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function killLiveGroupsOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) killGroup(child);
  });
}

/** Forgets a script process whose group was killed (its 'exit' may come after its pipes close). */
export function forgetHost(child: ChildProcess): void {
  liveChildren.delete(child);
}
