// Metric points an object each, for tests that read better that way: the product keeps them in
// columns (a SeriesBatch) from the script process to the chart.
import type { MetricSeries, SourceLocation } from '../src/protocol/run-events.js';
import type { SeriesBatch } from '../src/series/columns.js';

export interface MetricPoint {
  series: string;
  step: number;
  value: number;
  source: MetricSeries['source'];
  /** On the first point of each series of a batch (where its line is known). */
  location?: SourceLocation;
}

/** The points of a batch, in order; the first point of each series carries its location. */
export function pointsOf(batch: SeriesBatch<MetricSeries>): MetricPoint[] {
  const located = new Set<number>();
  return batch.index.map((k, i) => {
    const s = batch.series[k]!;
    const point: MetricPoint = { series: s.name, step: batch.steps[i]!, value: batch.values[i]!, source: s.source };
    if (s.location && !located.has(k)) {
      located.add(k);
      point.location = s.location;
    }
    return point;
  });
}

/** Points as a batch: series in order of first appearance (source 'probe' unless given). */
export function batchOf(points: readonly (readonly [series: string, step: number, value: number])[], source: MetricSeries['source'] = 'probe'): SeriesBatch<MetricSeries> {
  const batch: SeriesBatch<MetricSeries> = { series: [], index: [], steps: [], values: [] };
  const byName = new Map<string, number>();
  for (const [name, step, value] of points) {
    let k = byName.get(name);
    if (k === undefined) {
      byName.set(name, (k = batch.series.length));
      batch.series.push({ name, source });
    }
    batch.index.push(k);
    batch.steps.push(step);
    batch.values.push(value);
  }
  return batch;
}
