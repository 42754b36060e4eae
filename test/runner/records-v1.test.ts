// Records written by protocol version 1 (a `metrics` event an object per point) are read by
// every reader: the CLI's runs list/show/export, the panel's restore of a recorded run and
// Compare Runs. The fixture is a real version-1 record of examples/thermometer/05-train-validation.ts;
// train-validation.events.jsonl is the same run recorded by version 2.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runsCommand } from '../../src/cli/runs-command.js';
import { overlayRun, PanelFeed } from '../../src/extension/panel-feed.js';
import { RECORDS_DIR } from '../../src/protocol/run-events.js';
import { readRun } from '../../src/runner/records.js';
import { ShownCurves } from '../../webview/curves-model.js';
import { RECORD_V1 } from '../extension/fixture.js';

const FIXTURES = new URL('../webview/fixtures/', import.meta.url);

/** A workspace holding one recorded run: `file` as its events.jsonl, under `runId`. */
function workspaceWith(file: string, runId: string): string {
  const root = mkdtempSync(join(tmpdir(), 'autograd-lab-v1-'));
  mkdirSync(join(root, RECORDS_DIR, runId), { recursive: true });
  copyFileSync(fileURLToPath(new URL(file, FIXTURES)), join(root, RECORDS_DIR, runId, 'events.jsonl'));
  return root;
}

async function runs(cwd: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runsCommand(args, { cwd, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('a version-1 run record', () => {
  const v1 = workspaceWith(RECORD_V1, 'fixture-05');
  const v2 = workspaceWith('train-validation.events.jsonl', 'fixture-05');

  it('is read with its summary rebuilt from its events, and no problems', () => {
    const { summary, problems } = readRun(v1, 'fixture-05');
    assert.deepEqual(problems, []);
    assert.equal(summary.protocolVersion, 1);
    assert.equal(summary.status, 'completed');
    assert.deepEqual(Object.keys(summary.series), ['train_loss', 'val_loss']);
    assert.equal(summary.series.train_loss!.points, 3000);
    assert.equal(summary.series.val_loss!.points, 3000);
  });

  it('is listed and shown by the CLI as the same run recorded by version 2', async () => {
    const list = await runs(v1, 'list');
    assert.equal(list.code, 0);
    assert.equal(list.err, 'warning: .autograd-lab/runs/fixture-05/summary.json: is missing; rebuilt from events.jsonl\n', 'the fixture is its events alone');
    assert.match(list.out, /fixture-05 .* completed .* train_loss \S+ {2}val_loss \S+$/m);
    const show1 = await runs(v1, 'show', 'fixture-05', '--json');
    const show2 = await runs(v2, 'show', 'fixture-05', '--json');
    const series = (text: string) => (JSON.parse(text) as { series: unknown }).series;
    assert.deepEqual(series(show1.out), series(show2.out));
    assert.match((await runs(v1, 'show', 'fixture-05')).out, /\n {2}train_loss\s+3000\s/);
  });

  it('exports the same CSV as the run recorded by version 2', async () => {
    const csv1 = await runs(v1, 'export', 'fixture-05');
    assert.equal(csv1.code, 0);
    assert.equal(csv1.out.split('\n')[0], 'step,train_loss,val_loss');
    assert.equal(csv1.out.trim().split('\n').length, 3001);
    assert.equal(csv1.out, (await runs(v2, 'export', 'fixture-05')).out);
  });

  it('is shown again in the panel: its curves and warnings', () => {
    const feed = new PanelFeed({ smoothing: 0.6 });
    feed.load(readRun(v1, 'fixture-05', { exclude: ['output'] }).events);
    const messages = feed.drain();
    const curves = new ShownCurves();
    for (const m of messages) if (m.type === 'metrics') curves.apply(m.series);
    assert.deepEqual([...curves.series].map(([name, s]) => [name, s.total]), [['train_loss', 3000], ['val_loss', 3000]]);
    const warning = messages.find((m) => m.type === 'warning');
    assert.ok(warning && warning.type === 'warning' && warning.warning.kind === 'overfitting');
    assert.equal(warning.warning.lowest, undefined, 'version 1 did not record where validation was lowest');
  });

  it('is overlaid by Compare Runs like a version-2 run', () => {
    const read1 = readRun(v1, 'fixture-05', { exclude: ['output', 'graph', 'probes'] });
    const read2 = readRun(v2, 'fixture-05', { exclude: ['output', 'graph', 'probes'] });
    const overlay1 = overlayRun(read1.summary, read1.events);
    assert.deepEqual(Object.keys(overlay1.series), ['train_loss', 'val_loss']);
    assert.equal(overlay1.series.train_loss!.total, 3000);
    assert.deepEqual(overlay1.series, overlayRun(read2.summary, read2.events).series);
  });
});
