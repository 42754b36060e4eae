/**
 * The script process. The runner forks this module, which loads the learner's script with the
 * bundled engine, line probes and graph snapshots installed, and reports what happens as
 * ChildEvents, one JSON line each, written synchronously to an extra pipe: a training loop that
 * never yields still gets its progress out, and the script's own stdout stays untouched.
 *
 * However the script ends (its end, process.exit/sys.exit, an uncaught error, Stop), what the
 * probes and the graph hold is sent first. Its stdout and stderr block when the runner has not
 * read them yet, so a script that prints faster than it is read waits instead of losing text.
 */
import { writeSync } from 'node:fs';
import { register } from 'node:module';
import { Worker } from 'node:worker_threads';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeJson } from '../../protocol/wire.js';
import { EVENT_FD, type ChildEvent, type HostConfig } from '../../protocol/script-process.js';
import { describeError, watchThrows } from './stack.js';
import { GraphRecorder } from './graph.js';

const config = JSON.parse(process.env.AUTOGRAD_LAB_RUN ?? 'null') as HostConfig | null;
if (!config) {
  process.stderr.write('autograd-lab: the script host must be started by the runner\n');
  process.exit(2);
}

// Node makes a piped stdout non-blocking and queues what does not fit: output that piles up in
// memory, is cut by process.exit(), and makes a direct writeSync (Pyodide's print) fail with EAGAIN.
// Blocking, a write waits until the runner has read enough: the pipe is the bounded buffer.
for (const stream of [process.stdout, process.stderr]) {
  (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle?.setBlocking?.(true);
}

/**
 * Ends the script's process group when the runner is gone (killed with SIGKILL, a crashed
 * extension host): a thread of its own, so it also works while the script's loop never yields.
 */
function watchParent(intervalMs: number): void {
  const watcher = new Worker(
    `const { parent, intervalMs } = require('node:worker_threads').workerData;
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => {
  if (process.ppid === parent && alive(parent)) return;
  try { process.kill(-process.pid, 'SIGKILL'); } catch { process.kill(process.pid, 'SIGKILL'); }
}, intervalMs);`,
    { eval: true, workerData: { parent: process.ppid, intervalMs }, execArgv: [], stdout: true, stderr: true },
  );
  watcher.unref();
}
watchParent(100);

let pipeOpen = true;
function send(event: ChildEvent): void {
  if (!pipeOpen) return;
  try {
    writeSync(EVENT_FD, `${encodeJson(event)}\n`);
  } catch {
    // The runner is gone: nobody listens any more, so stop.
    pipeOpen = false;
    process.exit(1);
  }
}

// Compiled JS normally; under tsx (the test suite) the TypeScript sources themselves.
const engineUrl = new URL(import.meta.url.endsWith('.ts') ? '../../engine/index.ts' : '../../engine/index.js', import.meta.url).href;
const engineDir = dirname(fileURLToPath(engineUrl));
function isUserFile(file: string): boolean {
  if (file.startsWith('node:') || file.includes(`${sep}node_modules${sep}`)) return false;
  if (file.startsWith(engineDir)) return false;
  const rel = relative(config!.userRoot, file);
  return !rel.startsWith('..') && !rel.startsWith(sep) && rel !== '';
}

process.setSourceMapsEnabled(true);

// The engine the script will import: one module instance, so the hooks see the script's graph.
const engine = (await import(engineUrl)) as typeof import('../../engine/index.js');

/** A warning of the engine as a run event (its first line: PyTorch's text). */
function reportWarning(message: string): void {
  send({ type: 'warning', kind: 'engine', message: message.split('\n')[0]! });
}
engine.setWarningListener((category, message) => {
  process.stderr.write(`${category}: ${message}\n`);
  reportWarning(message);
});

const flushers: (() => void)[] = [];
function flushAll(): void {
  for (const flush of flushers) flush();
}

// Python scripts (#5): run under Pyodide by src/runner/child/python/run-python.ts.
const isPython = config.script.endsWith('.py');
const python = isPython ? await import(import.meta.url.endsWith('.ts') ? './python/run-python.ts' : './python/run-python.js') as typeof import('./python/run-python.js') : null;

if (config.graph) {
  // For Python, the graph's node locations are read off the running Python frame.
  const hooks = python ? python.pythonEngineHooks(engine.hooks) : engine.hooks;
  const graph = new GraphRecorder(send, hooks, { isUserFile });
  graph.install();
  flushers.push(() => graph.flush());
}

// The script's assignments are instrumented when either is on: probes record values, and both
// name the tensors the graph shows (`t_u`, `model.0.weight`).
const instrumented = config.probes || config.graph;
if (config.probes) {
  const { ProbeRecorder, installProbeGlobal } = await import('./probes.js');
  const recorder = new ProbeRecorder(send, config.probeHistoryLimit === undefined ? {} : { historyLimit: config.probeHistoryLimit });
  installProbeGlobal(recorder);
  flushers.push(() => recorder.flush());
} else if (config.graph) {
  const { installNamingGlobal } = await import('./probes.js');
  installNamingGlobal();
}

// Progress of scripts that await (their loops yield to timers); synchronous loops flush from probes.
setInterval(() => {
  flushAll();
  send({ type: 'memory', rssBytes: process.memoryUsage.rss() });
}, 100).unref();

// The IPC channel only carries stop requests: it must not keep a finished script alive.
process.channel?.unref();
process.on('message', (message: unknown) => {
  if ((message as { type?: string } | null)?.type === 'stop') {
    flushAll();
    process.exit(143);
  }
});

function fail(thrown: unknown): never {
  flushAll();
  send({ type: 'script-error', error: describeError(thrown, isUserFile) });
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
process.on('beforeExit', flushAll);
// process.exit() and process.exitCode: 'exit' listeners run synchronously, and send() is synchronous.
process.on('exit', flushAll);

if (python) {
  // Python (#5): the script's error comes back as a ScriptError with its Python traceback.
  try {
    const { error, exitCode } = await python.runPythonScript({ ...config, probes: instrumented }, engine, reportWarning, flushAll);
    flushAll();
    if (error) {
      send({ type: 'script-error', error });
      process.exit(1);
    }
    if (exitCode !== 0) process.exit(exitCode);
  } catch (err) {
    fail(err);
  }
} else {
  // What V8 tells only a debugger: where a non-Error was thrown, which module failed to compile.
  watchThrows(isUserFile);
  register(new URL(import.meta.url.endsWith('.ts') ? './loader.ts' : './loader.js', import.meta.url), {
    parentURL: import.meta.url,
    data: { engineUrl, instrument: instrumented, userRoot: config.userRoot },
  });

  try {
    await import(pathToFileURL(config.script).href);
    flushAll();
  } catch (err) {
    fail(err);
  }
}
