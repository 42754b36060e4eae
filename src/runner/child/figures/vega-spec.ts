/**
 * The Vega specification of a laid-out figure, in points (1/72 inch): one group per Axes with
 * linear scales from its view limits to its box, its data clipped to the box and drawn in
 * matplotlib's z-order (scatter collections 1, grid and ticks 1.5, lines 2, spines 2.5, legend 5),
 * and the texts where ./layout.ts put them.
 */
import type { ArtistDescription, AxesDescription, DrawingParams, FigureDescription, GridDescription, LineStyle, LineStyleDescription, MarkerPath } from './description.js';
import type { AxesLayout, FigureLayout, PlacedText } from './layout.js';

/** The font family the SVG names: the font bundled for PNGs, then what a viewer has. */
export const FONT_FAMILY = 'DejaVu Sans, Bitstream Vera Sans, sans-serif';

type Mark = Record<string, unknown>;

/** matplotlib's dash pattern for a line style, scaled by the line width (lines.scale_dashes). */
export function dashes(style: LineStyle, width: number, rc: DrawingParams): number[] | undefined {
  const pattern = style === '--' ? rc['lines.dashed_pattern'] : style === '-.' ? rc['lines.dashdot_pattern'] : style === ':' ? rc['lines.dotted_pattern'] : undefined;
  return pattern?.map((d) => Math.round(d * width * 1e6) / 1e6);
}

/** SVG's name for matplotlib's cap style. */
const CAP: Record<string, string> = { projecting: 'square', butt: 'butt', round: 'round' };

/** A marker outline as an SVG path for a marker `size` points across (matplotlib's y is up, SVG's down). */
export function markerPath(path: MarkerPath, size: number): string {
  const out: string[] = [];
  const f = (v: number) => String(Math.round(v * size * 1000) / 1000);
  for (let i = 0; i < path.length; i++) {
    const [code, x, y] = path[i]!;
    if (code === 1) out.push(`M${f(x)},${f(-y)}`);
    else if (code === 2) out.push(`L${f(x)},${f(-y)}`);
    else if (code === 3) {
      const [, x2, y2] = path[++i]!;
      out.push(`Q${f(x)},${f(-y)},${f(x2)},${f(-y2)}`);
    } else if (code === 4) {
      const [, x2, y2] = path[++i]!;
      const [, x3, y3] = path[++i]!;
      out.push(`C${f(x)},${f(-y)},${f(x2)},${f(-y2)},${f(x3)},${f(-y3)}`);
    } else if (code === 79) out.push('Z');
  }
  return out.join('');
}

/** The encoding of a stroked line in matplotlib's style: its caps depend on whether it is dashed. */
function strokeOf(color: string, alpha: number, width: number, style: LineStyle, rc: DrawingParams): Record<string, { value: unknown }> {
  const dash = dashes(style, width, rc);
  return {
    stroke: { value: color },
    strokeOpacity: { value: alpha },
    strokeWidth: { value: width },
    strokeCap: { value: CAP[dash ? rc['lines.dash_capstyle'] : rc['lines.solid_capstyle']] ?? 'butt' },
    ...(dash ? { strokeDash: { value: dash } } : {}),
  };
}

function textMark(t: PlacedText, dx = 0, dy = 0): Mark {
  return {
    type: 'text',
    encode: {
      enter: {
        x: { value: t.x - dx },
        y: { value: t.y - dy },
        text: { value: t.text },
        angle: { value: t.angle },
        align: { value: 'left' },
        baseline: { value: 'alphabetic' },
        font: { value: FONT_FAMILY },
        fontSize: { value: t.size },
        fill: { value: t.color },
        fillOpacity: { value: t.alpha },
      },
    },
  };
}

function lineMarks(name: string, style: LineStyleDescription, rc: DrawingParams): Mark[] {
  const marks: Mark[] = [];
  if (style.linestyle !== 'None' && style.linewidth > 0) {
    marks.push({
      type: 'line',
      from: { data: name },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { scale: 'y', field: 'y' },
          defined: { field: 'ok' },
          ...strokeOf(style.color, style.alpha, style.linewidth, style.linestyle, rc),
          strokeJoin: { value: rc['lines.solid_joinstyle'] },
        },
      },
    });
  }
  const m = style.marker;
  if (m) {
    marks.push({
      type: 'path',
      from: { data: name },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { scale: 'y', field: 'y' },
          path: { value: markerPath(m.path, m.size) },
          fill: { value: m.filled ? m.facecolor : 'none' },
          fillOpacity: { value: m.facealpha },
          stroke: { value: m.edgecolor },
          strokeOpacity: { value: m.edgealpha },
          strokeWidth: { value: m.edgewidth },
          strokeJoin: { value: 'miter' },
        },
      },
    });
  }
  return marks;
}

function artistMarks(a: ArtistDescription, name: string, rc: DrawingParams): Mark[] {
  if (a.kind === 'line') return lineMarks(name, a, rc);
  return [
    {
      type: 'path',
      from: { data: name },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { scale: 'y', field: 'y' },
          path: { field: 'path' },
          fill: { field: a.marker.filled ? 'face' : 'none' },
          fillOpacity: { field: 'faceAlpha' },
          stroke: { field: 'edge' },
          strokeOpacity: { field: 'edgeAlpha' },
          strokeWidth: { field: 'edgeWidth' },
          strokeJoin: { value: 'miter' },
        },
      },
    },
  ];
}

/** The rows of an artist's data set (rows outside the data's definition are gaps). */
function artistRows(a: ArtistDescription): Record<string, unknown>[] {
  if (a.kind === 'line') {
    return a.x.map((x, i) => ({ x, y: a.y[i], ok: x !== null && a.y[i] !== null }));
  }
  const pick = <T>(values: T[], i: number) => values[values.length === 1 ? 0 : i]!;
  const rows: Record<string, unknown>[] = [];
  a.x.forEach((x, i) => {
    const y = a.y[i];
    if (x === null || y === null) return;
    rows.push({
      x,
      y,
      path: markerPath(a.marker.path, Math.sqrt(pick(a.sizes, i))),
      face: a.marker.filled ? pick(a.facecolors, i) : 'none',
      faceAlpha: pick(a.facealphas, i),
      edge: pick(a.edgecolors, i),
      edgeAlpha: pick(a.edgealphas, i),
      edgeWidth: pick(a.linewidths, i),
    });
  });
  return rows;
}

function gridMarks(grid: GridDescription, which: 'x' | 'y', values: number[], box: { width: number; height: number }, rc: DrawingParams, name: string): { data: Record<string, unknown>; mark: Mark } | null {
  if (!grid.visible || values.length === 0) return null;
  const across = which === 'x' ? { x: { scale: 'x', field: 'v' }, y: { value: 0 }, y2: { value: box.height } } : { y: { scale: 'y', field: 'v' }, x: { value: 0 }, x2: { value: box.width } };
  return {
    data: { name, values: values.map((v) => ({ v })) },
    mark: {
      type: 'rule',
      from: { data: name },
      encode: {
        enter: { ...across, ...strokeOf(grid.color, grid.alpha, grid.linewidth, grid.linestyle, rc) },
      },
    },
  };
}

function axesGroup(ax: AxesDescription, layout: AxesLayout, rc: DrawingParams, index: number): Mark {
  const { box } = layout;
  const data: Record<string, unknown>[] = [];
  const below: Mark[] = [];
  const above: Mark[] = [];
  ax.artists.forEach((a, i) => {
    const name = `a${index}_${i}`;
    data.push({ name, values: artistRows(a) });
    (a.zorder < 1.5 ? below : above).push(...artistMarks(a, name, rc));
  });
  const grids: Mark[] = [];
  for (const which of ['x', 'y'] as const) {
    const ticks = which === 'x' ? layout.xticks : layout.yticks;
    const g = gridMarks(ax.grid[which], which, ticks.map((t) => t.value), box, rc, `g${index}${which}`);
    if (g) {
      data.push(g.data);
      grids.push(g.mark);
    }
  }
  const tickMarks: Mark[] = [
    ...layout.xticks.map((t) => ({
      type: 'rule',
      encode: { enter: { x: { value: t.at - box.x }, y: { value: box.height }, y2: { value: box.height + rc['xtick.major.size'] }, stroke: { value: rc['xtick.color'] }, strokeWidth: { value: rc['xtick.major.width'] } } },
    })),
    ...layout.yticks.map((t) => ({
      type: 'rule',
      encode: { enter: { y: { value: t.at - box.y }, x: { value: 0 }, x2: { value: -rc['ytick.major.size'] }, stroke: { value: rc['ytick.color'] }, strokeWidth: { value: rc['ytick.major.width'] } } },
    })),
  ];
  const texts = [
    ...layout.xticks.map((t) => t.label),
    ...layout.yticks.map((t) => t.label),
    ...[layout.xoffset, layout.yoffset, layout.xlabel, layout.ylabel, ...layout.titles].filter((t): t is PlacedText => t !== null),
  ].map((t) => textMark(t, box.x, box.y));
  return {
    type: 'group',
    data,
    encode: { enter: { x: { value: box.x }, y: { value: box.y }, width: { value: box.width }, height: { value: box.height }, fill: { value: rc['axes.facecolor'] } } },
    scales: [
      { name: 'x', type: 'linear', domain: ax.xlim, range: [0, box.width], zero: false, nice: false, clamp: false },
      { name: 'y', type: 'linear', domain: ax.ylim, range: [box.height, 0], zero: false, nice: false, clamp: false },
    ],
    marks: [
      { type: 'group', encode: { enter: { width: { value: box.width }, height: { value: box.height }, clip: { value: true } } }, marks: [...below, ...grids, ...above] },
      ...tickMarks,
      {
        type: 'rect',
        encode: { enter: { x: { value: 0 }, y: { value: 0 }, width: { value: box.width }, height: { value: box.height }, fill: { value: 'transparent' }, stroke: { value: rc['axes.edgecolor'] }, strokeWidth: { value: rc['axes.linewidth'] }, strokeJoin: { value: 'miter' } } },
      },
      ...texts,
      ...(layout.legend ? [legendGroup(layout, rc)] : []),
    ],
  };
}

function legendGroup(layout: AxesLayout, rc: DrawingParams): Mark {
  const legend = layout.legend!;
  const { box } = legend;
  const origin = layout.box;
  const marks: Mark[] = [];
  const d = legend.description;
  if (d.frameon) {
    marks.push({
      type: 'rect',
      encode: {
        enter: {
          x: { value: box.x - origin.x }, y: { value: box.y - origin.y }, width: { value: box.width }, height: { value: box.height },
          cornerRadius: { value: rc['legend.fancybox'] ? 0.2 * d.fontsize : 0 },
          fill: { value: rc['axes.facecolor'] }, fillOpacity: { value: d.framealpha },
          stroke: { value: rc['legend.edgecolor'] }, strokeOpacity: { value: d.framealpha }, strokeWidth: { value: rc['patch.linewidth'] },
        },
      },
    });
  }
  for (const row of legend.rows) {
    const h = row.handle;
    const e = row.entry;
    if (e.kind === 'line') {
      if (e.linestyle !== 'None' && e.linewidth > 0) {
        marks.push({
          type: 'rule',
          encode: {
            enter: { x: { value: h.x0 - origin.x }, x2: { value: h.x1 - origin.x }, y: { value: h.y - origin.y }, ...strokeOf(e.color, e.alpha, e.linewidth, e.linestyle, rc) },
          },
        });
      }
      if (e.marker) {
        marks.push(markerMark(markerPath(e.marker.path, e.marker.size), h.markerX - origin.x, h.markerY - origin.y, e.marker.filled ? e.marker.facecolor : 'none', e.marker.facealpha, e.marker.edgecolor, e.marker.edgealpha, e.marker.edgewidth));
      }
    } else {
      marks.push(markerMark(markerPath(e.marker.path, Math.sqrt(e.size)), h.markerX - origin.x, h.markerY - origin.y, e.marker.filled ? e.facecolor : 'none', e.facealpha, e.edgecolor, e.edgealpha, e.linewidth));
    }
    marks.push(textMark(row.label, origin.x, origin.y));
  }
  return { type: 'group', marks };
}

function markerMark(path: string, x: number, y: number, fill: string, fillOpacity: number, stroke: string, strokeOpacity: number, strokeWidth: number): Mark {
  return {
    type: 'path',
    encode: { enter: { x: { value: x }, y: { value: y }, path: { value: path }, fill: { value: fill }, fillOpacity: { value: fillOpacity }, stroke: { value: stroke }, strokeOpacity: { value: strokeOpacity }, strokeWidth: { value: strokeWidth }, strokeJoin: { value: 'miter' } } },
  };
}

/** The Vega spec drawing `figure` as laid out by `layout`, `layout.width` × `layout.height` points. */
export function vegaSpec(figure: FigureDescription, layout: FigureLayout): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: layout.width,
    height: layout.height,
    padding: 0,
    autosize: 'none',
    background: figure.rc['figure.facecolor'],
    marks: figure.axes.map((ax, i) => axesGroup(ax, layout.axes[i]!, figure.rc, i)),
  };
}
