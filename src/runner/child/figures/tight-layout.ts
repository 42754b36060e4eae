/**
 * tight_layout(): the subplot parameters (left, right, bottom, top, wspace, hspace) that make
 * room for each subplot's tick labels, axis labels, titles and legend, computed as matplotlib's
 * tight-layout engine does from the current layout. Python applies them with subplots_adjust().
 * Axis labels and titles count only across their reading direction (matplotlib collapses their
 * length to a pixel: a long title never widens the margins).
 */
import type { FigureDescription } from './description.js';
import type { FigureLayout } from './layout.js';

export interface TightLayoutOptions {
  /** Padding around the figure edge, in font sizes. */
  pad: number;
  /** Padding between subplots, in font sizes (default: pad). */
  hPad: number | null;
  wPad: number | null;
  /** rcParams['font.size'], in points. */
  fontSize: number;
}

export type SubplotParams = { left: number; right: number; bottom: number; top: number; wspace?: number; hspace?: number };

export type TightLayoutResult = { params: SubplotParams } | { warning: string };

type Bounds = [number, number, number, number];

export function tightLayoutParams(figure: FigureDescription, layout: FigureLayout, options: TightLayoutOptions): TightLayoutResult | null {
  const specs = figure.axes.map((ax) => ax.subplotspec);
  if (specs.length === 0 || specs.some((s) => s === null)) return null;
  const [rows, cols] = specs[0]!;
  const [widthIn, heightIn] = figure.size;
  const W = widthIn * 72;
  const H = heightIn * 72;
  const pixel = 72 / figure.dpi;
  const fontInch = options.fontSize / 72;
  const padInch = options.pad * fontInch;
  const vpadInch = options.hPad === null ? padInch : options.hPad * fontInch;
  const hpadInch = options.wPad === null ? padInch : options.wPad * fontInch;

  const hspaces = Array.from({ length: rows }, () => new Array<number>(cols + 1).fill(0));
  const vspaces = Array.from({ length: rows + 1 }, () => new Array<number>(cols).fill(0));
  layout.axes.forEach((ax, i) => {
    const [, , index] = specs[i]!;
    const row = Math.floor((index - 1) / cols);
    const col = (index - 1) % cols;
    const b = ax.box;
    const boxes: Bounds[] = [[b.x, b.y, b.x + b.width, b.y + b.height]];
    for (const t of [...ax.xticks.map((t) => t.label), ...ax.yticks.map((t) => t.label), ax.xoffset, ax.yoffset]) if (t && t.text) boxes.push(t.bounds);
    const along = (t: Bounds, horizontal: boolean): Bounds => {
      if (horizontal) {
        const x = (t[0] + t[2]) / 2 - pixel / 2;
        return [x, t[1], x + pixel, t[3]];
      }
      const y = (t[1] + t[3]) / 2 - pixel / 2;
      return [t[0], y, t[2], y + pixel];
    };
    if (ax.xlabel) boxes.push(along(ax.xlabel.bounds, true));
    if (ax.ylabel) boxes.push(along(ax.ylabel.bounds, false));
    for (const t of ax.titles) boxes.push(along(t.bounds, true));
    if (ax.legend) boxes.push([ax.legend.box.x, ax.legend.box.y, ax.legend.box.x + ax.legend.box.width, ax.legend.box.y + ax.legend.box.height]);
    const tight = {
      x0: Math.min(...boxes.map((t) => t[0])) / W,
      x1: Math.max(...boxes.map((t) => t[2])) / W,
      y0: 1 - Math.max(...boxes.map((t) => t[3])) / H,
      y1: 1 - Math.min(...boxes.map((t) => t[1])) / H,
    };
    const [left, bottom, width, height] = figure.axes[i]!.position;
    hspaces[row]![col]! += left - tight.x0;
    hspaces[row]![col + 1]! += tight.x1 - (left + width);
    vspaces[row]![col]! += tight.y1 - (bottom + height);
    vspaces[row + 1]![col]! += bottom - tight.y0;
  });

  const max = (values: number[]) => Math.max(...values);
  const marginLeft = Math.max(max(hspaces.map((r) => r[0]!)), 0) + padInch / widthIn;
  const marginRight = Math.max(max(hspaces.map((r) => r[cols]!)), 0) + padInch / widthIn;
  const marginTop = Math.max(max(vspaces[0]!), 0) + padInch / heightIn;
  const marginBottom = Math.max(max(vspaces[rows]!), 0) + padInch / heightIn;
  if (marginLeft + marginRight >= 1) return { warning: 'Tight layout not applied. The left and right margins cannot be made large enough to accommodate all axes decorations.' };
  if (marginBottom + marginTop >= 1) return { warning: 'Tight layout not applied. The bottom and top margins cannot be made large enough to accommodate all axes decorations.' };
  const params: SubplotParams = { left: marginLeft, right: 1 - marginRight, bottom: marginBottom, top: 1 - marginTop };
  if (cols > 1) {
    const hspace = max(hspaces.flatMap((r) => r.slice(1, -1))) + hpadInch / widthIn;
    const axesWidth = (1 - marginRight - marginLeft - hspace * (cols - 1)) / cols;
    if (axesWidth < 0) return { warning: 'Tight layout not applied. tight_layout cannot make axes width small enough to accommodate all axes decorations' };
    params.wspace = hspace / axesWidth;
  }
  if (rows > 1) {
    const vspace = max(vspaces.slice(1, -1).flat()) + vpadInch / heightIn;
    const axesHeight = (1 - marginTop - marginBottom - vspace * (rows - 1)) / rows;
    if (axesHeight < 0) return { warning: 'Tight layout not applied. tight_layout cannot make axes height small enough to accommodate all axes decorations.' };
    params.hspace = vspace / axesHeight;
  }
  return { params };
}
