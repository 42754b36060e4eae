/**
 * The script process, as the runner starts and ends it: a fork of child/host that leads a
 * process group of its own (so killing the group ends whatever the script started), with
 * stdio [ignore, stdout, stderr, ipc, event pipe]. Script processes still alive when this
 * process exits (the CLI, an extension host shutting down) are killed on the way out.
 *
 * This module finds child/host beside itself: it must stay in src/runner/ (in the extension
 * bundle it is part of runner/runner.js, which sits where runner.ts would).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STANDBY_ENV, type HostConfig } from '../protocol/script-process.js';

/** Process groups exist (POSIX); on Windows only the script process itself can be killed. */
const PROCESS_GROUPS = process.platform !== 'win32';

/** Where the script host lives: compiled JS normally; the TypeScript source under tsx (tests). */
function hostEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { path: resolve(dirname(here), 'child', 'host.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { path: resolve(dirname(here), 'child', 'host.js'), execArgv: [] };
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
  const host = hostEntry();
  const child = fork(host.path, [], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
    execArgv: [...host.execArgv, `--max-old-space-size=${heapMB}`],
    env: scriptEnvironment('config' in start ? { AUTOGRAD_LAB_RUN: JSON.stringify(start.config) } : { [STANDBY_ENV]: start.standby }),
    serialization: 'json',
    // Its own session and process group: Ctrl+C in a terminal reaches only us (we stop the run
    // gracefully), and killing the group ends whatever the script started.
    detached: PROCESS_GROUPS,
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  killLiveGroupsOnExit();
  return child;
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
