/**
 * What the gutter shows for a probed line, as pure functions: the after-line text
 * (`loss 2.927647 ▼ ×5000`, shorter when the line leaves less room), the sparkline SVG of the
 * line's history (gutter icon and hover), and the hover's Markdown. No vscode here:
 * src/extension/gutter.ts turns these into decorations.
 */
import type { ProbeSnapshot } from '../protocol/run-events.js';
import { formatValue } from '../protocol/number-format.js';
import { TREND_MARK, TREND_WORDS, trendOf, type Trend } from '../series/trend.js';

/**
 * The value a probe had at the hit before its last one, exactly: the snapshot's `previous`, or
 * the history's entry for that hit when the history still holds every hit. Null otherwise: a
 * decimated history's last entries lie further back, and comparing with them made the gutter
 * disagree with the status bar on the same loss.
 */
export function previousValue(probe: Pick<ProbeSnapshot, 'hits' | 'history' | 'historyStep' | 'previous'>): number | null {
  if (probe.hits < 2) return null;
  if (typeof probe.previous === 'number') return probe.previous;
  // history[i] is the value at hit 1 + i * historyStep.
  const i = (probe.hits - 2) / Math.max(1, probe.historyStep);
  return Number.isInteger(i) && i < probe.history.length ? probe.history[i]! : null;
}

/** The probe's trend by the one rule (series/trend.ts). */
export function probeTrend(probe: Pick<ProbeSnapshot, 'hits' | 'history' | 'historyStep' | 'previous' | 'last'>): Trend | null {
  return trendOf(previousValue(probe), probe.last);
}

type GutterProbe = Pick<ProbeSnapshot, 'name' | 'hits' | 'history' | 'historyStep' | 'previous' | 'last'>;

/** The variants of a probe's after-line text, longest first: with its name, with its hit count, and the value with its trend. */
export function gutterTexts(probe: GutterProbe, options: { nameOnLine?: boolean } = {}): string[] {
  const trend = probeTrend(probe);
  const core = [formatValue(probe.last), ...(trend ? [TREND_MARK[trend]] : [])].join(' ');
  const hits = probe.hits > 1 ? ` ×${probe.hits}` : '';
  const variants = [`${probe.name} ${core}${hits}`, `${core}${hits}`, core];
  // The line itself shows the name (`const loss = …`): the text need not repeat it.
  return [...new Set(options.nameOnLine ? variants.slice(1) : variants)];
}

/**
 * The after-line text that fits: the longest variant of each probe on the line (joined by three
 * spaces) within `columns` characters, else the shortest ones, which always show. A stale line
 * (file edited since) ends with ` (stale)`.
 */
export function gutterText(probes: readonly GutterProbe[], options: { columns?: number; nameOnLine?: (name: string) => boolean; stale?: boolean } = {}): string {
  const suffix = options.stale ? ' (stale)' : '';
  const all = probes.map((p) => gutterTexts(p, { nameOnLine: probes.length === 1 && (options.nameOnLine?.(p.name) ?? false) }));
  const depth = Math.max(...all.map((v) => v.length));
  for (let level = 0; level < depth; level++) {
    const text = all.map((v) => v[Math.min(level, v.length - 1)]!).join('   ') + suffix;
    if (options.columns === undefined || text.length <= options.columns || level === depth - 1) return text;
  }
  return '';
}

/** Whether a line of source assigns (or declares) `name`, so its annotation need not repeat it. */
export function lineNames(lineText: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$.])${escaped}\\s*(:[^=]*)?=(?!=)`).test(lineText);
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
  const trend = probeTrend(probe);
  const previous = previousValue(probe);
  if (trend && previous !== null) lines.push('', `${trend === 'flat' ? '' : `${TREND_MARK[trend]} `}${TREND_WORDS[trend]}: \`${formatValue(previous)}\` → \`${formatValue(probe.last)}\``);
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

// ------------------------------------------------------------------ gutter icon sparklines

/**
 * A gutter icon is fixed per decoration type, and decoration types are created once and reused.
 * So the per-line sparkline in the gutter is drawn from a coarse shape: the history cut into
 * `points` buckets, each bucket's mean scaled to one of `levels` heights. Lines with the same
 * shape share one decoration type; there are few distinct shapes in practice (a falling loss,
 * a flat counter), and a 16-pixel icon cannot show more detail than this anyway.
 */
export interface SparkShape {
  /** Per bucket: a level 0 (lowest) … levels − 1 (highest), or null where no value was finite. */
  levels: (number | null)[];
  levelCount: number;
}

export const GUTTER_SHAPE_POINTS = 8;
export const GUTTER_SHAPE_LEVELS = 6;

export function quantizeSparkline(values: readonly number[], points = GUTTER_SHAPE_POINTS, levelCount = GUTTER_SHAPE_LEVELS): SparkShape {
  const n = Math.min(points, values.length);
  const means: (number | null)[] = [];
  for (let k = 0; k < n; k++) {
    const start = Math.floor((k * values.length) / n);
    const end = Math.floor(((k + 1) * values.length) / n);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    means.push(count > 0 ? sum / count : null);
  }
  const finite = means.filter((m): m is number => m !== null);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const top = levelCount - 1;
  const levels = means.map((m) => {
    if (m === null) return null;
    // A constant series sits in the middle, as the larger sparkline draws it.
    if (hi === lo) return Math.floor(top / 2);
    return Math.round(((m - lo) / (hi - lo)) * top);
  });
  return { levels, levelCount };
}

/** One key per distinct icon: the shape and whether it is drawn live or stale. */
export function sparkShapeKey(shape: SparkShape, stale: boolean): string {
  return `${stale ? 'stale' : 'live'}:${shape.levelCount}:${shape.levels.map((l) => (l === null ? 'x' : String(l))).join('')}`;
}

/**
 * The gutter icon of a shape: a 16×16 polyline (gaps where a bucket had no finite value) with a
 * dot on the newest value. A single value is just the dot.
 */
export function shapeSvg(shape: SparkShape, color: string): string {
  const size = 16;
  const pad = 2;
  const c = escapeXml(color);
  const n = shape.levels.length;
  const top = Math.max(1, shape.levelCount - 1);
  const px = (i: number) => (n === 1 ? size / 2 : pad + (i / (n - 1)) * (size - 2 * pad));
  const py = (level: number) => size - pad - (level / top) * (size - 2 * pad);
  const segments: string[] = [];
  let current: string[] = [];
  shape.levels.forEach((level, i) => {
    if (level === null) {
      if (current.length > 1) segments.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${px(i).toFixed(1)},${py(level).toFixed(1)}`);
  });
  if (current.length > 1) segments.push(current.join(' '));
  const lines = segments.map((pts) => `<polyline fill="none" stroke="${c}" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round" points="${pts}"/>`).join('');
  const last = shape.levels[n - 1];
  const dot = last === null || last === undefined ? '' : `<circle cx="${px(n - 1).toFixed(1)}" cy="${py(last).toFixed(1)}" r="1.8" fill="${c}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${lines}${dot}</svg>`;
}

/**
 * A bounded cache of things created once per key and disposed when dropped (the gutter's
 * decoration types, one per sparkline shape). `acquire` hands out the values a render needs:
 * missing ones are created, and when the cache is full the least recently used value that this
 * render does not need is disposed to make room. When every cached value is needed, the extra
 * keys get null (the caller draws a plain icon for them) rather than evicting a value in use.
 */
export class LruDisposableCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    readonly capacity: number,
    private readonly create: (key: string) => V,
    private readonly dispose: (value: V) => void,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`LruDisposableCache capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Cached values, least recently used first. */
  values(): V[] {
    return [...this.entries.values()];
  }

  acquire(keys: Iterable<string>): Map<string, V | null> {
    const wanted = [...new Set(keys)];
    const needed = new Set(wanted);
    const out = new Map<string, V | null>();
    for (const key of wanted) {
      const hit = this.entries.get(key);
      if (hit === undefined) continue;
      // Map order is insertion order: re-inserting marks the key most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      out.set(key, hit);
    }
    for (const key of wanted) {
      if (out.has(key)) continue;
      if (this.entries.size >= this.capacity && !this.evictOneExcept(needed)) {
        out.set(key, null);
        continue;
      }
      const value = this.create(key);
      this.entries.set(key, value);
      out.set(key, value);
    }
    return out;
  }

  private evictOneExcept(keep: ReadonlySet<string>): boolean {
    for (const [key, value] of this.entries) {
      if (keep.has(key)) continue;
      this.entries.delete(key);
      this.dispose(value);
      return true;
    }
    return false;
  }

  clear(): void {
    const values = [...this.entries.values()];
    this.entries.clear();
    for (const v of values) this.dispose(v);
  }
}

/** One text change of a document, in 1-based lines: lines `startLine..endLine` became `newLineCount` lines. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  newLineCount: number;
}

/**
 * Where a probed line is after an edit, so a stale annotation stays on the line it described:
 * lines above the edit stay, lines below move by the change in line count, and a line inside a
 * multi-line replaced range is gone (null). The first line of the edit keeps its annotation.
 */
export function lineAfterEdit(line: number, edit: LineEdit): number | null {
  if (line < edit.startLine) return line;
  if (line > edit.endLine) return line + (edit.newLineCount - (edit.endLine - edit.startLine + 1));
  return line === edit.startLine ? line : null;
}
