/**
 * What the gutter shows for a probed line, as pure functions: the after-line text
 * (`loss 2.927647 ▼ ×5000`), the sparkline SVG of the line's history (gutter icon and hover),
 * and the hover's Markdown. No vscode here: src/extension/gutter.ts turns these into decorations.
 */
import type { ProbeSnapshot } from '../runner/protocol.js';

/** A probed value as the gutter prints it: integers whole, others to 7 significant digits. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(4);
  return String(Number(value.toPrecision(7)));
}

export type Trend = 'down' | 'up' | 'flat' | 'none';

/** Whether the value went down or up since the hit before (as the history shows it). */
export function trendOf(probe: Pick<ProbeSnapshot, 'hits' | 'history' | 'last'>): Trend {
  if (probe.hits < 2 || probe.history.length === 0) return 'none';
  const h = probe.history;
  // history[-1] may be the last value itself; compare with the one before it then.
  const prev = h.length >= 2 && h[h.length - 1] === probe.last ? h[h.length - 2]! : h[h.length - 1]!;
  if (!Number.isFinite(prev) || !Number.isFinite(probe.last)) return 'none';
  return probe.last < prev ? 'down' : probe.last > prev ? 'up' : 'flat';
}

export const TREND_ARROW: Record<Trend, string> = { down: '▼', up: '▲', flat: '=', none: '' };

/** `loss 2.927647 ▼ ×5000`; a stale line (file edited since) ends with ` (stale)`. */
export function gutterText(probe: Pick<ProbeSnapshot, 'name' | 'hits' | 'history' | 'last'>, stale = false): string {
  const parts = [probe.name, formatValue(probe.last)];
  const arrow = TREND_ARROW[trendOf(probe)];
  if (arrow) parts.push(arrow);
  if (probe.hits > 1) parts.push(`×${probe.hits}`);
  return parts.join(' ') + (stale ? ' (stale)' : '');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A sparkline of `values` as a standalone SVG: a polyline scaled to the box (non-finite values
 * break the line), a dot on the last value. At most `maxPoints` points are drawn (min-max per
 * column). Constant series draw a flat line in the middle.
 */
export function sparklineSvg(values: readonly number[], options: { width?: number; height?: number; color?: string; strokeWidth?: number; maxPoints?: number } = {}): string {
  const width = options.width ?? 16;
  const height = options.height ?? 16;
  const color = escapeXml(options.color ?? '#3794ff');
  const sw = options.strokeWidth ?? 1.5;
  const max = options.maxPoints ?? Math.max(2, Math.floor(width * 2));
  const finite = values.filter(Number.isFinite);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`;
  if (finite.length === 0) return `${head}</svg>`;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const step = values.length > max ? values.length / max : 1;
  const picked: { i: number; v: number }[] = [];
  for (let k = 0; k * step < values.length; k++) {
    const i = Math.min(values.length - 1, Math.floor(k * step));
    picked.push({ i, v: values[i]! });
  }
  if (picked[picked.length - 1]!.i !== values.length - 1) picked.push({ i: values.length - 1, v: values[values.length - 1]! });
  const pad = sw;
  const n = Math.max(1, values.length - 1);
  const px = (i: number) => pad + (i / n) * (width - 2 * pad);
  const py = (v: number) => height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad);
  const segments: string[] = [];
  let current: string[] = [];
  for (const { i, v } of picked) {
    if (!Number.isFinite(v)) {
      if (current.length) segments.push(current.join(' '));
      current = [];
      continue;
    }
    current.push(`${px(i).toFixed(2)},${py(v).toFixed(2)}`);
  }
  if (current.length) segments.push(current.join(' '));
  const lines = segments
    .map((pts) => `<polyline fill="none" stroke="${color}" stroke-width="${sw}" stroke-linejoin="round" stroke-linecap="round" points="${pts}"/>`)
    .join('');
  const lastV = values[values.length - 1]!;
  const dot = Number.isFinite(lastV) ? `<circle cx="${px(values.length - 1).toFixed(2)}" cy="${py(lastV).toFixed(2)}" r="${(sw * 1.2).toFixed(2)}" fill="${color}"/>` : '';
  return `${head}${lines}${dot}</svg>`;
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${base64(svg)}`;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The hover: the line's name, a larger sparkline, first / min / last and the hit count. */
export function hoverMarkdown(probe: ProbeSnapshot, options: { color?: string; stale?: boolean } = {}): string {
  const img = svgDataUri(sparklineSvg(probe.history, { width: 240, height: 60, color: options.color ?? '#3794ff', strokeWidth: 2, maxPoints: 480 }));
  const lines = [
    `**${probe.name}** (line ${probe.line})${options.stale ? ' — *stale: the file changed since this run*' : ''}`,
    '',
    `![history of ${probe.name}](${img})`,
    '',
    `first \`${formatValue(probe.first)}\` · min \`${formatValue(probe.min)}\` · last \`${formatValue(probe.last)}\` · ${probe.hits} ${probe.hits === 1 ? 'hit' : 'hits'}`,
  ];
  return lines.join('\n');
}

/**
 * Runs `fn` at most once per `intervalMs` with the latest arguments (leading and trailing),
 * for the ≤ 4 updates/s rule of the gutter. `cancel` drops a pending call.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, intervalMs: number, now: () => number = Date.now) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: A | null = null;
  const fire = () => {
    timer = null;
    if (!pending) return;
    const args = pending;
    pending = null;
    last = now();
    fn(...args);
  };
  const call = (...args: A) => {
    pending = args;
    const wait = last + intervalMs - now();
    if (wait <= 0 && !timer) fire();
    else if (!timer) timer = setTimeout(fire, Math.max(0, wait));
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = null;
  };
  call.flush = () => {
    if (timer) clearTimeout(timer);
    fire();
  };
  return call;
}
