/**
 * The notation of the derivative explanations (chapter 5's): numbers as the script wrote them,
 * a proper minus sign, exponents as superscripts.
 */

/** A number in a formula: `2`, `0.5`, `−1.5`, `1e-8`, `nan`, `inf` (the shortest form that reads back the same). */
export function num(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '−inf';
  return x < 0 || Object.is(x, -0) ? `−${String(-x)}` : String(x);
}

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };

/** `base` to the power `e`: `x²`, `x⁻¹`, `x^0.5`; `x` for e = 1. */
export function power(base: string, e: number): string {
  if (e === 1) return base;
  if (Number.isInteger(e) && Math.abs(e) < 1e6) return base + [...String(e)].map((c) => SUPERSCRIPT[c]).join('');
  return `${base}^${num(e)}`;
}

/** `c·term`, with the factor left out where it is 1 and written as a sign where it is −1. */
export function times(c: number, term: string): string {
  if (c === 1) return term;
  if (c === -1) return `−${term}`;
  return `${num(c)}·${term}`;
}

/** A shape as PyTorch lists sizes: `[3, 4]`, `[]` for a zero-dim tensor. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
