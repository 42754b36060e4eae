/** A run's loss curves as CSV: the one export format, written from every point. */
import type { Point } from './columns.js';

/** Curves as CSV (`step,<series…>`, one row per step, empty where a series has no point). */
export function curvesToCsv(series: ReadonlyMap<string, readonly Point[]>): string {
  const names = [...series.keys()];
  const rows = new Map<number, (number | undefined)[]>();
  names.forEach((name, col) => {
    for (const p of series.get(name)!) {
      let row = rows.get(p.x);
      if (!row) rows.set(p.x, (row = new Array<number | undefined>(names.length)));
      row[col] = p.y;
    }
  });
  const field = (t: string) => (/[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
  const lines = [['step', ...names].map(field).join(',')];
  for (const x of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(x)!;
    lines.push([String(x), ...names.map((_, i) => (row[i] === undefined ? '' : String(row[i])))].join(','));
  }
  return lines.join('\n') + '\n';
}
