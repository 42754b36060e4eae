/**
 * The `autograd-lab` command line:
 *   autograd-lab run <script> [--json] [--no-probes] [--no-graph] [--record DIR | --no-record]
 *   autograd-lab runs [list | show <id> | export <id> --csv]
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { RunEvent } from '../protocol/run-events.js';
import { encodeJson } from '../protocol/wire.js';
import { RunRecordWriter, applyRetention } from '../runner/records.js';
import { SCRIPT_EXTENSIONS, startRun } from '../runner/runner.js';
import { runsCommand } from './runs-command.js';

const USAGE = `usage: autograd-lab run <script.ts|.mts|.js|.mjs|.py> [--json] [--no-probes] [--no-graph] [--record DIR | --no-record]
       autograd-lab runs [list | show <id> | export <id> --csv [--out FILE]] [--json]

run     Runs a training script in its own process. Inside it,
        \`import torch, { nn, optim } from 'autograd-lab'\` gives the bundled engine.
        Prints exactly what the script prints; exits 1 on a script error (file:line:col).
        --json        print the run's event stream as JSON lines instead
        --no-probes   don't record per-line values and loss curves
        --no-graph    don't take computation-graph snapshots
        --record DIR  keep the run record under DIR/.autograd-lab/runs (default: the current folder)
        --no-record   keep no record
runs    Lists, shows and exports earlier runs recorded in the current folder.`;

/** How many run records to keep in a folder before the oldest are deleted. */
const RETENTION = 50;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'runs') {
    return runsCommand([...rest], {
      cwd: process.cwd(),
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
    });
  }
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
  const run = startRun({
    script: path,
    probes,
    graph,
    onEvent: (event: RunEvent) => {
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
        process.stdout.write(`${encodeJson(event)}\n`);
        return;
      }
      if (event.type === 'output') (event.stream === 'stdout' ? process.stdout : process.stderr).write(event.text);
      else if (event.type === 'run-failed') {
        const where = event.error.location ? `${event.error.location.file}:${event.error.location.line}:${event.error.location.column}\n` : '';
        process.stderr.write(`${where}${event.error.stack || `${event.error.name}: ${event.error.message}`}\n`);
      }
    },
  });
  const interrupt = () => run.stop();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const end = await run.done;
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
  (writer as RunRecordWriter | null)?.close();
  if (recordRoot !== null) {
    try {
      applyRetention(recordRoot, RETENTION);
    } catch {
      // retention is housekeeping; a failure must not change the run's outcome
    }
  }
  if (end.type === 'run-finished') return end.status === 'completed' ? 0 : 130;
  return 1;
}

function usageError(message: string): number {
  console.error(`autograd-lab: ${message}\n${USAGE}`);
  return 2;
}
