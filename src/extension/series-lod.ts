/**
 * What of a run's curves the extension host sends to the webview. A fast script logs hundreds of
 * thousands of points per second; the webview cannot take them all (posting each one made the
 * whole workbench fall tens of seconds behind), and a chart a thousand pixels wide cannot show
 * them either. The host keeps every point (a SeriesSet, for the CSV export); SeriesLod turns a
 * series into what the chart needs: every point while the series is short, then min–max buckets
 * (series/decimation.ts) of a power-of-two stride, at most MAX_BUCKETS of them — and, per flush,
 * only what changed since the last one (a SeriesUpdate: "from index `from` on, these points").
 *
 * A message per flush is therefore bounded by the bucket cap, whatever the script's speed, and
 * the panel still reports the true number of points of each series (`total`).
 *
 * Pure: no vscode, no DOM. Unit-tested in test/extension/series-lod.test.ts.
 */
import type { SeriesColumns, SeriesSet } from '../series/columns.js';
import { bucketPicks } from '../series/decimation.js';
import type { SeriesUpdate } from '../protocol/panel-messages.js';

/**
 * Buckets per series the webview gets at most. A bucket sends at most its first, lowest,
 * highest, last and first non-finite point, so a series never takes more than 5 × MAX_BUCKETS
 * points in the webview — several times a wide chart's pixel width, so the webview's own
 * decimation still has room to work with when the learner widens the panel.
 */
export const MAX_BUCKETS = 2048;

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
    if (n === 0 || n === this.sentLength) return null;
    let from = this.finishedShown;
    if (Math.ceil(n / this.strideValue) > this.maxBuckets) {
      while (Math.ceil(n / this.strideValue) > this.maxBuckets) this.strideValue *= 2;
      this.finishedRaw = 0;
      this.finishedShown = 0;
      from = 0;
    }
    const { steps, values } = columns;
    const picks: number[] = [];
    while (this.finishedRaw + this.strideValue <= n) {
      const before = picks.length;
      bucketPicks(values, this.finishedRaw, this.finishedRaw + this.strideValue, picks);
      this.finishedShown += picks.length - before;
      this.finishedRaw += this.strideValue;
    }
    bucketPicks(values, this.finishedRaw, n, picks);
    this.sentLength = n;
    const update: SeriesUpdate = {
      total: n,
      stride: this.strideValue,
      from,
      steps: picks.map((i) => steps[i]!),
      values: picks.map((i) => values[i]!),
      last: values[n - 1]!,
    };
    if (n > 1) update.previous = values[n - 2]!;
    return update;
  }
}

/** Every series of a set, cut down the same way, whole (an earlier run's curves for the overlay). */
export function lodOfAll(curves: SeriesSet, maxBuckets = MAX_BUCKETS): Record<string, SeriesUpdate> {
  const out: Record<string, SeriesUpdate> = {};
  for (const [name, columns] of curves.series) {
    const update = new SeriesLod(maxBuckets).update(columns);
    if (update) out[name] = update;
  }
  return out;
}
