// Run records: every run saved append-only under .autograd-lab/runs/<id>/ (events.jsonl +
// summary.json), readable after a crash, with bad lines reported and skipped, and a retention
// limit that deletes the oldest finished runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  statSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { PROTOCOL_VERSION, RECORDS_DIR, parseEvent, type RunEvent, type ScriptError } from '../../src/protocol/run-events.js';
import { curvesToCsv } from '../../src/protocol/curves-csv.js';
import {
  READ_LIMITS,
  RecordError,
  RunRecordWriter,
  STOPPED_NOTE,
  applyRetention,
  listRuns,
  newRunId,
  readRun,
  recordedCurves,
} from '../../src/runner/records.js';
import { batchOf } from '../metric-points.js';

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'autograd-lab-records-'));
}

/** Builds the events of one run by hand, as protocol/run-events.ts defines them. */
function events(runId: string, startedAt = '2026-11-27T00:30:15.123Z') {
  let seq = 0;
  let time = 0;
  const base = () => ({ runId, seq: seq++, time: (time += 10) });
  return {
    started: (script = 'train.ts'): RunEvent => ({
      ...base(),
      type: 'run-started',
      protocolVersion: PROTOCOL_VERSION,
      script,
      language: 'typescript',
      engineVersion: '0.1.0',
      startedAt,
    }),
    output: (text: string): RunEvent => ({ ...base(), type: 'output', stream: 'stdout', text }),
    metrics: (...points: [series: string, step: number, value: number][]): RunEvent => ({ ...base(), type: 'metrics', ...batchOf(points) }),
    warning: (message: string): RunEvent => ({ ...base(), type: 'warning', kind: 'nan', message, epoch: 3, series: 'loss' }),
    finished: (status: 'completed' | 'stopped' = 'completed'): RunEvent => ({
      ...base(),
      type: 'run-finished',
      status,
      exitCode: status === 'completed' ? 0 : null,
      durationMs: 1234,
    }),
    failed: (error: ScriptError): RunEvent => ({ ...base(), type: 'run-failed', reason: 'error', error, exitCode: 1, durationMs: 99 }),
  };
}

function runDir(root: string, runId: string): string {
  return join(root, RECORDS_DIR, runId);
}

function eventLines(root: string, runId: string): string[] {
  return readFileSync(join(runDir(root, runId), 'events.jsonl'), 'utf8').split('\n');
}

function summaryFile(root: string, runId: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(runDir(root, runId), 'summary.json'), 'utf8')) as Record<string, unknown>;
}

/** A complete run on disk, written through the writer. */
function recordRun(root: string, runId: string, startedAt: string, losses: number[] = [1, 0.5]): void {
  const e = events(runId, startedAt);
  const w = RunRecordWriter.create(root, runId);
  w.append(e.started());
  w.append(e.metrics(...losses.map((v, i): [string, number, number] => ['loss', i + 1, v])));
  w.append(e.finished());
  w.close();
}

/** A pid that belonged to a process and no longer does. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('run ids', () => {
  it('are the UTC time to the millisecond plus a suffix, and sort by time', () => {
    const id = newRunId(new Date('2026-11-27T00:30:15.123Z'));
    assert.match(id, /^20261127-003015-123-[0-9a-f]{4}$/);
    assert.ok(newRunId(new Date('2026-11-27T00:30:15.124Z')) > id);
    assert.ok(newRunId(new Date('2026-12-01T00:00:00.000Z')) > id);
  });

  it('are unique for many runs in the same millisecond', () => {
    const date = new Date('2026-11-27T00:30:15.123Z');
    const ids = new Set(Array.from({ length: 5000 }, () => newRunId(date)));
    assert.equal(ids.size, 5000);
  });
});

describe('RunRecordWriter', () => {
  it('creates .autograd-lab/runs/<id>/ and appends each event as one JSON line, in order', () => {
    const root = workspace();
    const e = events('r1');
    const written = [e.started(), e.output('epoch 1\n'), e.metrics(['loss', 1, 0.9], ['val_loss', 1, 1.1]), e.finished()];
    const w = RunRecordWriter.create(root, 'r1');
    for (const event of written) w.append(event);
    w.close();
    assert.deepEqual(readdirSync(runDir(root, 'r1')).sort(), ['events.jsonl', 'summary.json']);
    const lines = eventLines(root, 'r1');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    assert.deepEqual(lines.map(parseEvent), written);
  });

  it('writes a batch with appendAll exactly as appending one by one', () => {
    const root = workspace();
    const e = events('r1');
    const batch = [e.started(), e.metrics(['loss', 1, 2]), e.metrics(['loss', 2, 1])];
    const w = RunRecordWriter.create(root, 'r1');
    w.appendAll(batch);
    w.close();
    assert.deepEqual(eventLines(root, 'r1').slice(0, -1).map(parseEvent), batch);
  });

  it('holds a .lock while open and removes it on close (close twice is fine)', () => {
    const root = workspace();
    const w = RunRecordWriter.create(root, 'r1');
    const lock = JSON.parse(readFileSync(join(runDir(root, 'r1'), '.lock'), 'utf8')) as { pid: number };
    assert.equal(lock.pid, process.pid);
    w.close();
    w.close();
    assert.equal(existsSync(join(runDir(root, 'r1'), '.lock')), false);
  });

  it('keeps summary.json through the run: running at start, series as metrics come, the outcome at the end', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1', { summaryIntervalMs: 0 });
    w.append(e.started('src/train.ts'));
    assert.deepEqual(summaryFile(root, 'r1'), {
      runId: 'r1',
      protocolVersion: PROTOCOL_VERSION,
      script: 'src/train.ts',
      language: 'typescript',
      startedAt: '2026-11-27T00:30:15.123Z',
      status: 'running',
      series: {},
    });
    w.append(e.metrics(['loss', 1, 3], ['loss', 2, 1], ['val_loss', 1, 4]));
    w.append(e.metrics(['loss', 3, 2]));
    assert.deepEqual(summaryFile(root, 'r1').series, {
      loss: { points: 3, last: 2, min: 1 },
      val_loss: { points: 1, last: 4, min: 4 },
    });
    w.append(e.finished());
    const done = summaryFile(root, 'r1');
    assert.equal(done.status, 'completed');
    assert.equal(done.durationMs, 1234);
    w.close();
    assert.deepEqual(summaryFile(root, 'r1'), done);
  });

  it('rewrites the summary for new metric points at most once per interval, and always on close', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1', { summaryIntervalMs: 60_000 });
    w.append(e.started());
    w.append(e.metrics(['loss', 1, 3]));
    assert.deepEqual(summaryFile(root, 'r1').series, {});
    w.close();
    assert.deepEqual(summaryFile(root, 'r1').series, { loss: { points: 1, last: 3, min: 3 } });
  });

  it('records a failed run with its error', () => {
    const root = workspace();
    const e = events('r1');
    const error: ScriptError = { name: 'RuntimeError', message: 'shape mismatch', stack: 'RuntimeError: shape mismatch\n    at train.ts:4:1', location: { file: 'train.ts', line: 4, column: 1 } };
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append(e.failed(error));
    w.close();
    const s = summaryFile(root, 'r1');
    assert.equal(s.status, 'failed');
    assert.equal(s.durationMs, 99);
    assert.deepEqual(s.error, error);
    assert.equal(readRun(root, 'r1').summary.status, 'failed');
  });

  it('refuses a run id that exists or is not a safe directory name', () => {
    const root = workspace();
    RunRecordWriter.create(root, 'r1').close();
    assert.throws(() => RunRecordWriter.create(root, 'r1'), /already exists/);
    for (const bad of ['../escape', '', '.hidden', 'a/b', 'a b']) {
      assert.throws(() => RunRecordWriter.create(root, bad), /invalid run id/);
    }
  });

  it('throws on an event of another run and on append after close', () => {
    const root = workspace();
    const w = RunRecordWriter.create(root, 'r1');
    assert.throws(() => w.append(events('r2').started()), /event of run 'r2'/);
    w.close();
    assert.throws(() => w.append(events('r1').started()), /closed/);
  });

  it('reports a write failure once to onError and stops recording instead of throwing', () => {
    const root = workspace();
    const e = events('r1');
    const errors: Error[] = [];
    const w = RunRecordWriter.create(root, 'r1', { onError: (err) => errors.push(err) });
    mkdirSync(join(runDir(root, 'r1'), 'summary.json', 'in-the-way'), { recursive: true });
    w.append(e.started()); // the summary cannot replace a directory
    w.append(e.metrics(['loss', 1, 1]));
    w.close();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /recording run 'r1' failed/);
    assert.equal(w.failure, errors[0]);
    assert.equal(eventLines(root, 'r1').length, 2, 'only the event before the failure');
  });

  it('writes NaN and Infinity losses so they read back as numbers', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append(e.metrics(['loss', 1, 2], ['loss', 2, Infinity], ['loss', 3, NaN], ['loss', 4, -Infinity]));
    w.append(e.finished());
    w.close();
    assert.match(eventLines(root, 'r1')[1]!, /"values":\[2,"Infinity","NaN","-Infinity"\]/);
    const { events: read, summary } = readRun(root, 'r1');
    assert.deepEqual([...recordedCurves(read).series.get('loss')!.values], [2, Infinity, NaN, -Infinity]);
    assert.equal(summary.series.loss!.last, -Infinity);
    assert.equal(summary.series.loss!.min, -Infinity);
    assert.equal(listRuns(root).runs[0]!.series.loss!.last, -Infinity);
  });
});

describe('a run whose writer was killed mid-way', () => {
  it('is listed as stopped, with a note and every point recorded before the kill (real SIGKILL)', () => {
    const root = workspace();
    const records = pathToFileURL(resolve('src/runner/records.ts')).href;
    const child = `
      const { RunRecordWriter } = await import(${JSON.stringify(records)});
      const w = RunRecordWriter.create(${JSON.stringify(root)}, 'killed');
      const base = (seq) => ({ runId: 'killed', seq, time: seq * 10 });
      w.append({ ...base(0), type: 'run-started', protocolVersion: ${PROTOCOL_VERSION}, script: 'train.ts', language: 'typescript', engineVersion: '0.1.0', startedAt: '2026-11-27T00:30:15.123Z' });
      for (let i = 1; i <= 40; i++) w.append({ ...base(i), type: 'metrics', series: [{ name: 'loss', source: 'probe' }], index: [0], steps: [i], values: [1 / i] });
      process.kill(process.pid, 'SIGKILL');
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.ok(existsSync(join(runDir(root, 'killed'), '.lock')), 'the dead writer left its lock');

    const { runs } = listRuns(root);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, 'stopped');
    assert.equal(runs[0]!.note, STOPPED_NOTE);
    assert.deepEqual(runs[0]!.series, { loss: { points: 40, last: 1 / 40, min: 1 / 40 } });
    assert.equal(runs[0]!.durationMs, 400);
    const run = readRun(root, 'killed');
    assert.equal(run.events.length, 41);
    assert.equal(run.summary.status, 'stopped');
    assert.deepEqual(run.problems, []);
  });

  it('is read up to its last whole line when the kill cut a line in half', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append(e.metrics(['loss', 1, 0.5]));
    w.close(); // the lock goes; no terminal event was written
    appendFileSync(join(runDir(root, 'r1'), 'events.jsonl'), '{"runId":"r1","seq":2,"time":30,"type":"metr');
    const run = readRun(root, 'r1');
    assert.equal(run.events.length, 2);
    assert.equal(run.summary.status, 'stopped');
    assert.deepEqual(run.summary.series, { loss: { points: 1, last: 0.5, min: 0.5 } });
    assert.deepEqual(run.problems, [
      { runId: 'r1', file: '.autograd-lab/runs/r1/events.jsonl', message: 'line 3 (the last) is cut short (the writer stopped mid-write); skipped' },
    ]);
  });

  it('is rebuilt from its events when the summary still says running and the lock names a dead process', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1', { summaryIntervalMs: 60_000 });
    w.append(e.started());
    w.append(e.metrics(['loss', 1, 0.5], ['loss', 2, 0.25]));
    // Simulate the process dying here: no close(), and the lock's process is gone.
    writeFileSync(join(runDir(root, 'r1'), '.lock'), JSON.stringify({ pid: deadPid(), hostname: hostname(), createdAt: '' }));
    assert.equal(summaryFile(root, 'r1').status, 'running');
    const [run] = listRuns(root).runs;
    assert.equal(run!.status, 'stopped');
    assert.deepEqual(run!.series, { loss: { points: 2, last: 0.25, min: 0.25 } });
    w.close();
  });

  it('is shown as running while its writer is alive, without flagging the line being written', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    appendFileSync(join(runDir(root, 'r1'), 'events.jsonl'), '{"runId":"r1","seq":1,');
    assert.equal(listRuns(root).runs[0]!.status, 'running');
    const run = readRun(root, 'r1');
    assert.equal(run.summary.status, 'running');
    assert.deepEqual(run.problems, []);
    w.close();
  });
});

describe('reading records', () => {
  it('reports corrupt lines with their line numbers and skips them, keeping the rest', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z', [3, 2, 1]);
    const path = join(runDir(root, 'r1'), 'events.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(1, 0, '{"runId":"r1","seq":', '[1,2,3]', '{"runId":"other","seq":9,"time":1,"type":"output","stream":"stdout","text":"x"}', '');
    writeFileSync(path, lines.join('\n'));
    const run = readRun(root, 'r1');
    assert.deepEqual(run.events.map((e) => e.type), ['run-started', 'metrics', 'run-finished']);
    assert.deepEqual(run.summary.series, { loss: { points: 3, last: 1, min: 1 } });
    assert.deepEqual(run.problems.map((p) => p.message), [
      'line 2 is not valid JSON (truncated write?); skipped',
      'line 3 is not a run event (needs type, runId, seq and time); skipped',
      "line 4 belongs to run 'other'; skipped (and any more like it)",
    ]);
    assert.ok(run.problems.every((p) => p.runId === 'r1' && p.file === '.autograd-lab/runs/r1/events.jsonl'));
  });

  it('reports a metrics line whose columns do not fit together, instead of handing it to a reader', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z', [3, 2]);
    const bad = { runId: 'r1', seq: 5, time: 50, type: 'metrics', series: [{ name: 'loss', source: 'probe' }], index: [0, 3], steps: [3, 4], values: [1, 0.5] };
    appendFileSync(join(runDir(root, 'r1'), 'events.jsonl'), JSON.stringify(bad) + '\n');
    const run = readRun(root, 'r1');
    assert.deepEqual(run.problems.map((p) => p.message), ['line 4 is a metrics event whose columns do not fit together; skipped']);
    assert.deepEqual(run.summary.series, { loss: { points: 2, last: 2, min: 2 } });
  });

  it('passes unknown event types through untouched', () => {
    const root = workspace();
    const e = events('r1');
    const future = { runId: 'r1', seq: 1, time: 15, type: 'memory-sample', rssBytes: 1234, detail: { value: 'NaN', list: ['Infinity'] } };
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append(future as unknown as RunEvent);
    w.append(e.finished());
    w.close();
    const run = readRun(root, 'r1');
    assert.deepEqual(run.events[1], future);
    assert.deepEqual(run.problems, []);
    assert.equal(run.summary.status, 'completed');
  });

  it('rebuilds a corrupt summary from the events and says so', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z', [3, 2]);
    writeFileSync(join(runDir(root, 'r1'), 'summary.json'), '{"runId":"r1","stat');
    const { runs, problems } = listRuns(root);
    assert.equal(runs[0]!.status, 'completed');
    assert.deepEqual(runs[0]!.series, { loss: { points: 2, last: 2, min: 2 } });
    assert.deepEqual(problems, [
      { runId: 'r1', file: '.autograd-lab/runs/r1/summary.json', message: 'is not valid JSON (truncated write?); rebuilt from events.jsonl' },
    ]);
  });

  it('rebuilds a missing summary from the events and says so', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    rmSync(join(runDir(root, 'r1'), 'summary.json'));
    const { runs, problems } = listRuns(root);
    assert.equal(runs[0]!.status, 'completed');
    assert.equal(runs[0]!.script, 'train.ts');
    assert.deepEqual(problems.map((p) => p.message), ['is missing; rebuilt from events.jsonl']);
  });

  it('still shows a run from its summary when events.jsonl is gone', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    rmSync(join(runDir(root, 'r1'), 'events.jsonl'));
    const run = readRun(root, 'r1');
    assert.equal(run.summary.status, 'completed');
    assert.deepEqual(run.events, []);
    assert.deepEqual(run.problems.map((p) => p.message), ['is missing; only the summary is left']);
  });

  it('throws a not-found RecordError for an unknown or unsafe run id', () => {
    const root = workspace();
    for (const id of ['nope', '../..', '']) {
      assert.throws(() => readRun(root, id), (err) => err instanceof RecordError && err.code === 'not-found');
    }
  });

  it('can leave event types out of what it returns, while the summary still counts them', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    const run = readRun(root, 'r1', { exclude: ['metrics'] });
    assert.deepEqual(run.events.map((e) => e.type), ['run-started', 'run-finished']);
    assert.equal(run.summary.series.loss!.points, 2);
  });

  it('lists runs newest first and finds none when no runs directory exists', () => {
    const root = workspace();
    assert.deepEqual(listRuns(root), { runs: [], problems: [] });
    recordRun(root, 'b-older', '2026-11-27T00:30:15.123Z');
    recordRun(root, 'a-newer', '2026-11-28T09:00:00.000Z');
    recordRun(root, 'c-oldest', '2025-01-01T00:00:00.000Z');
    assert.deepEqual(listRuns(root).runs.map((r) => r.runId), ['a-newer', 'b-older', 'c-oldest']);
  });

  it('ignores stray files in the runs directory and reports directories that are not runs', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    const runs = join(root, RECORDS_DIR);
    writeFileSync(join(runs, '.DS_Store'), 'junk');
    writeFileSync(join(runs, 'notes.txt'), 'junk');
    mkdirSync(join(runs, 'empty-dir'));
    mkdirSync(join(runs, 'has space'));
    writeFileSync(join(runs, 'has space', 'x'), '');
    mkdirSync(join(runs, 'garbage'));
    writeFileSync(join(runs, 'garbage', 'events.jsonl'), '\u0000\u0001binary\n');
    const { runs: list, problems } = listRuns(root);
    assert.deepEqual(list.map((r) => r.runId), ['r1']);
    assert.deepEqual(
      problems.map((p) => `${p.runId}: ${p.message}`).sort(),
      [
        'empty-dir: holds no readable summary.json or events; skipped',
        'garbage: holds no readable summary.json or events; skipped',
        'garbage: line 1 is not valid JSON (truncated write?); skipped',
        'has space: is not a run record (its name is not a run id); skipped',
      ],
    );
  });

  it('reports an unreadable run instead of crashing', { skip: process.getuid?.() === 0 && 'root reads any file' }, () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    recordRun(root, 'r2', '2026-11-28T00:30:15.123Z');
    const dir = runDir(root, 'r1');
    chmodSync(join(dir, 'summary.json'), 0o000);
    chmodSync(join(dir, 'events.jsonl'), 0o000);
    try {
      const { runs, problems } = listRuns(root);
      assert.deepEqual(runs.map((r) => r.runId), ['r2']);
      assert.ok(problems.some((p) => p.runId === 'r1' && /permission denied/.test(p.message)));
    } finally {
      chmodSync(join(dir, 'summary.json'), 0o644);
      chmodSync(join(dir, 'events.jsonl'), 0o644);
    }
  });

  it('reports a run directory it may not enter instead of hiding it', { skip: process.getuid?.() === 0 && 'root reads any directory' }, () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    recordRun(root, 'r2', '2026-11-28T00:30:15.123Z');
    chmodSync(runDir(root, 'r1'), 0o000);
    try {
      const { runs, problems } = listRuns(root);
      assert.deepEqual(runs.map((r) => r.runId), ['r2']);
      assert.ok(problems.some((p) => p.runId === 'r1' && /skipped/.test(p.message)));
      assert.deepEqual(applyRetention(root, 1), [], 'retention does not touch what it cannot read');
    } finally {
      chmodSync(runDir(root, 'r1'), 0o755);
    }
  });

  it('reports an unreadable runs directory instead of crashing', { skip: process.getuid?.() === 0 && 'root reads any directory' }, () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T00:30:15.123Z');
    chmodSync(join(root, RECORDS_DIR), 0o000);
    try {
      const { runs, problems } = listRuns(root);
      assert.deepEqual(runs, []);
      assert.equal(problems[0]!.runId, '');
      assert.match(problems[0]!.message, /permission denied/);
    } finally {
      chmodSync(join(root, RECORDS_DIR), 0o755);
    }
  });
});

describe('retention', () => {
  const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T12:00:00.000Z`;

  it('keeps the newest N runs and deletes the older ones, returning their ids', () => {
    const root = workspace();
    for (let d = 1; d <= 5; d++) recordRun(root, `run-${d}`, day(d));
    assert.deepEqual(applyRetention(root, 2).sort(), ['run-1', 'run-2', 'run-3']);
    assert.deepEqual(listRuns(root).runs.map((r) => r.runId), ['run-5', 'run-4']);
    assert.deepEqual(readdirSync(join(root, RECORDS_DIR)).sort(), ['run-4', 'run-5']);
    assert.deepEqual(applyRetention(root, 2), []);
  });

  it('never deletes a run that a live writer is recording, even an old one', () => {
    const root = workspace();
    const w = RunRecordWriter.create(root, 'run-0');
    w.append(events('run-0', day(1)).started());
    for (let d = 2; d <= 4; d++) recordRun(root, `run-${d}`, day(d));
    assert.deepEqual(applyRetention(root, 1).sort(), ['run-2', 'run-3']);
    assert.deepEqual(listRuns(root).runs.map((r) => r.runId), ['run-4', 'run-0']);
    w.close();
    assert.deepEqual(applyRetention(root, 1), ['run-0']);
  });

  it('deletes an old run whose writer was killed (its lock names a dead process)', () => {
    const root = workspace();
    recordRun(root, 'run-1', day(1));
    recordRun(root, 'run-2', day(2));
    writeFileSync(join(runDir(root, 'run-1'), '.lock'), JSON.stringify({ pid: deadPid(), hostname: hostname(), createdAt: '' }));
    assert.deepEqual(applyRetention(root, 1), ['run-1']);
  });

  it('leaves alone what is not a run record', () => {
    const root = workspace();
    for (let d = 1; d <= 3; d++) recordRun(root, `run-${d}`, day(d));
    mkdirSync(join(root, RECORDS_DIR, 'not-a-run'));
    writeFileSync(join(root, RECORDS_DIR, 'notes.txt'), 'mine');
    applyRetention(root, 1);
    assert.deepEqual(readdirSync(join(root, RECORDS_DIR)).sort(), ['not-a-run', 'notes.txt', 'run-3']);
  });

  it('rejects a limit that is not a whole number of at least 1', () => {
    const root = workspace();
    for (const keep of [0, -1, 1.5, NaN, Infinity]) {
      assert.throws(() => applyRetention(root, keep), /whole number of runs, at least 1/);
    }
  });

  it('does nothing when there are no records', () => {
    assert.deepEqual(applyRetention(workspace(), 3), []);
  });
});

describe('curves and CSV', () => {
  it('recordedCurves groups the points by series in order of appearance, split as the panel splits them', () => {
    const e = events('r1');
    const curves = recordedCurves([e.started(), e.metrics(['loss', 1, 3], ['val_loss', 1, 4]), e.output('x'), e.metrics(['loss', 2, 2], ['loss', 1, 9])]);
    assert.deepEqual([...curves.series.keys()], ['loss', 'val_loss', 'loss (2)']);
    assert.deepEqual([...curves.series.get('loss')!.values], [3, 2]);
  });

  it('the summary counts a series whose step goes back as the panel shows it', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append(e.metrics(['loss', 1, 3], ['loss', 2, 2], ['loss', 1, 5]));
    w.close();
    assert.deepEqual(readRun(root, 'r1').summary.series, { loss: { points: 2, last: 2, min: 2 }, 'loss (2)': { points: 1, last: 5, min: 5 } });
  });

  it('CSV has a step column and one column per series, a row per step, empty where a series has no point', () => {
    const e = events('r1');
    const curves = recordedCurves([
      e.started(),
      e.metrics(['loss', 1, 0.5], ['loss', 2, 0.25]),
      e.metrics(['val_loss', 2, 0.75], ['loss', 10, 1e-7]),
      e.metrics(['val_loss', 3, NaN], ['val_loss', 4, -Infinity]),
    ]);
    assert.equal(curvesToCsv(curves.series), 'step,loss,val_loss\n1,0.5,\n2,0.25,0.75\n3,,nan\n4,,-inf\n10,1e-7,\n');
  });

  it('CSV quotes series names per RFC 4180', () => {
    const e = events('r1');
    const csv = curvesToCsv(recordedCurves([e.metrics(['a,b', 1, 1], ['say "hi"', 1, 2], ['two\nlines', 1, 3], ['plain', 1, 4], ['x\r', 1, 5])]).series);
    assert.equal(csv.split('\n')[0], 'step,"a,b","say ""hi""","two');
    assert.ok(csv.startsWith('step,"a,b","say ""hi""","two\nlines",plain,"x\r"\n1,1,2,3,4,5\n'));
  });

  it('CSV of a run without metrics is the header alone', () => {
    assert.equal(curvesToCsv(recordedCurves([events('r1').started()]).series), 'step\n');
  });
});

describe('readers trust no file of a record', () => {
  const posix = process.platform !== 'win32';

  it('leave a summary.json that is a symbolic link to /dev/zero unread, say so, and rebuild the run from its events', { skip: !posix && 'no /dev/zero' }, () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T09:00:00.000Z');
    rmSync(join(runDir(root, 'r1'), 'summary.json'));
    symlinkSync('/dev/zero', join(runDir(root, 'r1'), 'summary.json'));
    const { runs, problems } = listRuns(root);
    assert.deepEqual(runs.map((r) => [r.runId, r.status]), [['r1', 'completed']]);
    assert.deepEqual(problems, [
      { runId: 'r1', file: '.autograd-lab/runs/r1/summary.json', message: 'is a symbolic link, not a regular file; not read; rebuilt from events.jsonl' },
    ]);
  });

  it('leave a .lock that is a symbolic link to /dev/zero unread and say so; no writer holds that run', { skip: !posix && 'no /dev/zero' }, () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append(e.metrics(['loss', 1, 0.5]));
    w.close();
    symlinkSync('/dev/zero', join(runDir(root, 'r1'), '.lock'));
    const { runs, problems } = listRuns(root);
    assert.deepEqual(runs.map((r) => [r.runId, r.status]), [['r1', 'stopped']]);
    assert.deepEqual(problems, [{ runId: 'r1', file: '.autograd-lab/runs/r1/.lock', message: 'is a symbolic link, not a regular file; not read' }]);
    assert.equal(readRun(root, 'r1').problems[0]!.file, '.autograd-lab/runs/r1/.lock');
  });

  it('leave an events.jsonl that is a FIFO unopened instead of waiting on it, and say so', { skip: !posix && 'no FIFOs' }, () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T09:00:00.000Z');
    rmSync(join(runDir(root, 'r1'), 'events.jsonl'));
    assert.equal(spawnSync('mkfifo', [join(runDir(root, 'r1'), 'events.jsonl')]).status, 0);
    const { summary, problems } = readRun(root, 'r1');
    assert.equal(summary.status, 'completed', 'from summary.json');
    assert.deepEqual(
      problems.map((p) => p.message),
      ['is a FIFO, not a regular file; not read', 'is missing; only the summary is left'],
    );
  });

  it('do not take a symbolic link named like a run for a run', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T09:00:00.000Z');
    symlinkSync(runDir(root, 'r1'), runDir(root, 'r2'));
    assert.deepEqual(listRuns(root).runs.map((r) => r.runId), ['r1']);
    assert.throws(() => readRun(root, 'r2'), (err: unknown) => err instanceof RecordError && err.code === 'not-found');
  });

  it('leave a summary.json larger than their limit unread and say so', () => {
    const root = workspace();
    recordRun(root, 'r1', '2026-11-27T09:00:00.000Z');
    truncateSync(join(runDir(root, 'r1'), 'summary.json'), READ_LIMITS['summary.json'] + 1);
    const { runs, problems } = listRuns(root);
    assert.equal(runs[0]!.status, 'completed', 'rebuilt from the events');
    assert.match(problems[0]!.message, /^is larger than 16 MiB \(16 MiB\); not read; rebuilt from events\.jsonl$/);
  });

  it('skip a line of events.jsonl longer than 64 MiB and say which', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.close();
    const file = join(runDir(root, 'r1'), 'events.jsonl');
    truncateSync(file, statSync(file).size + 65 * 1024 * 1024); // a line of 65 MiB of NUL bytes, no newline
    appendFileSync(file, '\n' + JSON.stringify(e.finished()) + '\n');
    const { summary, problems } = readRun(root, 'r1');
    assert.equal(summary.status, 'completed', 'the lines after it are read');
    assert.deepEqual(problems.map((p) => p.message), ['line 2 is longer than 64 MiB; skipped']);
  });
});

describe('what the record keeps of a run', () => {
  /** A finished run 'r1' whose script printed `texts`, recorded with an output limit of `limit` bytes. */
  function printedRun(limit: number, texts: string[], finished = true): string {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1', { outputLimitBytes: limit });
    w.append(e.started());
    for (const text of texts) w.append(e.output(text));
    if (finished) w.append(e.finished());
    w.close();
    return root;
  }
  const recordedOutput = (root: string) => readRun(root, 'r1').events.flatMap((x) => (x.type === 'output' ? [x.text] : []));

  it('keeps output up to its limit, cuts the event that reaches it with a notice, and leaves the rest out', () => {
    const texts = recordedOutput(printedRun(10, ['12345678', 'abcdef', 'never recorded']));
    assert.equal(texts.length, 2);
    assert.equal(texts[0], '12345678');
    assert.match(texts[1]!, /^ab\n\[autograd-lab: this record keeps the first 10 bytes of the script's output; the rest was shown while the run ran, not recorded\]\n$/);
  });

  it('says on the terminal event and in the summary how many bytes of output it left out', () => {
    const root = printedRun(10, ['12345678', 'abcdef', 'ünïcode']);
    const left = 4 + Buffer.byteLength('ünïcode');
    const { events: read, summary } = readRun(root, 'r1');
    const end = read.at(-1)!;
    assert.equal(end.type === 'run-finished' && end.outputNotRecordedBytes, left);
    assert.equal(summary.outputNotRecordedBytes, left);
    assert.equal(summaryFile(root, 'r1').outputNotRecordedBytes, left);
  });

  it('never cuts a character in two at the output limit', () => {
    // a (1 byte), é (2 bytes): the limit of 3 falls after é; € (3 bytes) does not fit at all.
    const texts = recordedOutput(printedRun(3, ['aéb', '€'], false));
    assert.ok(texts[0]!.startsWith('aé\n['), texts[0]);
    assert.equal(texts.length, 1);
  });

  it('keeps how the script process ended in the summary', () => {
    const root = workspace();
    const e = events('r1');
    const w = RunRecordWriter.create(root, 'r1');
    w.append(e.started());
    w.append({ ...e.failed({ name: 'ProcessError', message: 'The script ended with exit code 3 (sys.exit(3)).', stack: '' }), exitCode: 3, ending: { how: 'exit-code', exitCode: 3, signal: null } } as RunEvent);
    w.close();
    const ending = { how: 'exit-code', exitCode: 3, signal: null };
    assert.deepEqual(listRuns(root).runs[0]!.ending, ending);
    assert.deepEqual(summaryFile(root, 'r1').ending, ending);
  });

  it('lists a run whose writer was killed while its script printed nothing with the time the writer lived, not its last event’s', () => {
    const root = workspace();
    const records = pathToFileURL(resolve('src/runner/records.ts')).href;
    const child = `
      const { RunRecordWriter } = await import(${JSON.stringify(records)});
      const w = RunRecordWriter.create(${JSON.stringify(root)}, 'quiet');
      w.append({ runId: 'quiet', seq: 0, time: 0, type: 'run-started', protocolVersion: ${PROTOCOL_VERSION}, script: 'train.ts', language: 'typescript', engineVersion: '0.1.0', startedAt: new Date().toISOString() });
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1500);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    const [run] = listRuns(root).runs;
    assert.equal(run!.status, 'stopped');
    assert.ok(run!.durationMs! >= 1000, `listed with ${run!.durationMs} ms`);
  });
});
