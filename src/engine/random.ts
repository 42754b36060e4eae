/**
 * The random number generator behind torch.rand / randn / randint / randperm / bernoulli_,
 * reproducing PyTorch 1.13's CPU generator bit for bit: the same seed gives the same tensors.
 *
 * PyTorch's CPU generator (ATen's CPUGeneratorImpl) is a 32-bit Mersenne Twister (mt19937).
 * Every distribution is a fixed recipe on top of its 32-bit words, and those recipes are what
 * this file reproduces:
 *
 *   - 32-bit draws feed float32 uniforms (24 random bits), randint with a range below 2^32 and
 *     randperm; 64-bit draws (two words, the first one high) feed float64 uniforms (53 bits),
 *     scalar Box-Muller, bernoulli_ and randint with a range of 2^32 or more.
 *   - Fewer than 16 normals (any dtype) come from scalar Box-Muller in double precision, which
 *     yields two values per pair of draws and keeps the second for the next call; that cached
 *     value is part of the generator state.
 *   - 16 or more normals fill the output with uniforms first and transform them 16 at a time
 *     (the first 8 feed the radii, the next 8 the angles); a ragged tail redraws and redoes the
 *     last 16. float32 takes PyTorch's AVX2 kernel, whose log/sin/cos are Cephes-style float
 *     polynomials, reproduced here operation by operation.
 *
 * Where PyTorch's compiled code fuses a multiply and an add into one FMA instruction (GCC
 * contracts `a * b + c` in ATen's AVX2 kernels), this file performs an exactly rounded FMA too:
 * the fused and unfused results differ in the last bit often enough to matter.
 */
import { addRoundToOdd, type DD, ddAdd, ddDiv, ddMul, ddMulNumber, fma64, twoProd, twoSum } from './doubledouble.js';
import type { Storage } from './dtype.js';

/** The 32-bit Mersenne Twister, with the bookkeeping (`left`, `next`) PyTorch serializes. */
class MersenneTwister {
  static readonly N = 624;
  static readonly M = 397;

  readonly state = new Uint32Array(MersenneTwister.N);
  /** Words left before the next twist, counting the one about to be read (1 right after seeding). */
  left = 1;
  /** Index of the next word to temper. */
  next = 0;

  seed(seed32: number): void {
    const s = this.state;
    s[0] = seed32 >>> 0;
    for (let j = 1; j < MersenneTwister.N; j++) {
      const prev = s[j - 1]!;
      s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    // Seeding leaves the twist pending, so the first draw twists: get_state shows left = 1.
    this.left = 1;
    this.next = 0;
  }

  nextUint32(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    const { N, M } = MersenneTwister;
    for (let k = 0; k < N; k++) {
      const y = (s[k]! & 0x80000000) | (s[(k + 1) % N]! & 0x7fffffff);
      s[k] = s[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.left = N;
    this.next = 0;
  }
}

// ------------------------------------------------------------------------------------------
// Exact floating-point building blocks (the double-double arithmetic is doubledouble.ts)
// ------------------------------------------------------------------------------------------

const f32 = Math.fround;

/** fmaf(a, b, c) for float32 operands: the product is exact in double, so one odd rounding suffices. */
function fma32(a: number, b: number, c: number): number {
  return f32(addRoundToOdd(a * b, c));
}

/** sum of coefficients[i] * x^i by Horner's rule in double-double. */
function ddPoly(coefficients: readonly DD[], x: DD): DD {
  let acc = coefficients[coefficients.length - 1]!;
  for (let i = coefficients.length - 2; i >= 0; i--) acc = ddAdd(ddMul(acc, x), coefficients[i]!);
  return acc;
}

// ln 2 and pi/2 to 106+ bits, as sums of doubles.
const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
const HALF_PI = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33] as const;

/**
 * Correctly rounded natural log, sine and cosine in double precision.
 *
 * PyTorch's double-precision Box-Muller calls the C library's log/sin/cos. V8's Math.log/sin/cos
 * are within an ulp but often on the wrong side of it: with them, about 6% of float64 normals
 * came out one bit off. Correct rounding is the platform-independent target, and glibc hits it
 * in all but about 1 call in 1000; test/fixtures/random.json lists those rare elements.
 */
class CorrectlyRoundedMath {
  /** log(j / 64) for j = 45..91, the centres the log reduction rounds to. */
  private readonly logCentres: DD[] = [];
  /** sin and cos of j / 64 for j = 0..51, the centres the sin/cos reduction rounds to. */
  private readonly sinCentres: DD[] = [];
  private readonly cosCentres: DD[] = [];
  /** 1 / (2i + 1), the atanh series coefficients in t^2. */
  private readonly atanhSeries: DD[] = [];
  /** sin(t) / t and (cos(t) - 1) / t^2 as series in t^2. */
  private readonly sinSeries: DD[] = [];
  private readonly cosm1Series: DD[] = [];
  /** The leading terms, enough below 2^-110 for the small reduced arguments of each call. */
  private readonly atanhShort: DD[];
  private readonly sinShort: DD[];
  private readonly cosm1Short: DD[];

  constructor() {
    for (let i = 0; i < 24; i++) this.atanhSeries.push(ddDiv([1, 0], [2 * i + 1, 0]));
    // Taylor coefficients (-1)^i / (2i+1)! and (-1)^(i+1) / (2i+2)!
    let factorial: DD = [1, 0];
    const inverseFactorials: DD[] = [[1, 0]];
    for (let n = 1; n <= 34; n++) {
      factorial = ddMulNumber(factorial, n);
      inverseFactorials.push(ddDiv([1, 0], factorial));
    }
    for (let i = 0; 2 * i + 2 <= 34; i++) {
      const s = inverseFactorials[2 * i + 1]!;
      const c = inverseFactorials[2 * i + 2]!;
      this.sinSeries.push(i % 2 === 0 ? s : [-s[0], -s[1]]);
      this.cosm1Series.push(i % 2 === 0 ? [-c[0], -c[1]] : c);
    }
    for (let j = 45; j <= 91; j++) {
      // log(c) = 2 atanh((c - 1) / (c + 1)); |t| <= 0.18 needs about 22 terms.
      this.logCentres[j] = this.twoAtanh(ddDiv([j - 64, 0], [j + 64, 0]));
    }
    for (let j = 0; j <= 51; j++) {
      const a = j / 64;
      const a2: DD = [a * a, 0]; // exact: j^2 / 4096
      this.sinCentres[j] = ddMulNumber(ddPoly(this.sinSeries, a2), a);
      this.cosCentres[j] = ddAdd([1, 0], ddMul(ddPoly(this.cosm1Series, a2), a2));
    }
    this.atanhShort = this.atanhSeries.slice(0, 10);
    this.sinShort = this.sinSeries.slice(0, 8);
    this.cosm1Short = this.cosm1Series.slice(0, 8);
  }

  /** 2 atanh(t) = 2t (1 + t^2/3 + t^4/5 + ...). */
  private twoAtanh(t: DD, series: readonly DD[] = this.atanhSeries): DD {
    return ddMulNumber(ddMul(ddPoly(series, ddMul(t, t)), t), 2);
  }

  log(x: number): number {
    if (!(x > 0) || x === Infinity) return Math.log(x);
    // x = m 2^k with m in [sqrt(1/2), sqrt(2)), so that log m stays small and k ln 2 + log m
    // cancels at most one bit.
    let k = 0;
    if (x < 2 ** -1000) {
      x *= 2 ** 100;
      k -= 100;
    }
    let e = Math.floor(Math.log2(x));
    let m = x * 2 ** -e;
    if (m >= 2) {
      m /= 2;
      e++;
    } else if (m < 1) {
      m *= 2;
      e--;
    }
    if (m >= Math.SQRT2) {
      m /= 2;
      e++;
    }
    k += e;
    // log m = log c + 2 atanh((m - c) / (m + c)) with c the nearest multiple of 1/64, which
    // makes |t| < 0.006 and the series short. m - c is exact (Sterbenz).
    const j = Math.round(m * 64);
    const t = ddDiv([m - j / 64, 0], twoSum(m, j / 64));
    const logM = ddAdd(this.logCentres[j]!, this.twoAtanh(t, this.atanhShort));
    return ddAdd(ddMulNumber(LN2, k), logM)[0];
  }

  /** [sin x, cos x], each correctly rounded. */
  sincos(x: number): [number, number] {
    if (!(Math.abs(x) < 2 ** 20)) return [Math.sin(x), Math.cos(x)];
    // x = q pi/2 + r with |r| <= pi/4, computed with a three-part pi/2. x - q P1 is exact
    // (Sterbenz); the product's own rounding error is carried along.
    const q = Math.round(x / HALF_PI[0]);
    const [p1, p1err] = twoProd(q, HALF_PI[0]);
    let r: DD = twoSum(x - p1, -p1err);
    r = ddAdd(r, twoProd(-q, HALF_PI[1]));
    r = ddAdd(r, [-q * HALF_PI[2], 0]);
    // r = a + t with a = j/64, |t| <= 1/128: sin r = sin a cos t + cos a sin t, and cos t is
    // kept as cos t - 1 so that nothing near 1 swamps the small terms.
    const j = Math.round(r[0] * 64);
    const t = ddAdd([r[0] - j / 64, 0], [r[1], 0]);
    const t2 = ddMul(t, t);
    const sinT = ddMul(ddPoly(this.sinShort, t2), t);
    const cosTm1 = ddMul(ddPoly(this.cosm1Short, t2), t2);
    const sinA = j < 0 ? neg(this.sinCentres[-j]!) : this.sinCentres[j]!;
    const cosA = this.cosCentres[Math.abs(j)]!;
    const sinR = ddAdd(sinA, ddAdd(ddMul(sinA, cosTm1), ddMul(cosA, sinT)));
    const cosR = ddAdd(cosA, ddAdd(ddMul(cosA, cosTm1), neg(ddMul(sinA, sinT))));
    switch (((q % 4) + 4) % 4) {
      case 0:
        return [sinR[0], cosR[0]];
      case 1:
        return [cosR[0], -sinR[0]];
      case 2:
        return [-sinR[0], -cosR[0]];
      default:
        return [-cosR[0], sinR[0]];
    }
  }
}

function neg(a: DD): DD {
  return [-a[0], -a[1]];
}

let crMath: CorrectlyRoundedMath | undefined;
/** Built on first use: the tables cost a few thousand double-double operations. */
function libm(): CorrectlyRoundedMath {
  return (crMath ??= new CorrectlyRoundedMath());
}

// ------------------------------------------------------------------------------------------
// PyTorch's AVX2 float32 normal kernel (Cephes-style logf / sincosf on 8 lanes)
// ------------------------------------------------------------------------------------------

const LOG_POLY = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f32);
const LOG_Q1 = f32(-2.1219444e-4);
const LOG_Q2 = f32(0.693359375);
const SQRT_HALF_F = f32(0.707106781186547524);
const FOUR_OVER_PI_F = f32(1.27323954473516);
// pi/4 split into three floats with the leading ones short, so that j * part is exact.
const MINUS_DP1 = f32(-0.78515625);
const MINUS_DP2 = f32(-2.4187564849853515625e-4);
const MINUS_DP3 = f32(-3.77489497744594108e-8);
const SIN_POLY = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f32);
const COS_POLY = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f32);
const TWO_PI_F = f32(2 * Math.PI);

const floatBits = new DataView(new ArrayBuffer(4));

/** Cephes logf as ATen's AVX2 kernel evaluates it, for x in (0, 1]. */
function avx2Logf(x: number): number {
  // Split x = m 2^e with m in [0.5, 1) straight from the bits.
  floatBits.setFloat32(0, x);
  const bits = floatBits.getUint32(0);
  let e = f32((bits >>> 23) - 127 + 1);
  floatBits.setUint32(0, (bits & ~0x7f800000) | 0x3f000000);
  let m = floatBits.getFloat32(0);
  // Below sqrt(1/2), use 2m - 1 and one less in the exponent, to keep the argument near 0.
  const small = m < SQRT_HALF_F;
  const extra = small ? m : 0;
  m = f32(m - 1);
  if (small) e = f32(e - 1);
  m = f32(m + extra);
  const z = f32(m * m);
  let y = fma32(LOG_POLY[0]!, m, LOG_POLY[1]!);
  for (let k = 2; k < LOG_POLY.length; k++) y = fma32(y, m, LOG_POLY[k]!);
  y = f32(y * m);
  // GCC fuses y*z with the following addition of e*q1, and z*0.5 / e*q2 with their sums.
  y = fma32(y, z, f32(e * LOG_Q1));
  y = fma32(-z, 0.5, y);
  return fma32(e, LOG_Q2, f32(m + y));
}

/** Cephes sincosf as ATen's AVX2 kernel evaluates it, for x >= 0. */
function avx2Sincosf(x: number): [number, number] {
  // Octant j (rounded up to even) and x reduced to [-pi/4, pi/4] by the three-part pi/4.
  let j = Math.trunc(f32(x * FOUR_OVER_PI_F));
  j = (j + 1) & ~1;
  let r = fma32(j, MINUS_DP1, x);
  r = fma32(j, MINUS_DP2, r);
  r = fma32(j, MINUS_DP3, r);
  const negateSin = (j & 4) !== 0;
  const negateCos = (~(j - 2) & 4) !== 0;
  // In octants 0, 3, 4, 7 sin comes from the sine polynomial, otherwise from the cosine one.
  const sinFromSinPoly = (j & 2) === 0;

  const z = f32(r * r);
  let c = fma32(COS_POLY[0]!, z, COS_POLY[1]!);
  c = fma32(c, z, COS_POLY[2]!);
  c = f32(c * z);
  c = fma32(c, z, -f32(z * 0.5));
  c = f32(c + 1);
  let s = fma32(SIN_POLY[0]!, z, SIN_POLY[1]!);
  s = fma32(s, z, SIN_POLY[2]!);
  s = f32(s * z);
  s = fma32(s, r, r);

  // The kernel blends the two polynomials with bit masks, then adds and subtracts the masked
  // parts; those additions of zero turn a -0 into +0, so they are kept as written.
  const sinFromCosPoly = sinFromSinPoly ? 0 : c;
  const sinFromSinPolyPart = sinFromSinPoly ? s : 0;
  let sin = f32(sinFromCosPoly + sinFromSinPolyPart);
  let cos = f32(f32(c - sinFromCosPoly) + f32(s - sinFromSinPolyPart));
  if (negateSin) sin = -sin;
  if (negateCos) cos = -cos;
  return [sin, cos];
}

/** Box-Muller on 16 float32 uniforms in place: data[0..7] feed radii, data[8..15] angles. */
function avx2NormalBlock(data: Float32Array, at: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - data[at + j]!);
    const u2 = data[at + 8 + j]!;
    const radius = f32(Math.sqrt(f32(-2 * avx2Logf(u1))));
    const [sin, cos] = avx2Sincosf(f32(TWO_PI_F * u2));
    data[at + j] = fma32(f32(radius * cos), std, mean);
    data[at + 8 + j] = fma32(f32(radius * sin), std, mean);
  }
}

/** The same in double precision (ATen's generic normal_fill_16, used for float64). */
function doubleNormalBlock(data: Float64Array, at: number, mean: number, std: number): void {
  const math = libm();
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[at + j]!;
    const u2 = data[at + 8 + j]!;
    const radius = Math.sqrt(-2 * math.log(u1));
    const [sin, cos] = math.sincos(2 * Math.PI * u2);
    data[at + j] = fma64(radius * cos, std, mean);
    data[at + 8 + j] = fma64(radius * sin, std, mean);
  }
}

// ------------------------------------------------------------------------------------------
// The generator
// ------------------------------------------------------------------------------------------

/** PyTorch's default_rng_seed_val: the seed of a fresh generator. */
const DEFAULT_SEED = 67280421310721;

/** Byte size of PyTorch's serialized CPUGeneratorImplState, and of its older THGeneratorState. */
const STATE_BYTES = 5056;
const LEGACY_STATE_BYTES = 5048;
const OFFSET_MT = 24;
const OFFSET_NORMAL_Y = OFFSET_MT + 8 * MersenneTwister.N + 8;
const OFFSET_NORMAL_VALID = OFFSET_NORMAL_Y + 16;
const OFFSET_FLOAT_NORMAL = LEGACY_STATE_BYTES;

function runtimeError(message: string): Error {
  const error = new Error(message);
  error.name = 'RuntimeError';
  return error;
}

export class Generator {
  private readonly mt = new MersenneTwister();
  /** The seed as PyTorch stores it: a uint64 (negative seeds are taken modulo 2^64). */
  private seedValue = 0n;
  /** Box-Muller's second value, waiting for the next scalar normal draw. */
  private nextDoubleNormal: number | undefined;
  /**
   * PyTorch's float normal cache. The CPU kernels never fill or read it, but a state loaded with
   * set_state carries it, so get_state must hand it back.
   */
  private nextFloatNormal: number | undefined;

  constructor(seed: number = DEFAULT_SEED) {
    this.manual_seed(seed);
  }

  /** Seeds as torch.manual_seed: integers in [-2^63, 2^64), fractions truncated like int(). */
  manual_seed(seed: number | bigint): this {
    let value: bigint;
    if (typeof seed === 'bigint') value = seed;
    else if (Number.isFinite(seed)) value = BigInt(Math.trunc(seed));
    else throw new TypeError(`manual_seed expected an integer, got ${seed}`);
    if (value < -(2n ** 63n) || value >= 2n ** 64n) throw runtimeError('Overflow when unpacking long');
    this.seedValue = BigInt.asUintN(64, value);
    // mt19937 takes the low 32 bits of the seed.
    this.mt.seed(Number(this.seedValue & 0xffffffffn));
    this.nextDoubleNormal = undefined;
    this.nextFloatNormal = undefined;
    return this;
  }

  /** Reseeds from a non-deterministic source and returns the seed (below 2^53, so it survives a round trip). */
  seed(): number {
    const high = Math.floor(Math.random() * 2 ** 21);
    const low = Math.floor(Math.random() * 2 ** 32);
    const seed = high * 2 ** 32 + low;
    this.manual_seed(seed);
    return seed;
  }

  initial_seed(): number {
    return Number(this.seedValue);
  }

  /**
   * The full state in PyTorch's own layout (the 5056 bytes torch.get_rng_state() returns), so a
   * snapshot taken here can be compared with, or loaded into, PyTorch.
   */
  get_state(): Uint8Array {
    const bytes = new Uint8Array(STATE_BYTES);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, this.seedValue, true);
    view.setInt32(8, this.mt.left, true);
    view.setInt32(12, 1, true); // seeded
    view.setBigUint64(16, BigInt(this.mt.next), true);
    for (let i = 0; i < MersenneTwister.N; i++) view.setUint32(OFFSET_MT + 8 * i, this.mt.state[i]!, true);
    if (this.nextDoubleNormal !== undefined) {
      view.setFloat64(OFFSET_NORMAL_Y, this.nextDoubleNormal, true);
      view.setInt32(OFFSET_NORMAL_VALID, 1, true);
    }
    if (this.nextFloatNormal !== undefined) {
      view.setFloat32(OFFSET_FLOAT_NORMAL, this.nextFloatNormal, true);
      view.setUint8(OFFSET_FLOAT_NORMAL + 4, 1);
    }
    return bytes;
  }

  /** Restores a get_state snapshot (or a state saved by PyTorch, in either of its two layouts). */
  set_state(state: Uint8Array): this {
    if (state.length !== STATE_BYTES && state.length !== LEGACY_STATE_BYTES) {
      throw runtimeError(
        `Expected either a CPUGeneratorImplStateLegacy of size ${LEGACY_STATE_BYTES} or a CPUGeneratorImplState of size ` +
          `${STATE_BYTES} but found the input RNG state size to be ${state.length}`,
      );
    }
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const left = view.getInt32(8, true);
    const seeded = view.getInt32(12, true);
    const next = view.getBigUint64(16, true);
    if (seeded !== 1 || left <= 0 || left > MersenneTwister.N || next > BigInt(MersenneTwister.N)) {
      throw runtimeError('The input RNG state is invalid');
    }
    this.seedValue = view.getBigUint64(0, true);
    this.mt.left = left;
    this.mt.next = Number(next);
    for (let i = 0; i < MersenneTwister.N; i++) this.mt.state[i] = view.getUint32(OFFSET_MT + 8 * i, true);
    this.nextDoubleNormal = view.getInt32(OFFSET_NORMAL_VALID, true) ? view.getFloat64(OFFSET_NORMAL_Y, true) : undefined;
    this.nextFloatNormal =
      state.length === STATE_BYTES && view.getUint8(OFFSET_FLOAT_NORMAL + 4)
        ? view.getFloat32(OFFSET_FLOAT_NORMAL, true)
        : undefined;
    return this;
  }

  // ---------------------------------------------------------------- raw draws

  private uint32(): number {
    return this.mt.nextUint32();
  }

  /** A uniform float32 in [0, 1): the low 24 bits of one word. */
  private float32Unit(): number {
    return (this.uint32() & 0xffffff) * 2 ** -24;
  }

  /** A uniform double in [0, 1): the low 53 bits of a 64-bit draw (first word high). */
  private float64Unit(): number {
    const high = this.uint32();
    const low = this.uint32();
    return ((high & 0x1fffff) * 2 ** 32 + low) * 2 ** -53;
  }

  // ---------------------------------------------------------------- distributions

  /** uniform [low, high) filling `out` exactly as torch.rand / Tensor.uniform_ does for that dtype */
  fillUniform(out: Float32Array | Float64Array, low: number, high: number, dtype: 'float32' | 'float64'): void {
    if (!(low <= high)) throw runtimeError(`uniform_ expects to return a [from, to) range, but found from=${low} > to=${high}`);
    if (dtype === 'float32') {
      // from, to and their difference are float32; x * (to - from) + from is one fused FMA.
      const from = f32(low);
      const span = f32(f32(high) - from);
      for (let i = 0; i < out.length; i++) out[i] = fma32(this.float32Unit(), span, from);
    } else {
      const span = high - low;
      for (let i = 0; i < out.length; i++) out[i] = fma64(this.float64Unit(), span, low);
    }
  }

  /**
   * normal(mean, std) filling `out` exactly as torch.randn / Tensor.normal_ does for that dtype
   * and length: scalar Box-Muller below 16 elements, the 16-wide kernels from 16 on. PyTorch
   * also takes the scalar path for a non-contiguous tensor of any size; pass contiguous = false
   * to get that (the elements then come in the order the tensor is iterated).
   */
  fillNormal(
    out: Float32Array | Float64Array,
    mean: number,
    std: number,
    dtype: 'float32' | 'float64',
    contiguous = true,
  ): void {
    if (!(std >= 0)) throw runtimeError(`normal expects std >= 0.0, but found std ${std}`);
    const n = out.length;
    if (n < 16 || !contiguous) {
      for (let i = 0; i < n; i++) out[i] = this.scalarNormal(mean, std);
      return;
    }
    if (dtype === 'float32') {
      const data = out as Float32Array;
      const m = f32(mean);
      const s = f32(std);
      for (let i = 0; i < n; i++) data[i] = this.float32Unit();
      for (let i = 0; i + 16 <= n; i += 16) avx2NormalBlock(data, i, m, s);
      if (n % 16 !== 0) {
        // The ragged tail redraws the last 16 uniforms and redoes them as a whole block.
        for (let i = n - 16; i < n; i++) data[i] = this.float32Unit();
        avx2NormalBlock(data, n - 16, m, s);
      }
    } else {
      const data = out as Float64Array;
      for (let i = 0; i < n; i++) data[i] = this.float64Unit();
      for (let i = 0; i + 16 <= n; i += 16) doubleNormalBlock(data, i, mean, std);
      if (n % 16 !== 0) {
        for (let i = n - 16; i < n; i++) data[i] = this.float64Unit();
        doubleNormalBlock(data, n - 16, mean, std);
      }
    }
  }

  /**
   * One scalar Box-Muller draw in double (whatever the output dtype): the first uniform sets the
   * angle, the second the radius; cos is returned and r sin(theta) is cached for the next call.
   */
  private scalarNormal(mean: number, std: number): number {
    let z: number;
    if (this.nextDoubleNormal !== undefined) {
      z = this.nextDoubleNormal;
      this.nextDoubleNormal = undefined;
    } else {
      const math = libm();
      const u1 = this.float64Unit();
      const u2 = this.float64Unit();
      const radius = Math.sqrt(-2 * math.log(1 - u2));
      const [sin, cos] = math.sincos(2 * Math.PI * u1);
      this.nextDoubleNormal = radius * sin;
      z = radius * cos;
    }
    return fma64(z, std, mean);
  }

  /** integers in [low, high) as torch.randint(low, high, size); float dtypes draw the same way and round. */
  fillRandint(out: Float32Array | Float64Array, low: number, high: number, dtype: 'float32' | 'float64' | 'int64'): void {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new RangeError(`randint bounds must be integers within ±2^53, got low=${low}, high=${high}`);
    }
    if (!(low < high)) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    const range = high - low;
    const cast = dtype === 'float32' ? f32 : (x: number) => x;
    if (range < 2 ** 32) {
      for (let i = 0; i < out.length; i++) out[i] = cast((this.uint32() % range) + low);
    } else {
      // Ranges of 2^32 or more take a whole 64-bit draw, reduced modulo the range.
      const bigRange = BigInt(range);
      for (let i = 0; i < out.length; i++) {
        const high32 = BigInt(this.uint32());
        const low32 = BigInt(this.uint32());
        out[i] = cast(Number(((high32 << 32n) | low32) % bigRange) + low);
      }
    }
  }

  /**
   * torch.randperm(n) (int64) as PyTorch 1.13 CPU computes it for every n: a Fisher-Yates pass
   * from the front, swapping position i with i + (word % (n - i)).
   */
  randperm(n: number): Float64Array {
    if (!Number.isSafeInteger(n) || n < 0) throw runtimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
    const perm = new Float64Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = i + (this.uint32() % (n - i));
      const saved = perm[i]!;
      perm[i] = perm[z]!;
      perm[z] = saved;
    }
    return perm;
  }

  /**
   * Tensor.bernoulli_(p) with a scalar p, for an output of any dtype: 1 where a 53-bit uniform is
   * below p. This is PyTorch's portable kernel; builds with MKL running on an Intel CPU use
   * MKL's own stream instead (seeded from one 32-bit draw), which this does not reproduce.
   */
  fillBernoulli(out: Storage, p: number): void {
    if (!(p >= 0 && p <= 1)) throw runtimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
    for (let i = 0; i < out.length; i++) out[i] = this.float64Unit() < p ? 1 : 0;
  }

  /**
   * Tensor.bernoulli_(p) with a tensor of probabilities (one per element, already broadcast):
   * a float64 p draws 53-bit uniforms, a float32 one 24-bit uniforms, compared in its precision.
   */
  fillBernoulliPerElement(out: Storage, p: ArrayLike<number>, pDouble: boolean): void {
    for (let i = 0; i < out.length; i++) {
      const q = p[i]!;
      if (!(q >= 0 && q <= 1)) throw runtimeError(`bernoulli_ expects all elements of p to be in [0, 1], but got p=${q}`);
      out[i] = (pDouble ? this.float64Unit() : this.float32Unit()) < q ? 1 : 0;
    }
  }

  /** Tensor.exponential_(lambd): -ln(1 - u) / lambd from 53-bit uniforms (ATen's portable kernel), rounded by the store. */
  fillExponential(out: Float32Array | Float64Array, lambd: number): void {
    const math = libm();
    const scale = -1 / lambd;
    for (let i = 0; i < out.length; i++) out[i] = scale * math.log(1 - this.float64Unit());
  }

  /** One uniform double in [0, 1) from a 64-bit draw (multinomial's samples with replacement). */
  uniformDouble(): number {
    return this.float64Unit();
  }
}

/** The generator torch.manual_seed and the random functions use when none is passed. */
export const defaultGenerator = new Generator();
