/**
 * One kernel process, as the parent sees it: forked in a process group of its own (so whatever it
 * starts ends with it), watched for memory, its event pipe read line by line. NotebookKernel
 * owns one at a time; a restart is a new KernelProcess.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { forgetHost, forkInGroup, heapLimitMB, killGroup, readLines } from '../host-process.js';
import { parseKernelEvent, type KernelConfig, type KernelEvent, type KernelRequest } from '../../protocol/kernel-process.js';

const MEMORY_POLL_MS = 200;

/** The kernel's entry: compiled JS normally; the TypeScript source under tsx (tests). */
function kernelEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = resolve(dirname(here), '..', 'child', 'kernel');
  if (here.endsWith('.ts')) return { path: resolve(dir, 'kernel-host.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { path: resolve(dir, 'kernel-host.js'), execArgv: [] };
}

function residentBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** How the process ended, when it did. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when it was killed for going over its memory limit: the resident bytes seen. */
  memoryExceeded: number | null;
  /** Set when it ended because dispose() asked. */
  disposed: boolean;
}

export interface KernelProcessHandlers {
  onEvent(event: KernelEvent): void;
  /** Text the process wrote to its own stdout/stderr (Node's own messages, not Python's output). */
  onStray(stream: 'stdout' | 'stderr', text: string): void;
  onExit(exit: KernelExit): void;
}

export class KernelProcess {
  private readonly child: ChildProcess;
  private exited = false;
  private disposed = false;
  private memoryExceeded: number | null = null;
  private readonly memoryTimer: NodeJS.Timeout;

  constructor(config: KernelConfig, memoryLimitMb: number, private readonly handlers: KernelProcessHandlers) {
    const child = forkInGroup(kernelEntry(), heapLimitMB(memoryLimitMb), config.notebookDir, { AUTOGRAD_LAB_KERNEL: JSON.stringify(config) });
    this.child = child;
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[stream]!.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text) handlers.onStray(stream, text);
      });
    }
    this.readEvents(child.stdio[4] as NodeJS.ReadableStream);
    child.on('error', () => undefined); // 'exit' follows (or never came up: handled by the close below)
    child.on('close', (code, signal) => this.onClose(code, signal));
    const limit = memoryLimitMb * 1024 * 1024;
    this.memoryTimer = setInterval(() => {
      const rss = child.pid ? residentBytes(child.pid) : null;
      if (rss !== null && rss > limit && this.memoryExceeded === null && !this.exited) {
        this.memoryExceeded = rss;
        killGroup(child);
      }
    }, MEMORY_POLL_MS);
    this.memoryTimer.unref();
  }

  send(request: KernelRequest): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(request, () => undefined);
  }

  /** Ends the process and its group now. */
  dispose(): void {
    if (this.exited) return;
    this.disposed = true;
    killGroup(this.child);
  }

  private readEvents(stream: NodeJS.ReadableStream): void {
    readLines(stream, (line) => {
      const event = parseKernelEvent(line);
      if (event) this.handlers.onEvent(event);
    });
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    clearInterval(this.memoryTimer);
    killGroup(this.child);
    forgetHost(this.child);
    this.handlers.onExit({ code, signal, memoryExceeded: this.memoryExceeded, disposed: this.disposed });
  }
}
