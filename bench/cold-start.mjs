// Where the first run's time goes, on the user path: each step below is a fresh process, timed
// from spawn to exit (median of --runs), and the table gives what each step adds to the one
// before. With --flags, the direct path's cold SGD run under V8 flags that change how soon code
// is optimized, or how the young generation starts (ideas for the script process's execArgv).
//
//   node bench/cold-start.mjs [--runs 7] [--flags]
//
// Needs a build (npm run build). Timings on a shared machine vary: read the spread.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_JOB_ENV } from './harness.mjs';
import { median, RESULT_MARKER } from './timing.mjs';
import { makeData } from './workloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 7);
const scratch = mkdtempSync(join(tmpdir(), 'autograd-lab-cold-'));
const data = join(scratch, 'sgd.json');
writeFileSync(data, JSON.stringify(makeData('sgd', {})));
const script = join(here, 'learner', 'thermometer.ts');
const cli = join(root, 'bin', 'autograd-lab.mjs');
const engine = new URL('../dist/engine/index.js', import.meta.url).href;

/** The thermometer script's job: `epochs` epochs, run once. */
function job(epochs) {
  return { ...process.env, [BENCH_JOB_ENV]: JSON.stringify({ workload: 'sgd', size: { epochs }, data, reps: 1, warmup: 0 }) };
}

/** Spawn-to-exit time of a command, and what the harness reported (cold run, time since process start). */
function once(argv, env = process.env) {
  const start = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, env, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  const out = line ? JSON.parse(line.slice(RESULT_MARKER.length)) : null;
  return { ms, cold: out?.cold_ms, coldEnd: out?.cold_end_ms, stdout: r.stdout };
}

function measure(label, argv, env) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(once(argv, env));
  const pick = (key) => samples.map((s) => s[key]).filter((v) => v !== undefined);
  return { label, ms: median(pick('ms')), min: Math.min(...pick('ms')), max: Math.max(...pick('ms')), cold: pick('cold').length ? median(pick('cold')) : undefined, coldEnd: pick('coldEnd').length ? median(pick('coldEnd')) : undefined };
}

/** Runs argv[1] as Run Training does: the bundled runner of dist/runtime, probes and graph on; prints the script's output. */
const BUNDLED_RUN = `
const { startRun } = await import(${JSON.stringify(new URL('../dist/runtime/runner/runner.js', import.meta.url).href)});
const run = startRun({ script: process.argv[1], onEvent: (e) => { if (e.type === 'output') process[e.stream].write(e.text); } });
const end = await run.done;
process.exitCode = end.type === 'run-finished' && end.status === 'completed' ? 0 : 1;
`;

const node = process.execPath;
const fmt = (ms) => (ms === undefined ? '' : `${ms.toFixed(0)} ms`);
try {
  if (args.includes('--flags')) {
    const flagSets = [[], ['--max-semi-space-size=16', '--min-semi-space-size=16'], ['--single-threaded-gc'], ['--always-sparkplug'], ['--no-lazy-feedback-allocation'], ['--interrupt-budget=16384'], ['--maglev']];
    console.log(`direct path, (a) SGD 5000 epochs, first run in a fresh process (median of ${runs}):`);
    for (const flags of flagSets) {
      const m = measure(flags.join(' ') || '(no flags)', [node, ...flags, join(here, 'direct.mjs'), script], job(5000));
      console.log(`  ${m.label.padEnd(52)} first run ${fmt(m.cold).padStart(7)}   process ${fmt(m.ms).padStart(7)}`);
    }
  } else {
    const steps = [
      measure('Node starts and exits', [node, '-e', '0']),
      measure('+ the engine imported', [node, '--input-type=module', '-e', `await import(${JSON.stringify(engine)})`]),
      measure('+ loader hooks thread, TypeScript transpiled, 1 epoch (direct)', [node, join(here, 'direct.mjs'), script], job(1)),
      measure('autograd-lab run --no-probes --no-graph, 1 epoch', [node, cli, 'run', script, '--no-record', '--no-probes', '--no-graph'], job(1)),
      measure('autograd-lab run (probes, graph), 1 epoch', [node, cli, 'run', script, '--no-record'], job(1)),
      measure('autograd-lab run, the 5000-epoch SGD loop once', [node, cli, 'run', script, '--no-record'], job(5000)),
      measure('the same through the extension’s bundled runner (dist/runtime)', [node, '--input-type=module', '-e', BUNDLED_RUN, script], job(5000)),
    ];
    const attach = measure('the debugger attached in a script process (script-watch.ts)', [
      node,
      '--input-type=module',
      '-e',
      `const { watchThrows } = await import(${JSON.stringify(new URL('../dist/runner/child/stack.js', import.meta.url).href)}); const t = performance.now(); watchThrows(() => false); console.log('${RESULT_MARKER}' + JSON.stringify({ cold_ms: performance.now() - t }));`,
    ]);
    console.log(`cold start of the user path, spawn to exit (median of ${runs}; min–max), and what each step adds:`);
    let previous = 0;
    for (const s of steps) {
      const added = previous ? `+${(s.ms - previous).toFixed(0)} ms` : '';
      console.log(`  ${s.label.padEnd(66)} ${fmt(s.ms).padStart(7)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})  ${added.padStart(8)}${s.coldEnd !== undefined ? `   in the script: start → first result ${fmt(s.coldEnd)}, the run itself ${fmt(s.cold)}` : ''}`);
      previous = s.ms;
    }
    console.log(`  (of which: attaching the debugger, timed inside a process: ${fmt(attach.cold)})`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
