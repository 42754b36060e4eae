/**
 * Where matplotlib puts the major ticks of a linear axis and what it writes under them: its
 * AutoLocator (MaxNLocator with steps 1, 2, 2.5, 5, 10 and as many bins as the axis has room
 * for) and its ScalarFormatter (shared decimals, an offset such as "+1e5", a power such as
 * "1e6", Unicode minus signs). Floating-point steps follow Python's semantics (floor division,
 * round-half-even), so the ticks are the same numbers matplotlib computes — test/figures/
 * ticks.test.ts checks them against fixtures from real matplotlib.
 */

/** The axis being ticked: its view limits (in the axis' order, inverted if so) and its length. */
export interface AxisSpan {
  view: readonly [number, number];
  /** Length of the axis in points. */
  lengthPt: number;
  /** The tick labels' font size in points. */
  labelSize: number;
  /** 'x' leaves three label sizes per tick, 'y' two (matplotlib's get_tick_space). */
  direction: 'x' | 'y';
}

/** The rcParams the formatter reads. */
export interface FormatterParams {
  /** axes.formatter.limits: powers of ten outside (low, high) use scientific notation. */
  powerLimits: readonly [number, number];
  /** axes.formatter.offset_threshold. */
  offsetThreshold: number;
  /** axes.unicode_minus. */
  unicodeMinus: boolean;
}

export interface AxisTicks {
  /** Every tick the locator placed (some may lie just outside the view). */
  located: number[];
  /** The ticks drawn: those within the view. */
  ticks: number[];
  /** Their labels, as matplotlib writes them. */
  labels: string[];
  /** The offset/power text drawn at the end of the axis ('' when there is none). */
  offset: string;
}

const STEPS = [1, 2, 2.5, 5, 10];
/** MaxNLocator's "staircase": the steps a decade below and above, so a step is always found. */
const EXTENDED_STEPS = [...STEPS.slice(0, -1).map((s) => 0.1 * s), ...STEPS, 10 * STEPS[1]!];
const MIN_N_TICKS = 2;
const MAX_BINS = 9;

// ---------------------------------------------------------------- Python float semantics

/** Python's divmod for floats (CPython's float_divmod). */
export function pyDivmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = Math.sign(1 / y) * 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = (x / y < 0 ? -1 : 1) * 0;
  }
  return [floordiv, mod];
}

/** Python's `x // y` for floats. */
export const pyFloorDiv = (x: number, y: number): number => pyDivmod(x, y)[0];

/** 10 ** n for an integer n, correctly rounded as C's pow gives it (V8's Math.pow may differ by an ulp). */
export function pow10(n: number): number {
  return Number.isInteger(n) ? Number(`1e${n}`) : Math.pow(10, n);
}

/** NumPy's round-half-to-even (rint). */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** np.round(x, decimals): x * 10**d, rint, / 10**d. */
function npRound(x: number, decimals: number): number {
  const f = pow10(decimals);
  return rint(x * f) / f;
}

/** matplotlib.transforms.nonsingular: widens an empty or point interval. */
export function nonsingular(vmin: number, vmax: number, expander = 0.001, tiny = 1e-15, increasing = true): [number, number] {
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) return [-expander, expander];
  let swapped = false;
  if (vmax < vmin) {
    [vmin, vmax] = [vmax, vmin];
    swapped = true;
  }
  const largest = Math.max(Math.abs(vmin), Math.abs(vmax));
  if (largest < (1e6 / tiny) * 2.2250738585072014e-308) {
    vmin = -expander;
    vmax = expander;
  } else if (vmax - vmin <= largest * tiny) {
    if (vmax === 0 && vmin === 0) {
      vmin = -expander;
      vmax = expander;
    } else {
      vmin -= expander * Math.abs(vmin);
      vmax += expander * Math.abs(vmax);
    }
  }
  return swapped && !increasing ? [vmax, vmin] : [vmin, vmax];
}

// ---------------------------------------------------------------- the locator

/** How many intervals the axis has room for (Axis.get_tick_space, clipped as MaxNLocator does). */
export function binsFor(span: Pick<AxisSpan, 'lengthPt' | 'labelSize' | 'direction'>): number {
  const perTick = span.labelSize * (span.direction === 'x' ? 3 : 2);
  const room = perTick > 0 ? Math.floor(span.lengthPt / perTick) : MAX_BINS;
  return Math.min(Math.max(room, Math.max(1, MIN_N_TICKS - 1)), MAX_BINS);
}

function scaleRange(vmin: number, vmax: number, n: number): { scale: number; offset: number } {
  const dv = Math.abs(vmax - vmin);
  const meanv = (vmax + vmin) / 2;
  const offset = Math.abs(meanv) / dv < 100 ? 0 : Math.sign(meanv) * pow10(pyFloorDiv(Math.log10(Math.abs(meanv)), 1));
  return { scale: pow10(pyFloorDiv(Math.log10(dv / n), 1)), offset };
}

/** Integer multiples of a step, tolerant of the rounding a large offset brings (matplotlib's _Edge_integer). */
function edgeInteger(step: number, offset: number) {
  const off = Math.abs(offset);
  const tol = off > 0 ? Math.min(0.4999, Math.max(1e-10, Math.pow(10, Math.log10(off / step) - 12))) : 1e-10;
  const closeTo = (ms: number, edge: number) => Math.abs(ms - edge) < tol;
  return {
    le(x: number): number {
      const [d, m] = pyDivmod(x, step);
      return closeTo(m / step, 1) ? d + 1 : d;
    },
    ge(x: number): number {
      const [d, m] = pyDivmod(x, step);
      return closeTo(m / step, 0) ? d : d + 1;
    },
  };
}

/** MaxNLocator.tick_values for AutoLocator's settings. */
export function locateTicks(vmin: number, vmax: number, nbins: number): number[] {
  [vmin, vmax] = nonsingular(vmin, vmax, 1e-13, 1e-14);
  const { scale, offset } = scaleRange(vmin, vmax, nbins);
  const lo = vmin - offset;
  const hi = vmax - offset;
  const rawStep = (hi - lo) / nbins;
  const steps = EXTENDED_STEPS.map((s) => s * scale);
  let istep = steps.findIndex((s) => s >= rawStep);
  let ticks: number[] = [];
  for (; istep >= 0; istep--) {
    const step = steps[istep]!;
    const bestMin = pyFloorDiv(lo, step) * step;
    const edge = edgeInteger(step, offset);
    const low = edge.le(lo - bestMin);
    const high = edge.ge(hi - bestMin);
    ticks = [];
    for (let i = low; i <= high; i++) ticks.push(i * step + bestMin);
    const inside = ticks.filter((t) => t <= hi && t >= lo).length;
    if (inside >= MIN_N_TICKS) break;
  }
  return ticks.map((t) => t + offset);
}

/** The located ticks matplotlib draws: within the view, up to a relative 1e-10. */
export function visibleTicks(located: readonly number[], view: readonly [number, number]): number[] {
  const [a, b] = view[0] <= view[1] ? view : [view[1], view[0]];
  const slack = (b - a) * 1e-10;
  return located.filter((t) => a - slack <= t && t <= b + slack);
}

// ---------------------------------------------------------------- the formatter

/** Python's '%1.<digits>g' for numbers of ordinary size. */
function formatG(x: number, digits: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= digits) {
    const [mantissa, e] = x.toExponential(digits - 1).split('e');
    const trimmed = mantissa!.includes('.') ? mantissa!.replace(/\.?0+$/, '') : mantissa!;
    const n = Number(e);
    return `${trimmed}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toPrecision(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Python's round(x, n) for n ≥ 0. */
function pyRound(x: number, n: number): number {
  return Number(x.toFixed(n));
}

/** ScalarFormatter: the labels of a set of ticks, their offset and power of ten. */
export function formatTicks(located: readonly number[], view: readonly [number, number], params: FormatterParams): { format: (x: number) => string; offset: string } {
  const [vmin, vmax] = view[0] <= view[1] ? view : [view[1], view[0]];
  const inView = located.filter((t) => vmin <= t && t <= vmax);
  const minus = (s: string) => (params.unicodeMinus ? s.replace(/-/g, '\u2212') : s);

  // _compute_offset: only when every visible tick has the same sign and it saves digits
  let offset = 0;
  if (inView.length > 0) {
    const lmin = Math.min(...inView);
    const lmax = Math.max(...inView);
    if (!(lmin === lmax || (lmin <= 0 && 0 <= lmax))) {
      const [absMin, absMax] = [Math.abs(lmin), Math.abs(lmax)].sort((a, b) => a - b) as [number, number];
      const sign = lmin < 0 ? -1 : 1;
      const oomMax = Math.ceil(Math.log10(absMax));
      let oom = oomMax;
      while (pyFloorDiv(absMin, pow10(oom)) === pyFloorDiv(absMax, pow10(oom))) oom -= 1;
      oom += 1;
      if ((absMax - absMin) / pow10(oom) <= 1e-2) {
        oom = oomMax;
        while (!(pyFloorDiv(absMax, pow10(oom)) - pyFloorDiv(absMin, pow10(oom)) > 1)) oom -= 1;
        oom += 1;
      }
      const n = params.offsetThreshold - 1;
      offset = pyFloorDiv(absMax, pow10(oom)) >= pow10(n) ? sign * pyFloorDiv(absMax, pow10(oom)) * pow10(oom) : 0;
    }
  }

  // _set_order_of_magnitude
  let order = 0;
  if (inView.length > 0) {
    let oom: number;
    if (offset) oom = Math.floor(Math.log10(vmax - vmin));
    else {
      const val = Math.max(...inView.map(Math.abs));
      oom = val === 0 ? 0 : Math.floor(Math.log10(val));
    }
    if (oom <= params.powerLimits[0] || oom >= params.powerLimits[1]) order = oom;
  }

  // _set_format: as few decimals as keep the ticks apart
  let decimals = 0;
  if (located.length > 0) {
    const withEnds = located.length < 2 ? [...located, view[0], view[1]] : [...located];
    const scaled = withEnds.map((t) => (t - offset) / pow10(order));
    let range = Math.max(...scaled) - Math.min(...scaled);
    if (range === 0) range = Math.max(...scaled.map(Math.abs));
    if (range === 0) range = 1;
    const locs = located.length < 2 ? scaled.slice(0, -2) : scaled;
    const rangeOom = Math.floor(Math.log10(range));
    let sigfigs = Math.max(0, 3 - rangeOom);
    const thresh = 1e-3 * pow10(rangeOom);
    while (sigfigs >= 0) {
      const worst = Math.max(...locs.map((l) => Math.abs(l - npRound(l, sigfigs))));
      if (worst < thresh) sigfigs -= 1;
      else break;
    }
    decimals = sigfigs + 1;
  }

  const format = (x: number): string => {
    if (located.length === 0) return '';
    let xp = (x - offset) / pow10(order);
    if (Math.abs(xp) < 1e-8) xp = 0;
    return minus(xp.toFixed(decimals));
  };

  let text = '';
  if (located.length > 0 && (order || offset)) {
    let offsetText = '';
    if (offset) {
      const e = Math.floor(Math.log10(Math.abs(offset)));
      const s = pyRound(offset / pow10(e), 10);
      const significand = s % 1 === 0 ? String(Math.trunc(s)) : formatG(s, 10);
      offsetText = e === 0 ? significand : `${significand}e${e}`;
      if (offset > 0) offsetText = `+${offsetText}`;
    }
    text = minus(`${order ? `1e${order}` : ''}${offsetText}`);
  }
  return { format, offset: text };
}

/** The ticks of one axis, located, filtered to the view and labelled as matplotlib does. */
export function axisTicks(span: AxisSpan, params: FormatterParams): AxisTicks {
  const located = locateTicks(span.view[0], span.view[1], binsFor(span));
  const { format, offset } = formatTicks(located, span.view, params);
  const ticks = visibleTicks(located, span.view);
  return { located, ticks, labels: ticks.map(format), offset };
}
