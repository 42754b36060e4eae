/**
 * The notebook kernel process (forked by runner/kernel/notebook-kernel.ts). Its main thread only
 * takes the parent's requests: cells run on the Python thread (kernel-worker.ts), so this thread
 * is free to interrupt one — it writes SIGINT into the buffer Pyodide polls, and the cell gets a
 * KeyboardInterrupt within milliseconds while the interpreter's state is kept.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { KernelConfig, KernelRequest } from '../../../protocol/kernel-process.js';

const SIGINT = 2;

const config = JSON.parse(process.env.AUTOGRAD_LAB_KERNEL ?? 'null') as KernelConfig | null;
if (!config) {
  process.stderr.write('autograd-lab: the notebook kernel must be started by NotebookKernel\n');
  process.exit(2);
}

// Node's own messages on these pipes must not be lost or reordered by a queue (see child/host.ts).
for (const stream of [process.stdout, process.stderr]) {
  (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle?.setBlocking?.(true);
}

/** Ends this process's group: whatever a cell started goes with it. */
function endGroup(code: number): never {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // not a group leader (Windows): the process alone
  }
  process.exit(code);
}

// The parent is gone (killed, crashed): nobody will ever ask for this kernel again.
process.on('disconnect', () => endGroup(0));

const interrupt = new Int32Array(new SharedArrayBuffer(4));

/** The Python thread: compiled JS normally; the TypeScript source through tsx (tests). */
function startWorker(): Worker {
  const workerData = { config, interrupt: interrupt.buffer };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./kernel-worker.js', import.meta.url), { workerData, stdout: false, stderr: false });
  const entry = new URL('./kernel-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `(async () => { (await import(${JSON.stringify(tsx)})).register(); await import(${JSON.stringify(entry)}); })()
  .catch((e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

const worker = startWorker();
worker.on('error', (err) => {
  writeSync(2, `autograd-lab: the notebook kernel's Python thread failed: ${err.stack ?? err.message}\n`);
  endGroup(1);
});
worker.on('exit', (code) => endGroup(code === 0 ? 1 : code));

process.on('message', (request: KernelRequest) => {
  switch (request.type) {
    case 'execute':
      // An interrupt that came after the previous cell ended must not stop this one.
      Atomics.store(interrupt, 0, 0);
      worker.postMessage(request);
      return;
    case 'interrupt':
      Atomics.store(interrupt, 0, SIGINT);
      Atomics.notify(interrupt, 0); // wakes a cell in time.sleep
      return;
    case 'shutdown':
      endGroup(0);
  }
});
