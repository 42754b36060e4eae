/**
 * How a number crosses JSON, on every wire: the script process's event pipe, run records,
 * `--json` output, exported JSON, and the messages to the webview panel.
 *
 * JSON has no NaN or Infinity, and a loss that became NaN is exactly what a learner needs to
 * see. So a non-finite number is written as the string "NaN", "Infinity" or "-Infinity"
 * (encodeJson), and read back where a number belongs (decodeNumber; a null there, as plain
 * JSON.stringify writes NaN, also reads as NaN). Which fields are numbers is declared next to
 * each message's type: run-events.ts, script-process.ts, panel-messages.ts.
 */

/** A number as JSON carries it. */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export function encodeNumber(value: number): WireNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN; // 'NaN', null, anything else
}

function replaceNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? encodeNumber(value) : value;
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasNonFinite(value[i])) return true;
    return false;
  }
  for (const key in value) if (hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** A value as JSON text, non-finite numbers spelled as strings; `indent` as JSON.stringify's. */
export function encodeJson(value: unknown, indent?: number): string {
  // A replacer makes JSON.stringify about 3x slower; most messages have nothing to replace.
  return hasNonFinite(value) ? JSON.stringify(value, replaceNonFinite, indent) : JSON.stringify(value, null, indent);
}

/** Restores, in place, the numbers of an array read from JSON. */
export function decodeNumbers(values: unknown): void {
  if (!Array.isArray(values)) return;
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'number') values[i] = decodeNumber(values[i]);
}

/** Restores, in place, the numbers in the named fields of an object read from JSON. */
export function decodeFields(obj: unknown, fields: readonly string[]): void {
  if (obj === null || typeof obj !== 'object') return;
  const rec = obj as Record<string, unknown>;
  for (const f of fields) if (f in rec && typeof rec[f] !== 'number') rec[f] = decodeNumber(rec[f]);
}
