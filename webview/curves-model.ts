/**
 * The Loss curves view's model, as pure code (no DOM, no vscode: unit-tested under Node and
 * bundled into the webview): the series as the host sends them (ShownCurves, columns), what the
 * chart draws of one (displayPoints: smoothed, log-safe, decimated — the one place points become
 * objects, chart.js's), and the overfitting marker, which is the run's own overfitting warning
 * drawn where it says validation was lowest.
 */
import { decimate } from '../src/series/decimation.js';
import { smoothEma, type IncrementalEma } from '../src/series/smoothing.js';
import type { PanelWarning, SeriesUpdate } from '../src/protocol/panel-messages.js';
import { trendOf, type Trend } from '../src/series/trend.js';
import { formatValue } from '../src/protocol/number-format.js';

/** A point as chart.js takes it (`parsing: false`). */
export interface XY {
  x: number;
  y: number;
}

/**
 * What a chart draws for one series: smoothed, log-safe, decimated to about `buckets` pixel
 * columns. Pass the series' own IncrementalEma to smooth only what is new since the last call.
 * `span` is how many points of the series each given point stands for (a bucketed live series,
 * see ShownCurves): the smoothing weight applies per original point, so a shown point weighs in
 * as `span` of them. (TensorBoard, too, smooths a downsampled series.)
 */
export function displayPoints(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  options: { smoothing: number; logScale: boolean; buckets: number; span?: number },
  ema?: IncrementalEma,
): XY[] {
  const span = Math.max(1, options.span ?? 1);
  const weight = options.smoothing > 0 ? Math.min(0.999, options.smoothing) ** span : 0;
  let xs = steps;
  let ys = weight > 0 ? (ema ? ema.update(values, weight) : smoothEma(values, weight)) : values;
  if (options.logScale) {
    // A log axis cannot draw values ≤ 0: they are left out, not plotted at −∞.
    const keptX: number[] = [];
    const keptY: number[] = [];
    for (let i = 0; i < ys.length; i++) {
      if (ys[i]! > 0 && ys[i]! !== Infinity) {
        keptX.push(xs[i]!);
        keptY.push(ys[i]!);
      }
    }
    xs = keptX;
    ys = keptY;
  }
  return decimate(ys, options.buckets).map((i) => ({ x: xs[i]!, y: ys[i]! }));
}

/** A series as the webview holds it: the points sent (maybe buckets) and the true count. */
export interface ShownSeries {
  steps: number[];
  values: number[];
  /** Points the series really has. */
  total: number;
  /** How many of them each shown point stands for, about (1 when every point was sent). */
  span: number;
  last: number;
  previous: number | null;
}

/** A run's curves in the webview, as the host's SeriesUpdates describe them (extension/series-lod.ts). */
export class ShownCurves {
  readonly series = new Map<string, ShownSeries>();
  private version = 0;

  apply(updates: Record<string, SeriesUpdate>): void {
    for (const [name, u] of Object.entries(updates)) {
      const s = this.series.get(name);
      let steps: number[];
      let values: number[];
      if (s && u.from === s.steps.length) {
        // Appended: the same arrays, so the series' IncrementalEma smooths only the new points.
        steps = s.steps;
        values = s.values;
        for (let i = 0; i < u.steps.length; i++) {
          steps.push(u.steps[i]!);
          values.push(u.values[i]!);
        }
      } else {
        // Buckets rewritten: new arrays, so smoothing starts over on them.
        const keep = s ? Math.min(u.from, s.steps.length) : 0;
        steps = (s ? s.steps.slice(0, keep) : []).concat(u.steps);
        values = (s ? s.values.slice(0, keep) : []).concat(u.values);
      }
      const span = steps.length > 0 ? Math.max(1, u.total / steps.length) : 1;
      this.series.set(name, { steps, values, total: u.total, span, last: u.last, previous: u.previous ?? null });
    }
    this.version++;
  }

  /** Changes whenever an update arrives: a cheap "is a redraw due" check. */
  get changes(): number {
    return this.version;
  }

  clear(): void {
    this.series.clear();
    this.version++;
  }

  /** All points of all series (not only those shown). */
  get total(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.total;
    return n;
  }

  /** The latest value of a series and its trend by the one rule (null: no value before it). */
  trend(name: string): { last: number; direction: Trend | null } | null {
    const s = this.series.get(name);
    if (!s || s.total === 0) return null;
    return { last: s.last, direction: trendOf(s.previous, s.last) };
  }
}

/** Where the chart marks that validation loss turned up, and the warning that says so. */
export interface OverfitMarker {
  /** The validation series. */
  series: string;
  step: number;
  value: number;
  tooltip: string;
}

/**
 * The marker of an overfitting warning: at the point where it says validation was lowest. A
 * warning without that point (records made before it existed) has no marker, never a guessed one.
 */
export function overfitMarker(warning: PanelWarning): OverfitMarker | null {
  if (warning.kind !== 'overfitting' || warning.lowest === undefined) return null;
  return { series: warning.series ?? '', step: warning.lowest.step, value: warning.lowest.value, tooltip: warning.message };
}

/**
 * The y range for the drawn values when they are (all but) one value: the chart pads it, so a
 * constant series is a flat line in the middle with round ticks, not a zoomed-in zigzag of
 * rounding noise. Null when the values spread out (the chart's own autoscale is right then).
 */
export function flatRange(values: readonly number[], logScale: boolean): { min: number; max: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (logScale && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return null;
  const mid = (lo + hi) / 2;
  // Spread within a billionth of the value: float rounding, not a change a chart can show.
  if (hi - lo > Math.abs(mid) * 1e-9) return null;
  if (logScale) return { min: mid / 2, max: mid * 2 };
  const pad = mid === 0 ? 1 : 10 ** Math.floor(Math.log10(Math.abs(mid)));
  return { min: mid - pad, max: mid + pad };
}

/**
 * A log axis' tick label: only at 1, 2 and 5 times a power of ten (only powers of ten when the
 * axis spans more than three decades), so labels never overlap; '' hides a tick's label.
 */
export function logTickLabel(value: number, min: number, max: number): string {
  if (!(value > 0)) return '';
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const mantissa = value / 10 ** exponent;
  const wide = max / min > 1000;
  const keep = wide ? [1] : [1, 2, 5];
  return keep.some((m) => Math.abs(mantissa - m) < 1e-6) ? formatValue(value) : '';
}

/** The value a series shows at step `x` (the nearest point at or before it), for the tooltip's raw value. */
export function valueAtStep(steps: readonly number[], values: readonly number[], x: number): number | null {
  let lo = 0;
  let hi = steps.length - 1;
  if (hi < 0 || x < steps[0]!) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (steps[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return values[lo]!;
}
