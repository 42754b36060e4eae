/**
 * `autograd-lab runs`: the run records of a workspace (`.autograd-lab/runs/`, found in the
 * current folder or the nearest one above that has it).
 *
 *   runs [list] [--json]                 every run, newest first
 *   runs show <id> [--json]              one run: summary, curves' first/min/last, warnings, error
 *   runs export <id> [--csv] [--out FILE] its curves as CSV (the only format, so --csv is implied)
 *
 * `<id>` may be any unique prefix of a run id. Exit codes: 0 ok, 2 usage error or no such run,
 * 1 the records could not be read or the output could not be written.
 *
 * Records hold what scripts printed and named and may come from a cloned repository: every text
 * taken from them is shown with its control characters escaped (`printable`), so an ANSI escape
 * sequence in a series name cannot clear or retitle the terminal.
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { curvesToCsv } from '../protocol/curves-csv.js';
import { formatValue } from '../protocol/number-format.js';
import type { RunEnding, RunEvent, WarningEvent } from '../protocol/run-events.js';
import { encodeJson } from '../protocol/wire.js';
import {
  RecordError,
  findWorkspaceRoot,
  isValidRunId,
  listRuns,
  readRun,
  recordedCurves,
  runsDirectory,
  type RecordProblem,
  type RunRecordSummary,
} from '../runner/records.js';

export interface RunsCommandIo {
  /** The folder the command runs in; records are looked for here and in the folders above. */
  cwd: string;
  /** Writes to standard output (the text includes its own newlines). */
  out: (s: string) => void;
  /** Writes to standard error (the text includes its own newlines). */
  err: (s: string) => void;
}

export const RUNS_USAGE = `usage: autograd-lab runs [list] [--json]
       autograd-lab runs show <id> [--json]
       autograd-lab runs export <id> [--csv] [--out FILE]

Run records are kept in .autograd-lab/runs/ of the folder a script ran in (this
folder or the nearest one above it that has records).

list     every recorded run, newest first: id, start, script, status, duration and
         the last value of each loss series
show     one run: its summary, each series' points and first/min/last values,
         warnings, and the error if it failed
export   the run's curves as CSV: a step column, then one column per series
         (to standard output, or to FILE with --out)

<id> may be any unique beginning of a run id.
--json   print machine-readable JSON instead of text (list, show)

Exit codes: 0 ok, 2 usage error or unknown run, 1 records or output not readable/writable.
`;

interface Parsed {
  command: 'list' | 'show' | 'export' | 'help';
  id?: string;
  json: boolean;
  csv: boolean;
  out?: string;
}

class UsageError extends Error {}

function parseArgs(args: readonly string[]): Parsed {
  const positional: string[] = [];
  let json = false;
  let csv = false;
  let out: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--json') json = true;
    else if (arg === '--csv') csv = true;
    else if (arg === '--out' || arg === '-o') {
      const file = args[++i];
      if (file === undefined || file === '') throw new UsageError(`${arg} needs a file name`);
      out = file;
    } else if (arg.startsWith('--out=')) {
      out = arg.slice('--out='.length);
      if (out === '') throw new UsageError('--out needs a file name');
    } else if (arg === '--') positional.push(...args.slice(i + 1)), (i = args.length);
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    else positional.push(arg);
  }
  if (help || positional[0] === 'help') return { command: 'help', json, csv };
  const [sub = 'list', ...rest] = positional;
  if (sub === 'list') {
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    if (csv || out !== undefined) throw new UsageError('--csv and --out go with export');
    return { command: 'list', json, csv };
  }
  if (sub === 'show' || sub === 'export') {
    if (rest.length === 0) throw new UsageError(`${sub} needs a run id (see 'autograd-lab runs list')`);
    if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}'`);
    if (sub === 'show' && (csv || out !== undefined)) throw new UsageError('--csv and --out go with export');
    if (sub === 'export' && json) throw new UsageError('export writes CSV (--csv); use show --json for JSON');
    return { command: sub, id: rest[0], json, csv, ...(out !== undefined ? { out } : {}) };
  }
  throw new UsageError(`unknown runs command '${sub}'`);
}

export async function runsCommand(args: string[], io: RunsCommandIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`autograd-lab runs: ${err.message}\n\n${RUNS_USAGE}`);
    return 2;
  }
  if (parsed.command === 'help') {
    io.out(RUNS_USAGE);
    return 0;
  }
  const root = findWorkspaceRoot(io.cwd);
  try {
    if (parsed.command === 'list') return list(root, parsed.json, io);
    return showOrExport(root, parsed, io);
  } catch (err) {
    io.err(`autograd-lab runs: ${printable(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

// ------------------------------------------------------------------------------ list

function list(root: string, json: boolean, io: RunsCommandIo): number {
  const { runs, problems } = listRuns(root);
  const dirFailed = problems.some((p) => p.runId === '');
  if (json) {
    io.out(jsonText({ root, runs, problems }));
  } else if (runs.length === 0) {
    if (!dirFailed) io.out(`No runs recorded in ${displayPath(runsDirectory(root), root)} yet.\n`);
  } else {
    const header = ['ID', 'STARTED', 'SCRIPT', 'STATUS', 'DURATION', 'LAST VALUES'];
    const rows = runs.map((run) => [
      run.runId,
      formatStart(run.startedAt),
      displayPath(run.script, root),
      `${run.status}${run.note ? '*' : ''}${run.ending ? endingNote(run.ending, true) : ''}`,
      run.durationMs === undefined ? '-' : formatDuration(run.durationMs),
      lastValues(run),
    ]);
    io.out(table(header, rows));
    if (runs.some((r) => r.note)) io.out(`\n* ended without a finish event: its process was killed or crashed; what it recorded is kept\n`);
  }
  reportProblems(problems, io);
  return dirFailed ? 1 : 0;
}

function lastValues(run: RunRecordSummary): string {
  const entries = Object.entries(run.series);
  if (entries.length === 0) return '-';
  const shown = entries.slice(0, 3).map(([name, s]) => `${name} ${formatValue(s.last)}`);
  if (entries.length > 3) shown.push(`(+${entries.length - 3} more)`);
  return shown.join('  ');
}

// ------------------------------------------------------------------------------ show / export

/** The run `query` names: an exact id, or the one run whose id begins with it. */
function resolveRun(root: string, query: string, io: RunsCommandIo): string | number {
  const { runs, problems } = listRuns(root);
  if (problems.some((p) => p.runId === '')) {
    reportProblems(problems, io);
    return 1;
  }
  if (isValidRunId(query) && (runs.some((r) => r.runId === query) || problems.some((p) => p.runId === query))) return query;
  let matches = runs.filter((r) => r.runId.startsWith(query));
  if (matches.length === 0 && query !== '') {
    // `2026112709` for `20261127-09...`: the id's digits typed without its dashes
    const bare = (id: string) => id.replaceAll('-', '');
    matches = runs.filter((r) => bare(r.runId).startsWith(bare(query)));
  }
  if (matches.length === 1) return matches[0]!.runId;
  if (matches.length > 1) {
    io.err(`autograd-lab runs: '${printable(query)}' matches ${matches.length} runs; give more of the id:\n${candidates(matches, root)}`);
    return 2;
  }
  if (runs.length === 0) io.err(`autograd-lab runs: no run '${printable(query)}': no runs recorded in ${printable(displayPath(runsDirectory(root), root))}\n`);
  else {
    const recent = runs.slice(0, 10);
    const more = runs.length > recent.length ? `  ... and ${runs.length - recent.length} older (autograd-lab runs list)\n` : '';
    io.err(`autograd-lab runs: no run '${printable(query)}'. Recorded runs:\n${candidates(recent, root)}${more}`);
  }
  return 2;
}

function candidates(runs: RunRecordSummary[], root: string): string {
  return runs.map((r) => `  ${r.runId}  ${printable(formatStart(r.startedAt))}  ${printable(displayPath(r.script, root))}  ${printable(r.status)}\n`).join('');
}

function showOrExport(root: string, parsed: Parsed, io: RunsCommandIo): number {
  const resolved = resolveRun(root, parsed.id!, io);
  if (typeof resolved === 'number') return resolved;
  let record: ReturnType<typeof readRun>;
  try {
    record = readRun(root, resolved, { exclude: ['graph', 'probes', 'output'] });
  } catch (err) {
    if (err instanceof RecordError && err.code === 'not-found') {
      io.err(`autograd-lab runs: ${printable(err.message)}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.command === 'export') return exportCsv(root, record.events, record.problems, resolved, parsed.out, io);
  return show(root, record, parsed.json, io);
}

interface SeriesView {
  points: number;
  firstStep: number;
  first: number;
  min: number;
  minStep: number;
  lastStep: number;
  last: number;
}

function seriesViews(events: readonly RunEvent[]): Record<string, SeriesView> {
  const views: Record<string, SeriesView> = {};
  for (const [name, { steps, values }] of recordedCurves(events).series) {
    const last = steps.length - 1;
    let min = 0;
    for (let i = 0; i <= last; i++) if (Number.isNaN(values[min]!) || values[i]! < values[min]!) min = i;
    views[name] = { points: steps.length, firstStep: steps[0]!, first: values[0]!, min: values[min]!, minStep: steps[min]!, lastStep: steps[last]!, last: values[last]! };
  }
  return views;
}

function show(root: string, record: ReturnType<typeof readRun>, json: boolean, io: RunsCommandIo): number {
  const { summary, events, problems } = record;
  const series = seriesViews(events);
  const warnings = events.filter((e): e is WarningEvent => e.type === 'warning');
  const started = events.find((e) => e.type === 'run-started');
  const engineVersion = started?.type === 'run-started' ? started.engineVersion : undefined;
  if (json) {
    io.out(jsonText({ summary, engineVersion, series, warnings, problems }));
    reportProblems(problems, io);
    return 0;
  }
  const lines: string[] = [];
  lines.push(`Run ${printable(summary.runId)}`);
  lines.push(`  script    ${printable(displayPath(summary.script, root))} (${printable(summary.language)})`);
  lines.push(`  started   ${printable(formatStart(summary.startedAt))}`);
  const duration = summary.durationMs === undefined ? '' : summary.status === 'running' ? ` (${formatDuration(summary.durationMs)} so far)` : ` after ${formatDuration(summary.durationMs)}`;
  lines.push(`  status    ${printable(summary.status)}${duration}${summary.ending ? endingNote(summary.ending, false) : ''}`);
  if (summary.note) lines.push(`            (${printable(summary.note)})`);
  if (summary.outputNotRecordedBytes !== undefined) {
    lines.push(`  output    ${formatBytes(summary.outputNotRecordedBytes)} more than the record keeps was printed (shown while it ran, not recorded)`);
  }
  if (engineVersion) lines.push(`  engine    autograd-lab ${printable(engineVersion)}`);
  const names = Object.keys(series);
  lines.push('');
  if (names.length === 0) lines.push('No metric series recorded.');
  else {
    lines.push('Series');
    const rows = names.map((name) => {
      const s = series[name]!;
      return [
        name,
        String(s.points),
        `${formatValue(s.first)} @${s.firstStep}`,
        `${formatValue(s.min)} @${s.minStep}`,
        `${formatValue(s.last)} @${s.lastStep}`,
      ];
    });
    lines.push(indent(table(['NAME', 'POINTS', 'FIRST', 'MIN', 'LAST'], rows)));
  }
  if (warnings.length > 0) {
    lines.push('');
    lines.push(`Warnings (${warnings.length})`);
    for (const w of warnings) {
      const where = w.location ? ` (${printable(displayPath(String(w.location.file), root))}:${printable(String(w.location.line))})` : '';
      const epoch = w.epoch !== undefined ? ` at epoch ${printable(String(w.epoch))}` : '';
      lines.push(`  [${printable(String(w.kind))}]${epoch} ${printable(String(w.message))}${where}`);
    }
  }
  if (summary.error) {
    const e = summary.error;
    lines.push('');
    lines.push('Error');
    if (e.location) lines.push(`  at ${printable(`${displayPath(String(e.location.file), root)}:${e.location.line}:${e.location.column}`)}`);
    // A record is not trusted to hold strings where it should.
    const [name, message, trace] = [e.name, e.message, e.stack].map((v) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v)));
    const stack = trace && trace.includes(message!) ? trace : `${name}: ${message}${trace ? `\n${trace}` : ''}`;
    for (const line of stack.split('\n')) lines.push(`  ${printable(line)}`);
  }
  io.out(lines.join('\n') + '\n');
  reportProblems(problems, io);
  return 0;
}

function exportCsv(
  root: string,
  events: readonly RunEvent[],
  problems: RecordProblem[],
  runId: string,
  out: string | undefined,
  io: RunsCommandIo,
): number {
  const curves = recordedCurves(events);
  const csv = curvesToCsv(curves.series);
  reportProblems(problems, io);
  const rows = csv.split('\n').length - 2;
  const columns = curves.series.size;
  if (columns === 0) io.err(`autograd-lab runs: run ${runId} recorded no metric series; the CSV has only its header\n`);
  if (out === undefined) {
    io.out(csv);
    return 0;
  }
  const path = resolve(io.cwd, out);
  try {
    writeFileSync(path, csv);
  } catch (err) {
    io.err(`autograd-lab runs: cannot write ${out}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.out(`Wrote ${out}: ${rows} step${rows === 1 ? '' : 's'} x ${columns} series of run ${runId}\n`);
  return 0;
}

// ------------------------------------------------------------------------------ formatting

function reportProblems(problems: readonly RecordProblem[], io: RunsCommandIo): void {
  for (const p of problems) io.err(`warning: ${printable(p.file)}: ${printable(p.message)}\n`);
}

/** Characters that act on a terminal or reorder what it shows: C0 and C1 controls, DEL, the bidirectional marks and overrides. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves as it is of UNPRINTABLE (it escapes C0 controls itself). */
const JSON_UNPRINTABLE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with its control characters written as escapes (`\x1b`, `\n`, `\u202e`): shown, never obeyed. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/**
 * JSON with NaN and infinities spelled as the records spell them (wire.ts). JSON escapes C0
 * controls itself; the C1 controls and bidirectional overrides are escaped too (`\u009b`), which
 * JSON readers read back as the same characters.
 */
function jsonText(value: unknown): string {
  const text = encodeJson(value, 2).replace(JSON_UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text + '\n';
}

/** How the script process ended, when that says more than the status: ` (exit code 3)`, ` (killed by SIGKILL)`. */
function endingNote(ending: RunEnding, short: boolean): string {
  if (ending.how === 'exit-code' && ending.exitCode !== null) return short ? ` (exit ${ending.exitCode})` : ` (exit code ${ending.exitCode})`;
  if (ending.how === 'signal' && ending.signal !== null) return ` (${short ? '' : 'killed by '}${printable(String(ending.signal))})`;
  return '';
}

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  if (bytes < 1024) return `${Math.round(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A table whose cells are shown as text (printable), columns padded to their widest cell. */
function table(header: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n')
    .replace(/\n$/, '');
}

/** 850ms, 12.3s, 2m05s, 1h02m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** `2026-11-27 00:30:15` in local time; the text as it is when it is not a date. */
function formatStart(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso || '-';
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A path relative to the workspace when it is inside it. */
function displayPath(path: string, root: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
