/**
 * What probes, loss metrics and graph snapshots cost where the learner runs: the chapter's loops
 * (bench/learner/: (a) SGD, (b) Adam, (c) the chapter-6 MLP) through `autograd-lab run`, with
 * everything on and with `--no-probes --no-graph`, in fresh processes, interleaved round by round
 * so that the machine's load falls on both alike. It is bench/run.mjs's (f) on its own, with more
 * rounds; the target is ≤ 10 %. Needs a build (npm run build).
 *
 *   npx tsx scripts/bench-probe-overhead.ts [rounds (default 7)]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProbeCost {
  label: string;
  unavailable?: string;
  with_ms?: number;
  without_ms?: number;
  overhead?: number;
  round_overheads?: number[];
}

const rounds = Number(process.argv[2] ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-probe-overhead-'));
try {
  const out = join(dir, 'results.json');
  const args = ['bench/run.mjs', '--only', 'sgd,adam,mlp1,probes', '--impls', 'ours-run,ours-bare', '--rounds', String(rounds), '--reps', String(3 * rounds), '--out', out];
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const { probes } = JSON.parse(readFileSync(out, 'utf8')) as { probes: ProbeCost[] };
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
  console.log(`probes + metrics + graph snapshots on the user path, ${rounds} rounds (target ≤ 10 %):`);
  for (const p of probes) {
    if (p.unavailable !== undefined) console.log(`  ${p.label}: not measured: ${p.unavailable}`);
    else console.log(`  ${p.label}: ${p.with_ms!.toFixed(2)} ms vs ${p.without_ms!.toFixed(2)} ms: ${pct(p.overhead!)} (by round: ${p.round_overheads!.map(pct).join(', ')})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
