/**
 * The curves of a run as the extension host keeps them while the run streams in, and what of
 * them it sends to the webview. A fast script logs hundreds of thousands of points per second;
 * the webview cannot take them all (posting each one made the whole workbench fall tens of
 * seconds behind), and a chart a thousand pixels wide cannot show them either. So:
 *
 * - LiveCurves keeps every point (packed in Float64Arrays: 16 bytes a point, not an object each)
 *   for the CSV export and the overfitting marker, which must see the real data;
 * - SeriesLod turns a series into what the chart needs: every point while the series is short,
 *   then min–max buckets of a power-of-two stride, at most MAX_BUCKETS of them — and, per flush,
 *   only what changed since the last one (a SeriesUpdate: "from index `from` on, these points").
 *
 * A message per flush is therefore bounded by the bucket cap, whatever the script's speed, and
 * the panel still reports the true number of points of each series (`total`).
 *
 * Pure: no vscode, no DOM. Unit-tested in test/extension/live-series.test.ts.
 */
import { SeriesColumns } from '../series/columns.js';
import { curvesToCsv } from '../series/csv.js';
import { findPairs, OverfitDetector, overfitMarkerAt, overfitPatience, type OverfitMarker, type SeriesPair } from '../series/overfitting.js';
import { decodeNumber, encodeNumber, type SeriesUpdate, type WirePoint } from '../protocol/panel-messages.js';

/**
 * Buckets per series the webview gets at most. Each bucket sends its minimum and maximum (two
 * points), so a series never takes more than about 2 × MAX_BUCKETS points in the webview —
 * several times a wide chart's pixel width, so the webview's own decimation still has room
 * to work with when the learner widens the panel.
 */
export const MAX_BUCKETS = 4096;

/** The overfitting scan of one train/val pair, fed only what arrived since the last call. */
interface PairScan {
  patience: number;
  detector: OverfitDetector;
  trainIndex: number;
  valIndex: number;
  marker: OverfitMarker | null;
}

/**
 * Every point of every series of one run. A series whose step goes back (a second training
 * loop reusing the name `loss`) continues as a new series `loss (2)`, so each series stays
 * sorted by step, as the chart and the bucket updates need.
 */
export class LiveCurves {
  readonly series = new Map<string, SeriesColumns>();
  private readonly current = new Map<string, string>();
  private readonly scans = new Map<string, PairScan>();

  /** Adds a point; returns the name of the series it went to. */
  add(name: string, x: number, y: number): string {
    let target = this.current.get(name) ?? name;
    let columns = this.series.get(target);
    if (columns && columns.length > 0 && x <= columns.x(columns.length - 1)) {
      let k = 2;
      while (this.series.has(`${name} (${k})`)) k++;
      target = `${name} (${k})`;
      columns = undefined;
    }
    if (!columns) {
      columns = new SeriesColumns();
      this.series.set(target, columns);
      this.current.set(name, target);
    }
    columns.push(x, y);
    return target;
  }

  /** All points, as CSV (curvesToCsv): the export has every point, whatever the chart shows. */
  toCsv(): string {
    return curvesToCsv(new Map([...this.series].map(([name, columns]) => [name, columns.toPoints()])));
  }

  /**
   * The overfitting markers of every train/val pair, found on every point (not on what the
   * chart draws) with the same rule and patience as curves.ts's overfitMarker. Incremental:
   * a call reads only the points added since the previous one.
   */
  markers(): OverfitMarker[] {
    const out: OverfitMarker[] = [];
    for (const pair of findPairs([...this.series.keys()])) {
      const train = this.series.get(pair.train)!;
      const val = this.series.get(pair.val)!;
      const key = `${pair.train}\u0000${pair.val}`;
      const patience = overfitPatience(val.length);
      let scan = this.scans.get(key);
      if (!scan || scan.patience !== patience) {
        scan = { patience, detector: new OverfitDetector({ patience }), trainIndex: 0, valIndex: 0, marker: null };
        this.scans.set(key, scan);
      }
      if (!scan.marker) scanPair(scan, pair, train, val);
      if (scan.marker) out.push(scan.marker);
    }
    return out;
  }
}

/** Walks both sorted series together: each validation point meets the training point of its step. */
function scanPair(scan: PairScan, pair: SeriesPair, train: SeriesColumns, val: SeriesColumns): void {
  for (; scan.valIndex < val.length; scan.valIndex++) {
    const x = val.x(scan.valIndex);
    while (scan.trainIndex < train.length && train.x(scan.trainIndex) < x) scan.trainIndex++;
    // Its training point may still be on the way: look at it again next time.
    if (scan.trainIndex === train.length) return;
    if (train.x(scan.trainIndex) !== x) continue;
    const found = scan.detector.update(x, train.y(scan.trainIndex), val.y(scan.valIndex));
    if (found) {
      const at = val.indexOfX(found.minStep);
      scan.marker = overfitMarkerAt(pair, found.minStep, at >= 0 ? val.y(at) : val.y(scan.valIndex), found.step);
      return;
    }
  }
}

/**
 * The points that stand for columns[start, end): all of them when there are at most two, else
 * the lowest and the highest (in step order), plus the first non-finite one so a NaN still
 * breaks the line, plus — for the unfinished last bucket — the newest point, so the curve ends
 * where the run is.
 */
export function bucketPoints(columns: SeriesColumns, start: number, end: number, keepLast: boolean): WirePoint[] {
  const wire = (i: number): WirePoint => [columns.x(i), encodeNumber(columns.y(i))];
  if (end - start <= 2) {
    const out: WirePoint[] = [];
    for (let i = start; i < end; i++) out.push(wire(i));
    return out;
  }
  let min = -1;
  let max = -1;
  let nonFinite = -1;
  for (let i = start; i < end; i++) {
    const y = columns.y(i);
    if (Number.isNaN(y)) {
      if (nonFinite < 0) nonFinite = i;
      continue;
    }
    if (min < 0 || y < columns.y(min)) min = i;
    if (max < 0 || y > columns.y(max)) max = i;
  }
  const picked = new Set<number>();
  for (const i of [min, max, nonFinite, keepLast ? end - 1 : -1]) if (i >= 0) picked.add(i);
  return [...picked].sort((a, b) => a - b).map(wire);
}

/**
 * What the webview holds of one series, kept in step with it: the finished buckets it has (they
 * never change until the stride doubles) and, after them, the unfinished last bucket, which
 * every update replaces.
 */
export class SeriesLod {
  private strideValue = 1;
  /** Points of the series covered by finished buckets. */
  private finishedRaw = 0;
  /** Points the webview holds for those finished buckets. */
  private finishedShown = 0;
  /** Series length at the last update (null: the webview has nothing of this series yet). */
  private sentLength: number | null = null;

  constructor(private readonly maxBuckets = MAX_BUCKETS) {}

  /** How many points of the series each bucket covers (1: every point is sent). */
  get stride(): number {
    return this.strideValue;
  }

  /** The webview lost what it had (it reloaded): the next update sends the whole series again. */
  resend(): void {
    this.finishedRaw = 0;
    this.finishedShown = 0;
    this.sentLength = null;
  }

  /** What changed since the last update, or null when nothing did. */
  update(columns: SeriesColumns): SeriesUpdate | null {
    const n = columns.length;
    if (n === this.sentLength) return null;
    let from = this.finishedShown;
    if (Math.ceil(n / this.strideValue) > this.maxBuckets) {
      while (Math.ceil(n / this.strideValue) > this.maxBuckets) this.strideValue *= 2;
      this.finishedRaw = 0;
      this.finishedShown = 0;
      from = 0;
    }
    const points: WirePoint[] = [];
    while (this.finishedRaw + this.strideValue <= n) {
      const bucket = bucketPoints(columns, this.finishedRaw, this.finishedRaw + this.strideValue, false);
      points.push(...bucket);
      this.finishedShown += bucket.length;
      this.finishedRaw += this.strideValue;
    }
    if (this.finishedRaw < n) points.push(...bucketPoints(columns, this.finishedRaw, n, true));
    this.sentLength = n;
    const update: SeriesUpdate = { total: n, stride: this.strideValue, from, points, last: encodeNumber(columns.y(n - 1)) };
    if (n > 1) update.previous = encodeNumber(columns.y(n - 2));
    return update;
  }
}

/** An earlier run's series for the overlay, cut down the same way (the whole series at once). */
export function decimateWire(points: readonly WirePoint[], maxBuckets = MAX_BUCKETS): WirePoint[] {
  const columns = new SeriesColumns();
  for (const [x, y] of points) columns.push(x, decodeNumber(y));
  if (columns.length === 0) return [];
  return new SeriesLod(maxBuckets).update(columns)!.points;
}

/**
 * Of a batch of metric points, those that decide "which series, its latest value and the one
 * before": per series its first point (where it appeared, in order among the others) and its
 * last two. A follower of the latest values (the status bar's StatusModel) given these ends in
 * the same state as given all of them, at a fraction of the cost for a fast run's big batches.
 */
export function trendPoints<P extends { series: string }>(points: readonly P[]): P[] {
  const keep = new Set<number>();
  const seen = new Map<string, [number, number]>();
  points.forEach((p, i) => {
    const last = seen.get(p.series);
    if (!last) keep.add(i);
    seen.set(p.series, [last ? last[1] : -1, i]);
  });
  for (const [previous, last] of seen.values()) {
    if (previous >= 0) keep.add(previous);
    keep.add(last);
  }
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}
