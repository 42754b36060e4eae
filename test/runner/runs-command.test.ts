// `autograd-lab runs [list | show <id> | export <id> --csv]`: earlier runs re-opened from their
// records, with exit codes 0 ok, 2 usage or unknown run, 1 I/O failure.
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runsCommand } from '../../src/cli/runs-command.js';
import { PROTOCOL_VERSION, RECORDS_DIR, type RunEvent } from '../../src/protocol/run-events.js';
import { RunRecordWriter } from '../../src/runner/records.js';
import { batchOf } from '../metric-points.js';

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'autograd-lab-runs-cli-'));
}

async function runs(cwd: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runsCommand(args, { cwd, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

interface RunSpec {
  startedAt: string;
  script?: string;
  /** [series, step, value] */
  points?: [string, number, number][];
  end?: 'completed' | 'failed' | 'none';
  warning?: string;
}

/** Records one run through the writer, with events built by hand per protocol/run-events.ts. */
function record(root: string, runId: string, spec: RunSpec): void {
  let seq = 0;
  const base = () => ({ runId, seq, time: 100 * seq++ });
  const w = RunRecordWriter.create(root, runId);
  w.append({ ...base(), type: 'run-started', protocolVersion: PROTOCOL_VERSION, script: spec.script ?? 'train.ts', language: 'typescript', engineVersion: '0.1.0', startedAt: spec.startedAt });
  if (spec.points) w.append({ ...base(), type: 'metrics', ...batchOf(spec.points) });
  if (spec.warning) w.append({ ...base(), type: 'warning', kind: 'nan', message: spec.warning, epoch: 3, location: { file: 'train.ts', line: 12, column: 5 } });
  const end = spec.end ?? 'completed';
  let terminal: RunEvent | null = null;
  if (end === 'completed') terminal = { ...base(), type: 'run-finished', status: 'completed', exitCode: 0, durationMs: 12_300 };
  if (end === 'failed') {
    terminal = {
      ...base(),
      type: 'run-failed',
      reason: 'error',
      exitCode: 1,
      durationMs: 850,
      error: { name: 'RuntimeError', message: 'size mismatch', stack: 'RuntimeError: size mismatch\n    at train.ts:7:3', location: { file: 'train.ts', line: 7, column: 3 } },
    };
  }
  if (terminal) w.append(terminal);
  w.close();
}

/** Three runs: two on the 27th sharing the prefix 20261127-, one failed on the 28th. */
function threeRuns(): string {
  const root = workspace();
  record(root, '20261127-090000-000-aaaa', { startedAt: '2026-11-27T09:00:00.000Z', points: [['loss', 1, 4], ['loss', 2, 1.5], ['loss', 3, 2], ['val_loss', 3, 2.5]], warning: 'loss became nan' });
  record(root, '20261127-100000-000-bbbb', { startedAt: '2026-11-27T10:00:00.000Z', script: 'other.ts', points: [['loss', 1, 0.25]] });
  record(root, '20261128-080000-000-cccc', { startedAt: '2026-11-28T08:00:00.000Z', end: 'failed' });
  return root;
}

describe('autograd-lab runs', () => {
  it('--help prints the usage and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['help'], ['show', '--help']]) {
      const r = await runs(workspace(), ...args);
      assert.equal(r.code, 0);
      assert.match(r.out, /^usage: autograd-lab runs \[list\] \[--json\]/);
      assert.match(r.out, /runs export <id> \[--csv\] \[--out FILE\]/);
      assert.equal(r.err, '');
    }
  });

  it('list says so when nothing is recorded', async () => {
    const r = await runs(workspace(), 'list');
    assert.deepEqual(r, { code: 0, out: 'No runs recorded in .autograd-lab/runs yet.\n', err: '' });
  });

  it('list (also with no subcommand) prints a table of runs, newest first, with the last value of each series', async () => {
    const root = threeRuns();
    const r = await runs(root);
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+STARTED\s+SCRIPT\s+STATUS\s+DURATION\s+LAST VALUES$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s{2,}/)[0]), ['20261128-080000-000-cccc', '20261127-100000-000-bbbb', '20261127-090000-000-aaaa']);
    assert.match(lines[1]!, /train\.ts\s+failed\s+850ms\s+-$/);
    assert.match(lines[2]!, /other\.ts\s+completed\s+12\.3s\s+loss 0\.25$/);
    assert.match(lines[3]!, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+train\.ts\s+completed\s+12\.3s\s+loss 2  val_loss 2\.5$/);
    assert.deepEqual(await runs(root, 'list'), r);
  });

  it('list marks a run killed mid-way as stopped* and lists record problems on stderr', async () => {
    const root = threeRuns();
    record(root, '20261129-000000-000-dddd', { startedAt: '2026-11-29T00:00:00.000Z', points: [['loss', 1, 0.5]], end: 'none' });
    appendFileSync(join(root, RECORDS_DIR, '20261129-000000-000-dddd', 'events.jsonl'), '{"runId":"2026');
    const r = await runs(root, 'list');
    assert.equal(r.code, 0);
    assert.match(r.out.split('\n')[1]!, /^20261129-000000-000-dddd .* stopped\*\s+100ms\s+loss 0\.5$/);
    assert.match(r.out, /\n\* ended without a finish event: its process was killed or crashed; what it recorded is kept\n$/);
    assert.equal(r.err, 'warning: .autograd-lab/runs/20261129-000000-000-dddd/events.jsonl: line 3 (the last) is cut short (the writer stopped mid-write); skipped\n');
  });

  it('list --json prints the runs and problems as JSON', async () => {
    const root = threeRuns();
    const r = await runs(root, 'list', '--json');
    assert.equal(r.code, 0);
    const parsed = JSON.parse(r.out) as { runs: { runId: string; status: string; series: object }[]; problems: unknown[] };
    assert.deepEqual(parsed.runs.map((x) => [x.runId, x.status]), [
      ['20261128-080000-000-cccc', 'failed'],
      ['20261127-100000-000-bbbb', 'completed'],
      ['20261127-090000-000-aaaa', 'completed'],
    ]);
    assert.deepEqual(parsed.runs[2]!.series, { loss: { points: 3, last: 2, min: 1.5 }, val_loss: { points: 1, last: 2.5, min: 2.5 } });
    assert.deepEqual(parsed.problems, []);
  });

  it('finds the records of the nearest folder above the current one', async () => {
    const root = threeRuns();
    const sub = join(root, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const r = await runs(sub, 'list', '--json');
    assert.equal((JSON.parse(r.out) as { runs: unknown[] }).runs.length, 3);
  });

  it('show prints the summary, each series with points and first/min/last, and warnings', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', '20261127-090000-000-aaaa');
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    assert.match(r.out, /^Run 20261127-090000-000-aaaa\n/);
    assert.match(r.out, /\n {2}script {4}train\.ts \(typescript\)\n/);
    assert.match(r.out, /\n {2}status {4}completed after 12\.3s\n/);
    assert.match(r.out, /\n {2}engine {4}autograd-lab 0\.1\.0\n/);
    assert.match(r.out, /\n {2}NAME\s+POINTS\s+FIRST\s+MIN\s+LAST\n {2}loss\s+3\s+4 @1\s+1\.5 @2\s+2 @3\n {2}val_loss\s+1\s+2\.5 @3\s+2\.5 @3\s+2\.5 @3\n/);
    assert.match(r.out, /\nWarnings \(1\)\n {2}\[nan\] at epoch 3 loss became nan \(train\.ts:12\)\n$/);
  });

  it('show prints the error of a failed run', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', '20261128-080000-000-cccc');
    assert.equal(r.code, 0);
    assert.match(r.out, /status {4}failed after 850ms/);
    assert.match(r.out, /No metric series recorded\./);
    assert.match(r.out, /\nError\n {2}at train\.ts:7:3\n {2}RuntimeError: size mismatch\n {6}at train\.ts:7:3\n$/);
  });

  it('show accepts a unique prefix of the id', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', '20261128');
    assert.equal(r.code, 0);
    assert.match(r.out, /^Run 20261128-080000-000-cccc\n/);
  });

  it('show accepts a prefix typed without the dashes of the id', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', '2026112709');
    assert.equal(r.code, 0);
    assert.match(r.out, /^Run 20261127-090000-000-aaaa\n/);
  });

  it('show exits 1 with the reason when the run exists but nothing in it is readable', async () => {
    const root = threeRuns();
    mkdirSync(join(root, RECORDS_DIR, 'broken'));
    writeFileSync(join(root, RECORDS_DIR, 'broken', 'summary.json'), '{');
    const r = await runs(root, 'show', 'broken');
    assert.equal(r.code, 1);
    assert.match(r.err, /autograd-lab runs: run 'broken' holds no readable summary or events \(\.autograd-lab\/runs\/broken\/summary\.json: is not valid JSON/);
  });

  it('show exits 2 on an ambiguous prefix, listing the runs it matches', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', '20261127');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^autograd-lab runs: '20261127' matches 2 runs; give more of the id:\n/);
    assert.match(r.err, /\n {2}20261127-100000-000-bbbb .* other\.ts {2}completed\n {2}20261127-090000-000-aaaa .* train\.ts {2}completed\n$/);
  });

  it('show exits 2 on an unknown id, listing the recorded runs', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', 'nope');
    assert.equal(r.code, 2);
    assert.match(r.err, /^autograd-lab runs: no run 'nope'\. Recorded runs:\n {2}20261128-080000-000-cccc/);
    const empty = await runs(workspace(), 'show', '../etc');
    assert.equal(empty.code, 2);
    assert.equal(empty.err, "autograd-lab runs: no run '../etc': no runs recorded in .autograd-lab/runs\n");
  });

  it('show --json prints summary, series, warnings and problems', async () => {
    const root = threeRuns();
    const r = await runs(root, 'show', '20261127-09', '--json');
    assert.equal(r.code, 0);
    const parsed = JSON.parse(r.out) as Record<string, unknown>;
    assert.equal((parsed.summary as { runId: string }).runId, '20261127-090000-000-aaaa');
    assert.equal(parsed.engineVersion, '0.1.0');
    assert.deepEqual((parsed.series as Record<string, unknown>).loss, { points: 3, firstStep: 1, first: 4, min: 1.5, minStep: 2, lastStep: 3, last: 2 });
    assert.equal((parsed.warnings as unknown[]).length, 1);
    assert.deepEqual(parsed.problems, []);
  });

  it('export --csv prints the curves as CSV', async () => {
    const root = threeRuns();
    const r = await runs(root, 'export', '20261127-09', '--csv');
    assert.deepEqual(r, { code: 0, out: 'step,loss,val_loss\n1,4,\n2,1.5,\n3,2,2.5\n', err: '' });
  });

  it('export --out writes the CSV to a file relative to the current folder', async () => {
    const root = threeRuns();
    const r = await runs(root, 'export', '20261127-09', '--csv', '--out', 'curves.csv');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'Wrote curves.csv: 3 steps x 2 series of run 20261127-090000-000-aaaa\n');
    assert.equal(readFileSync(join(root, 'curves.csv'), 'utf8'), 'step,loss,val_loss\n1,4,\n2,1.5,\n3,2,2.5\n');
  });

  it('export of a run without metrics prints the header and says why on stderr', async () => {
    const root = threeRuns();
    const r = await runs(root, 'export', '20261128', '--csv');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'step\n');
    assert.match(r.err, /recorded no metric series/);
  });

  it('export exits 1 when the output file cannot be written', async () => {
    const root = threeRuns();
    const r = await runs(root, 'export', '20261128', '--csv', '--out', join(root, 'no', 'such', 'dir', 'x.csv'));
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot write .*x\.csv/);
  });

  it('list and show write values as every view does: 7 significant digits, nan and inf as PyTorch prints them', async () => {
    const root = workspace();
    record(root, '20261130-000000-000-eeee', { startedAt: '2026-11-30T00:00:00.000Z', points: [['loss', 1, 2.9276471234], ['loss', 2, 1.5e-7], ['loss', 3, NaN], ['val_loss', 1, Infinity]] });
    const list = await runs(root, 'list');
    assert.match(list.out, /loss nan {2}val_loss inf$/m);
    const show = await runs(root, 'show', '20261130');
    assert.match(show.out, /\n {2}loss\s+3\s+2\.927647 @1\s+1\.5e-07 @2\s+nan @3\n/);
  });

  it('--json output spells NaN and ±Inf as the records do, so it reads back as numbers', async () => {
    const root = workspace();
    record(root, '20261130-000000-000-eeee', { startedAt: '2026-11-30T00:00:00.000Z', points: [['loss', 1, 2], ['loss', 2, NaN], ['val_loss', 1, -Infinity]] });
    const show = await runs(root, 'show', '20261130', '--json');
    const parsed = JSON.parse(show.out) as { series: Record<string, { last: unknown; min: unknown }> };
    assert.deepEqual(parsed.series.loss, { points: 2, firstStep: 1, first: 2, min: 2, minStep: 1, lastStep: 2, last: 'NaN' });
    assert.equal(parsed.series.val_loss!.last, '-Infinity');
    const list = JSON.parse((await runs(root, 'list', '--json')).out) as { runs: { series: Record<string, { last: unknown }> }[] };
    assert.equal(list.runs[0]!.series.loss!.last, 'NaN');
  });

  it('export writes every digit, and nan and inf as Python reads them', async () => {
    const root = workspace();
    record(root, '20261130-000000-000-eeee', { startedAt: '2026-11-30T00:00:00.000Z', points: [['loss', 1, 2.927647113800049], ['loss', 2, NaN], ['loss', 3, -Infinity]] });
    const r = await runs(root, 'export', '20261130');
    assert.equal(r.out, 'step,loss\n1,2.927647113800049\n2,nan\n3,-inf\n');
  });

  it('exits 2 with the usage on a bad command line', async () => {
    const root = threeRuns();
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown runs command 'frobnicate'/],
      [['list', '--verbose'], /unknown option '--verbose'/],
      [['list', 'extra'], /unexpected argument 'extra'/],
      [['show'], /show needs a run id/],
      [['export'], /export needs a run id/],
      [['show', 'a', 'b'], /unexpected argument 'b'/],
      [['export', '20261128', '--out'], /--out needs a file name/],
      [['export', '20261128', '--json'], /export writes CSV/],
      [['list', '--csv'], /--csv and --out go with export/],
    ];
    for (const [args, message] of cases) {
      const r = await runs(root, ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '');
      assert.match(r.err, message);
      assert.match(r.err, /\nusage: autograd-lab runs/);
    }
  });

  it('skips a corrupt run record with a warning and still lists the others', async () => {
    const root = threeRuns();
    const dir = join(root, RECORDS_DIR, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), '{nope');
    writeFileSync(join(dir, 'events.jsonl'), 'garbage\n');
    const r = await runs(root, 'list');
    assert.equal(r.code, 0);
    assert.equal(r.out.trimEnd().split('\n').length, 4);
    assert.match(r.err, /warning: \.autograd-lab\/runs\/broken\/summary\.json: is not valid JSON \(truncated write\?\)\n/);
    assert.match(r.err, /warning: \.autograd-lab\/runs\/broken: holds no readable summary\.json or events; skipped/);
  });

  it('exits 1 when the runs folder cannot be read', { skip: process.getuid?.() === 0 && 'root reads any directory' }, async () => {
    const root = threeRuns();
    chmodSync(join(root, RECORDS_DIR), 0o000);
    try {
      const r = await runs(root, 'list');
      assert.equal(r.code, 1);
      assert.match(r.err, /warning: \.autograd-lab\/runs: cannot be read: permission denied/);
      assert.equal((await runs(root, 'show', 'x')).code, 1);
    } finally {
      chmodSync(join(root, RECORDS_DIR), 0o755);
    }
  });
});

describe('autograd-lab runs shows what records hold as text, never as terminal commands', () => {
  /** One run whose every text field a script or a cloned repository could fill with escape sequences. */
  function hostileRun(): string {
    const root = workspace();
    const runId = '20261130-000000-000-eeee';
    const w = RunRecordWriter.create(root, runId);
    const base = (seq: number) => ({ runId, seq, time: seq * 100 });
    w.append({ ...base(0), type: 'run-started', protocolVersion: PROTOCOL_VERSION, script: 'tr\x1b]0;pwned\x07ain.ts', language: 'typescript', engineVersion: '0.1.0', startedAt: '2026-11-30T00:00:00.000Z' });
    w.append({ ...base(1), type: 'metrics', ...batchOf([['\x1b[2Jloss', 1, 0.5]]) });
    w.append({ ...base(2), type: 'warning', kind: 'nan', message: 'loss \x9b31m became nan', epoch: 1 });
    w.append({
      ...base(3),
      type: 'run-failed',
      reason: 'error',
      exitCode: 1,
      durationMs: 300,
      error: { name: 'Error', message: 'bad \x1b[31mred\u202e', stack: 'Error: bad \x1b[31mred\u202e\n    at tr\x1b]0;pwned\x07ain.ts:4:7' },
    });
    w.close();
    return root;
  }

  /** C0 and C1 controls, DEL and the bidirectional overrides: what must not reach a terminal raw. */
  const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('list escapes the control characters of script names and series names', async () => {
    const r = await runs(hostileRun(), 'list');
    assert.doesNotMatch(r.out, RAW_CONTROL);
    assert.match(r.out, /tr\\x1b\]0;pwned\\x07ain\.ts/);
    assert.match(r.out, /\\x1b\[2Jloss 0\.5/);
  });

  it('show escapes them in the summary, the series, the warnings and the error', async () => {
    const r = await runs(hostileRun(), 'show', '20261130');
    assert.doesNotMatch(r.out, RAW_CONTROL);
    assert.match(r.out, /script {4}tr\\x1b\]0;pwned\\x07ain\.ts/);
    assert.match(r.out, /\[nan\] at epoch 1 loss \\x9b31m became nan/);
    assert.match(r.out, /Error: bad \\x1b\[31mred\\u202e\n/);
  });

  it('show --json escapes the C1 controls JSON would leave raw, and reads back as the same text', async () => {
    const r = await runs(hostileRun(), 'show', '20261130', '--json');
    assert.doesNotMatch(r.out, RAW_CONTROL);
    const shown = JSON.parse(r.out) as { warnings: { message: string }[] };
    assert.equal(shown.warnings[0]!.message, 'loss \x9b31m became nan');
  });

  it('warnings about what is on disk escape the names they quote', async () => {
    const root = threeRuns();
    mkdirSync(join(root, RECORDS_DIR, 'evil\x1b[2J'));
    const r = await runs(root, 'list');
    assert.doesNotMatch(r.err, RAW_CONTROL);
    assert.match(r.err, /evil\\x1b\[2J: is not a run record/);
  });
});

describe('autograd-lab runs shows how a run ended', () => {
  function endedRun(ending: { how: string; exitCode: number | null; signal: string | null }, outputNotRecordedBytes?: number): string {
    const root = workspace();
    const runId = '20261201-000000-000-ffff';
    const w = RunRecordWriter.create(root, runId);
    w.append({ runId, seq: 0, time: 0, type: 'run-started', protocolVersion: PROTOCOL_VERSION, script: 'train.py', language: 'python', engineVersion: '0.1.0', startedAt: '2026-12-01T00:00:00.000Z' });
    w.append({
      runId,
      seq: 1,
      time: 1500,
      type: 'run-failed',
      reason: 'crash',
      exitCode: ending.exitCode,
      durationMs: 1500,
      error: { name: 'ProcessError', message: '…', stack: '' },
      ending,
      ...(outputNotRecordedBytes !== undefined ? { outputNotRecordedBytes } : {}),
    } as RunEvent);
    w.close();
    return root;
  }

  it('list and show name the exit code a script ended with', async () => {
    const root = endedRun({ how: 'exit-code', exitCode: 3, signal: null });
    assert.match((await runs(root, 'list')).out, /train\.py\s+failed \(exit 3\)\s+1\.5s/);
    assert.match((await runs(root, 'show', '20261201')).out, /status {4}failed after 1\.5s \(exit code 3\)\n/);
  });

  it('list and show name the signal that killed the script process', async () => {
    const root = endedRun({ how: 'signal', exitCode: null, signal: 'SIGKILL' });
    assert.match((await runs(root, 'list')).out, /failed \(SIGKILL\)/);
    assert.match((await runs(root, 'show', '20261201')).out, /status {4}failed after 1\.5s \(killed by SIGKILL\)\n/);
  });

  it('show says how much output the record left out', async () => {
    const root = endedRun({ how: 'exit-code', exitCode: 3, signal: null }, 12 * 1024 * 1024);
    assert.match((await runs(root, 'show', '20261201')).out, /\n {2}output {4}12\.0 MiB more than the record keeps was printed \(shown while it ran, not recorded\)\n/);
  });
});

