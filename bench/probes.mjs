// (f): what the runner's line probes cost on the chapter's SGD loop (a). The runner
// (src/runner/) instruments a learner's script — instrument() rewrites it so that every probed line
// reports its value — and a ProbeRecorder in the script process turns the reports into events
// (history, loss metrics, warnings), written as JSON lines to the parent. This measures exactly
// that, in-process and in a fresh process of its own: examples/thermometer/03-sgd.ts (the
// chapter's code, 5000 epochs), plain and instrumented, run alternately so that drift hits both
// alike, events encoded as the script host encodes them and written to /dev/null. Process start-up
// and instrumentation time are not counted; the training script's run is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_MARKER } from './timing.mjs';

/** Runs the measurement in a worker; `{ unavailable }` when the built runner lacks what it needs. */
export function probeRunner({ root, quick, reps }) {
  const need = ['runner/child/instrument.js', 'runner/child/probes.js', 'protocol/wire.js'].map((f) => join(root, 'dist', f));
  if (!need.every((f) => existsSync(f))) return { unavailable: 'runner not available (dist/ lacks runner/child/instrument.js, runner/child/probes.js or protocol/wire.js)' };
  const r = spawnSync(process.execPath, [join(root, 'bench', 'probes-worker.mjs'), String(quick ? 2 : Math.max(reps, 9)), quick ? '1' : '0'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (r.status !== 0 || !line) {
    const tail = `${r.stderr ?? ''}`.trim().split('\n').slice(-4).join(' | ');
    return { unavailable: `runner probes could not be measured (${r.status ?? r.signal}${tail ? `: ${tail}` : ''})` };
  }
  return JSON.parse(line.slice(RESULT_MARKER.length));
}
