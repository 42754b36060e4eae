/**
 * Line probes, the recording side (in the script process): what each instrumented line
 * (see instrument.ts) computed — hits, first, last, min, max and a decimated history — plus
 * the loss curves read off probes named like a loss and the warnings read off those curves.
 * Everything is batched and sent as `probes`, `metrics` and `warning` ChildEvents on flush:
 * every `flushIntervalMs`, checked from the probe itself (a synchronous training loop never
 * yields to timers), and whenever the host calls `flush()`.
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
import type { ProbeSnapshot, SourceLocation } from '../../protocol/run-events.js';
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
 * name a tensor gets.
 */
export class Namer {
  private readonly modules = new WeakSet<object>();

  name(value: object, name: string): void {
    if (hooks.isTensor(value)) hooks.nameTensor(value, name);
    else if (!this.modules.has(value)) {
      const parameters = hooks.namedParameters(value);
      if (parameters === null) return;
      this.modules.add(value);
      for (const [parameter, tensor] of parameters) hooks.nameTensor(tensor, `${name}.${parameter}`);
    }
  }
}

class ProbeRecord {
  readonly id: string;
  readonly location: SourceLocation;
  readonly isLoss: boolean;
  hits = 0;
  first = NaN;
  last = NaN;
  min = Infinity;
  max = -Infinity;
  history: number[] = [];
  historyStep = 1;
  /** Hits to pass before the next one goes into the history. */
  historySkip = 0;
  dirty = false;
  /** The metrics series, once the line has run twice (loss names only). */
  series: string | null = null;
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
  // Metric points waiting for a flush, column by column (no object per point on the hot path).
  // A null location marks a logged (tensorboard) point.
  private pointSeries: string[] = [];
  private pointStep: number[] = [];
  private pointValue: number[] = [];
  private pointLocation: (SourceLocation | null)[] = [];
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
    if ((++this.calls & 63) === 0 && now() - this.lastFlush >= this.flushIntervalMs) this.autoFlush();
    return value;
  }

  /** A logged scalar (SummaryWriter.add_scalar): the point of `series` at `step`. */
  scalar(series: string, step: number, value: number): void {
    this.pushPoint(series, step, value, null);
    // Tags like `loss`, `Loss/train`, `val_loss` get the same warnings as probed losses.
    if (/loss/i.test(series)) this.monitor.observe(series, step, value, undefined, 'step');
    if ((++this.calls & 63) === 0 && now() - this.lastFlush >= this.flushIntervalMs) this.autoFlush();
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
   * once every 20× the time their last sending took, so that with many probed lines their cost
   * stays within ~5 % of the run.
   */
  private autoFlush(): void {
    const start = now();
    this.lastFlush = start;
    if (start >= this.nextProbesAt && this.dirty.length > 0) {
      this.sendProbes();
      const end = now();
      this.nextProbesAt = end + 20 * (end - start);
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
      // Columns, not an object per point: this encoding runs on the training loop's time.
      const seriesIndex = new Map<string, number>();
      const series: MetricColumns['series'] = [];
      const index: number[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const name = this.pointSeries[i]!;
        let k = seriesIndex.get(name);
        if (k === undefined) {
          k = series.length;
          seriesIndex.set(name, k);
          const location = this.pointLocation[i]!;
          series.push(location === null ? { name, source: 'tensorboard' } : { name, source: 'probe', location });
        }
        index[i] = k;
      }
      const columns: MetricColumns = { type: 'metric-columns', series, index, steps: this.pointStep, values: this.pointValue };
      this.pointSeries = [];
      this.pointStep = [];
      this.pointValue = [];
      this.pointLocation = [];
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
    if (r.series === null) {
      const owner = this.seriesOwners.get(r.name);
      if (owner === undefined) {
        this.seriesOwners.set(r.name, r);
        r.series = r.name;
      } else {
        r.series = owner.file === r.file ? `${r.name} (line ${r.line})` : `${r.name} (${r.file}:${r.line})`;
      }
      r.signals = this.monitor.track(r.series);
      this.point(r, 1, r.first);
    }
    this.point(r, hits, v);
  }

  private point(r: ProbeRecord, step: number, value: number): void {
    this.pushPoint(r.series!, step, value, r.location);
    this.monitor.observeSeries(r.signals!, step, value, r.location);
  }

  private pushPoint(series: string, step: number, value: number, location: SourceLocation | null): void {
    this.pointSeries.push(series);
    this.pointStep.push(step);
    this.pointValue.push(value);
    this.pointLocation.push(location);
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
