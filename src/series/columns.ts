/**
 * A loss series as every process keeps it: points of (step, value), sorted by step, packed in
 * columns (two growable Float64Arrays: 16 bytes a point, not an object each).
 */

/** One point of a series, as a chart draws it. */
export interface Point {
  x: number;
  y: number;
}

/** One series' points, packed: x and y in growable Float64Arrays. */
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

  x(i: number): number {
    return this.xs[i]!;
  }

  y(i: number): number {
    return this.ys[i]!;
  }

  /** The index of the point at x (the series is sorted by x), or −1. */
  indexOfX(x: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.xs[mid]!;
      if (v === x) return mid;
      if (v < x) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  toPoints(): Point[] {
    const out: Point[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = { x: this.xs[i]!, y: this.ys[i]! };
    return out;
  }
}

