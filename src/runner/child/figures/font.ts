/**
 * Text measurement from the TrueType font the figures are drawn with (DejaVu Sans, matplotlib's
 * default), so that labels are placed as matplotlib places them: matplotlib measures a string by
 * its glyphs' advances (widened where ink overhangs them) and the height of a line by the ink of
 * "lp". Reads only the tables that needs (head, hhea, maxp, hmtx, cmap, loca, glyf, kern).
 */

export interface TextExtent {
  /** Width in points: from the origin (or the ink, if it overhangs to the left) to the end of the last advance (or ink). */
  width: number;
  /** Where that width starts, right of the text's origin, in points (0 unless ink overhangs the origin). */
  left: number;
  /** Ink height above the baseline, in points. */
  ascent: number;
  /** Ink depth below the baseline, in points (negative when all ink is above it). */
  descent: number;
}

export interface FontMetrics {
  /** Measures one line of text at `size` points. */
  measure(text: string, size: number): TextExtent;
  /** Height of the ink of "l" above the baseline, per point of size (matplotlib's line ascent). */
  readonly ascent: number;
  /** Depth of the ink of "p" below the baseline, per point of size (matplotlib's line descent). */
  readonly descent: number;
}

interface Glyph {
  advance: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export function parseFont(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(...bytes.subarray(rec, rec + 4));
    tables.set(tag, view.getUint32(rec + 8));
  }
  const table = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`the figure font has no '${tag}' table`);
    return at;
  };
  const head = table('head');
  const unitsPerEm = view.getUint16(head + 18);
  const longLoca = view.getInt16(head + 50) === 1;
  const numGlyphs = view.getUint16(table('maxp') + 4);
  const numHMetrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const loca = table('loca');
  const glyf = table('glyf');
  const cmap = readCmap(view, table('cmap'));
  const kerning = tables.has('kern') ? readKern(view, tables.get('kern')!) : new Map<number, number>();

  const glyphs = new Map<number, Glyph>();
  const glyph = (id: number): Glyph => {
    let g = glyphs.get(id);
    if (g) return g;
    const advance = view.getUint16(hmtx + 4 * Math.min(id, numHMetrics - 1));
    const start = longLoca ? view.getUint32(loca + 4 * id) : 2 * view.getUint16(loca + 2 * id);
    const end = longLoca ? view.getUint32(loca + 4 * id + 4) : 2 * view.getUint16(loca + 2 * id + 2);
    g = end > start && id < numGlyphs
      ? { advance, xMin: view.getInt16(glyf + start + 2), yMin: view.getInt16(glyf + start + 4), xMax: view.getInt16(glyf + start + 6), yMax: view.getInt16(glyf + start + 8) }
      : { advance, xMin: 0, xMax: 0, yMin: 0, yMax: 0 };
    glyphs.set(id, g);
    return g;
  };
  const glyphOf = (ch: string) => glyph(cmap(ch.codePointAt(0)!));

  return {
    ascent: glyphOf('l').yMax / unitsPerEm,
    descent: -glyphOf('p').yMin / unitsPerEm,
    measure(text: string, size: number): TextExtent {
      const scale = size / unitsPerEm;
      let pen = 0;
      let inkLeft = Infinity;
      let inkRight = -Infinity;
      let previous = -1;
      let top = -Infinity;
      let bottom = Infinity;
      for (const ch of text) {
        const id = cmap(ch.codePointAt(0)!);
        if (previous >= 0) pen += kerning.get(previous * 65536 + id) ?? 0;
        const g = glyph(id);
        if (g.xMax > g.xMin) {
          inkLeft = Math.min(inkLeft, pen + g.xMin);
          inkRight = Math.max(inkRight, pen + g.xMax);
          top = Math.max(top, g.yMax);
          bottom = Math.min(bottom, g.yMin);
        }
        pen += g.advance;
        previous = id;
      }
      if (inkLeft === Infinity) return { width: pen * scale, left: 0, ascent: 0, descent: 0 };
      const start = Math.min(0, inkLeft);
      return { width: (Math.max(pen, inkRight) - start) * scale, left: start * scale, ascent: top * scale, descent: -bottom * scale };
    },
  };
}

/** The character → glyph map (format 4 for the BMP, format 12 when present for all planes). */
function readCmap(view: DataView, at: number): (codePoint: number) => number {
  const count = view.getUint16(at + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < count; i++) {
    const platform = view.getUint16(at + 4 + 8 * i);
    const encoding = view.getUint16(at + 4 + 8 * i + 2);
    const sub = at + view.getUint32(at + 4 + 8 * i + 4);
    const format = view.getUint16(sub);
    if (format === 4 && platform === 3 && encoding === 1) format4 = sub;
    if (format === 12 && platform === 3 && encoding === 10) format12 = sub;
  }
  if (format12 >= 0) {
    const groups = view.getUint32(format12 + 12);
    return (cp) => {
      for (let g = 0; g < groups; g++) {
        const rec = format12 + 16 + 12 * g;
        const start = view.getUint32(rec);
        const end = view.getUint32(rec + 4);
        if (cp >= start && cp <= end) return view.getUint32(rec + 8) + (cp - start);
      }
      return 0;
    };
  }
  if (format4 < 0) throw new Error('the figure font has no Unicode character map');
  const segments = view.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const offsets = deltas + 2 * segments;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segments; s++) {
      if (cp > view.getUint16(ends + 2 * s)) continue;
      const start = view.getUint16(starts + 2 * s);
      if (cp < start) return 0;
      const delta = view.getInt16(deltas + 2 * s);
      const rangeOffset = view.getUint16(offsets + 2 * s);
      if (rangeOffset === 0) return (cp + delta) & 0xffff;
      const id = view.getUint16(offsets + 2 * s + rangeOffset + 2 * (cp - start));
      return id === 0 ? 0 : (id + delta) & 0xffff;
    }
    return 0;
  };
}

/** Pair kerning from the classic 'kern' table (format 0), which FreeType applies for matplotlib. */
function readKern(view: DataView, at: number): Map<number, number> {
  const pairs = new Map<number, number>();
  const count = view.getUint16(at + 2);
  let sub = at + 4;
  for (let t = 0; t < count; t++) {
    const length = view.getUint16(sub + 2);
    const coverage = view.getUint16(sub + 4);
    if (coverage >> 8 === 0 && (coverage & 1) === 1) {
      const n = view.getUint16(sub + 6);
      for (let i = 0; i < n; i++) {
        const rec = sub + 14 + 6 * i;
        pairs.set(view.getUint16(rec) * 65536 + view.getUint16(rec + 2), view.getInt16(rec + 4));
      }
    }
    sub += length;
  }
  return pairs;
}
