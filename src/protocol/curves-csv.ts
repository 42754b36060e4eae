/**
 * A run's loss curves as CSV: the one export format, written from every point (the panel's
 * Export CSV, Export Run…, `autograd-lab runs export`), every digit kept (number-format.ts).
 */
import type { SeriesColumns } from '../series/columns.js';
import { formatExact } from './number-format.js';

/** A CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The curves as CSV: a header `step,<series…>` (series in the map's order), then one row per
 * step in ascending order, an empty cell where a series has no point at that step (the last
 * point wins where a series has two at one step). Lines end with `\n`.
 */
export function curvesToCsv(series: ReadonlyMap<string, SeriesColumns>): string {
  const names = [...series.keys()];
  const rows = new Map<number, (number | undefined)[]>();
  names.forEach((name, column) => {
    const { steps, values } = series.get(name)!;
    for (let i = 0; i < steps.length; i++) {
      let row = rows.get(steps[i]!);
      if (!row) rows.set(steps[i]!, (row = new Array<number | undefined>(names.length)));
      row[column] = values[i];
    }
  });
  const lines = [['step', ...names].map(csvField).join(',')];
  for (const step of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(step)!;
    const cells = [formatExact(step)];
    for (let i = 0; i < names.length; i++) cells.push(row[i] === undefined ? '' : formatExact(row[i]!));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
