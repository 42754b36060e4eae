/**
 * Run records: every run is saved append-only under `<workspace>/.autograd-lab/runs/<run-id>/`
 * so the curves of earlier runs can be re-opened and compared.
 *
 *   events.jsonl   every RunEvent of the run, one JSON line each, in the order they happened
 *   summary.json   a RunSummary, rewritten atomically (temp file + rename) as the run goes
 *   .lock          present while a writer has the run open: `{ pid, hostname, createdAt }`
 *
 * events.jsonl is the truth; summary.json is a cache for listing runs quickly. Each event is
 * handed to the operating system with one write() as it arrives, so a writer process that is
 * killed (SIGKILL, crash) loses nothing already appended; at worst its last line is cut short.
 * Readers skip and report lines they cannot read, and a run whose events end without a
 * terminal event and whose writer is gone is shown as 'stopped', with everything up to then.
 *
 * Readers trust no file: they open only regular files (no symbolic links, FIFOs or devices: a
 * cloned repository may hold anything under .autograd-lab/), read at most READ_LIMITS of each,
 * and report what they skipped.
 *
 * The record keeps at most OUTPUT_RECORD_LIMIT_BYTES of the script's output (what it printed was
 * shown in full while it ran); beyond that it says so, in the output itself and on the terminal
 * event (`outputNotRecordedBytes`). While a writer is open it touches its `.lock` four times a second, so
 * a run whose writer was killed is listed with the time it really ran.
 *
 * Non-finite numbers (a loss that became NaN or Infinity) are written as wire.ts spells them
 * and read back as numbers (parseEvent). Records of protocol version 1 (metrics as an object per
 * point) read as version 2 (parseEvent), so every reader (the CLI's runs list/show/export, the
 * panel's restore and Compare Runs) reads both.
 */
import { randomBytes } from 'node:crypto';
import {
  type Dirent,
  type Stats,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  PROTOCOL_VERSION,
  RECORDS_DIR,
  decodeSummaryNumbers,
  isTerminal,
  parseEvent,
  type RunEnding,
  type RunEvent,
  type RunStatus,
  type RunSummary,
  type ScriptLanguage,
} from '../protocol/run-events.js';
import { encodeJson } from '../protocol/wire.js';
import { SeriesNames, SeriesSet } from '../series/columns.js';

export const EVENTS_FILE = 'events.jsonl';
export const SUMMARY_FILE = 'summary.json';
export const LOCK_FILE = '.lock';

const MiB = 1024 * 1024;
/** The most a reader takes in of each file of a record; what lies beyond is reported, not read. */
export const READ_LIMITS = { [SUMMARY_FILE]: 16 * MiB, [LOCK_FILE]: 64 * 1024, [EVENTS_FILE]: 1024 * MiB } as const;
/** The longest line of events.jsonl a reader parses (a graph snapshot is well under 1 MiB). */
const EVENT_LINE_LIMIT = 64 * MiB;
/** The most of the script's output a record keeps, in UTF-8 bytes (default of RunRecordWriterOptions.outputLimitBytes). */
export const OUTPUT_RECORD_LIMIT_BYTES = 8 * MiB;
/** How often an open writer touches its lock, which tells readers until when it was alive. */
const HEARTBEAT_MS = 250;

/** Something wrong with a record on disk, reported instead of thrown. */
export interface RecordProblem {
  /** The run it concerns; '' for the runs directory itself. */
  runId: string;
  /** The file or directory, relative to the workspace root (`.autograd-lab/runs/<id>/events.jsonl`). */
  file: string;
  message: string;
}

/** A RunSummary as a reader settled it; `note` explains a status the reader inferred. */
export interface RunRecordSummary extends RunSummary {
  note?: string;
}

/** `readRun` on a run that is not there or cannot be read at all. */
export class RecordError extends Error {
  constructor(
    readonly code: 'not-found' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

export const STOPPED_NOTE =
  'the run ended without a run-finished or run-failed event (its process was killed or crashed); everything recorded up to then is kept';

// ------------------------------------------------------------------------------ ids and paths

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** True for a name usable as a run id: a single, safe path component. */
export function isValidRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

let lastIdStamp = '';
const idSuffixesInStamp = new Set<string>();

/**
 * `20261127-003015-123-ab12`: the UTC start time to the millisecond, then random hex. Sorts by
 * time as a string; unique within this process even for many ids in the same millisecond, and
 * across processes with high probability (RunRecordWriter.create refuses an existing id).
 */
export function newRunId(date: Date = new Date()): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('newRunId: invalid date');
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  const stamp =
    `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `-${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}-${p(date.getUTCMilliseconds(), 3)}`;
  if (stamp !== lastIdStamp) {
    lastIdStamp = stamp;
    idSuffixesInStamp.clear();
  }
  let suffix: string;
  do suffix = randomBytes(idSuffixesInStamp.size < 0x4000 ? 2 : 6).toString('hex');
  while (idSuffixesInStamp.has(suffix));
  idSuffixesInStamp.add(suffix);
  return `${stamp}-${suffix}`;
}

/** The start time encoded in a `newRunId` id, as ISO 8601; null for other ids. */
function startFromRunId(runId: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})-/.exec(runId);
  if (!m) return null;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `<workspaceRoot>/.autograd-lab/runs`. */
export function runsDirectory(workspaceRoot: string): string {
  return join(workspaceRoot, RECORDS_DIR);
}

/**
 * The nearest directory at or above `cwd` that holds run records (like git finding its
 * repository), or `cwd` itself when none does.
 */
export function findWorkspaceRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    try {
      if (statSync(join(dir, RECORDS_DIR)).isDirectory()) return dir;
    } catch {
      // not here
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

function relFile(runId: string, file?: string): string {
  return file === undefined ? `${RECORDS_DIR}/${runId}` : `${RECORDS_DIR}/${runId}/${file}`;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? `permission denied (${code})` : err.message;
  }
  return String(err);
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

// ------------------------------------------------------------------------------ summaries

type SeriesStats = RunSummary['series'][string];

/** Folds events into a RunSummary: the one place the writer and the readers compute it. */
class SummaryBuilder {
  start: { protocolVersion: number; script: string; language: ScriptLanguage; startedAt: string } | null = null;
  terminal: { status: RunStatus; durationMs: number; error?: RunSummary['error']; ending?: RunEnding; outputNotRecordedBytes?: number } | null = null;
  readonly series: Record<string, SeriesStats> = {};
  private readonly names = new SeriesNames();
  sawMetrics = false;
  count = 0;
  lastTime = 0;

  observe(event: RunEvent): void {
    this.count++;
    if (typeof event.time === 'number' && Number.isFinite(event.time) && event.time > this.lastTime) this.lastTime = event.time;
    switch (event.type) {
      case 'run-started':
        this.start = {
          protocolVersion: typeof event.protocolVersion === 'number' ? event.protocolVersion : PROTOCOL_VERSION,
          script: typeof event.script === 'string' ? event.script : '',
          language: event.language,
          startedAt: typeof event.startedAt === 'string' ? event.startedAt : '',
        };
        break;
      case 'metrics': {
        const { series, index, steps, values } = event;
        for (let i = 0; i < index.length; i++) {
          const value = values[i]!;
          this.sawMetrics = true;
          const s = (this.series[this.names.of(series[index[i]!]!.name, steps[i]!)] ??= { points: 0, last: NaN, min: NaN });
          s.points++;
          s.last = value;
          if (!Number.isNaN(value) && !(value >= s.min)) s.min = value;
        }
        break;
      }
      case 'run-finished':
      case 'run-failed': {
        this.terminal = event.type === 'run-finished' ? { status: event.status, durationMs: event.durationMs } : { status: 'failed', durationMs: event.durationMs, error: event.error };
        if (isEnding(event.ending)) this.terminal.ending = event.ending;
        if (typeof event.outputNotRecordedBytes === 'number') this.terminal.outputNotRecordedBytes = event.outputNotRecordedBytes;
        break;
      }
      default:
        break;
    }
  }

  /** The summary these events describe, filling what they lack from `base`. */
  build(runId: string, base: RunSummary | null, fallbackStartedAt: () => string): RunRecordSummary {
    const start = this.start;
    const summary: RunRecordSummary = {
      runId,
      protocolVersion: start?.protocolVersion ?? base?.protocolVersion ?? PROTOCOL_VERSION,
      script: start?.script ?? base?.script ?? '(unknown)',
      language: start?.language ?? base?.language ?? 'typescript',
      startedAt: start?.startedAt || base?.startedAt || fallbackStartedAt(),
      status: 'running',
      series: this.sawMetrics || !base ? cloneSeries(this.series) : cloneSeries(base.series),
    };
    const ended = this.terminal ?? (base && base.status !== 'running' ? base : null);
    if (ended) {
      summary.status = ended.status;
      if (ended.durationMs !== undefined) summary.durationMs = ended.durationMs;
      if (ended.error !== undefined) summary.error = ended.error;
      if (ended.ending !== undefined) summary.ending = ended.ending;
      if (ended.outputNotRecordedBytes !== undefined) summary.outputNotRecordedBytes = ended.outputNotRecordedBytes;
    }
    return summary;
  }
}

function cloneSeries(series: RunSummary['series']): RunSummary['series'] {
  const out: RunSummary['series'] = {};
  for (const [name, s] of Object.entries(series)) out[name] = { ...s };
  return out;
}

const STATUSES = new Set(['running', 'completed', 'stopped', 'failed']);

/** A RunEnding as the terminal event or summary.json should hold it. */
function isEnding(value: unknown): value is RunEnding {
  if (value === null || typeof value !== 'object') return false;
  const e = value as Partial<RunEnding>;
  return typeof e.how === 'string' && (e.exitCode === null || typeof e.exitCode === 'number') && (e.signal === null || typeof e.signal === 'string');
}

/** A summary.json's contents if it is a well-formed summary of `runId`; otherwise why not. */
function checkSummary(value: unknown, runId: string): RunSummary | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  const s = value as Record<string, unknown>;
  if (s.runId !== runId) return `names run '${String(s.runId)}', not '${runId}'`;
  if (typeof s.status !== 'string' || !STATUSES.has(s.status)) return 'has no valid status';
  if (typeof s.script !== 'string' || typeof s.startedAt !== 'string' || typeof s.language !== 'string') return 'lacks script, language or startedAt';
  if (s.series === null || typeof s.series !== 'object' || Array.isArray(s.series)) return 'has no series';
  for (const stats of Object.values(s.series as Record<string, unknown>)) {
    if (stats === null || typeof stats !== 'object' || typeof (stats as SeriesStats).points !== 'number') return 'has a malformed series entry';
  }
  if (s.durationMs !== undefined && typeof s.durationMs !== 'number') return 'has a malformed durationMs';
  if (s.ending !== undefined && !isEnding(s.ending)) return 'has a malformed ending';
  if (s.outputNotRecordedBytes !== undefined && typeof s.outputNotRecordedBytes !== 'number') return 'has a malformed outputNotRecordedBytes';
  decodeSummaryNumbers(s as unknown as RunSummary);
  return s as unknown as RunSummary;
}

// ------------------------------------------------------------------------------ reading files we do not trust

/** A file of a record that a reader left alone, and why: reported as a RecordProblem. */
class SkippedFile extends Error {}

function fileKind(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading only if it is a regular file: not a symbolic link (which could point at
 * /dev/zero or anything else), FIFO (whose open or read would wait forever), device or socket.
 * lstat says so first; O_NOFOLLOW and O_NONBLOCK, then fstat on what was opened, make sure it
 * was not swapped in between. Throws SkippedFile for anything else (ENOENT as it comes).
 */
function openRegularFile(path: string): { fd: number; size: number } {
  const before = lstatSync(path);
  if (!before.isFile()) throw new SkippedFile(`is ${fileKind(before)}, not a regular file; not read`);
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    if (errCode(err) === 'ELOOP' || errCode(err) === 'EMLINK') throw new SkippedFile('is a symbolic link, not a regular file; not read');
    throw err;
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new SkippedFile(`is ${fileKind(opened)}, not a regular file; not read`);
    return { fd, size: opened.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function sizeText(bytes: number): string {
  if (bytes >= MiB) return `${Math.round(bytes / MiB)} MiB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/** A small file of a record (summary, lock) as text: at most `limit` bytes, or SkippedFile. */
function readSmallFile(path: string, limit: number): string {
  const { fd, size } = openRegularFile(path);
  try {
    if (size > limit) throw new SkippedFile(`is larger than ${sizeText(limit)} (${sizeText(size)}); not read`);
    // One byte more than allowed tells a file that grew since fstat.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > limit) throw new SkippedFile(`is larger than ${sizeText(limit)}; not read`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

// ------------------------------------------------------------------------------ locks

/** Run directories this process has open for writing. */
const openWriters = new Set<string>();

interface LockInfo {
  pid: number;
  hostname: string;
  createdAt: string;
}

/**
 * Whether a writer is still recording into `dir`: 'live' while the process named in `.lock`
 * runs (or when that cannot be told: another host, an unreadable lock), 'stale' when the lock
 * was left by a process that is gone, 'none' without a lock. A lock that is not a regular file
 * of sensible size was not made by a writer: 'stale', and reported to `skipped`.
 */
export function writerState(dir: string, skipped?: (message: string) => void): 'none' | 'live' | 'stale' {
  let text: string;
  try {
    text = readSmallFile(join(dir, LOCK_FILE), READ_LIMITS[LOCK_FILE]);
  } catch (err) {
    if (err instanceof SkippedFile) {
      skipped?.(err.message);
      return 'stale';
    }
    return errCode(err) === 'ENOENT' ? 'none' : 'live';
  }
  let lock: Partial<LockInfo>;
  try {
    lock = JSON.parse(text) as Partial<LockInfo>;
  } catch {
    return 'stale'; // locks are written atomically, so a garbled one is not a writer's
  }
  if (typeof lock?.pid !== 'number' || !Number.isInteger(lock.pid) || lock.pid <= 0) return 'stale';
  if (typeof lock.hostname === 'string' && lock.hostname !== hostname()) return 'live';
  if (lock.pid === process.pid) return openWriters.has(resolve(dir)) ? 'live' : 'stale';
  try {
    process.kill(lock.pid, 0);
    return 'live';
  } catch (err) {
    return errCode(err) === 'EPERM' ? 'live' : 'stale';
  }
}

// ------------------------------------------------------------------------------ low-level I/O

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/** Writes `text` to `path` through a temp file and a rename, so readers see old or new, never half. */
function writeFileAtomic(path: string, text: string, durable: boolean): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, Buffer.from(text, 'utf8'));
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    // Windows refuses to replace a file another process has open; a plain write still works
    // (a reader catching it half-written rebuilds the summary from the events).
    try {
      unlinkSync(tmp);
    } catch {
      // ignore
    }
    const code = errCode(err);
    if (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY') throw err;
    const fd2 = openSync(path, 'w');
    try {
      writeAll(fd2, Buffer.from(text, 'utf8'));
    } finally {
      closeSync(fd2);
    }
  }
}

/** What forEachLine left unread, for the reader to report. */
interface LineScan {
  /** Lines longer than EVENT_LINE_LIMIT, not parsed. */
  longLines: number[];
  /** Bytes past READ_LIMITS[EVENTS_FILE], not read. */
  unreadBytes: number;
}

/**
 * Calls `onLine` for each line of a regular file without holding the whole file as one string
 * (a run's graph events can add up to more than a string can hold), reading at most `limit`
 * bytes and skipping lines longer than EVENT_LINE_LIMIT. `complete` is false for a last line that
 * has no newline yet.
 */
function forEachLine(path: string, limit: number, onLine: (line: string, lineNo: number, complete: boolean) => void): LineScan {
  const { fd, size } = openRegularFile(path);
  const scan: LineScan = { longLines: [], unreadBytes: Math.max(0, size - limit) };
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let tooLong = false;
    let lineNo = 0;
    let read = 0;
    const endLine = (last: Buffer | null, complete: boolean) => {
      lineNo++;
      if (tooLong) scan.longLines.push(lineNo);
      else onLine((last === null ? Buffer.concat(pending) : pending.length > 0 ? Buffer.concat([...pending, last]) : last).toString('utf8'), lineNo, complete);
      pending = [];
      pendingBytes = 0;
      tooLong = false;
    };
    while (read < limit) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, limit - read), null);
      if (n === 0) break;
      read += n;
      const data = chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        if (pendingBytes + nl - start > EVENT_LINE_LIMIT) tooLong = true;
        endLine(data.subarray(start, nl), true);
        start = nl + 1;
      }
      if (start < n) {
        pendingBytes += n - start;
        if (pendingBytes > EVENT_LINE_LIMIT) {
          tooLong = true;
          pending = [];
        } else pending.push(Buffer.from(data.subarray(start)));
      }
    }
    if (pendingBytes > 0) endLine(null, false);
  } finally {
    closeSync(fd);
  }
  return scan;
}

// ------------------------------------------------------------------------------ the writer

export interface RunRecordWriterOptions {
  /**
   * How often, at most, summary.json is rewritten for new metric points while the run goes on
   * (it is always written at run-started, at the terminal event and on close). Default 1000.
   */
  summaryIntervalMs?: number;
  /**
   * Called once if writing fails (disk full, permissions); the writer then stops recording
   * quietly instead of throwing into the run. Default: ignore.
   */
  onError?: (error: Error) => void;
  /**
   * The most of the script's output kept, in UTF-8 bytes (default OUTPUT_RECORD_LIMIT_BYTES). The
   * output event that reaches it is kept up to it with a notice appended; later output events are
   * left out, and the terminal event says how many bytes were (`outputNotRecordedBytes`).
   */
  outputLimitBytes?: number;
}

/**
 * Records one run. `create` makes the run's directory (refusing one that exists) and its lock;
 * `append` writes each event as it comes; `close` writes the last summary and removes the lock.
 *
 * `create` throws when the record cannot be started. After that, I/O failures never throw:
 * they go to `onError` once, `failure` holds them, and later events are dropped. Programming
 * errors do throw: an event of another run, an append after close.
 */
export class RunRecordWriter {
  readonly dir: string;
  private fd: number | null;
  private readonly builder = new SummaryBuilder();
  private summaryDirty = false;
  private lastSummaryWrite = 0;
  private closed = false;
  private error: Error | null = null;
  private outputBytes = 0;
  private outputNotRecordedBytes = 0;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly workspaceRoot: string,
    readonly runId: string,
    dir: string,
    fd: number,
    private readonly options: RunRecordWriterOptions,
  ) {
    this.dir = dir;
    this.fd = fd;
    const lock = join(dir, LOCK_FILE);
    this.heartbeat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(lock, now, now);
      } catch {
        // the lock is gone (the record was deleted): nothing to tell readers any more
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  static create(workspaceRoot: string, runId: string, options: RunRecordWriterOptions = {}): RunRecordWriter {
    if (!isValidRunId(runId)) throw new Error(`invalid run id '${runId}': use letters, digits, '.', '_' and '-' only`);
    const runsDir = runsDirectory(workspaceRoot);
    mkdirSync(runsDir, { recursive: true });
    const dir = resolve(runsDir, runId);
    try {
      mkdirSync(dir);
    } catch (err) {
      if (errCode(err) === 'EEXIST') throw new Error(`a run record named '${runId}' already exists in ${runsDir}`);
      throw err;
    }
    let fd: number | undefined;
    try {
      const lock: LockInfo = { pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString() };
      writeFileAtomic(join(dir, LOCK_FILE), JSON.stringify(lock), false);
      fd = openSync(join(dir, EVENTS_FILE), 'a');
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    openWriters.add(dir);
    return new RunRecordWriter(workspaceRoot, runId, dir, fd, options);
  }

  /** The I/O error that stopped this record, if one did. */
  get failure(): Error | null {
    return this.error;
  }

  /** Appends one event (one write call). */
  append(event: RunEvent): void {
    this.appendAll([event]);
  }

  /** Appends a batch of events with a single write call. */
  appendAll(events: readonly RunEvent[]): void {
    if (this.closed) throw new Error(`RunRecordWriter for run '${this.runId}' is closed`);
    for (const event of events) {
      if (event.runId !== this.runId) throw new Error(`event of run '${event.runId}' appended to the record of run '${this.runId}'`);
    }
    if (this.error || this.fd === null || events.length === 0) return;
    const kept: RunEvent[] = [];
    let text = '';
    for (const event of events) {
      const recorded = this.withinOutputLimit(event);
      if (recorded === null) continue;
      kept.push(recorded);
      text += encodeJson(recorded) + '\n';
    }
    let terminal = false;
    try {
      if (text !== '') writeAll(this.fd, Buffer.from(text, 'utf8'));
      for (const event of kept) {
        this.builder.observe(event);
        if (event.type === 'run-started') this.summaryDirty = true;
        else if (event.type === 'metrics') this.summaryDirty = true;
        else if (isTerminal(event)) terminal = this.summaryDirty = true;
      }
      const started = kept.some((e) => e.type === 'run-started');
      const interval = this.options.summaryIntervalMs ?? 1000;
      if (terminal) {
        fsyncSync(this.fd);
        this.writeSummary(true);
      } else if (started || (this.summaryDirty && Date.now() - this.lastSummaryWrite >= interval)) {
        this.writeSummary(false);
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * The event as the record keeps it: output up to the limit (the event that reaches it cut there,
   * with a notice), no output after it (null), and the terminal event telling what was left out.
   */
  private withinOutputLimit(event: RunEvent): RunEvent | null {
    const limit = this.options.outputLimitBytes ?? OUTPUT_RECORD_LIMIT_BYTES;
    if (event.type === 'output') {
      const bytes = Buffer.byteLength(event.text, 'utf8');
      if (this.outputBytes + bytes <= limit) {
        this.outputBytes += bytes;
        return event;
      }
      if (this.outputBytes >= limit) {
        this.outputNotRecordedBytes += bytes;
        return null;
      }
      const encoded = Buffer.from(event.text, 'utf8');
      let keep = limit - this.outputBytes;
      while (keep > 0 && (encoded[keep]! & 0xc0) === 0x80) keep--; // not inside a character
      this.outputNotRecordedBytes += bytes - keep;
      this.outputBytes = limit;
      const notice = `\n[autograd-lab: this record keeps the first ${sizeText(limit)} of the script's output; the rest was shown while the run ran, not recorded]\n`;
      return { ...event, text: encoded.toString('utf8', 0, keep) + notice };
    }
    if (isTerminal(event) && this.outputNotRecordedBytes > 0) return { ...event, outputNotRecordedBytes: this.outputNotRecordedBytes };
    return event;
  }

  /** Writes the last summary, flushes the events to disk and removes the lock. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    try {
      if (!this.error && this.fd !== null) {
        if (this.summaryDirty) this.writeSummary(true);
        fsyncSync(this.fd);
      }
    } catch (err) {
      this.fail(err);
    }
    try {
      if (this.fd !== null) closeSync(this.fd);
    } catch (err) {
      this.fail(err);
    }
    this.fd = null;
    try {
      rmSync(join(this.dir, LOCK_FILE), { force: true });
    } catch (err) {
      this.fail(err);
    }
    openWriters.delete(this.dir);
  }

  private writeSummary(durable: boolean): void {
    if (!this.builder.start) return; // no run-started yet: readers rebuild from the events
    const summary = this.builder.build(this.runId, null, () => '');
    writeFileAtomic(join(this.dir, SUMMARY_FILE), encodeJson(summary) + '\n', durable);
    this.summaryDirty = false;
    this.lastSummaryWrite = Date.now();
  }

  private fail(err: unknown): void {
    if (this.error) return;
    this.error = new Error(`recording run '${this.runId}' failed: ${errorText(err)}`, { cause: err });
    try {
      this.options.onError?.(this.error);
    } catch {
      // a failing error handler must not break the run either
    }
  }
}

// ------------------------------------------------------------------------------ readers

interface EventScan {
  builder: SummaryBuilder;
  events: RunEvent[];
  found: boolean;
}

/** Reads events.jsonl, reporting and skipping what cannot be read. */
function scanEvents(
  dir: string,
  runId: string,
  live: boolean,
  problems: RecordProblem[],
  keep: ((event: RunEvent) => boolean) | null,
): EventScan {
  const builder = new SummaryBuilder();
  const events: RunEvent[] = [];
  const file = relFile(runId, EVENTS_FILE);
  let otherRun = 0;
  try {
    const unread = forEachLine(join(dir, EVENTS_FILE), READ_LIMITS[EVENTS_FILE], (raw, lineNo, complete) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') return;
      const event = parseEvent(line);
      if (event === null) {
        if (!complete && live) return; // the writer is in the middle of this line
        let value: unknown;
        let json = true;
        try {
          value = JSON.parse(line);
        } catch {
          json = false;
        }
        const e = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
        const stamped = typeof e.runId === 'string' && typeof e.seq === 'number' && typeof e.time === 'number';
        const message = !json
          ? complete
            ? `line ${lineNo} is not valid JSON (truncated write?); skipped`
            : `line ${lineNo} (the last) is cut short (the writer stopped mid-write); skipped`
          : stamped && e.type === 'metrics'
            ? `line ${lineNo} is a metrics event whose columns do not fit together; skipped`
            : `line ${lineNo} is not a run event (needs type, runId, seq and time); skipped`;
        problems.push({ runId, file, message });
        return;
      }
      if (event.runId !== runId) {
        otherRun++;
        if (otherRun === 1) problems.push({ runId, file, message: `line ${lineNo} belongs to run '${event.runId}'; skipped (and any more like it)` });
        return;
      }
      builder.observe(event);
      if (keep === null || keep(event)) events.push(event);
    });
    for (const lineNo of unread.longLines) problems.push({ runId, file, message: `line ${lineNo} is longer than ${sizeText(EVENT_LINE_LIMIT)}; skipped` });
    if (unread.unreadBytes > 0) {
      problems.push({ runId, file, message: `is larger than ${sizeText(READ_LIMITS[EVENTS_FILE])}; the last ${sizeText(unread.unreadBytes)} were not read` });
    }
  } catch (err) {
    if (errCode(err) === 'ENOENT') return { builder, events, found: false };
    problems.push({ runId, file, message: err instanceof SkippedFile ? err.message : `cannot be read: ${errorText(err)}` });
    return { builder, events, found: false };
  }
  return { builder, events, found: true };
}

/** summary.json as found: the summary if well-formed, else what is wrong with it (`issue`). */
type StoredSummary = { summary: RunSummary | null; present: boolean; issue?: string };

function readStoredSummary(dir: string, runId: string): StoredSummary {
  let text: string;
  try {
    text = readSmallFile(join(dir, SUMMARY_FILE), READ_LIMITS[SUMMARY_FILE]);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return { summary: null, present: false };
    if (err instanceof SkippedFile) return { summary: null, present: true, issue: err.message };
    return { summary: null, present: true, issue: `cannot be read (${errorText(err)})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { summary: null, present: true, issue: 'is not valid JSON (truncated write?)' };
  }
  const checked = checkSummary(value, runId);
  if (typeof checked === 'string') return { summary: null, present: true, issue: checked };
  return { summary: checked, present: true };
}

function reportSummaryIssue(runId: string, stored: StoredSummary, rebuilt: boolean, problems: RecordProblem[]): void {
  if (stored.issue === undefined) return;
  const message = rebuilt ? `${stored.issue}; rebuilt from ${EVENTS_FILE}` : stored.issue;
  problems.push({ runId, file: relFile(runId, SUMMARY_FILE), message });
}

function fallbackStart(dir: string, runId: string): () => string {
  return () => {
    const fromId = startFromRunId(runId);
    if (fromId) return fromId;
    try {
      return statSync(dir).mtime.toISOString();
    } catch {
      return '';
    }
  };
}

/** The summary to show, from what is on disk, with the status settled against the lock. */
function settle(
  dir: string,
  runId: string,
  stored: RunSummary | null,
  scan: EventScan | null,
  live: boolean,
): RunRecordSummary | null {
  let summary: RunRecordSummary;
  if (scan && (scan.builder.count > 0 || !stored)) {
    if (scan.builder.count === 0) return null;
    summary = scan.builder.build(runId, stored, fallbackStart(dir, runId));
  } else if (stored) {
    summary = { ...stored, series: cloneSeries(stored.series) };
  } else {
    return null;
  }
  if (summary.status === 'running' && !live) {
    summary.status = 'stopped';
    if (summary.durationMs === undefined && scan && scan.builder.count > 0) summary.durationMs = Math.max(scan.builder.lastTime, writerAliveMs(dir));
    summary.note = STOPPED_NOTE;
  }
  return summary;
}

/**
 * How long the writer of a record that ended without a terminal event was alive: from its lock's
 * creation to the lock's last heartbeat (HEARTBEAT_MS). The writer starts with the run, so this
 * is the run's duration to within a heartbeat even when the script printed nothing for a while
 * before the end. 0 when the lock does not tell.
 */
function writerAliveMs(dir: string): number {
  try {
    const path = join(dir, LOCK_FILE);
    const lock = JSON.parse(readSmallFile(path, READ_LIMITS[LOCK_FILE])) as Partial<LockInfo> | null;
    const created = typeof lock?.createdAt === 'string' ? Date.parse(lock.createdAt) : NaN;
    const alive = lstatSync(path).mtimeMs - created;
    return Number.isFinite(alive) && alive > 0 ? Math.round(alive) : 0;
  } catch {
    return 0;
  }
}

function compareNewestFirst(a: RunSummary, b: RunSummary): number {
  const ta = Date.parse(a.startedAt);
  const tb = Date.parse(b.startedAt);
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (!na && !nb && ta !== tb) return tb - ta;
  if (na !== nb) return na ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

/**
 * Every recorded run, newest first, with what was wrong on disk. A summary that is missing,
 * corrupt or left at 'running' by a writer that is gone is rebuilt from the events. Never
 * throws for what it finds on disk: a missing runs directory is no runs, anything unreadable
 * is a problem.
 */
export function listRuns(workspaceRoot: string): { runs: RunRecordSummary[]; problems: RecordProblem[] } {
  const runsDir = runsDirectory(workspaceRoot);
  const problems: RecordProblem[] = [];
  const runs: RunRecordSummary[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(runsDir, { withFileTypes: true });
  } catch (err) {
    if (errCode(err) !== 'ENOENT') problems.push({ runId: '', file: RECORDS_DIR, message: `cannot be read: ${errorText(err)}` });
    return { runs, problems };
  }
  for (const entry of entries) {
    const name = entry.name;
    if (name.startsWith('.') || !entry.isDirectory()) continue; // stray files, retention's trash
    if (!isValidRunId(name)) {
      problems.push({ runId: name, file: relFile(name), message: 'is not a run record (its name is not a run id); skipped' });
      continue;
    }
    const dir = join(runsDir, name);
    const before = problems.length;
    try {
      const live = writerState(dir, (message) => problems.push({ runId: name, file: relFile(name, LOCK_FILE), message })) === 'live';
      const stored = readStoredSummary(dir, name);
      const trusted = stored.summary && (stored.summary.status !== 'running' || live);
      const scan = trusted ? null : scanEvents(dir, name, live, problems, () => false);
      const summary = settle(dir, name, stored.summary, scan, live);
      reportSummaryIssue(name, stored, summary !== null, problems);
      if (summary) {
        if (!stored.present && scan && scan.builder.count > 0 && !live) {
          problems.push({ runId: name, file: relFile(name, SUMMARY_FILE), message: `is missing; rebuilt from ${EVENTS_FILE}` });
        }
        runs.push(summary);
      } else if (!live || problems.length > before) {
        // (a live writer that has not written run-started yet is just starting: not a problem)
        problems.push({ runId: name, file: relFile(name), message: `holds no readable ${SUMMARY_FILE} or events; skipped` });
      }
    } catch (err) {
      problems.push({ runId: name, file: relFile(name), message: `cannot be read: ${errorText(err)}` });
    }
  }
  runs.sort(compareNewestFirst);
  return { runs, problems };
}

export interface ReadRunOptions {
  /** Event types to leave out of `events` (e.g. ['graph'] when only curves are needed). */
  exclude?: readonly string[];
}

/**
 * One run's summary (settled from its events, which are the truth) and events in order.
 * Unreadable lines are skipped and reported; unknown event types are kept as they are.
 * Throws a RecordError when the run does not exist or holds nothing readable.
 */
export function readRun(
  workspaceRoot: string,
  runId: string,
  options: ReadRunOptions = {},
): { summary: RunRecordSummary; events: RunEvent[]; problems: RecordProblem[] } {
  if (!isValidRunId(runId)) throw new RecordError('not-found', `no run '${runId}' (not a valid run id)`);
  const dir = join(runsDirectory(workspaceRoot), runId);
  try {
    // lstat: a symbolic link named like a run is not one.
    if (!lstatSync(dir).isDirectory()) throw new RecordError('not-found', `no run '${runId}'`);
  } catch (err) {
    if (err instanceof RecordError) throw err;
    if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') throw new RecordError('not-found', `no run '${runId}'`);
    throw new RecordError('unreadable', `run '${runId}' cannot be read: ${errorText(err)}`);
  }
  const problems: RecordProblem[] = [];
  const live = writerState(dir, (message) => problems.push({ runId, file: relFile(runId, LOCK_FILE), message })) === 'live';
  const exclude = options.exclude && options.exclude.length > 0 ? new Set(options.exclude) : null;
  const scan = scanEvents(dir, runId, live, problems, exclude ? (e) => !exclude.has(e.type) : null);
  const stored = readStoredSummary(dir, runId);
  if (!scan.found && stored.summary) {
    problems.push({ runId, file: relFile(runId, EVENTS_FILE), message: `is missing; only the summary is left` });
  }
  const summary = settle(dir, runId, stored.summary, scan, live);
  reportSummaryIssue(runId, stored, summary !== null, problems);
  if (!summary) {
    const why = problems.map((p) => `${p.file}: ${p.message}`).join('; ');
    throw new RecordError('unreadable', `run '${runId}' holds no readable summary or events${why ? ` (${why})` : ''}`);
  }
  return { summary, events: scan.events, problems };
}

// ------------------------------------------------------------------------------ curves

/** The curves of a run's events, split into series as the panel splits them (SeriesSet). */
export function recordedCurves(events: readonly RunEvent[]): SeriesSet {
  const curves = new SeriesSet();
  for (const event of events) if (event.type === 'metrics') curves.addBatch(event);
  return curves;
}

// ------------------------------------------------------------------------------ retention

/**
 * Keeps the newest `keep` runs and deletes older ones, never one a live writer has open.
 * Directories that are not readable runs are left alone. Returns the deleted run ids;
 * a run that cannot be deleted is reported to `onProblem` and skipped.
 */
export function applyRetention(
  workspaceRoot: string,
  keep: number,
  options: { onProblem?: (problem: RecordProblem) => void } = {},
): string[] {
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`run retention must be a whole number of runs, at least 1 (got ${String(keep)})`);
  }
  const runsDir = runsDirectory(workspaceRoot);
  const report = (p: RecordProblem) => {
    try {
      options.onProblem?.(p);
    } catch {
      // ignore
    }
  };
  const { runs, problems } = listRuns(workspaceRoot);
  for (const p of problems) if (p.runId === '') report(p);
  const deleted: string[] = [];
  for (const run of runs.slice(keep)) {
    const dir = join(runsDir, run.runId);
    if (run.status === 'running' || writerState(dir) === 'live') continue;
    const trash = join(runsDir, `.deleting-${run.runId}-${randomBytes(3).toString('hex')}`);
    try {
      renameSync(dir, trash); // out of sight at once; a failed removal leaves no half a run
    } catch (err) {
      report({ runId: run.runId, file: relFile(run.runId), message: `could not be deleted: ${errorText(err)}` });
      continue;
    }
    deleted.push(run.runId);
    removeTrash(trash, report);
  }
  // Leftovers of an earlier retention that could not finish.
  try {
    for (const name of readdirSync(runsDir)) {
      if (name.startsWith('.deleting-')) removeTrash(join(runsDir, name), report);
    }
  } catch {
    // nothing to tidy
  }
  return deleted;
}

function removeTrash(path: string, report: (p: RecordProblem) => void): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (err) {
    report({ runId: '', file: `${RECORDS_DIR}/${path.split(/[\\/]/).pop()}`, message: `could not be removed: ${errorText(err)}` });
  }
}
