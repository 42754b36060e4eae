/**
 * Jupyter notebooks on disk (nbformat 4): reading one with a clear error for what is malformed,
 * turning a kernel's cell outputs into nbformat outputs, and writing the notebook back as
 * `jupyter nbconvert --to notebook` does (keys sorted, one-space indent, multi-line strings as
 * lists of lines). Everything but the code cells' outputs and execution counts is kept as read.
 */
import type { CellOutput, MimeBundle } from '../../protocol/kernel-process.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A notebook's JSON, with the fields we read checked. */
export interface Notebook extends JsonObject {
  nbformat: number;
  nbformat_minor: number;
  cells: NotebookCell[];
}

export interface NotebookCell extends JsonObject {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
}

export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

const CELL_TYPES = new Set(['code', 'markdown', 'raw']);

/** Parses a notebook's text; throws NotebookFormatError naming what is wrong (and the cell). */
export function parseNotebook(text: string, name: string): Notebook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(`${name} is not a notebook: it is not valid JSON (${(e as Error).message}).`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NotebookFormatError(`${name} is not a notebook: its JSON is not an object.`);
  const nb = value as Partial<Notebook>;
  if (typeof nb.nbformat !== 'number') throw new NotebookFormatError(`${name} is not a notebook: it has no nbformat version.`);
  if (nb.nbformat < 4) {
    throw new NotebookFormatError(`${name} is an nbformat ${nb.nbformat} notebook; only nbformat 4 is read (convert it with \`jupyter nbconvert --to notebook --nbformat 4\`).`);
  }
  if (nb.nbformat > 4) throw new NotebookFormatError(`${name} is an nbformat ${nb.nbformat} notebook; only nbformat 4 is read.`);
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError(`${name} is not a notebook: it has no list of cells.`);
  nb.cells.forEach((cell: unknown, i) => {
    const where = `${name}, cell ${i + 1}`;
    if (cell === null || typeof cell !== 'object' || Array.isArray(cell)) throw new NotebookFormatError(`${where}: a cell must be an object.`);
    const c = cell as Partial<NotebookCell>;
    if (typeof c.cell_type !== 'string') throw new NotebookFormatError(`${where}: the cell has no cell_type.`);
    if (!CELL_TYPES.has(c.cell_type)) throw new NotebookFormatError(`${where}: unknown cell type '${c.cell_type}' (expected code, markdown or raw).`);
    if (c.source === undefined) throw new NotebookFormatError(`${where}: the ${c.cell_type} cell has no source.`);
    if (typeof c.source !== 'string' && !(Array.isArray(c.source) && c.source.every((l) => typeof l === 'string'))) {
      throw new NotebookFormatError(`${where}: the cell's source must be a string or a list of strings.`);
    }
  });
  if (typeof nb.nbformat_minor !== 'number') nb.nbformat_minor = 0;
  return nb as Notebook;
}

/** A cell's source as one string. */
export function cellSource(cell: NotebookCell): string {
  return typeof cell.source === 'string' ? cell.source : cell.source.join('');
}

/** nbformat's multi-line string: a list of lines, each with its newline but the last. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
}

function mimeData(data: MimeBundle): JsonObject {
  const out: JsonObject = {};
  for (const [mime, value] of Object.entries(data) as [keyof MimeBundle, string][]) {
    // Binary data stays one base64 string; text is split into lines.
    out[mime] = mime === 'image/png' ? value : splitLines(value);
  }
  return out;
}

/** The kernel's outputs of one cell as nbformat outputs; consecutive text of one stream is joined, as Jupyter shows it. */
export function nbformatOutputs(outputs: readonly CellOutput[]): JsonObject[] {
  const result: JsonObject[] = [];
  let stream: { name: string; text: string; output: JsonObject } | null = null;
  for (const o of outputs) {
    if (o.kind === 'stream') {
      if (stream && stream.name === o.name) {
        stream.text += o.text;
        stream.output.text = splitLines(stream.text);
        continue;
      }
      const output: JsonObject = { name: o.name, output_type: 'stream', text: splitLines(o.text) };
      stream = { name: o.name, text: o.text, output };
      result.push(output);
      continue;
    }
    stream = null;
    if (o.kind === 'display') result.push({ data: mimeData(o.data), metadata: {}, output_type: 'display_data' });
    else if (o.kind === 'result') result.push({ data: mimeData(o.data), execution_count: o.executionCount, metadata: {}, output_type: 'execute_result' });
    else result.push({ ename: o.ename, evalue: o.evalue, output_type: 'error', traceback: o.traceback });
  }
  return result;
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]!);
  return sorted;
}

/** The notebook's text as nbformat writes it. */
export function serializeNotebook(nb: Notebook): string {
  return `${JSON.stringify(sortKeys(nb), null, 1)}\n`;
}
