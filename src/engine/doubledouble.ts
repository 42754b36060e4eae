/**
 * Exact floating-point building blocks and double-double arithmetic (about 32 significant
 * digits), for results that must be rounded once: the seeded random streams' transcendental
 * functions (random.ts), Python's pow and cos and the float64 fused multiply-add of the
 * optimizers (optim/pymath.ts).
 */

/** A double-double: the unevaluated sum hi + lo with |lo| <= ulp(hi) / 2. */
export type DD = readonly [hi: number, lo: number];

/** a + b = s + e exactly (Knuth). */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bv = s - a;
  return [s, a - (s - bv) + (b - bv)];
}

/** a + b = s + e exactly, given |a| >= |b| (Dekker). */
export function fastTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

/** 2^27 + 1: Veltkamp's split of a double into two 26-bit halves. */
export const SPLITTER = 134217729;

/** a * b = p + e exactly (Veltkamp split + Dekker: JavaScript has no FMA), for products far from overflow/underflow. */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = fastTwoSum(s, e + t);
  return fastTwoSum(s2, e2 + f);
}

export function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return fastTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

export function ddMulNumber(a: DD, b: number): DD {
  const [p, e] = twoProd(a[0], b);
  return fastTwoSum(p, e + a[1] * b);
}

export function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r1 = ddAdd(a, ddMulNumber(b, -q1));
  const q2 = r1[0] / b[0];
  const r2 = ddAdd(r1, ddMulNumber(b, -q2));
  const q3 = r2[0] / b[0];
  const [q, e] = fastTwoSum(q1, q2);
  return ddAdd([q, e], [q3, 0]);
}

const bitsView = new DataView(new ArrayBuffer(8));

/** The double one step further from zero than x (x finite, non-zero). */
function stepAwayFromZero(x: number): number {
  bitsView.setFloat64(0, x);
  const low = bitsView.getUint32(4);
  if (low === 0xffffffff) {
    bitsView.setUint32(4, 0);
    bitsView.setUint32(0, bitsView.getUint32(0) + 1);
  } else {
    bitsView.setUint32(4, low + 1);
  }
  return bitsView.getFloat64(0);
}

/** The double one step closer to zero than x (x finite, non-zero). */
function stepTowardZero(x: number): number {
  bitsView.setFloat64(0, x);
  const low = bitsView.getUint32(4);
  if (low === 0) {
    bitsView.setUint32(4, 0xffffffff);
    bitsView.setUint32(0, bitsView.getUint32(0) - 1);
  } else {
    bitsView.setUint32(4, low - 1);
  }
  return bitsView.getFloat64(0);
}

/**
 * a + b rounded to odd: when inexact, the neighbour with an odd last bit. Rounding to odd first
 * and to nearest afterwards (at fewer bits, or after one more addition) is the same as rounding
 * the exact value to nearest once (Boldo & Melquiond), which is how the FMAs stay exact.
 */
export function addRoundToOdd(a: number, b: number): number {
  const [s, e] = twoSum(a, b);
  if (e === 0 || !Number.isFinite(s)) return s;
  bitsView.setFloat64(0, s);
  if ((bitsView.getUint32(4) & 1) === 1) return s;
  return e > 0 === s > 0 ? stepAwayFromZero(s) : stepTowardZero(s);
}

/** fma(a, b, c) in double: a * b + c with a single rounding, as the x86 FMA instruction. */
export function fma64(a: number, b: number, c: number): number {
  const [ph, pl] = twoProd(a, b);
  if (!Number.isFinite(ph) || !Number.isFinite(c)) return a * b + c;
  const [sh, sl] = twoSum(c, ph);
  return sh + addRoundToOdd(sl, pl);
}
