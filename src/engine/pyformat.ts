/**
 * Python-style number printing for TypeScript code that wants to print exactly like a Python
 * script: `repr(float)`, the `%` operator, and the `{:.4f}` / `{:.4e}` conversions that tensor
 * printing is built on.
 *
 * JavaScript's `toFixed` / `toExponential` look at the exact binary value too, but break ties
 * upwards (`(0.125).toFixed(2)` is `0.13`); Python breaks exact ties to the even digit (`0.12`)
 * and keeps the sign of negative zero. So the fixed and exponential conversions here work on the
 * exact value of the double with BigInt arithmetic.
 */

// ---------------------------------------------------------------------------------------------
// Exact decimal conversions
// ---------------------------------------------------------------------------------------------

const scratch = new DataView(new ArrayBuffer(8));

/** |x| = mantissa · 2^exponent exactly, for finite x. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

const powersOfTen: bigint[] = [1n];
function pow10(n: number): bigint {
  while (powersOfTen.length <= n) powersOfTen.push(powersOfTen[powersOfTen.length - 1]! * 10n);
  return powersOfTen[n]!;
}

/** num / den rounded to the nearest integer, exact ties to even (both positive). */
function divideHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twiceRest = (num - q * den) * 2n;
  if (twiceRest > den || (twiceRest === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** round(|x| · 10^shift) for finite x, exact with ties to even; shift may be negative. */
function scaledRound(x: number, shift: number): bigint {
  const { mantissa, exponent } = decompose(x);
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  return divideHalfEven(num, den);
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function nonFinite(x: number, upper: boolean): string {
  const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}

/** Python's `'{:.<digits>f}'.format(x)`: `-0.0000`, `nan`, `-inf`, exact ties to even. */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x, false);
  const units = scaledRound(x, digits).toString().padStart(digits + 1, '0');
  const whole = units.slice(0, units.length - digits);
  const body = digits > 0 ? `${whole}.${units.slice(units.length - digits)}` : whole;
  return isNegative(x) ? `-${body}` : body;
}

/** Significant digits and decimal exponent of |x| rounded to `digits + 1` significant digits. */
function roundScientific(x: number, digits: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: '0'.repeat(digits + 1), exponent: 0 };
  let exponent = Math.floor(Math.log10(Math.abs(x)));
  const low = pow10(digits);
  const high = pow10(digits + 1);
  // log10 can be off by one near powers of ten; the exact check settles it.
  for (;;) {
    const n = scaledRound(x, digits - exponent);
    if (n >= high) exponent += 1;
    else if (n < low) exponent -= 1;
    else return { digits: n.toString(), exponent };
  }
}

function exponentSuffix(exponent: number, upper: boolean): string {
  const sign = exponent < 0 ? '-' : '+';
  return `${upper ? 'E' : 'e'}${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python's `'{:.<digits>e}'.format(x)`: `1.2346e+04`, `-8.2600e-04`, `nan`. */
export function formatExponential(x: number, digits: number, upper = false): string {
  if (!Number.isFinite(x)) return nonFinite(x, upper);
  const r = roundScientific(x, digits);
  const mantissa = digits > 0 ? `${r.digits[0]}.${r.digits.slice(1)}` : r.digits;
  return `${isNegative(x) ? '-' : ''}${mantissa}${exponentSuffix(r.exponent, upper)}`;
}

/** Python's `%g` / `{:g}` with a given precision; `alternate` is the `#` flag (keep zeros). */
export function formatGeneral(x: number, precision: number, alternate = false, upper = false): string {
  if (!Number.isFinite(x)) return nonFinite(x, upper);
  const p = precision === 0 ? 1 : precision;
  const exponent = x === 0 ? 0 : roundScientific(x, p - 1).exponent;
  let s =
    exponent >= -4 && exponent < p
      ? formatFixed(x, p - 1 - exponent)
      : formatExponential(x, p - 1, upper);
  if (alternate) {
    if (!s.includes('.')) s = s.replace(/(?=[eE]|$)/, '.');
    return s;
  }
  const cut = s.search(/[eE]/);
  let mantissa = cut < 0 ? s : s.slice(0, cut);
  const suffix = cut < 0 ? '' : s.slice(cut);
  if (mantissa.includes('.')) mantissa = mantissa.replace(/0+$/, '').replace(/\.$/, '');
  s = mantissa + suffix;
  return s;
}

// ---------------------------------------------------------------------------------------------
// repr(float)
// ---------------------------------------------------------------------------------------------

/**
 * Python's `repr(x)` (and `str(x)`) for a float: the shortest digits that read back as x, in
 * positional form when the exponent lies in [-5, 16), otherwise `1e-05` / `1.5e+16` style.
 * Integral values keep a `.0` (`1.0`, `-0.0`); `inf`, `-inf`, `nan`.
 */
export function pyRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x, false);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument yields the shortest round-tripping digits, the same
  // digits Python's repr chooses.
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exp);
  const point = exponent + 1; // digits are 0.d1d2... · 10^point
  const sign = x < 0 ? '-' : '';
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const rest = digits.slice(1);
  return `${sign}${digits[0]}${rest ? '.' + rest : ''}${exponentSuffix(exponent, false)}`;
}

// ---------------------------------------------------------------------------------------------
// printf-style formatting: the `%` operator
// ---------------------------------------------------------------------------------------------

/** What `%s` prints for a value: Python's `str()` as closely as JavaScript values allow. */
function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    // JavaScript cannot tell 1 from 1.0: integral numbers print as Python ints.
    if (Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 53) {
      return String(value);
    }
    return pyRepr(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyReprValue).join(', ')}]`;
  return String(value);
}

/** What `%r` prints: like `%s`, with strings quoted the way Python's repr quotes them. */
function pyReprValue(value: unknown): string {
  if (typeof value !== 'string') return pyStr(value);
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of value) {
    if (ch === '\\') body += '\\\\';
    else if (ch === quote) body += '\\' + ch;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else body += ch;
  }
  return quote + body + quote;
}

function toNumber(value: unknown, conversion: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  throw new TypeError(`%${conversion} format: a real number is required, not ${typeof value}`);
}

function toInteger(value: unknown, conversion: string): bigint {
  if (typeof value === 'bigint') return value;
  const x = toNumber(value, conversion);
  if (Number.isNaN(x)) throw new RangeError('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new RangeError('cannot convert float infinity to integer');
  return BigInt(Math.trunc(x));
}

interface Spec {
  flags: string;
  width: number;
  precision: number | null;
  conversion: string;
}

/** Pads a converted value to the field width the way `%` does (`0` pads after the sign). */
function pad(body: string, spec: Spec, numeric: boolean): string {
  if (body.length >= spec.width) return body;
  if (spec.flags.includes('-')) return body.padEnd(spec.width);
  if (numeric && spec.flags.includes('0')) {
    const signLength = /^[-+ ]/.test(body) ? 1 : 0;
    return body.slice(0, signLength) + body.slice(signLength).padStart(spec.width - signLength, '0');
  }
  return body.padStart(spec.width);
}

function withSign(body: string, negative: boolean, flags: string): string {
  if (negative) return '-' + body;
  if (flags.includes('+')) return '+' + body;
  if (flags.includes(' ')) return ' ' + body;
  return body;
}

function convert(value: unknown, spec: Spec): string {
  const { flags, precision, conversion } = spec;
  switch (conversion) {
    case 'd':
    case 'i':
    case 'u': {
      const n = toInteger(value, conversion);
      const digits = (n < 0n ? -n : n).toString();
      return pad(withSign(digits, n < 0n, flags), spec, true);
    }
    case 'x':
    case 'X':
    case 'o': {
      const n = toInteger(value, conversion);
      let digits = (n < 0n ? -n : n).toString(conversion === 'o' ? 8 : 16);
      if (conversion === 'X') digits = digits.toUpperCase();
      if (flags.includes('#')) digits = (conversion === 'o' ? '0o' : conversion === 'x' ? '0x' : '0X') + digits;
      return pad(withSign(digits, n < 0n, flags), spec, true);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      const x = toNumber(value, conversion);
      const p = precision ?? 6;
      const upper = conversion === conversion.toUpperCase();
      const magnitude = Math.abs(x);
      let body: string;
      if (conversion === 'f' || conversion === 'F') {
        body = formatFixed(magnitude, p);
        if (upper) body = body.toUpperCase();
        if (flags.includes('#') && p === 0 && Number.isFinite(x)) body += '.';
      } else if (conversion === 'e' || conversion === 'E') {
        body = formatExponential(magnitude, p, upper);
        if (flags.includes('#') && p === 0 && Number.isFinite(x)) body = body.replace(/(?=[eE])/, '.');
      } else {
        body = formatGeneral(magnitude, p, flags.includes('#'), upper);
      }
      return pad(withSign(body, isNegative(x) && !Number.isNaN(x), flags), spec, true);
    }
    case 's':
    case 'r': {
      let s = conversion === 's' ? pyStr(value) : pyReprValue(value);
      if (precision !== null) s = s.slice(0, precision);
      return pad(s, spec, false);
    }
    case 'c': {
      const s = typeof value === 'string' ? value : String.fromCodePoint(Number(toInteger(value, 'c')));
      return pad(s, spec, false);
    }
    default:
      throw new SyntaxError(`unsupported format character '${conversion}'`);
  }
}

/**
 * Python's `fmt % args`: `pyFormat('Epoch %d, Loss %f', epoch, loss)` prints like
 * `'Epoch %d, Loss %f' % (epoch, loss)`. Supports the flags `-+ #0`, width, precision (`*` takes
 * them from the arguments) and the conversions `d i u x X o f F e E g G s r c %`.
 * Numbers round like Python's (exact binary value, ties to even). For `%s`, an integral JS number
 * prints as a Python int would (`3`, not `3.0`), anything else as Python's `str(float)`;
 * booleans print `True`/`False`, objects through their `toString()`.
 */
export function pyFormat(fmt: string, ...args: unknown[]): string {
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw new TypeError('not enough arguments for format string');
    return args[next++];
  };
  const pattern = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])?/g;
  let out = '';
  let last = 0;
  for (let m = pattern.exec(fmt); m !== null; m = pattern.exec(fmt)) {
    out += fmt.slice(last, m.index);
    last = pattern.lastIndex;
    const [, flags = '', widthText, precisionText, conversion] = m;
    if (conversion === undefined) throw new SyntaxError('incomplete format');
    if (conversion === '%') {
      out += '%';
      continue;
    }
    let width = 0;
    let leftAlign = flags.includes('-');
    if (widthText === '*') {
      width = Number(toInteger(take(), 'd'));
      if (width < 0) {
        leftAlign = true;
        width = -width;
      }
    } else if (widthText !== undefined) {
      width = Number(widthText);
    }
    let precision: number | null = null;
    if (precisionText === '*') precision = Math.max(0, Number(toInteger(take(), 'd')));
    else if (precisionText !== undefined) precision = precisionText === '' ? 0 : Number(precisionText);
    const spec: Spec = { flags: leftAlign && !flags.includes('-') ? flags + '-' : flags, width, precision, conversion };
    out += convert(take(), spec);
  }
  if (next < args.length) throw new TypeError('not all arguments converted during string formatting');
  return out + fmt.slice(last);
}
