/**
 * Line probes, the recording side (in the script process): what each instrumented line
 * (see instrument.ts) computed — hits, first, last, min, max and a decimated history — plus
 * the loss curves read off probes named like a loss and the warnings read off those curves.
 * Everything is batched and sent as `probes`, `metrics` and `warning` ChildEvents on flush:
 * every `flushIntervalMs`, checked from the probe itself (a synchronous training loop never
 * yields to timers), whenever the host calls `flush()`, and at once when a new loss curve gets its
 * next point (so its first points reach the chart without waiting for the interval).
 *
 * Cost: a probe runs on every assignment of the learner's loop, so its path allocates nothing —
 * a metric point is three numbers pushed onto columns (its series by index), a one-element
 * tensor is read in place — and the clock is read once every 64 probes. Probe snapshots, whole
 * histories, are the bulk of what is sent: they go at most every PROBES_EVERY flush intervals.
 *
 * Curves: a probe named like a loss (LOSS_NAME) becomes the series of that name, indexed by its
 * hit count, once it runs a second time (a line that runs once is a value, not a curve). When
 * several lines assign the same loss name and repeat, the first to repeat owns the plain name;
 * the others are `<name> (line N)`. Points come in step order per series; a probe point's
 * `location` is on the first point of its series in each metrics event only.
 *
 * A probe also names what its line assigns, for the graph view (a tensor after its variable, a
 * module's parameters `model.0.weight`). With the graph on and probes off, `installNamingGlobal`
 * keeps only that naming, so graphs are named either way.
 */
import { type AutogradLabGlobal, hooks, type ProbeSite, setHostGlobal } from '../../engine/index.js';
import type { MetricSeries, ProbeSnapshot, SourceLocation } from '../../protocol/run-events.js';
import type { ChildEvent, MetricColumns } from '../../protocol/script-process.js';
import { LOSS_NAME, PROBE_HISTORY_LIMIT } from '../../protocol/run-events.js';
import { SignalMonitor, type SeriesHandle, type SignalWarning } from './signals.js';

export type { ProbeSite };

export interface ProbeRecorderOptions {
  /** Most values kept in a probe's history (default PROBE_HISTORY_LIMIT). */
  historyLimit?: number;
  /** How often probes flush on their own while the script runs (default 100 ms). */
  flushIntervalMs?: number;
  /** For how many epochs val must rise while train falls before the overfitting warning (default 100). */
  overfitPatience?: number;
}

/**
 * Gives what a line assigns the name of its variable, for the graph view: a tensor, or each
 * parameter of a module as `<name>.<parameter>` (a module once). The engine keeps the first
 * name a tensor gets. Any other object is looked at once.
 */
export class Namer {
  private readonly seen = new WeakSet<object>();

  name(value: object, name: string): void {
    if (hooks.isTensor(value)) hooks.nameTensor(value, name);
    else if (!this.seen.has(value)) {
      this.seen.add(value);
      const parameters = hooks.namedParameters(value);
      if (parameters === null) return;
      for (const [parameter, tensor] of parameters) hooks.nameTensor(tensor, `${name}.${parameter}`);
    }
  }
}

/** Probe snapshots go at most once every this many flush intervals while the script runs. */
const PROBES_EVERY = 5;
/** ...and take at most 1 / PROBES_COST_SHARE of the time between them. */
const PROBES_COST_SHARE = 50;

class ProbeRecord {
  readonly id: string;
  readonly location: SourceLocation;
  readonly isLoss: boolean;
  hits = 0;
  first = NaN;
  last = NaN;
  /** The value at hit hits − 1 (NaN before the second hit). */
  previous = NaN;
  min = Infinity;
  max = -Infinity;
  history: number[] = [];
  historyStep = 1;
  /** Hits to pass before the next one goes into the history. */
  historySkip = 0;
  dirty = false;
  /** The metrics series (index into the recorder's series), once the line has run twice (loss names only); -1 before. */
  series = -1;
  signals: SeriesHandle | null = null;

  constructor(
    readonly file: string,
    readonly line: number,
    column: number,
    readonly name: string,
  ) {
    this.id = `${file}:${line}:${name}`;
    this.location = { file, line, column };
    this.isLoss = LOSS_NAME.test(name);
  }

  snapshot(): ProbeSnapshot {
    const seen = this.min <= this.max; // false while only NaN has been seen
    return {
      id: this.id,
      file: this.file,
      line: this.line,
      name: this.name,
      hits: this.hits,
      first: this.first,
      last: this.last,
      min: seen ? this.min : NaN,
      max: seen ? this.max : NaN,
      history: this.history.slice(),
      historyStep: this.historyStep,
      ...(this.hits > 1 ? { previous: this.previous } : {}),
    };
  }
}

const now = (): number => performance.now();

export class ProbeRecorder {
  readonly historyLimit: number;
  readonly flushIntervalMs: number;
  private readonly files: ProbeRecord[][] = [];
  private readonly records = new Map<string, ProbeRecord>();
  private dirty: ProbeRecord[] = [];
  /** Every series so far: probed losses and logged tags. Points refer to them by index. */
  private readonly series: MetricSeries[] = [];
  /** Logged (tensorboard) tags to their series index. */
  private readonly loggedSeries = new Map<string, number>();
  // Metric points waiting for a flush, column by column: no object per point on the hot path.
  private pointSeries: number[] = [];
  private pointStep: number[] = [];
  private pointValue: number[] = [];
  /**
   * The first series started since the last flush (-1: none): its next point (the next epoch)
   * flushes at once, so a new curve reaches the chart without waiting for the interval, together
   * with the curves that started in the same epoch.
   */
  private startedSeries = -1;
  private flushDue = false;
  private warnings: SignalWarning[] = [];
  private readonly monitor: SignalMonitor;
  /** Loss names to the record that owns the plain series name. */
  private readonly seriesOwners = new Map<string, ProbeRecord>();
  private readonly namer = new Namer();
  private calls = 0;
  private lastFlush = now();
  /** When the running script may next send probe snapshots on its own (see autoFlush). */
  private nextProbesAt = 0;

  constructor(
    private readonly send: (event: ChildEvent) => void,
    options: ProbeRecorderOptions = {},
  ) {
    this.historyLimit = Math.max(2, options.historyLimit ?? PROBE_HISTORY_LIMIT);
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.monitor = new SignalMonitor((w) => this.warnings.push(w), { patience: options.overfitPatience ?? 100 });
  }

  /** Registers an instrumented file's probe sites; the returned index goes to `probe`. */
  registerFile(file: string, sites: readonly ProbeSite[]): number {
    const bySite: ProbeRecord[] = [];
    for (const site of sites) {
      const key = `${file}:${site.line}:${site.name}`;
      let record = this.records.get(key);
      if (record === undefined) {
        record = new ProbeRecord(file, site.line, site.column, site.name);
        this.records.set(key, record);
      }
      bySite[site.id] = record;
    }
    this.files.push(bySite);
    return this.files.length - 1;
  }

  /** The hot path: records `value` for site `id` of file `fileIndex` and returns it unchanged. */
  probe(fileIndex: number, id: number, value: unknown): unknown {
    return this.probeRecord(this.files[fileIndex]![id]!, value);
  }

  /** `(id, value) => probe(fileIndex, id, value)` for one registered file. */
  fileProbe(fileIndex: number): (id: number, value: unknown) => unknown {
    const sites = this.files[fileIndex]!;
    return (id, value) => this.probeRecord(sites[id]!, value);
  }

  private probeRecord(record: ProbeRecord, value: unknown): unknown {
    if (typeof value === 'number') {
      this.record(record, value);
    } else if (typeof value === 'object' && value !== null) {
      this.namer.name(value, record.name);
      const v = hooks.scalarValue(value);
      if (v !== undefined) this.record(record, v);
    }
    this.tick();
    return value;
  }

  /** Counts a probe; every 64th reads the clock and flushes when the interval has passed (or a curve started). */
  private tick(): void {
    if (((++this.calls & 63) === 0 && now() - this.lastFlush >= this.flushIntervalMs) || this.flushDue) this.autoFlush();
  }

  /** A logged scalar (SummaryWriter.add_scalar): the point of `series` at `step`. */
  scalar(series: string, step: number, value: number): void {
    let index = this.loggedSeries.get(series);
    if (index === undefined) {
      index = this.series.push({ name: series, source: 'tensorboard' }) - 1;
      this.loggedSeries.set(series, index);
      this.pushPoint(index, step, value);
      this.seriesStarted(index);
    } else {
      this.pushPoint(index, step, value);
    }
    // Tags like `loss`, `Loss/train`, `val_loss` get the same warnings as probed losses.
    if (/loss/i.test(series)) this.monitor.observe(series, step, value, undefined, 'step');
    this.tick();
  }

  /**
   * Sends everything that changed since the last flush: probes, then metric points, then
   * warnings. For the host's timer, on stop and at exit.
   */
  flush(): void {
    this.lastFlush = now();
    this.sendProbes();
    this.sendMetricsAndWarnings();
  }

  /**
   * The flush a running script does by itself every flushIntervalMs. Metric points and warnings
   * always go; probe snapshots (complete histories, up to historyLimit values each) go at most
   * every PROBES_EVERY intervals, and at most once every PROBES_COST_SHARE× the time their last
   * sending took, so that with many probed lines their cost stays within ~2 % of the run.
   */
  private autoFlush(): void {
    const start = now();
    this.lastFlush = start;
    this.startedSeries = -1;
    this.flushDue = false;
    if (start >= this.nextProbesAt && this.dirty.length > 0) {
      this.sendProbes();
      const end = now();
      this.nextProbesAt = Math.max(start + PROBES_EVERY * this.flushIntervalMs, end + PROBES_COST_SHARE * (end - start));
    }
    this.sendMetricsAndWarnings();
  }

  private sendProbes(): void {
    if (this.dirty.length > 0) {
      const probes = this.dirty.map((r) => {
        r.dirty = false;
        return r.snapshot();
      });
      this.dirty = [];
      this.send({ type: 'probes', probes });
    }
  }

  private sendMetricsAndWarnings(): void {
    const n = this.pointSeries.length;
    if (n > 0) {
      // The batch names the series its points belong to, in order of first appearance.
      const slot = new Int32Array(this.series.length).fill(-1);
      const series: MetricColumns['series'] = [];
      const index = this.pointSeries;
      for (let i = 0; i < n; i++) {
        const s = index[i]!;
        let k = slot[s]!;
        if (k < 0) slot[s] = k = series.push(this.series[s]!) - 1;
        index[i] = k;
      }
      const columns: MetricColumns = { type: 'metric-columns', series, index, steps: this.pointStep, values: this.pointValue };
      this.pointSeries = [];
      this.pointStep = [];
      this.pointValue = [];
      this.send(columns);
    }
    if (this.warnings.length > 0) {
      const warnings = this.warnings;
      this.warnings = [];
      for (const warning of warnings) this.send(warning);
    }
  }

  /** Every probe's current state (for tests and a final summary). */
  snapshots(): ProbeSnapshot[] {
    return [...this.records.values()].filter((r) => r.hits > 0).map((r) => r.snapshot());
  }

  private record(r: ProbeRecord, v: number): void {
    const hits = ++r.hits;
    if (hits === 1) r.first = v;
    r.previous = r.last;
    r.last = v;
    if (v < r.min) r.min = v;
    if (v > r.max) r.max = v;
    // history[i] is the value at hit 1 + i * historyStep.
    if (r.historySkip > 0) r.historySkip--;
    else this.sample(r, hits, v);
    if (!r.dirty) {
      r.dirty = true;
      this.dirty.push(r);
    }
    if (r.isLoss) this.loss(r, hits, v);
  }

  /** `hits` is at a multiple of historyStep: keep `v`, halving the history first when it is full. */
  private sample(r: ProbeRecord, hits: number, v: number): void {
    if (r.history.length === this.historyLimit) {
      const kept: number[] = [];
      for (let i = 0; i < r.history.length; i += 2) kept.push(r.history[i]!);
      r.history = kept;
      r.historyStep *= 2;
    }
    const offset = (hits - 1) % r.historyStep;
    if (offset === 0) {
      r.history.push(v);
      r.historySkip = r.historyStep - 1;
    } else {
      r.historySkip = r.historyStep - offset - 1;
    }
  }

  private loss(r: ProbeRecord, hits: number, v: number): void {
    if (hits === 1) {
      this.monitor.checkFinite(r.name, 1, v, r.location);
      return;
    }
    if (r.series < 0) {
      const owner = this.seriesOwners.get(r.name);
      let name = r.name;
      if (owner === undefined) this.seriesOwners.set(r.name, r);
      else name = owner.file === r.file ? `${r.name} (line ${r.line})` : `${r.name} (${r.file}:${r.line})`;
      r.series = this.series.push({ name, source: 'probe', location: r.location }) - 1;
      r.signals = this.monitor.track(name);
      this.point(r, 1, r.first);
      this.point(r, hits, v);
      this.seriesStarted(r.series);
      return;
    }
    this.point(r, hits, v);
  }

  private seriesStarted(series: number): void {
    if (this.startedSeries < 0) this.startedSeries = series;
  }

  private point(r: ProbeRecord, step: number, value: number): void {
    this.pushPoint(r.series, step, value);
    this.monitor.observeSeries(r.signals!, step, value, r.location);
  }

  private pushPoint(series: number, step: number, value: number): void {
    if (series === this.startedSeries) this.flushDue = true;
    this.pointSeries.push(series);
    this.pointStep.push(step);
    this.pointValue.push(value);
  }
}

/**
 * Makes `recorder` what instrumented code and SummaryWriter report to:
 * `globalThis.__autogradLab`. Returns the installed object.
 */
export function installProbeGlobal(recorder: ProbeRecorder): AutogradLabGlobal {
  const lab: AutogradLabGlobal = {
    file: (file, sites) => recorder.fileProbe(recorder.registerFile(file, sites)),
    scalar: (series, step, value) => recorder.scalar(series, step, value),
  };
  setHostGlobal(lab);
  return lab;
}

/**
 * With probes off and the graph on: instrumented lines only name what they assign (for the
 * graph view), recording nothing. Returns the installed object.
 */
export function installNamingGlobal(): AutogradLabGlobal {
  const namer = new Namer();
  const lab: AutogradLabGlobal = {
    file: (_file, sites) => {
      const names: string[] = [];
      for (const site of sites) names[site.id] = site.name;
      return (id, value) => {
        if (typeof value === 'object' && value !== null) namer.name(value, names[id]!);
        return value;
      };
    },
  };
  setHostGlobal(lab);
  return lab;
}
