/** TensorBoard's smoothing of a loss series, as the chart draws it. */
import type { Point } from './columns.js';

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

