/**
 * Pure curve math for the Loss curves view: TensorBoard-style smoothing, min-max decimation,
 * series pairing and the overfitting marker. No DOM, no vscode: unit-tested under Node and
 * bundled into the webview.
 */
import { OverfitDetector, pairRole, RULE_TWO, type OverfitOptions } from '../runner/signals.js';
import { decodeNumber, type SeriesUpdate } from './panel-protocol.js';

export { RULE_TWO };

export interface Point {
  x: number;
  y: number;
}

/**
 * TensorBoard's smoothing: an exponential moving average debiased by 1 − w^n, so the first
 * points are not pulled towards 0. Non-finite values are passed through unsmoothed and do not
 * disturb the average (as TensorBoard does). `weight` is clamped to [0, 0.999].
 */
export function smoothEma(points: readonly Point[], weight: number): Point[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  if (w === 0) return points.map((p) => ({ x: p.x, y: p.y }));
  const out: Point[] = new Array(points.length);
  let last = 0;
  let wn = 1; // w^n, kept incrementally
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!Number.isFinite(p.y)) {
      out[i] = { x: p.x, y: p.y };
      continue;
    }
    last = last * w + (1 - w) * p.y;
    wn *= w;
    out[i] = { x: p.x, y: last / (1 - wn) };
  }
  return out;
}

/**
 * smoothEma kept up to date while points are appended: each update smooths only the new points,
 * so a redraw of a 100k-point series costs what arrived since the last one. Starts over when the
 * series is replaced or the weight changes.
 */
export class IncrementalEma {
  private source: readonly Point[] | null = null;
  private weight = NaN;
  private out: Point[] = [];
  private last = 0;
  private wn = 1;

  update(points: readonly Point[], weight: number): readonly Point[] {
    const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
    if (w === 0) return points;
    if (points !== this.source || w !== this.weight || points.length < this.out.length) {
      this.source = points;
      this.weight = w;
      this.out = [];
      this.last = 0;
      this.wn = 1;
    }
    for (let i = this.out.length; i < points.length; i++) {
      const p = points[i]!;
      if (!Number.isFinite(p.y)) {
        this.out.push({ x: p.x, y: p.y });
        continue;
      }
      this.last = this.last * w + (1 - w) * p.y;
      this.wn *= w;
      this.out.push({ x: p.x, y: this.last / (1 - this.wn) });
    }
    return this.out;
  }
}

/**
 * Min-max decimation: keeps, per bucket of consecutive points, the first, the minimum, the
 * maximum and the last (in x order), so spikes survive. `buckets` is about the pixel width.
 * Returns the input itself when it already has few points.
 */
export function decimateMinMax(points: readonly Point[], buckets: number): readonly Point[] {
  const b = Math.max(1, Math.floor(buckets));
  if (points.length <= b * 4) return points;
  const out: Point[] = [];
  const size = points.length / b;
  for (let k = 0; k < b; k++) {
    const start = Math.floor(k * size);
    const end = Math.min(points.length, Math.floor((k + 1) * size));
    if (end <= start) continue;
    let min = start;
    let max = start;
    for (let i = start; i < end; i++) {
      const y = points[i]!.y;
      if (y < points[min]!.y || Number.isNaN(points[min]!.y)) min = i;
      if (y > points[max]!.y || Number.isNaN(points[max]!.y)) max = i;
    }
    const lo = min < max ? min : max;
    const hi = min < max ? max : min;
    out.push(points[start]!);
    if (lo !== start) out.push(points[lo]!);
    if (hi !== lo && hi !== end - 1) out.push(points[hi]!);
    if (end - 1 !== start && end - 1 !== lo) out.push(points[end - 1]!);
  }
  return out;
}

/** Values that a log axis can't draw (≤ 0) are dropped from it, not plotted at −∞. */
export function forLogScale(points: readonly Point[]): Point[] {
  return points.filter((p) => p.y > 0 && Number.isFinite(p.y));
}

export interface SeriesPair {
  key: string;
  train: string;
  val: string;
}

/** Train/validation pairs among series names (`train_loss`/`val_loss`, `loss`/`val_loss`, ...). */
export function findPairs(names: readonly string[]): SeriesPair[] {
  const byKey = new Map<string, { train?: string; plain?: string; val?: string }>();
  for (const name of names) {
    const { role, key } = pairRole(name);
    const entry = byKey.get(key) ?? {};
    if (role === 'train') entry.train ??= name;
    else if (role === 'val') entry.val ??= name;
    else entry.plain ??= name;
    byKey.set(key, entry);
  }
  const pairs: SeriesPair[] = [];
  for (const [key, e] of byKey) {
    const train = e.train ?? e.plain;
    if (train && e.val) pairs.push({ key, train, val: e.val });
  }
  return pairs;
}

export interface OverfitMarker {
  pair: SeriesPair;
  /** Where validation was lowest: the point where it turns up. */
  step: number;
  value: number;
  /** The step at which the rule held long enough to fire. */
  firedAt: number;
  tooltip: string;
}

/** 5% of the run, at least 10 epochs, at most the runner's 100. */
export function overfitPatience(valPoints: number): number {
  return Math.min(100, Math.max(10, Math.round(valPoints * 0.05)));
}

/** The marker of a pair whose validation loss was lowest at `step` (the rule fired at `firedAt`). */
export function overfitMarkerAt(pair: SeriesPair, step: number, value: number, firedAt: number): OverfitMarker {
  return { pair, step, value, firedAt, tooltip: `${pair.val} turns up at epoch ${step} while ${pair.train} keeps falling. Rule two: ${RULE_TWO}.` };
}

/**
 * Where validation turns up while training keeps falling, found with the runner's own rule
 * (OverfitDetector) so the marker and the run's warning agree. Patience defaults to 5% of the
 * run (at least 10 epochs, at most the runner's 100) so short runs get a marker too.
 */
export function overfitMarker(train: readonly Point[], val: readonly Point[], pair: SeriesPair, options: OverfitOptions = {}): OverfitMarker | null {
  if (train.length === 0 || val.length === 0) return null;
  const trainAt = new Map<number, number>();
  for (const p of train) trainAt.set(p.x, p.y);
  const patience = options.patience ?? overfitPatience(val.length);
  const detector = new OverfitDetector({ ...options, patience });
  const valAt = new Map<number, number>();
  for (const p of val) {
    valAt.set(p.x, p.y);
    const t = trainAt.get(p.x);
    if (t === undefined) continue;
    const found = detector.update(p.x, t, p.y);
    if (found) return overfitMarkerAt(pair, found.minStep, valAt.get(found.minStep) ?? p.y, found.step);
  }
  return null;
}

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

/** Curves as CSV (`step,<series…>`, one row per step, empty where a series has no point). */
export function curvesToCsv(series: ReadonlyMap<string, readonly Point[]>): string {
  const names = [...series.keys()];
  const rows = new Map<number, (number | undefined)[]>();
  names.forEach((name, col) => {
    for (const p of series.get(name)!) {
      let row = rows.get(p.x);
      if (!row) rows.set(p.x, (row = new Array<number | undefined>(names.length)));
      row[col] = p.y;
    }
  });
  const field = (t: string) => (/[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
  const lines = [['step', ...names].map(field).join(',')];
  for (const x of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(x)!;
    lines.push([String(x), ...names.map((_, i) => (row[i] === undefined ? '' : String(row[i])))].join(','));
  }
  return lines.join('\n') + '\n';
}
