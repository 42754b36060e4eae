/**
 * Min-max decimation, once: fewer points that still show a series' shape. The host cuts a long
 * series into buckets with it before sending it to the panel (extension/series-lod.ts), and the
 * chart cuts what it holds down to its pixel width with it.
 */

/**
 * Appends to `out`, in step order, the indices that stand for values[start, end): the first,
 * the lowest, the highest and the last point, and the first non-finite one (a NaN breaks the
 * drawn line, and an Infinity must not vanish). The lowest and highest are among the finite
 * values only.
 */
export function bucketPicks(values: ArrayLike<number>, start: number, end: number, out: number[]): void {
  if (end <= start) return;
  let min = -1;
  let max = -1;
  let nonFinite = -1;
  for (let i = start; i < end; i++) {
    const y = values[i]!;
    if (y - y !== 0) {
      if (nonFinite < 0) nonFinite = i;
      continue;
    }
    if (min < 0 || y < values[min]!) min = i;
    if (max < 0 || y > values[max]!) max = i;
  }
  const picked = [start, min, max, nonFinite, end - 1].filter((i) => i >= 0).sort((a, b) => a - b);
  for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) out.push(picked[k]!);
}

/**
 * The indices of the values to draw, in about `buckets` buckets (about the pixel width): every
 * index while there are at most 4 a bucket, else the bucketPicks of each bucket.
 */
export function decimate(values: ArrayLike<number>, buckets: number): number[] {
  const n = values.length;
  const b = Math.max(1, Math.floor(buckets));
  const out: number[] = [];
  if (n <= b * 4) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  const size = n / b;
  for (let k = 0; k < b; k++) bucketPicks(values, Math.floor(k * size), Math.min(n, Math.floor((k + 1) * size)), out);
  return out;
}
