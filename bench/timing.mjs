// How every JavaScript worker times a workload (torch_worker.py does the same in Python):
// the first run in a fresh process is reported as "cold", then `warmup` runs are discarded,
// then `reps` runs are timed. A run returns its result (a flat list of numbers), which must be
// the same in every run of a deterministic implementation.

/**
 * Times `run` (one whole workload, e.g. a 5000-epoch loop). `inner` repeats it inside one
 * timing sample (for workloads too short to time alone, such as a 128×128 product) and the
 * sample is divided by it.
 */
export function measure(run, { reps, warmup, inner = 0 }) {
  let t = performance.now();
  const first = run();
  // performance.now() counts from the process's start: when the first result was there.
  const coldEnd = performance.now();
  const cold = coldEnd - t;
  // Repeat short workloads within a sample until it lasts about 20 ms.
  const repeat = inner > 0 ? inner : Math.max(1, Math.min(1000, Math.ceil(20 / Math.max(cold, 1e-3))));
  for (let i = 0; i < warmup; i++) for (let k = 0; k < repeat; k++) run();
  const times = [];
  // The process's CPU time (all its threads, user + system) per run: what the run cost, less
  // disturbed than wall time by other programs on a busy machine.
  const cpuTimes = [];
  let result = first;
  let stable = true;
  for (let i = 0; i < reps; i++) {
    const cpu = process.cpuUsage();
    t = performance.now();
    for (let k = 0; k < repeat; k++) result = run();
    times.push((performance.now() - t) / repeat);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000 / repeat);
    if (!sameList(result, first)) stable = false;
  }
  return {
    cold_ms: cold,
    cold_end_ms: coldEnd,
    times_ms: times,
    median_ms: median(times),
    min_ms: Math.min(...times),
    cpu_times_ms: cpuTimes,
    cpu_median_ms: median(cpuTimes),
    repeat,
    result,
    stable,
  };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function sameList(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Reads the worker's arguments: `--key value` pairs. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

/** Workers print one line starting with this marker; everything else on stdout is ignored (tfjs greets). */
export const RESULT_MARKER = '@@bench-result ';
