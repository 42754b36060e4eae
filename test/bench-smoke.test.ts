// CI's smoke test of the benchmark harness (bench/run.mjs --quick): every workload runs on every
// available implementation at a tiny size — Autograd Lab both directly and through
// `autograd-lab run` — the results agree with each other, and the report has its table, targets
// and JSON. No timing is asserted — `npm run bench` is for that.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

interface ImplResult {
  unavailable?: string;
  error?: string;
  median_ms?: number;
  cold_ms?: number;
  gflops?: number;
  result?: number[];
  stable?: boolean;
  check?: { ok: boolean; worst: number; against: string };
}
interface Report {
  mode: string;
  workloads: { id: string; label: string; unit: string; reference: string; impls: Record<string, ImplResult> }[];
  memory: { growth_bytes: number; small: number; large: number } | null;
  probes: { id: string; unavailable?: string; overhead?: number; round_overheads?: number[] }[];
  first_point: { error?: string; times_ms?: number[]; median_ms?: number } | null;
  targets: { name: string; required: number; met: boolean | null; detail: string }[];
  checks_ok: boolean;
  table: string;
}

const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-bench-smoke-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'results.json');
const run = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--out', out], { encoding: 'utf8', timeout: 10 * 60 * 1000 });

describe('npm run bench (quick smoke run)', () => {
  it('runs to the end and writes its JSON report', () => {
    assert.equal(run.status, 0, `bench/run.mjs failed:\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    assert.equal(report.mode, 'quick');
  });

  const report = (): Report => JSON.parse(readFileSync(out, 'utf8')) as Report;

  it('measures every workload (a)–(e) on Autograd Lab, directly and through autograd-lab run, and on both tfjs backends', () => {
    const ids = report().workloads.map((w) => w.id);
    assert.deepEqual(ids, ['sgd', 'adam', 'mlp1', 'mlp784', 'matmul128', 'matmul256', 'matmul512']);
    for (const w of report().workloads) {
      for (const impl of ['ours', 'ours-run', 'tfjs-cpu', 'tfjs-wasm']) {
        const r = w.impls[impl]!;
        assert.equal(r.error, undefined, `${w.label} on ${impl}: ${r.error}`);
        assert.equal(typeof r.median_ms, 'number', `${w.label} on ${impl}`);
        assert.equal(typeof r.cold_ms, 'number');
        if (w.unit === 'GFLOP/s') assert.equal(typeof r.gflops, 'number');
      }
      const torch = w.impls['torch']!;
      assert.ok(torch.unavailable !== undefined || typeof torch.median_ms === 'number', `${w.label} on torch: ${torch.error}`);
    }
  });

  it('checks the implementations against each other, and they agree', () => {
    const r = report();
    for (const w of r.workloads) {
      assert.equal(w.reference, w.impls['torch']?.result ? 'torch' : 'ours');
      for (const [impl, res] of Object.entries(w.impls)) {
        if (!res.result) continue;
        assert.ok(res.check, `${w.label} on ${impl} has no check`);
        assert.ok(res.check.ok, `${w.label} on ${impl} disagrees with ${res.check.against} (${res.check.worst}× the tolerance)`);
        assert.notEqual(res.stable, false, `${w.label} on ${impl} changed between repetitions`);
      }
    }
    assert.equal(r.checks_ok, true);
  });

  it('gets the same numbers through autograd-lab run as directly', () => {
    for (const w of report().workloads) assert.deepEqual(w.impls['ours-run']!.result, w.impls['ours']!.result, w.label);
  });

  it('reports (f) what probes, metrics and graph snapshots add to each chapter loop on the user path', () => {
    const r = report();
    assert.deepEqual(
      r.probes.map((p) => p.id),
      ['sgd', 'adam', 'mlp1'],
    );
    for (const p of r.probes) {
      assert.equal(p.unavailable, undefined, `${p.id}: ${p.unavailable}`);
      assert.equal(typeof p.overhead, 'number');
      assert.equal(p.round_overheads!.length, 1);
    }
  });

  it('reports (g) memory', () => {
    const r = report();
    assert.ok(r.memory && typeof r.memory.growth_bytes === 'number');
  });

  it('reports (h) Run Training to the first point on the chart', () => {
    const { first_point } = report();
    assert.ok(first_point);
    assert.equal(first_point.error, undefined, first_point.error);
    assert.equal(first_point.times_ms!.length, 1);
    assert.equal(typeof first_point.median_ms, 'number');
  });

  it('prints the table with ratios and every target', () => {
    const r = report();
    for (const w of r.workloads) assert.ok(r.table.includes(w.label), `table lacks ${w.label}`);
    assert.match(r.table, /direct÷tfjs-cpu/);
    assert.match(r.table, /^\(f\) /m);
    assert.match(r.table, /^\(h\) Run Training to the first point/m);
    assert.match(r.table, /\d+(\.\d+)?× (faster|slower)/);
    assert.match(r.table, /^targets:$/m);
    const names = r.targets.map((t) => t.name).join('\n');
    const expectedTargets = [
      /^\(a\).*direct.*torch/m,
      /^\(a\).*direct.*tfjs-cpu/m,
      /^\(b\)/m,
      /^\(c\)/m,
      /^\(d\)/m,
      /^\(e\) matmul 512.*tfjs-wasm/m,
      /^\(a\).*user path.*≥ 30×.*torch/m,
      /^\(b\).*user path.*≥ 30×.*torch/m,
      /^\(c\).*user path.*≥ 20×.*torch/m,
      /^\(a\).*first run in a fresh process, user path.*≥ 5×.*torch/m,
      /^\(f\).*\(a\)/m,
      /^\(f\).*\(b\)/m,
      /^\(f\).*\(c\)/m,
      /^\(g\)/m,
    ];
    for (const expected of expectedTargets) {
      assert.match(names, expected);
    }
    for (const t of r.targets) assert.ok(t.met === true || t.met === false || t.met === null);
    assert.equal(run.stdout.includes(r.table), true, 'the printed report is the one written');
  });
});
