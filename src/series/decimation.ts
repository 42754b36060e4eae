/** Fewer points that still show a series' shape: what a chart a few hundred pixels wide can draw. */
import type { Point } from './columns.js';

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
