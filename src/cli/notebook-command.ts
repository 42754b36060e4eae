/**
 * `autograd-lab run notebook.ipynb`: runs every code cell of a Jupyter notebook in order in one
 * notebook kernel and prints each cell's outputs; `--output executed.ipynb` writes the executed
 * notebook as `jupyter nbconvert --to notebook --execute` does. The first error stops the run
 * (exit 1, nothing written) unless `--allow-errors`: then the error stays in that cell's outputs
 * and the next cells run.
 */
import { existsSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { CellOutput } from '../protocol/kernel-process.js';
import { cellSource, nbformatOutputs, NotebookFormatError, parseNotebook, serializeNotebook, type Notebook } from '../runner/kernel/nbformat.js';
import { NotebookKernel } from '../runner/kernel/notebook-kernel.js';

export const NOTEBOOK_USAGE = `usage: autograd-lab run <notebook.ipynb> [--output FILE.ipynb] [--allow-errors] [--probes] [--graph]

        Runs every code cell in order in one Python kernel (variables live across cells)
        and prints each cell's outputs. Exits 0 when every cell ran, 1 at the first
        error (the next cells do not run), 2 for a malformed notebook or bad arguments.
        --output FILE   write the executed notebook (nbformat 4: outputs, execution
                        counts, figures as PNG) as jupyter nbconvert --execute would;
                        never the input notebook itself
        --allow-errors  record an error in its cell's outputs and run the next cells
                        (exit 0)
        --probes, --graph  record line probes / graph snapshots (off by default here)`;

export interface NotebookCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Options that take a value: what follows them is not the notebook. */
const VALUE_OPTIONS = new Set(['--output', '-o', '--record']);

/** True when `run`'s arguments name a notebook (its first argument that is not an option). */
export function namesNotebook(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return extname(arg).toLowerCase() === '.ipynb';
  }
  return false;
}

interface Options {
  notebook: string;
  output: string | null;
  allowErrors: boolean;
  probes: boolean;
  graph: boolean;
}

function parseArgs(args: readonly string[]): Options | string {
  let notebook: string | undefined;
  let output: string | null = null;
  let allowErrors = false;
  let probes = false;
  let graph = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--output' || arg === '-o') {
      const file = args[++i];
      if (!file) return `${arg} needs a file name`;
      output = file;
    } else if (arg === '--allow-errors') allowErrors = true;
    else if (arg === '--probes') probes = true;
    else if (arg === '--graph') graph = true;
    else if (arg.startsWith('-')) return `unknown option '${arg}' for a notebook`;
    else if (notebook === undefined) notebook = arg;
    else return `unexpected argument '${arg}'`;
  }
  if (notebook === undefined) return 'run needs a notebook';
  return { notebook, output, allowErrors, probes, graph };
}

/** The same file, following symlinks where the file exists. */
function samePath(a: string, b: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : join(existsSync(dirname(p)) ? realpathSync(dirname(p)) : dirname(p), basename(p)));
  return real(a) === real(b);
}

/** How a cell's output reads in a terminal. */
function printOutput(output: CellOutput, io: NotebookCommandIo): void {
  switch (output.kind) {
    case 'stream':
      (output.name === 'stdout' ? io.out : io.err)(output.text);
      return;
    case 'result': {
      const text = output.data['text/plain'] ?? '';
      io.out(`Out[${output.executionCount}]: ${text.includes('\n') ? '\n' : ''}${text}\n`);
      return;
    }
    case 'display': {
      const text = output.data['text/plain'];
      const png = output.data['image/png'];
      if (png !== undefined) io.out(`[image/png, ${Math.round((png.length * 3) / 4 / 1024)} KiB${text ? `: ${text}` : ''}]\n`);
      else io.out(`${text ?? ''}\n`);
      return;
    }
    case 'error':
      io.err(`${output.traceback.join('\n')}\n`);
  }
}

export async function notebookCommand(args: readonly string[], io: NotebookCommandIo): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.err(`autograd-lab: ${options}\n${NOTEBOOK_USAGE}\n`);
    return 2;
  }
  const path = resolve(options.notebook);
  if (!existsSync(path)) {
    io.err(`autograd-lab: no such file: ${options.notebook}\n`);
    return 2;
  }
  const outputPath = options.output === null ? null : resolve(options.output);
  if (outputPath !== null && samePath(path, outputPath)) {
    io.err(`autograd-lab: --output ${options.output} is the notebook being run; write the executed notebook to another file.\n`);
    return 2;
  }
  let nb: Notebook;
  try {
    nb = parseNotebook(readFileSync(path, 'utf8'), options.notebook);
  } catch (e) {
    if (!(e instanceof NotebookFormatError)) throw e;
    io.err(`autograd-lab: ${e.message}\n`);
    return 2;
  }

  const kernel = NotebookKernel.start({ notebookPath: path, userRoot: dirname(path), probes: options.probes, graph: options.graph });
  const onSigint = () => {
    kernel.dispose();
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    await kernel.ready;
    let failed = false;
    let count = 0;
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      const code = cellSource(cell);
      if (!code.trim()) {
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      // Each non-empty cell advances the kernel's count by one: this one is the next.
      io.out(`${count === 0 ? '' : '\n'}── In [${count + 1}] · cell ${i + 1} ${'─'.repeat(48)}\n`);
      const outputs: CellOutput[] = [];
      const run = await kernel.execute({ code, cellId: `${path}#cell${i + 1}` }, (output) => {
        outputs.push(output);
        printOutput(output, io);
      });
      count = run.executionCount;
      cell.outputs = nbformatOutputs(outputs);
      cell.execution_count = run.executionCount;
      if (run.status !== 'ok' && !options.allowErrors) {
        io.err(`autograd-lab: cell ${i + 1} raised an error; the cells after it did not run${outputPath ? ` and ${options.output} was not written` : ''} (--allow-errors runs them).\n`);
        failed = true;
        break;
      }
    }
    if (failed) return 1;
    if (outputPath !== null) {
      const temporary = `${outputPath}.${process.pid}.tmp`;
      writeFileSync(temporary, serializeNotebook(nb));
      renameSync(temporary, outputPath);
    }
    return 0;
  } catch (e) {
    io.err(`autograd-lab: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    kernel.dispose();
  }
}
