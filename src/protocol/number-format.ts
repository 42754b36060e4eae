/**
 * How a number is written for a learner, everywhere: the gutter, the status bar, the panel's
 * curves and graph, the CLI's tables, warnings, and the exports. One spelling rule: numbers read
 * as Python and PyTorch print them, so `nan`, `inf` and `-inf` for the non-finite ones.
 */

function nonFiniteText(value: number): string {
  return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
}

/**
 * A value as every view shows it: a whole number whole (below 10^15), any other as Python's
 * `'%.7g' % value` (7 significant digits, trailing zeros dropped, an exponent below 10^-4 and
 * from 10^7 on: `2.927647`, `1.5e-07`, `1.940804e+10`).
 */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return nonFiniteText(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  // JavaScript rounds an exact tie away from zero, C's printf (Python's %) to even.
  if (isTieRoundingToEven(value)) value = nextTowardZero(value);
  const [mantissa, exponentText] = value.toExponential(6).split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 7) {
    const sign = exponent < 0 ? '-' : '+';
    return `${stripZeros(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return stripZeros(value.toFixed(6 - exponent));
}

/** Whether the exact value sits halfway between two 7-digit roundings, the lower one even. */
function isTieRoundingToEven(value: number): boolean {
  // toPrecision(100) writes the binary value's exact decimal digits (zeros after the last one).
  const digits = Math.abs(value).toPrecision(100).split('e')[0]!.replace('.', '').replace(/^0+/, '');
  return digits[7] === '5' && /^0*$/.test(digits.slice(8)) && Number(digits[6]) % 2 === 0;
}

/** The double next to `value` on the side of zero (value ≠ 0). */
function nextTowardZero(value: number): number {
  const bits = new BigUint64Array(new Float64Array([value]).buffer);
  bits[0]! -= 1n;
  return new Float64Array(bits.buffer)[0]!;
}

function stripZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A value with every digit it has (the shortest text that reads back as the same number): for CSV. */
export function formatExact(value: number): string {
  return Number.isFinite(value) ? String(value) : nonFiniteText(value);
}
