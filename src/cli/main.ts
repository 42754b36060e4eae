/**
 * The `autograd-lab` command line:
 *   autograd-lab run <script> [--json] [--no-probes] [--no-graph] [--record DIR | --no-record]
 *   autograd-lab run <notebook.ipynb> [--output FILE.ipynb] [--allow-errors] [--probes] [--graph]
 *   autograd-lab runs [list | show <id> | export <id> --csv]
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { extname, resolve } from 'node:path';
import type { RunEvent, RunFailedEvent, RunFinishedEvent } from '../protocol/run-events.js';
import { encodeJson } from '../protocol/wire.js';
import { RunRecordWriter, applyRetention } from '../runner/records.js';
import { SCRIPT_EXTENSIONS, TrainingRun } from '../runner/runner.js';
import { runsCommand } from './runs-command.js';
import { namesNotebook, NOTEBOOK_USAGE, notebookCommand } from './notebook-command.js';

const USAGE = `usage: autograd-lab run <script.ts|.mts|.js|.mjs|.py> [--json] [--no-probes] [--no-graph] [--record DIR | --no-record]
       autograd-lab run <notebook.ipynb> [--output FILE.ipynb] [--allow-errors] [--probes] [--graph]
       autograd-lab runs [list | show <id> | export <id> --csv [--out FILE]] [--json]

run     Runs a training script in its own process. Inside it,
        \`import torch, { nn, optim } from 'autograd-lab'\` gives the bundled engine.
        Prints exactly what the script prints. Exits with the script's exit code:
        0 when it ran to its end, its own code for process.exit(n)/sys.exit(n),
        1 on a script error (file:line:col), 130 when stopped with Ctrl+C.
        --json        print the run's event stream as JSON lines instead
        --no-probes   don't record per-line values and loss curves
        --no-graph    don't take computation-graph snapshots
        --record DIR  keep the run record under DIR/.autograd-lab/runs (default: the current folder)
        --no-record   keep no record
run <notebook.ipynb>
${NOTEBOOK_USAGE.split('\n').slice(2).join('\n')}
runs    Lists, shows and exports earlier runs recorded in the current folder.`;

/** How many run records to keep in a folder before the oldest are deleted. */
const RETENTION = 50;

/**
 * Standard output and error as a reader that goes away (`| head`) leaves them: EPIPE marks the
 * stream closed (later writes are dropped) instead of crashing with a stack.
 */
class ClosableOutput {
  closed = false;
  private onClose: (() => void) | null = null;

  constructor(readonly stream: NodeJS.WriteStream) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
      this.close();
    });
  }

  /** Writes `text`; false when the stream wants the writer to wait for 'drain'. */
  write(text: string): boolean {
    if (this.closed) return true;
    return this.stream.write(text);
  }

  whenClosed(listener: () => void): void {
    this.onClose = listener;
    if (this.closed) listener();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose?.();
  }
}

let stdout: ClosableOutput;
let stderr: ClosableOutput;

export async function main(argv: readonly string[]): Promise<number> {
  stdout ??= new ClosableOutput(process.stdout);
  stderr ??= new ClosableOutput(process.stderr);
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'runs') {
    return runsCommand([...rest], {
      cwd: process.cwd(),
      out: (s) => void stdout.write(s),
      err: (s) => void stderr.write(s),
    });
  }
  if (command === 'run' && namesNotebook(rest)) return notebookCommand(rest, { out: (s) => void stdout.write(s), err: (s) => void stderr.write(s) });
  if (command !== 'run') {
    console.error(`autograd-lab: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  return runCommand(rest);
}

async function runCommand(args: readonly string[]): Promise<number> {
  let script: string | undefined;
  let json = false;
  let probes = true;
  let graph = true;
  let recordRoot: string | null = process.cwd();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--no-probes') probes = false;
    else if (arg === '--no-graph') graph = false;
    else if (arg === '--no-record') recordRoot = null;
    else if (arg === '--record') {
      const dir = args[++i];
      if (!dir) return usageError('--record needs a folder');
      recordRoot = resolve(dir);
    } else if (arg.startsWith('-')) return usageError(`unknown option '${arg}'`);
    else if (script === undefined) script = arg;
    else return usageError(`unexpected argument '${arg}'`);
  }
  if (script === undefined) return usageError('run needs a script');
  const path = resolve(script);
  if (!existsSync(path)) {
    console.error(`autograd-lab: no such file: ${script}`);
    return 2;
  }
  if (!SCRIPT_EXTENSIONS.includes(extname(path))) {
    console.error(`autograd-lab: cannot run '${script}': expected a ${SCRIPT_EXTENSIONS.join(', ')} file`);
    return 2;
  }

  let writer: RunRecordWriter | null = null;
  // The script waits while what it printed has not been written: a slow reader of our output
  // holds it back instead of our memory filling up.
  let waitingForDrain = false;
  const print = (out: ClosableOutput, text: string) => {
    if (out.write(text) || waitingForDrain) return;
    waitingForDrain = true;
    run.pause();
    out.stream.once('drain', () => {
      waitingForDrain = false;
      run.resume();
    });
  };
  const run = new TrainingRun({ script: path, probes, graph });
  run.onEvent((event: RunEvent) => {
    if (recordRoot !== null) {
      try {
        writer ??= RunRecordWriter.create(recordRoot, event.runId);
        writer.append(event);
      } catch (err) {
        console.error(`autograd-lab: could not write the run record: ${(err as Error).message}`);
        recordRoot = null;
      }
    }
    if (json) {
      print(stdout, `${encodeJson(event)}\n`);
      return;
    }
    if (event.type === 'output') print(event.stream === 'stdout' ? stdout : stderr, event.text);
    // A script that ended with an exit code of its own chose to: the code is ours, no message.
    else if (event.type === 'run-failed' && event.ending?.how !== 'exit-code') {
      const where = event.error.location ? `${event.error.location.file}:${event.error.location.line}:${event.error.location.column}\n` : '';
      print(stderr, `${where}${event.error.stack || `${event.error.name}: ${event.error.message}`}\n`);
    }
  });
  run.start();
  // Ctrl+C, a closed terminal, `kill`: the run is stopped (its data flushed and recorded), and
  // we exit as the signal would have ended us. A second Ctrl+C ends us at once; the script
  // process then ends its group itself.
  let stoppedBy: NodeJS.Signals | 'EPIPE' | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    run.stop();
  };
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, interrupt);
  // A reader that went away (`| head`): the script's output has nowhere to go, so it ends, as a
  // program writing to a closed pipe does.
  stdout.whenClosed(() => {
    stoppedBy ??= 'EPIPE';
    run.stop();
  });
  const end = await run.done;
  for (const signal of signals) process.off(signal, interrupt);
  (writer as RunRecordWriter | null)?.close();
  if (recordRoot !== null) {
    try {
      applyRetention(recordRoot, RETENTION);
    } catch {
      // retention is housekeeping; a failure must not change the run's outcome
    }
  }
  return exitCodeOf(end, stoppedBy);
}

/**
 * The CLI's exit code: the script's own, as the shell would have seen it run directly; 128 + the
 * signal's number when a signal ended it or stopped the run (141, SIGPIPE, for a closed output).
 */
function exitCodeOf(end: RunFinishedEvent | RunFailedEvent, stoppedBy: NodeJS.Signals | 'EPIPE' | null): number {
  if (end.type === 'run-finished' && end.status === 'completed') return 0;
  if (end.type === 'run-finished') return 128 + (stoppedBy === 'EPIPE' ? constants.signals.SIGPIPE : constants.signals[stoppedBy ?? 'SIGINT']);
  if (end.ending?.how === 'exit-code' && end.exitCode !== null) return end.exitCode;
  if (end.ending?.how === 'signal' && end.ending.signal !== null) {
    const number = constants.signals[end.ending.signal as NodeJS.Signals];
    if (number !== undefined) return 128 + number;
  }
  return 1;
}

function usageError(message: string): number {
  stderr.write(`autograd-lab: ${message}\n${USAGE}\n`);
  return 2;
}
