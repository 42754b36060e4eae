/**
 * Python's `x ** y` and `math.cos` for the double arithmetic optimizers and schedulers do in
 * Python (bias corrections, momentum schedules, cosine annealing).
 *
 * CPython calls the C library, and glibc's pow/cos agree with the correctly rounded result in
 * all but about 0.1% of the arguments these formulas produce; V8's Math.pow and Math.cos differ
 * from glibc in about 5% of them (bias corrections 1 - 0.999 ** step, cos(pi * epoch / T_max)),
 * which shows in the last digit of a printed learning rate. So these are computed in
 * double-double arithmetic (about 32 significant digits) and rounded once.
 */

import { type DD, ddAdd, ddDiv, ddMul, ddMulNumber, SPLITTER, twoProd } from '../doubledouble.js';

/** `a * b + c` rounded once, for doubles (the fused multiply-add PyTorch's float64 kernels use). */
export { fma64 } from '../doubledouble.js';

// ------------------------------------------------------------------ exp and log

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** exp of a double-double (|x| well inside the double range). */
function ddExp(x: DD): DD {
  const k = Math.round(x[0] / LN2[0]);
  // r = x - k ln2, then exp(r) = exp(r / 2^10)^(2^10) keeps the Taylor series short.
  let r = ddAdd(x, ddMulNumber(LN2, -k));
  r = [r[0] / 1024, r[1] / 1024];
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let i = 1; i <= 20; i++) {
    term = ddDiv(ddMul(term, r), [i, 0]);
    sum = ddAdd(sum, term);
    if (Math.abs(term[0]) < 1e-36) break;
  }
  for (let i = 0; i < 10; i++) sum = ddMul(sum, sum);
  const scale = Math.pow(2, k);
  return [sum[0] * scale, sum[1] * scale];
}

/** Natural log of a positive double, refined from Math.log by one Newton step in double-double. */
function ddLog(a: number): DD {
  const y0 = Math.log(a);
  // y1 = y0 + a * exp(-y0) - 1
  const e = ddExp([-y0, 0]);
  const correction = ddAdd(ddMulNumber(e, a), [-1, 0]);
  return ddAdd([y0, 0], correction);
}

// ------------------------------------------------------------------ pow

function powInt(base: number, n: number): number {
  // Powers of two are split off as they go (exactly), so that the low word never underflows.
  // The double-double products (ddMul with renormalisation) are written out on scalars here:
  // Adam calls this twice per parameter per step.
  const SCALE = 2 ** 500;
  let exp2 = 0;
  let rh = 1;
  let rl = 0;
  let bh = base;
  let bl = 0;
  let bExp2 = 0;
  let m = Math.abs(n);
  while (m > 0) {
    if (m % 2 === 1) {
      // result = renormalize(ddMul(result, b))
      const p = rh * bh;
      let t = SPLITTER * rh;
      const ah = t - (t - rh);
      const al = rh - ah;
      t = SPLITTER * bh;
      const bhh = t - (t - bh);
      const bhl = bh - bhh;
      const e = ah * bhh - p + ah * bhl + al * bhh + al * bhl;
      const lo = e + (rh * bl + rl * bh);
      const sHi = p + lo;
      const sLo = lo - (sHi - p);
      exp2 += bExp2;
      const a = Math.abs(sHi);
      if (a !== 0 && a < 1 / SCALE) {
        rh = sHi * SCALE;
        rl = sLo * SCALE;
        exp2 -= 500;
      } else if (a > SCALE) {
        rh = sHi / SCALE;
        rl = sLo / SCALE;
        exp2 += 500;
      } else {
        rh = sHi;
        rl = sLo;
      }
    }
    m = Math.floor(m / 2);
    if (m > 0) {
      // b = renormalize(ddMul(b, b))
      const p = bh * bh;
      const t = SPLITTER * bh;
      const hh = t - (t - bh);
      const hl = bh - hh;
      const e = hh * hh - p + hh * hl + hl * hh + hl * hl;
      const lo = e + (bh * bl + bl * bh);
      const sHi = p + lo;
      const sLo = lo - (sHi - p);
      bExp2 = 2 * bExp2;
      const a = Math.abs(sHi);
      if (a !== 0 && a < 1 / SCALE) {
        bh = sHi * SCALE;
        bl = sLo * SCALE;
        bExp2 -= 500;
      } else if (a > SCALE) {
        bh = sHi / SCALE;
        bl = sLo / SCALE;
        bExp2 += 500;
      } else {
        bh = sHi;
        bl = sLo;
      }
    }
  }
  let result: DD = [rh, rl];
  if (n < 0) {
    result = ddDiv([1, 0], result);
    exp2 = -exp2;
  }
  const rounded = result[0] + result[1];
  // Apply the split-off power of two in steps that stay exact until the last one.
  let out = rounded;
  let e = exp2;
  while (e < -1000) {
    out *= 2 ** -1000;
    e += 1000;
  }
  while (e > 1000) {
    out *= 2 ** 1000;
    e -= 1000;
  }
  return out * 2 ** e;
}

/** Python's `base ** exponent` for floats (C `pow`), rounded once from about 32 digits. */
export function pyPow(base: number, exponent: number): number {
  if (exponent === 0 || base === 1) return 1;
  if (!Number.isFinite(base) || !Number.isFinite(exponent) || base === 0) return Math.pow(base, exponent);
  if (Number.isInteger(exponent) && Math.abs(exponent) < 2 ** 31) return powInt(base, exponent);
  if (base < 0) return NaN; // Python raises for a negative base and a fractional exponent; callers never do this
  const log = ddLog(base);
  const y = ddMulNumber(log, exponent);
  if (y[0] > 709 || y[0] < -745) return Math.pow(base, exponent);
  const r = ddExp(y);
  return r[0] + r[1];
}

// ------------------------------------------------------------------ cos

/** pi / 2 as a sum of three doubles. */
const PIO2 = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33] as const;

function sinCosTaylor(r: DD, wantSin: boolean): DD {
  // sin r = r - r^3/3! + ...; cos r = 1 - r^2/2! + ...
  const r2 = ddMul(r, r);
  let term: DD = wantSin ? r : [1, 0];
  let sum: DD = term;
  // Each term is the previous one times -r^2 / (i (i + 1)): i = 2, 4, ... for sin, 1, 3, ... for cos.
  for (let i = wantSin ? 2 : 1; i < 60; i += 2) {
    term = ddDiv(ddMul(term, r2), [-i * (i + 1), 0]);
    sum = ddAdd(sum, term);
    if (Math.abs(term[0]) <= 1e-34 * Math.abs(sum[0])) break;
  }
  return sum;
}

/** Python's `math.cos(x)`, rounded once from about 32 digits (exact reduction for |x| < 2^30). */
export function pyCos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 30) return Math.cos(x);
  const k = Math.round(x / PIO2[0]);
  // r = x - k * pi/2, each partial product exact.
  let r: DD = [x, 0];
  for (const part of PIO2) {
    const [p, e] = twoProd(k, part);
    r = ddAdd(r, [-p, -e]);
  }
  const quadrant = ((k % 4) + 4) % 4;
  let v: DD;
  if (quadrant === 0) v = sinCosTaylor(r, false);
  else if (quadrant === 1) v = sinCosTaylor([-r[0], -r[1]], true);
  else if (quadrant === 2) {
    const c = sinCosTaylor(r, false);
    v = [-c[0], -c[1]];
  } else v = sinCosTaylor(r, true);
  return v[0] + v[1];
}
