/**
 * Where matplotlib puts things on a figure, in points from its top-left corner: each Axes' box
 * (from its position in figure fractions), its ticks and tick labels, the offset texts, the axis
 * labels (labelpad beyond the tick labels), the titles (titlepad above the axes) and the legend
 * (its size from the font and legend.* rcParams, its place from `loc` or, for 'best', the place
 * that covers the fewest data points and lines, as matplotlib chooses it).
 */
import type { AxesDescription, DrawingParams, FigureDescription, LegendDescription, LegendEntry } from './description.js';
import type { FontMetrics } from './font.js';
import { axisTicks } from './ticks.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line of text placed at its origin (baseline start), rotated by `angle` degrees (-90: upwards). */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  color: string;
  alpha: number;
  angle: 0 | -90;
  /** The ink-and-line box matplotlib aligns: [x0, y0, x1, y1]. */
  bounds: [number, number, number, number];
}

export interface Tick {
  value: number;
  /** Position along the axis, in figure points. */
  at: number;
  label: PlacedText;
}

export interface LegendRow {
  entry: LegendEntry;
  /** Handle line from x0 to x1 at y; marker centre at (markerX, markerY). */
  handle: { x0: number; x1: number; y: number; markerX: number; markerY: number };
  label: PlacedText;
}

export interface LegendLayout {
  box: Box;
  rows: LegendRow[];
  description: LegendDescription;
}

export interface AxesLayout {
  box: Box;
  xticks: Tick[];
  yticks: Tick[];
  xoffset: PlacedText | null;
  yoffset: PlacedText | null;
  xlabel: PlacedText | null;
  ylabel: PlacedText | null;
  titles: PlacedText[];
  legend: LegendLayout | null;
}

export interface FigureLayout {
  /** Figure size in points. */
  width: number;
  height: number;
  axes: AxesLayout[];
}

/** matplotlib's OFFSETTEXTPAD, in points. */
const OFFSET_TEXT_PAD = 3;

type VAlign = 'top' | 'bottom' | 'baseline' | 'center_baseline';
type HAlign = 'left' | 'center' | 'right';

/**
 * A text aligned as matplotlib aligns it: horizontally by its ink, vertically by a line box as
 * high as the ink of the text or of "lp", whichever is taller.
 */
export function placeText(
  font: FontMetrics,
  text: string,
  size: number,
  anchor: { x: number; y: number },
  align: { h: HAlign; v: VAlign },
  style: { color: string; alpha: number },
  rotated = false,
): PlacedText {
  const m = font.measure(text, size);
  const lpAscent = font.ascent * size;
  const lpDescent = font.descent * size;
  const height = Math.max(m.ascent + m.descent, lpAscent + lpDescent);
  const descent = Math.max(m.descent, lpDescent);
  const ascent = height - descent;
  // In the text's own frame: the ink runs from `m.left` to `m.left + m.width` along the baseline.
  const along = align.h === 'left' ? 0 : align.h === 'center' ? m.width / 2 : m.width;
  const up = align.v === 'top' ? ascent : align.v === 'bottom' ? -descent : align.v === 'center_baseline' ? ascent / 2 : 0;
  if (!rotated) {
    const x = anchor.x - along - m.left;
    const y = anchor.y + up;
    return { text, x, y, size, ...style, angle: 0, bounds: [x + m.left, y - ascent, x + m.left + m.width, y + descent] };
  }
  // Rotated 90° anticlockwise about the anchor ('anchor' rotation mode): the text reads upwards.
  const x = anchor.x + up;
  const y = anchor.y + along + m.left;
  return { text, x, y, size, ...style, angle: -90, bounds: [x - ascent, y - m.left - m.width, x + descent, y - m.left] };
}

function union(boxes: [number, number, number, number][]): [number, number, number, number] | null {
  if (boxes.length === 0) return null;
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

/** Maps data values to figure points along one axis. */
export function axisMap(lim: readonly [number, number], start: number, length: number, flip: boolean): (v: number) => number {
  const [a, b] = lim;
  return flip ? (v) => start + length - ((v - a) / (b - a)) * length : (v) => start + ((v - a) / (b - a)) * length;
}

export function layoutFigure(figure: FigureDescription, font: FontMetrics): FigureLayout {
  const width = figure.size[0] * 72;
  const height = figure.size[1] * 72;
  return { width, height, axes: figure.axes.map((ax) => layoutAxes(ax, figure.rc, font, width, height)) };
}

function layoutAxes(ax: AxesDescription, rc: DrawingParams, font: FontMetrics, figWidth: number, figHeight: number): AxesLayout {
  const [left, bottom, w, h] = ax.position;
  const box: Box = { x: left * figWidth, y: (1 - bottom - h) * figHeight, width: w * figWidth, height: h * figHeight };
  const mapX = axisMap(ax.xlim, box.x, box.width, false);
  const mapY = axisMap(ax.ylim, box.y, box.height, true);
  const formatter = { powerLimits: rc['axes.formatter.limits'], offsetThreshold: rc['axes.formatter.offset_threshold'], unicodeMinus: rc['axes.unicode_minus'] };
  const tickColor = (which: 'x' | 'y') => ({ color: rc[`${which}tick.color`], alpha: 1 });

  // x ticks below the axes, labels centred under them
  const xs = axisTicks({ view: ax.xlim, lengthPt: box.width, labelSize: rc['xtick.labelsize'], direction: 'x' }, formatter);
  const xLabelTop = box.y + box.height + rc['xtick.major.size'] + rc['xtick.major.pad'];
  const xticks = xs.ticks.map((value, i) => {
    const at = mapX(value);
    return { value, at, label: placeText(font, xs.labels[i]!, rc['xtick.labelsize'], { x: at, y: xLabelTop }, { h: 'center', v: 'top' }, tickColor('x')) };
  });
  // y ticks left of the axes, labels right-aligned and centred on their baseline's half
  const ys = axisTicks({ view: ax.ylim, lengthPt: box.height, labelSize: rc['ytick.labelsize'], direction: 'y' }, formatter);
  const yLabelRight = box.x - rc['ytick.major.size'] - rc['ytick.major.pad'];
  const yticks = ys.ticks.map((value, i) => {
    const at = mapY(value);
    return { value, at, label: placeText(font, ys.labels[i]!, rc['ytick.labelsize'], { x: yLabelRight, y: at }, { h: 'right', v: 'center_baseline' }, tickColor('y')) };
  });

  const xLabelBoxes = union([...xticks.map((t) => t.label.bounds), [box.x, box.y + box.height, box.x + box.width, box.y + box.height]])!;
  const yLabelBoxes = union([...yticks.map((t) => t.label.bounds), [box.x, box.y, box.x, box.y + box.height]])!;
  const xoffset = xs.offset
    ? placeText(font, xs.offset, rc['xtick.labelsize'], { x: box.x + box.width, y: (xticks.length ? xLabelBoxes[3] : box.y + box.height) + OFFSET_TEXT_PAD }, { h: 'right', v: 'top' }, tickColor('x'))
    : null;
  const yoffset = ys.offset
    ? placeText(font, ys.offset, rc['ytick.labelsize'], { x: box.x, y: box.y - OFFSET_TEXT_PAD }, { h: 'left', v: 'baseline' }, tickColor('y'))
    : null;

  const xlabel = ax.xlabel
    ? placeText(font, ax.xlabel.text, ax.xlabel.fontsize, { x: box.x + box.width / 2, y: xLabelBoxes[3] + ax.xlabelpad }, { h: 'center', v: 'top' }, ax.xlabel)
    : null;
  const ylabel = ax.ylabel
    ? placeText(font, ax.ylabel.text, ax.ylabel.fontsize, { x: yLabelBoxes[0] - ax.ylabelpad, y: box.y + box.height / 2 }, { h: 'center', v: 'bottom' }, ax.ylabel, true)
    : null;

  const titles: PlacedText[] = [];
  for (const [loc, t] of Object.entries(ax.titles)) {
    if (!t) continue;
    const x = loc === 'left' ? box.x : loc === 'right' ? box.x + box.width : box.x + box.width / 2;
    const h = (loc === 'left' ? 'left' : loc === 'right' ? 'right' : 'center') as HAlign;
    let title = placeText(font, t.text, t.fontsize, { x, y: box.y - ax.titlepad }, { h, v: 'baseline' }, t);
    // matplotlib lifts the titles above the y offset text ("1e6") when they would overlap
    if (yoffset && overlaps(title.bounds, yoffset.bounds)) {
      title = placeText(font, t.text, t.fontsize, { x, y: yoffset.bounds[1] - ax.titlepad }, { h, v: 'baseline' }, t);
    }
    titles.push(title);
  }

  const legend = ax.legend && ax.legend.entries.length > 0 ? layoutLegend(ax, box, rc, font, mapX, mapY) : null;
  return { box, xticks, yticks, xoffset, yoffset, xlabel, ylabel, titles, legend };
}

/**
 * The box of everything drawn (axes, tick labels, labels, titles, legends) as [x0, y0, x1, y1] in
 * points: what savefig(bbox_inches='tight') crops to, before its padding (matplotlib's
 * Figure.get_tightbbox).
 */
export function tightBounds(layout: FigureLayout): [number, number, number, number] {
  const boxes: [number, number, number, number][] = [];
  for (const ax of layout.axes) {
    const b = ax.box;
    boxes.push([b.x, b.y, b.x + b.width, b.y + b.height]);
    const texts = [...ax.xticks.map((t) => t.label), ...ax.yticks.map((t) => t.label), ax.xoffset, ax.yoffset, ax.xlabel, ax.ylabel, ...ax.titles];
    for (const t of texts) if (t && t.text) boxes.push(t.bounds);
    if (ax.legend) {
      const l = ax.legend.box;
      boxes.push([l.x, l.y, l.x + l.width, l.y + l.height]);
    }
  }
  return union(boxes) ?? [0, 0, layout.width, layout.height];
}

function overlaps(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

// ---------------------------------------------------------------- the legend

/** Anchors of matplotlib's location codes 1–10 as (fraction across, fraction down). */
const ANCHORS: Record<number, [number, number]> = {
  1: [1, 0], 2: [0, 0], 3: [0, 1], 4: [1, 1], 5: [1, 0.5], 6: [0, 0.5], 7: [1, 0.5], 8: [0.5, 1], 9: [0.5, 0], 10: [0.5, 0.5],
};

function layoutLegend(
  ax: AxesDescription,
  axes: Box,
  rc: DrawingParams,
  font: FontMetrics,
  mapX: (v: number) => number,
  mapY: (v: number) => number,
): LegendLayout {
  const legend = ax.legend!;
  const fs = legend.fontsize;
  const pad = rc['legend.borderpad'] * fs;
  const handleLength = rc['legend.handlelength'] * fs;
  const handleHeight = rc['legend.handleheight'] * fs;
  const textPad = rc['legend.handletextpad'] * fs;
  const spacing = rc['legend.labelspacing'] * fs;
  const textStyle = { color: rc['text.color'], alpha: 1 };

  // Each row: the handle box (its bottom on the text's baseline) beside the label.
  const rows = legend.entries.map((entry) => {
    const label = placeText(font, entry.label, fs, { x: 0, y: 0 }, { h: 'left', v: 'baseline' }, textStyle);
    const ascent = Math.max(handleHeight, -label.bounds[1]);
    const descent = Math.max(0, label.bounds[3]);
    return { entry, label, ascent, descent, width: label.bounds[2] - label.bounds[0] };
  });
  const width = 2 * pad + handleLength + textPad + Math.max(...rows.map((r) => r.width));
  const height = 2 * pad + rows.reduce((sum, r) => sum + r.ascent + r.descent, 0) + spacing * (rows.length - 1);

  const inner = { x: axes.x + rc['legend.borderaxespad'] * fs, y: axes.y + rc['legend.borderaxespad'] * fs };
  const room = { width: axes.width - 2 * rc['legend.borderaxespad'] * fs, height: axes.height - 2 * rc['legend.borderaxespad'] * fs };
  const at = (code: number): Box => {
    const [fx, fy] = ANCHORS[code]!;
    return { x: inner.x + fx * (room.width - width), y: inner.y + fy * (room.height - height), width, height };
  };
  const box = legend.loc === 0 ? bestPlace(ax, at, mapX, mapY) : at(legend.loc);

  let top = box.y + pad;
  const placed = rows.map((r) => {
    const baseline = top + r.ascent;
    top = baseline + r.descent + spacing;
    const x0 = box.x + pad;
    const label = placeText(font, r.entry.label, fs, { x: x0 + handleLength + textPad, y: baseline }, { h: 'left', v: 'baseline' }, textStyle);
    // Lines are drawn across the handle box's middle; a scatter's marker sits at 3/8 of the
    // scatter y-offsets' range above the middle (matplotlib's default scatteryoffsets).
    const lineY = baseline - handleHeight / 2;
    const markerY = r.entry.kind === 'scatter' ? baseline - handleHeight * (0.5 * 0.375 + 0.5) : lineY;
    return { entry: r.entry, label, handle: { x0, x1: x0 + handleLength, y: lineY, markerX: x0 + handleLength / 2, markerY } };
  });
  return { box, rows: placed, description: legend };
}

/** matplotlib's 'best': the first of locations 1–10 that covers the fewest data points and lines. */
function bestPlace(ax: AxesDescription, at: (code: number) => Box, mapX: (v: number) => number, mapY: (v: number) => number): Box {
  const lines: [number, number][][] = [];
  const points: [number, number][] = [];
  for (const a of ax.artists) {
    const pts: [number, number][] = a.x.map((x, i) => {
      const y = a.y[i];
      return x === null || y === null ? [NaN, NaN] : [mapX(x), mapY(y)];
    });
    if (a.kind === 'line') lines.push(pts);
    else points.push(...pts);
  }
  let best: { badness: number; box: Box } | null = null;
  for (let code = 1; code <= 10; code++) {
    const box = at(code);
    const inside = (p: [number, number]) => box.x < p[0] && p[0] < box.x + box.width && box.y < p[1] && p[1] < box.y + box.height;
    let badness = 0;
    for (const line of lines) badness += line.filter(inside).length;
    badness += points.filter(inside).length;
    for (const line of lines) if (pathCrosses(line, box)) badness += 1;
    if (badness === 0) return box;
    if (best === null || badness < best.badness) best = { badness, box };
  }
  return best!.box;
}

/** Whether a polyline enters a rectangle (a vertex inside, or a segment crossing an edge). */
function pathCrosses(points: [number, number][], box: Box): boolean {
  const x0 = box.x;
  const y0 = box.y;
  const x1 = box.x + box.width;
  const y1 = box.y + box.height;
  const inside = (p: [number, number]) => x0 <= p[0] && p[0] <= x1 && y0 <= p[1] && p[1] <= y1;
  const edges: [[number, number], [number, number]][] = [
    [[x0, y0], [x1, y0]], [[x1, y0], [x1, y1]], [[x1, y1], [x0, y1]], [[x0, y1], [x0, y0]],
  ];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (Number.isNaN(p[0])) continue;
    if (inside(p)) return true;
    const q = points[i + 1];
    if (!q || Number.isNaN(q[0])) continue;
    if (edges.some(([a, b]) => segmentsCross(p, q, a, b))) return true;
  }
  return false;
}

function segmentsCross(p: [number, number], q: [number, number], a: [number, number], b: [number, number]): boolean {
  const cross = (o: [number, number], u: [number, number], v: [number, number]) => (u[0] - o[0]) * (v[1] - o[1]) - (u[1] - o[1]) * (v[0] - o[0]);
  const d1 = cross(a, b, p);
  const d2 = cross(a, b, q);
  const d3 = cross(p, q, a);
  const d4 = cross(p, q, b);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}
