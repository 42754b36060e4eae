/**
 * A loss series as every process keeps it, from the script process to the chart: columns of
 * steps and values, never an object per point.
 *
 * - SeriesBatch: points of several series in the order they happened (what the script process
 *   sends and the `metrics` event carries);
 * - SeriesColumns: one series' points, packed (16 bytes a point);
 * - SeriesNames: the split rule — a series whose step goes back continues as `loss (2)`;
 * - SeriesSet: every series of a run, in columns, split by that rule.
 */

/** What a batch says about one of its series; the protocol adds where the points come from. */
export interface SeriesInfo {
  name: string;
}

/**
 * Points of several series in the order they happened, as parallel columns: point i is
 * `(steps[i], values[i])` of series `series[index[i]]`.
 */
export interface SeriesBatch<S extends SeriesInfo = SeriesInfo> {
  series: S[];
  index: number[];
  steps: number[];
  values: number[];
}

/** One series' points, packed: steps and values in growable Float64Arrays. */
export class SeriesColumns {
  private xs = new Float64Array(256);
  private ys = new Float64Array(256);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(x: number, y: number): void {
    if (this.count === this.xs.length) {
      const xs = new Float64Array(this.xs.length * 2);
      const ys = new Float64Array(this.ys.length * 2);
      xs.set(this.xs);
      ys.set(this.ys);
      this.xs = xs;
      this.ys = ys;
    }
    this.xs[this.count] = x;
    this.ys[this.count] = y;
    this.count++;
  }

  /** The steps, as a view (no copy); valid until the next push. */
  get steps(): Float64Array {
    return this.xs.subarray(0, this.count);
  }

  /** The values, as a view (no copy); valid until the next push. */
  get values(): Float64Array {
    return this.ys.subarray(0, this.count);
  }
}

/**
 * The split rule, once: points of a name go to the series of that name until a step is not
 * after the previous one (a second training loop reusing `loss`); from there they continue as
 * `loss (2)`, then `loss (3)`, … So every series is sorted by step, as a chart needs.
 */
export class SeriesNames {
  /** Per name from the script: the series its points go to now. */
  private readonly current = new Map<string, string>();
  /** Per series: its last step. */
  private readonly lastStep = new Map<string, number>();

  /** The series the next point of `name`, at `step`, belongs to. Call in point order. */
  of(name: string, step: number): string {
    let target = this.current.get(name) ?? name;
    const last = this.lastStep.get(target);
    if (last !== undefined && step <= last) {
      let k = 2;
      while (this.lastStep.has(`${name} (${k})`)) k++;
      target = `${name} (${k})`;
    }
    this.current.set(name, target);
    this.lastStep.set(target, step);
    return target;
  }
}

/** Every series of a run, in columns, split by SeriesNames; in order of first appearance. */
export class SeriesSet {
  readonly series = new Map<string, SeriesColumns>();
  private readonly names = new SeriesNames();

  /** Adds a point; returns the name of the series it went to. */
  add(name: string, step: number, value: number): string {
    const target = this.names.of(name, step);
    let columns = this.series.get(target);
    if (!columns) this.series.set(target, (columns = new SeriesColumns()));
    columns.push(step, value);
    return target;
  }

  /** Adds a batch's points in order; returns the names of the series that got points. */
  addBatch(batch: SeriesBatch): Set<string> {
    const changed = new Set<string>();
    const { series, index, steps, values } = batch;
    for (let i = 0; i < index.length; i++) changed.add(this.add(series[index[i]!]!.name, steps[i]!, values[i]!));
    return changed;
  }
}
