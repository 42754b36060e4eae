/** TensorBoard's smoothing of a loss series, as the chart draws it. */

/**
 * TensorBoard's smoothing: an exponential moving average debiased by 1 − w^n, so the first
 * points are not pulled towards 0. Non-finite values pass through unsmoothed and do not disturb
 * the average (as TensorBoard does). `weight` is clamped to [0, 0.999].
 *
 * While every finite value so far is the same, the smoothed value is that value exactly (as
 * TensorBoard does): the debiasing division otherwise turns a constant 56 into
 * 56.00000000000001 and 55.99999999999999, which an autoscaled axis draws as a zigzag.
 *
 * Kept up to date while values are appended: each update smooths only the new values, so a
 * redraw of a 100k-point series costs what arrived since the last one. Starts over when the
 * values array is replaced or the weight changes.
 */
export class IncrementalEma {
  private source: ArrayLike<number> | null = null;
  private weight = NaN;
  private out: number[] = [];
  private last = 0;
  private wn = 1; // w^n, kept incrementally
  /** The value every finite value so far has had; NaN once two differ (or before the first). */
  private constant = NaN;
  private finiteSeen = 0;

  update(values: ArrayLike<number>, weight: number): ArrayLike<number> {
    const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
    if (w === 0) return values;
    if (values !== this.source || w !== this.weight || values.length < this.out.length) {
      this.source = values;
      this.weight = w;
      this.out = [];
      this.last = 0;
      this.wn = 1;
      this.constant = NaN;
      this.finiteSeen = 0;
    }
    for (let i = this.out.length; i < values.length; i++) {
      const y = values[i]!;
      if (!Number.isFinite(y)) {
        this.out.push(y);
        continue;
      }
      this.last = this.last * w + (1 - w) * y;
      this.wn *= w;
      this.constant = this.finiteSeen++ === 0 ? y : y === this.constant ? y : NaN;
      this.out.push(Number.isNaN(this.constant) ? this.last / (1 - this.wn) : this.constant);
    }
    return this.out;
  }
}

/** The smoothed values of a whole series at once. */
export function smoothEma(values: ArrayLike<number>, weight: number): ArrayLike<number> {
  return new IncrementalEma().update(values, weight);
}
