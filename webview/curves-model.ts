/**
 * Pure curve math for the Loss curves view: TensorBoard-style smoothing, min-max decimation,
 * series pairing and the overfitting marker. No DOM, no vscode: unit-tested under Node and
 * bundled into the webview.
 */
import type { Point } from '../src/series/columns.js';
import { decimateMinMax, forLogScale } from '../src/series/decimation.js';
import { IncrementalEma, smoothEma } from '../src/series/smoothing.js';
import { findPairs, OverfitDetector, overfitMarkerAt, overfitPatience, type OverfitMarker, type SeriesPair } from '../src/series/overfitting.js';
import { decodeNumber, type SeriesUpdate } from '../src/protocol/panel-messages.js';



/**
 * The curves of one run as they arrive. A series whose step goes back (a second training loop
 * reusing the name `loss`) continues as a new series `loss (2)`, so every series stays sorted
 * by x — which chart.js's decimation and `parsing: false` require.
 */
/** The overfitting scan of one train/val pair, fed only the points that arrived since last time. */
interface PairScan {
  train: readonly Point[];
  val: readonly Point[];
  patience: number;
  detector: OverfitDetector;
  trainIndex: number;
  valIndex: number;
  trainAt: Map<number, number>;
  valAt: Map<number, number>;
  marker: OverfitMarker | null;
}

export class CurveModel {
  readonly series = new Map<string, Point[]>();
  private readonly scans = new Map<string, PairScan>();
  /** The name points of an incoming series currently go to. */
  private readonly current = new Map<string, string>();
  private version = 0;

  add(name: string, x: number, y: number): void {
    let target = this.current.get(name) ?? name;
    let points = this.series.get(target);
    if (points && points.length > 0 && x <= points[points.length - 1]!.x) {
      let k = 2;
      while (this.series.has(`${name} (${k})`)) k++;
      target = `${name} (${k})`;
      points = undefined;
    }
    if (!points) {
      points = [];
      this.series.set(target, points);
      this.current.set(name, target);
    }
    points.push({ x, y });
    this.version++;
  }

  /** Changes whenever a point is added: a cheap "is a redraw due" check. */
  get changes(): number {
    return this.version;
  }

  clear(): void {
    this.series.clear();
    this.current.clear();
    this.scans.clear();
    this.version++;
  }

  /** The latest value of a series and whether it went down (▼), up (▲) or stayed. */
  trend(name: string): { last: number; direction: 'down' | 'up' | 'flat' } | null {
    const points = this.series.get(name);
    if (!points || points.length === 0) return null;
    const last = points[points.length - 1]!.y;
    const prev = points.length > 1 ? points[points.length - 2]!.y : last;
    return { last, direction: last < prev ? 'down' : last > prev ? 'up' : 'flat' };
  }

  /**
   * The overfitting markers of every train/val pair among the series: the same as overfitMarker
   * on the whole series, but incremental — a redraw scans only the points added since the last
   * one (from 2000 points on, where the patience stops growing with the run).
   */
  markers(): OverfitMarker[] {
    const out: OverfitMarker[] = [];
    for (const pair of findPairs([...this.series.keys()])) {
      const train = this.series.get(pair.train)!;
      const val = this.series.get(pair.val)!;
      const key = `${pair.train}\u0000${pair.val}`;
      const patience = overfitPatience(val.length);
      let scan = this.scans.get(key);
      if (!scan || scan.train !== train || scan.val !== val || scan.patience !== patience) {
        scan = { train, val, patience, detector: new OverfitDetector({ patience }), trainIndex: 0, valIndex: 0, trainAt: new Map(), valAt: new Map(), marker: null };
        this.scans.set(key, scan);
      }
      if (!scan.marker) scanPair(scan, pair);
      if (scan.marker) out.push(scan.marker);
    }
    return out;
  }
}

function scanPair(scan: PairScan, pair: SeriesPair): void {
  const { train, val } = scan;
  for (; scan.trainIndex < train.length; scan.trainIndex++) scan.trainAt.set(train[scan.trainIndex]!.x, train[scan.trainIndex]!.y);
  if (train.length === 0) return;
  const lastTrainX = train[train.length - 1]!.x;
  for (; scan.valIndex < val.length; scan.valIndex++) {
    const p = val[scan.valIndex]!;
    // Its training point may still be on the way: look at it again next time.
    if (p.x > lastTrainX) return;
    scan.valAt.set(p.x, p.y);
    const t = scan.trainAt.get(p.x);
    if (t === undefined) continue;
    const found = scan.detector.update(p.x, t, p.y);
    if (found) {
      scan.marker = overfitMarkerAt(pair, found.minStep, scan.valAt.get(found.minStep) ?? p.y, found.step);
      return;
    }
  }
}

/**
 * What a chart draws for one series: smoothed, decimated, log-safe. Pass the series' own
 * IncrementalEma to smooth only what is new since the last call. `span` is how many points of
 * the series each given point stands for (a bucketed live series, see ShownCurves): the
 * smoothing weight applies per original point, so a shown point weighs in as `span` of them.
 * (TensorBoard, too, smooths a downsampled series.)
 */
export function displayPoints(points: readonly Point[], options: { smoothing: number; logScale: boolean; buckets: number; span?: number }, ema?: IncrementalEma): readonly Point[] {
  const span = Math.max(1, options.span ?? 1);
  const weight = options.smoothing > 0 ? Math.min(0.999, options.smoothing) ** span : 0;
  let out: readonly Point[] = weight > 0 ? (ema ? ema.update(points, weight) : smoothEma(points, weight)) : points;
  if (options.logScale) out = forLogScale(out);
  return decimateMinMax(out, options.buckets);
}

/** A live series as the webview holds it: the points sent (maybe buckets) and the true count. */
export interface ShownSeries {
  points: Point[];
  /** Points the series really has. */
  total: number;
  /** How many of them each shown point stands for, about (1 when every point was sent). */
  span: number;
  last: number;
  previous: number | null;
}

/**
 * The live run's curves in the webview, as the host's SeriesUpdates describe them
 * (src/shared/live-series.ts), and the overfitting markers the host found on every point.
 */
export class ShownCurves {
  readonly series = new Map<string, ShownSeries>();
  markers: OverfitMarker[] = [];
  private version = 0;

  apply(updates: Record<string, SeriesUpdate>, markers: OverfitMarker[]): void {
    for (const [name, u] of Object.entries(updates)) {
      const decoded = u.points.map(([x, y]): Point => ({ x, y: decodeNumber(y) }));
      const s = this.series.get(name);
      let points: Point[];
      if (s && u.from === s.points.length) {
        // Appended: the same array, so the series' IncrementalEma smooths only the new points.
        points = s.points;
        for (const p of decoded) points.push(p);
      } else {
        // Buckets rewritten: a new array, so smoothing starts over on it.
        points = (s ? s.points.slice(0, Math.min(u.from, s.points.length)) : []).concat(decoded);
      }
      const previous = u.previous === undefined ? null : decodeNumber(u.previous);
      this.series.set(name, { points, total: u.total, span: points.length > 0 ? Math.max(1, u.total / points.length) : 1, last: decodeNumber(u.last), previous });
    }
    this.markers = markers;
    this.version++;
  }

  /** Changes whenever an update arrives: a cheap "is a redraw due" check. */
  get changes(): number {
    return this.version;
  }

  clear(): void {
    this.series.clear();
    this.markers = [];
    this.version++;
  }

  /** All points of all series (not only those shown). */
  get total(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.total;
    return n;
  }

  /** The latest value of a series and whether it went down (▼), up (▲) or stayed. */
  trend(name: string): { last: number; direction: 'down' | 'up' | 'flat' } | null {
    const s = this.series.get(name);
    if (!s || s.total === 0) return null;
    const prev = s.previous ?? s.last;
    return { last: s.last, direction: s.last < prev ? 'down' : s.last > prev ? 'up' : 'flat' };
  }
}
