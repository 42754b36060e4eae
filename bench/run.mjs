// `npm run bench`: every workload on Autograd Lab, TensorFlow.js (cpu and wasm backends) and,
// when Python can import torch, PyTorch — each workload and implementation in a fresh process.
// Autograd Lab runs each workload's learner script (bench/learner/) on two paths: directly (the
// engine imported into a plain Node process) and as a learner runs it (`autograd-lab run`:
// runner, script process, line probes, loss metrics, graph snapshots). Prints a table of medians
// and ratios (ours ÷ theirs), checks the results against each other (a fast wrong answer fails
// its row) and against the targets, and writes the numbers to bench/results.json.
//
//   node bench/run.mjs [--quick] [--reps 9] [--rounds 3] [--warmup 2] [--only sgd,matmul512,memory,probes,first-point] [--impls ours,ours-run,ours-bare,torch] [--out file]
//
// The `reps` timed runs of a workload are split into `rounds`: each round runs every implementation
// once (in a fresh process, after its warm-up), in a rotated order, so a change in the machine's
// load during the benchmark (other programs on a shared machine) falls on all of them alike
// instead of on whichever ran at the wrong moment. Medians are over all rounds' runs.
//
// (f) runs `autograd-lab run --no-probes --no-graph` beside the user path on the chapter's loops;
// (h) times Run Training to the first point on the chart (bench/first-point.mjs).
//
// --quick runs tiny sizes once each (CI's smoke test of the harness; its timings mean nothing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_JOB_ENV } from './harness.mjs';
import { median, RESULT_MARKER } from './timing.mjs';
import { BARE_RUN, compareResults, IMPLS, makeData, WORKLOADS } from './workloads.mjs';
import { firstPoint } from './first-point.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function parseCli(argv) {
  const o = { quick: false, reps: null, rounds: null, warmup: null, only: null, impls: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === '--quick') o.quick = true;
    else if (a === '--reps') o.reps = Number(value());
    else if (a === '--rounds') o.rounds = Number(value());
    else if (a === '--warmup') o.warmup = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--impls') o.impls = value().split(',');
    else if (a === '--out') o.out = value();
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const cli = parseCli(process.argv.slice(2));
const mode = cli.quick ? 'quick' : 'full';
const rounds = Math.max(1, cli.rounds ?? (cli.quick ? 1 : 3));
/** Timed runs per process; `rounds` processes per workload and implementation. */
const repsPerRound = Math.max(1, Math.ceil((cli.reps ?? (cli.quick ? 1 : 9)) / rounds));
const reps = repsPerRound * rounds;
const warmup = cli.warmup ?? (cli.quick ? 0 : 2);
const outPath = cli.out ?? (cli.quick ? join(tmpdir(), 'autograd-lab-bench-quick.json') : join(here, 'results.json'));
const WORKER_TIMEOUT_MS = 15 * 60 * 1000;

if (!existsSync(join(root, 'dist', 'engine', 'index.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first (npm run bench does).');
  process.exit(2);
}

/** `python3` when it imports torch, else Debian's /usr/bin/python3 (where python3-torch installs), else none. */
function findTorchPython() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

function parseWorker(r, what) {
  if (r.error) return { error: `${what}: ${r.error.message}` };
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (r.status !== 0 || !line) {
    const tail = `${r.stderr ?? ''}`.trim().split('\n').slice(-6).join('\n');
    return { error: `${what} exited with ${r.status ?? r.signal}${tail ? `:\n${tail}` : ''}` };
  }
  return JSON.parse(line.slice(RESULT_MARKER.length));
}

function spawnWorker(command, args, what, env = process.env) {
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: WORKER_TIMEOUT_MS,
  });
  return parseWorker(r, what);
}

function runJsWorker(args) {
  return spawnWorker(process.execPath, [join(here, 'worker.mjs'), ...args], `worker ${args.join(' ')}`);
}

/** The job a learner script reads through bench/harness.mjs. */
function jobEnv(job) {
  return { ...process.env, [BENCH_JOB_ENV]: JSON.stringify(job) };
}

/** The direct path: the learner script in a plain Node process (bench/direct.mjs). */
function runDirect(w, job, nodeFlags = []) {
  const script = join(here, 'learner', w.script);
  return spawnWorker(process.execPath, [...nodeFlags, join(here, 'direct.mjs'), script], `direct.mjs ${w.script} (${job.workload})`, jobEnv(job));
}

/**
 * The user path: `autograd-lab run <script>` (the CLI, bin/autograd-lab.mjs), recording its run
 * as it does by default (into the scratch folder); `bare` turns probes and graph snapshots off.
 */
function runUserPath(w, job, { bare }) {
  const script = join(here, 'learner', w.script);
  const args = [join(root, 'bin', 'autograd-lab.mjs'), 'run', script, '--record', scratch, ...(bare ? ['--no-probes', '--no-graph'] : [])];
  return spawnWorker(process.execPath, args, `autograd-lab run ${w.script}${bare ? ' --no-probes --no-graph' : ''} (${job.workload})`, jobEnv(job));
}

function runTorchWorker(torchPy, id, size, dataPath) {
  const r = spawnSync(torchPy.python, [join(here, 'torch_worker.py'), id, JSON.stringify(size), dataPath, String(repsPerRound), String(warmup)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: WORKER_TIMEOUT_MS,
  });
  return parseWorker(r, `torch_worker.py ${id}`);
}

// ------------------------------------------------------------------ run everything

const torchPy = (cli.impls === null || cli.impls.includes('torch')) ? findTorchPython() : null;
const implIds = IMPLS.map((i) => i.id).filter((id) => cli.impls === null || cli.impls.includes(id));
const wanted = (id) => cli.only === null || cli.only.includes(id);
const runBare = (cli.impls === null || cli.impls.includes(BARE_RUN.id)) && wanted('probes');
const workloads = WORKLOADS.filter((w) => wanted(w.id));
const scratch = mkdtempSync(join(tmpdir(), 'autograd-lab-bench-'));
const started = Date.now();
const results = [];

function runImpl(impl, w, size, dataPath) {
  if (impl === 'torch') return torchPy ? runTorchWorker(torchPy, w.id, size, dataPath) : { unavailable: 'python3 cannot import torch' };
  const job = { workload: w.id, size, data: dataPath, reps: repsPerRound, warmup };
  if (impl === 'ours') return runDirect(w, job);
  if (impl === 'ours-run') return runUserPath(w, job, { bare: false });
  if (impl === BARE_RUN.id) return runUserPath(w, job, { bare: true });
  return runJsWorker(['--impl', impl, '--workload', w.id, '--size', JSON.stringify(size), '--data', dataPath, '--reps', String(repsPerRound), '--warmup', String(warmup)]);
}

try {
  for (const w of workloads) {
    const size = w[mode];
    const dataPath = join(scratch, `${w.id}.json`);
    writeFileSync(dataPath, JSON.stringify(makeData(w.id, size)));
    const row = { id: w.id, label: w.label, size, description: w.describe(size), unit: w.unit, impls: {} };
    const rowImpls = [...implIds, ...(runBare && BARE_RUN.workloads.includes(w.id) ? [BARE_RUN.id] : [])];
    const perRound = Object.fromEntries(rowImpls.map((impl) => [impl, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order, so no implementation always runs first (or last) in a round.
      const order = rowImpls.map((_, i) => rowImpls[(i + round) % rowImpls.length]);
      for (const impl of order) {
        process.stderr.write(`bench: ${w.label} on ${impl}${rounds > 1 ? ` (round ${round + 1}/${rounds})` : ''} ... `);
        const r = runImpl(impl, w, size, dataPath);
        process.stderr.write(r.error ? 'failed\n' : r.unavailable ? 'unavailable\n' : `${r.median_ms.toFixed(2)} ms\n`);
        perRound[impl].push(r);
      }
    }
    for (const impl of rowImpls) {
      const r = mergeRounds(perRound[impl]);
      if (r.median_ms !== undefined && w.id.startsWith('matmul')) r.gflops = (2 * size.n ** 3) / (r.median_ms * 1e6);
      row.impls[impl] = r;
    }
    checkRow(row);
    results.push(row);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * One implementation's rounds as one result: every round's timed runs pooled for the median, the
 * median of the rounds' cold times (each round's first run in a fresh process), and the result of
 * the first round, which every later round must reproduce exactly (else `stable` is false and the
 * row's check fails).
 */
function mergeRounds(list) {
  const failed = list.find((r) => r.error || r.unavailable);
  if (failed) return failed;
  const [first] = list;
  const times = list.flatMap((r) => r.times_ms);
  const cpuTimes = list.flatMap((r) => r.cpu_times_ms ?? []);
  const sameResult = (r) => r.result.length === first.result.length && r.result.every((v, i) => Object.is(v, first.result[i]));
  return {
    ...first,
    times_ms: times,
    median_ms: median(times),
    min_ms: Math.min(...times),
    ...(cpuTimes.length > 0 ? { cpu_times_ms: cpuTimes, cpu_median_ms: median(cpuTimes) } : {}),
    rounds: list.length,
    round_medians_ms: list.map((r) => r.median_ms),
    cold_ms: median(list.map((r) => r.cold_ms)),
    round_cold_ms: list.map((r) => r.cold_ms),
    stable: list.every((r) => r.stable !== false && sameResult(r)),
  };
}

/**
 * Cross-checks a row: each implementation's result against PyTorch's (or, without PyTorch, ours),
 * and each implementation against itself across repetitions.
 */
function checkRow(row) {
  const refId = row.impls.torch?.result ? 'torch' : 'ours';
  const ref = row.impls[refId]?.result;
  row.reference = refId;
  for (const [id, r] of Object.entries(row.impls)) {
    if (!r.result) continue;
    const worst = ref ? compareResults(row.id, ref, r.result) : Infinity;
    r.check = { against: refId, worst, ok: worst <= 1 && r.stable !== false };
  }
}

// ------------------------------------------------------------------ (g) memory, (f) probes, (h) first point

let memory = null;
if (implIds.includes('ours') && wanted('memory')) {
  const [small, large] = cli.quick ? [100, 1000] : [1000, 100000];
  const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-bench-'));
  const dataPath = join(dir, 'memory.json');
  writeFileSync(dataPath, JSON.stringify(makeData('sgd', {})));
  process.stderr.write(`bench: (g) memory, ${small} vs ${large} epochs ... `);
  const r = runDirect(WORKLOADS.find((w) => w.id === 'sgd'), { workload: 'memory', data: dataPath, small, large }, ['--expose-gc']);
  rmSync(dir, { recursive: true, force: true });
  memory = r.error ? { error: r.error, small, large } : { ...r, small, large };
  process.stderr.write(r.error ? 'failed\n' : `${(r.growth_bytes / 2 ** 20).toFixed(2)} MB\n`);
}

/**
 * (f): what probes, loss metrics and graph snapshots add on the user path, per loop: the user
 * path's median over the bare run's, and the same ratio round by round (the spread).
 */
const probes = [];
for (const row of results) {
  const withAll = row.impls['ours-run'];
  const bare = row.impls[BARE_RUN.id];
  if (!withAll || !bare) continue;
  if (!withAll.median_ms || !bare.median_ms) {
    probes.push({ id: row.id, label: row.label, unavailable: withAll.error ?? bare.error ?? withAll.unavailable ?? bare.unavailable });
    continue;
  }
  probes.push({
    id: row.id,
    label: row.label,
    with_ms: withAll.median_ms,
    without_ms: bare.median_ms,
    overhead: withAll.median_ms / bare.median_ms - 1,
    round_overheads: withAll.round_medians_ms.map((m, i) => m / bare.round_medians_ms[i] - 1),
    // The same in the script process's CPU time (steadier on a busy machine).
    cpu_overhead: withAll.cpu_median_ms / bare.cpu_median_ms - 1,
  });
}

let first = null;
if (implIds.includes('ours-run') && wanted('first-point')) {
  process.stderr.write('bench: (h) Run Training to the first point on the chart ... ');
  first = firstPoint({ root, runs: cli.quick ? 1 : Math.max(5, reps), quick: cli.quick });
  process.stderr.write(first.error ? 'failed\n' : `${first.median_ms.toFixed(0)} ms\n`);
}

// ------------------------------------------------------------------ targets

const targets = [];
function target(name, measured, required, met, detail) {
  targets.push({ name, measured, required, met, detail });
}
const byId = Object.fromEntries(results.map((r) => [r.id, r]));
/**
 * How many times faster `impl` is than `other` (time ratio, `key` = median_ms or cold_ms), or
 * null when either wasn't measured, NaN when their results disagree.
 */
function speedup(row, impl, other, key) {
  const a = row?.impls[impl];
  const b = row?.impls[other];
  if (!a?.[key] || !b?.[key]) return null;
  if (!a.check?.ok || !b.check?.ok) return NaN;
  return b[key] / a[key];
}
const PATH = { ours: 'direct', 'ours-run': 'user path (autograd-lab run)' };
function speedTarget(id, impl, other, times, key = 'median_ms') {
  const row = byId[id];
  if (!row || !row.impls[impl]) return;
  const s = speedup(row, impl, other, key);
  const name = `${row.label}${key === 'cold_ms' ? ', first run in a fresh process' : ''}, ${PATH[impl]}: ≥ ${times}× faster than ${other}`;
  if (s === null) target(name, null, times, null, `${other} not measured`);
  else if (Number.isNaN(s)) target(name, null, times, false, 'results disagree');
  else target(name, s, times, s >= times, `${s.toFixed(1)}×`);
}
for (const id of ['sgd', 'adam', 'mlp1']) {
  speedTarget(id, 'ours', 'torch', 20);
  speedTarget(id, 'ours', 'tfjs-cpu', 10);
}
for (const id of ['mlp784', 'matmul128', 'matmul256', 'matmul512']) speedTarget(id, 'ours', 'tfjs-cpu', 3);
{
  const row = byId.matmul512;
  const ours = row?.impls.ours;
  const wasm = row?.impls['tfjs-wasm'];
  if (ours?.gflops && wasm?.gflops) {
    const frac = ours.gflops / wasm.gflops;
    const ok = ours.check?.ok && wasm.check?.ok;
    target(`${row.label}: ≥ ½ of tfjs-wasm's GFLOP/s`, frac, 0.5, ok ? frac >= 0.5 : false, ok ? `${ours.gflops.toFixed(1)} vs ${wasm.gflops.toFixed(1)} GFLOP/s (${(frac * 100).toFixed(0)} %)` : 'results disagree');
  }
}
// Issue 15: what a learner gets, on the user path.
speedTarget('sgd', 'ours-run', 'torch', 30);
speedTarget('adam', 'ours-run', 'torch', 30);
speedTarget('mlp1', 'ours-run', 'torch', 20);
speedTarget('sgd', 'ours-run', 'torch', 5, 'cold_ms');
for (const p of probes) {
  const name = `(f) probes + metrics + graph snapshots add ≤ 10 % to ${p.label} on the user path`;
  if (p.unavailable) target(name, null, 0.1, null, `not measured: ${p.unavailable}`);
  else target(name, p.overhead, 0.1, p.overhead <= 0.1, `${pct(p.overhead)}`);
}
if (memory) {
  if (memory.error) target('(g) heap growth < 5 MB', null, 5, false, memory.error);
  else {
    const mb = memory.growth_bytes / 2 ** 20;
    target(`(g) heap growth ${memory.small} → ${memory.large} epochs < 5 MB`, mb, 5, mb < 5, `${mb.toFixed(2)} MB`);
  }
}

// ------------------------------------------------------------------ report

function pct(ratio) {
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)} %`;
}

const versions = {};
for (const row of results) for (const [id, r] of Object.entries(row.impls)) if (r.version) versions[id.startsWith('ours') ? 'ours' : id] = r.version;
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  platform: `${process.platform} ${process.arch}`,
  python: torchPy ? torchPy.python : null,
};

const fmtTime = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);
function cell(row, id) {
  const r = row.impls[id];
  if (!r) return '—';
  if (r.unavailable) return 'n/a';
  if (r.error) return 'error';
  const mark = r.check?.ok ? '' : ' ✗';
  return (row.unit === 'GFLOP/s' ? `${r.gflops.toFixed(2)} GF/s` : fmtTime(r.median_ms)) + mark;
}
function ratioText(a, b) {
  const ratio = a / b;
  const fold = b / a;
  return `${ratio < 0.01 ? ratio.toFixed(4) : ratio.toFixed(3)} (${fold >= 1 ? `${fold.toFixed(fold >= 10 ? 0 : 1)}× faster` : `${(1 / fold).toFixed(1)}× slower`})`;
}
function ratioCell(row, impl, other, key = 'median_ms') {
  const a = row.impls[impl]?.[key];
  const b = row.impls[other]?.[key];
  return a && b ? ratioText(a, b) : '—';
}
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ')).join('\n');
}

// Ratios: the direct path against every other implementation (as before), the user path against PyTorch.
const others = implIds.filter((id) => !id.startsWith('ours'));
const ratioColumns = [
  ...(implIds.includes('ours') ? others.map((id) => ['ours', id, `direct÷${id}`]) : []),
  ...(implIds.includes('ours-run') && others.includes('torch') ? [['ours-run', 'torch', 'run÷torch']] : []),
];
const labelOf = (id) => IMPLS.find((i) => i.id === id).label;
const lines = [['workload', ...implIds.map(labelOf), ...ratioColumns.map(([, , name]) => name)]];
for (const row of results) lines.push([`${row.label} — ${row.description}`, ...implIds.map((id) => cell(row, id)), ...ratioColumns.map(([a, b]) => ratioCell(row, a, b))]);
const coldLines = [['first run in a fresh process (cold)', ...implIds.map(labelOf), ...ratioColumns.map(([, , name]) => name)]];
for (const row of results) {
  if (row.unit !== 'ms') continue;
  const c = (id) => (row.impls[id]?.cold_ms !== undefined ? fmtTime(row.impls[id].cold_ms) : '—');
  coldLines.push([row.label, ...implIds.map(c), ...ratioColumns.map(([a, b]) => ratioCell(row, a, b, 'cold_ms'))]);
}

const out = [];
out.push(`Autograd Lab benchmark (${mode}) — ${machine.cpus} × ${machine.cpu}, Node ${machine.node}`);
out.push(`implementations: ${Object.values(versions).join('; ')}${torchPy || !implIds.includes('torch') ? '' : '; PyTorch: not available (python3 cannot import torch)'}`);
out.push(`medians of ${reps} runs (${rounds} round(s) of ${repsPerRound}, implementations interleaved), each after ${warmup} warm-up run(s) in a fresh process per workload, implementation and round; ✗ = result disagrees`);
out.push('direct: the learner script with the engine imported into a plain Node process; autograd-lab run: the same script as a learner runs it (runner, script process, probes, loss metrics, graph snapshots)');
out.push('');
out.push(table(lines));
out.push('');
out.push(table(coldLines));
out.push('');
if (probes.length > 0) {
  out.push(`(f) probes + metrics + graph snapshots on the user path (autograd-lab run vs ${BARE_RUN.label}):`);
  for (const p of probes) {
    out.push(
      p.unavailable
        ? `    ${p.label}: not measured: ${p.unavailable}`
        : `    ${p.label}: ${fmtTime(p.with_ms)} vs ${fmtTime(p.without_ms)} (${pct(p.overhead)}; by round: ${p.round_overheads.map(pct).join(', ')}; in CPU time: ${pct(p.cpu_overhead)})`,
    );
  }
}
if (memory && !memory.error) {
  out.push(`(g) heap after ${memory.small} epochs of (a): ${(memory.heap_small_bytes / 2 ** 20).toFixed(2)} MB; after ${memory.large}: ${(memory.heap_large_bytes / 2 ** 20).toFixed(2)} MB`);
}
if (first) {
  out.push(
    first.error
      ? `(h) Run Training to the first point on the chart: not measured: ${first.error}`
      : `(h) Run Training to the first point on the chart (TS, ${first.script}): median ${fmtTime(first.median_ms)} of ${first.times_ms.length} (${fmtTime(first.min_ms)}–${fmtTime(first.max_ms)}); ${first.how}`,
  );
}
const failedChecks = results.flatMap((row) => Object.entries(row.impls).filter(([, r]) => r.check && !r.check.ok).map(([id, r]) => `${row.label} on ${id} (off by ${r.check.worst.toFixed(1)}× the tolerance)`));
out.push(failedChecks.length === 0 ? 'results: every implementation agrees with the reference (PyTorch when available) within tolerance' : `results DISAGREE: ${failedChecks.join('; ')}`);
out.push('');
out.push('targets:');
for (const t of targets) out.push(`  ${t.met === true ? 'met    ' : t.met === false ? 'NOT MET' : 'n/a    '}  ${t.name}: ${t.detail}`);
const errors = results.flatMap((row) => Object.entries(row.impls).filter(([, r]) => r.error).map(([id, r]) => `${row.label} on ${id}: ${r.error}`));
if (first?.error) errors.push(`(h) first point: ${first.error}`);
if (errors.length) out.push('', 'errors:', ...errors.map((e) => `  ${e}`));
const text = out.join('\n');
console.log(text);

const report = {
  mode,
  date: new Date(started).toISOString(),
  duration_s: (Date.now() - started) / 1000,
  machine,
  versions,
  reps,
  rounds,
  warmup,
  workloads: results,
  memory,
  probes,
  first_point: first,
  targets,
  checks_ok: failedChecks.length === 0,
  table: text,
};
writeFileSync(outPath, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${outPath}`);
// An error, or results that disagree (a fast wrong answer), fail the run.
process.exitCode = errors.length > 0 || failedChecks.length > 0 ? 1 : 0;
