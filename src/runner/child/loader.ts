/**
 * Node module hooks for running a learner's script: `autograd-lab` resolves to the bundled
 * engine (nothing to install), TypeScript is transpiled on load with a source map (so errors
 * point at the .ts line and column), and extension-less relative imports find `.ts` files.
 * TypeScript that the transpiler would drop without a word (a `namespace` with code in it,
 * CommonJS's `import x = require()` in an ES module) is refused with a SyntaxError at its line.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'sucrase';
// sucrase's own parser, the one its TypeScript transform runs: its tokens tell what the transform
// drops. It is outside sucrase's typed entry point; its declarations are under dist/types.
// @ts-expect-error TS7016: sucrase/dist/parser has no declaration file beside it
import { parse as sucraseParse } from 'sucrase/dist/parser/index.js';
import type { File as SucraseFile } from 'sucrase/dist/types/parser/index.js';
import { instrument, LINE_BREAK, type Insertion } from './instrument.js';

interface HookData {
  engineUrl: string;
  /** Instrument the learner's files: line probes, and the naming of assigned tensors for the graph view. */
  instrument?: boolean;
  /** The learner's folder: only files under it (outside node_modules) are instrumented. */
  userRoot?: string;
}
let engineUrl = '';
let probeLines = false;
let userRoot: string | null = null;

export function initialize(data: HookData): void {
  engineUrl = data.engineUrl;
  probeLines = data.instrument ?? false;
  userRoot = data.userRoot ?? null;
}

function isLearnerFile(file: string): boolean {
  if (!probeLines || userRoot === null) return false;
  const rel = relative(userRoot, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('node_modules');
}

// ------------------------------------------------------------------ source maps

/**
 * One segment of a source map line, decoded: the generated column, then the source's index,
 * line and column (all absolute, 0-based).
 */
type Segment = [column: number, source: number, sourceLine: number, sourceColumn: number];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/** A source map's `mappings` as segments per generated line (a segment's name, if any, is dropped). */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [[]];
  const state = [0, 0, 0, 0];
  let fields: number[] = [];
  let value = 0;
  let shift = 0;
  const endSegment = (): void => {
    if (fields.length === 0) return;
    for (let i = 0; i < fields.length && i < 4; i++) state[i]! += fields[i]!;
    if (fields.length >= 4) lines[lines.length - 1]!.push([state[0]!, state[1]!, state[2]!, state[3]!]);
    fields = [];
  };
  for (const c of mappings) {
    if (c === ',' || c === ';') {
      endSegment();
      if (c === ';') {
        lines.push([]);
        state[0] = 0; // the generated column starts again on every line; the others run on
      }
      continue;
    }
    const digit = BASE64_VALUE.get(c);
    if (digit === undefined) throw new Error(`bad source map character '${c}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  endSegment();
  return lines;
}

function encodeVlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}

function encodeMappings(lines: readonly Segment[][]): string {
  const previous = [0, 0, 0, 0];
  return lines
    .map((segments) => {
      previous[0] = 0;
      return segments
        .map((segment) => {
          let text = '';
          for (let i = 0; i < 4; i++) {
            text += encodeVlq(segment[i]! - previous[i]!);
            previous[i] = segment[i]!;
          }
          return text;
        })
        .join(',');
    })
    .join(';');
}

/** The segment a column of a line falls in: the last one at or before it. */
function segmentAt(segments: readonly Segment[] | undefined, column: number): Segment | undefined {
  let found: Segment | undefined;
  for (const segment of segments ?? []) {
    if (segment[0] > column) break;
    found = segment;
  }
  return found;
}

/**
 * The segments of code that had `insertions` made to it, moved onto the code with them: a
 * segment after an insertion moves right by its length (so the learner's text keeps its place),
 * and the inserted text maps where the code at its place maps.
 */
function shiftSegments(lines: Segment[][], insertions: readonly Insertion[]): Segment[][] {
  const byLine = new Map<number, Insertion[]>();
  for (const insertion of insertions) {
    let list = byLine.get(insertion.line);
    if (list === undefined) byLine.set(insertion.line, (list = []));
    list.push(insertion);
  }
  return lines.map((segments, line) => {
    const inserted = byLine.get(line);
    if (inserted === undefined) return segments;
    const out: Segment[] = [];
    let shift = 0;
    let k = 0;
    const insertUpTo = (column: number): void => {
      for (; k < inserted.length && inserted[k]!.column <= column; k++) {
        const { column: at, length } = inserted[k]!;
        const target = segmentAt(segments, at);
        if (target !== undefined && out[out.length - 1]?.[0] !== at + shift) out.push([at + shift, target[1], target[2], target[3]]);
        shift += length;
      }
    };
    for (const segment of segments) {
      insertUpTo(segment[0]);
      out.push([segment[0] + shift, segment[1], segment[2], segment[3]]);
    }
    insertUpTo(Infinity);
    return out;
  });
}

/** `map` as the data URL comment V8 and Node read (the last line of the module). */
function sourceMapComment(map: object): string {
  return `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

// ------------------------------------------------------------------ TypeScript the transform drops

/** Where in `source` an offset is, 1-based, as sucrase's own errors say it. */
function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Cheap test for text that may hold one of the refused constructs (a comment may too: then the parse decides). */
const MAYBE_DROPPED = /\b(?:namespace|module)\s+[\w$]|\bimport\s+[\w$]+\s*=|\bexport\s*(?:import\b|=)/;

/**
 * Throws a SyntaxError at the first TypeScript construct sucrase would drop or turn into code that
 * fails later with a misleading error: a `namespace`/`module` block that is not `declare`d (sucrase
 * removes it, code and all, so its names are undefined when used), `export import` (its output
 * does not parse), and in an ES module `import x = require(...)` and `export = x` (CommonJS,
 * which an ES module does not have). A `declare`d block, types only, is dropped rightly.
 */
function refuseDroppedTypeScript(source: string, file: string, isModule: boolean): void {
  if (!MAYBE_DROPPED.test(source)) return;
  let tokens: SucraseFile['tokens'];
  try {
    tokens = (sucraseParse as (input: string, jsx: boolean, typescript: boolean, flow: boolean) => SucraseFile)(source, false, true, false).tokens;
  } catch {
    return; // transform() reports what does not parse
  }
  const text = (i: number): string => (i >= 0 && i < tokens.length ? source.slice(tokens[i]!.start, tokens[i]!.end) : '');
  const isName = (i: number): boolean => /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(text(i));
  const refuse = (i: number, construct: string, advice: string): never => {
    const { line, column } = lineAndColumn(source, tokens[i]!.start);
    throw new SyntaxError(`${file}: ${construct} is not supported: ${advice} (${line}:${column})`);
  };
  for (let i = 0; i < tokens.length; i++) {
    const word = text(i);
    if ((word === 'namespace' || word === 'module' || word === 'global') && tokens[i]!.isType) {
      const declared = text(i - 1) === 'declare';
      // `module "name" {…}` and `declare …` blocks are ambient (types only): skip to their end.
      if (declared || (word === 'module' && /^["']/.test(text(i + 1)))) {
        let depth = 0;
        for (i++; i < tokens.length; i++) {
          const t = text(i);
          if (t === '{') depth++;
          else if (t === '}' && --depth === 0) break;
          else if (t === ';' && depth === 0) break;
        }
        continue;
      }
      if (word !== 'global' && isName(i + 1) && (text(i + 2) === '{' || text(i + 2) === '.')) {
        refuse(i, `a TypeScript ${word} (${word} ${text(i + 1)})`, `its code would not run. Use an object or a module of its own, or \`declare ${word}\` for types only`);
      }
    } else if (word === 'import' && !tokens[i]!.isType && isName(i + 1) && text(i + 2) === '=') {
      if (text(i - 1) === 'export') refuse(i - 1, `\`export import ${text(i + 1)} = …\``, 'export the value with `export const` instead');
      if (isModule && text(i + 3) === 'require' && text(i + 4) === '(') {
        refuse(i, `\`import ${text(i + 1)} = require(…)\` in an ES module`, `write \`import ${text(i + 1)} from …\` or \`import * as ${text(i + 1)} from …\``);
      }
    } else if (isModule && word === 'export' && text(i + 1) === '=' && !tokens[i]!.isType) {
      refuse(i, '`export =` in an ES module', 'write `export default` instead');
    }
  }
}

// ------------------------------------------------------------------ hooks

type ResolveContext = { parentURL?: string; conditions: string[] };
type ResolveResult = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];
const TRY_SUFFIXES = ['.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  if (specifier === 'autograd-lab') return { url: engineUrl, shortCircuit: true };
  const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
  if (relative && context.parentURL?.startsWith('file:')) {
    const base = specifier.startsWith('file:') ? fileURLToPath(specifier) : join(dirname(fileURLToPath(context.parentURL)), specifier);
    const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
    if (!isFile(base)) {
      // TypeScript's conventions: `./helper` or `./helper.js` naming `helper.ts`.
      const stem = /\.(m?js)$/.test(base) ? base.replace(/\.(m?js)$/, '') : base;
      for (const suffix of TRY_SUFFIXES) {
        if (isFile(stem + suffix)) return { url: pathToFileURL(stem + suffix).href, shortCircuit: true };
      }
    }
  }
  return next(specifier, context);
}

type LoadContext = { format?: string | null; conditions: string[] };
type LoadResult = { format: string; source?: string | Buffer; shortCircuit?: boolean };
type NextLoad = (url: string, context: LoadContext) => Promise<LoadResult>;

/** The nearest package.json's "type", which decides how plain .js files are read. */
function packageType(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type;
      } catch {
        return undefined;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function load(url: string, context: LoadContext, next: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || url.includes('/node_modules/')) return next(url, context);
  const file = fileURLToPath(url);
  const ext = extname(file);
  if (TS_EXTENSIONS.includes(ext)) {
    const source = readFileSync(file, 'utf8');
    const format = ext === '.cts' ? 'commonjs' : 'module';
    let out: ReturnType<typeof transform>;
    try {
      out = transform(source, {
        transforms: ['typescript'],
        filePath: file,
        disableESTransforms: true,
        sourceMapOptions: { compiledFilename: file },
      });
    } catch (err) {
      // sucrase says "Unexpected token (2:14)"; name the file too, as V8's own syntax errors do.
      throw new SyntaxError(`${file}: ${(err as Error).message}`);
    }
    refuseDroppedTypeScript(source, file, format === 'module');
    let code = out.code;
    let mappings = out.sourceMap!.mappings;
    if (isLearnerFile(file)) {
      // The probes' insertions shift columns: the map moves with them, and probe sites report
      // the learner's TypeScript column.
      const segments = decodeMappings(mappings);
      const sourceColumn = (line: number, column: number): number => {
        const segment = segmentAt(segments[line], column);
        return segment === undefined ? column : segment[3] + (column - segment[0]);
      };
      const probed = instrument(code, file, { sourceColumn });
      code = probed.code;
      if (probed.insertions.length > 0) mappings = encodeMappings(shiftSegments(segments, probed.insertions));
    }
    return { format, source: code + sourceMapComment({ ...out.sourceMap, mappings, sources: [url], sourcesContent: [source] }), shortCircuit: true };
  }
  if (ext === '.mjs' || ext === '.js') {
    const source = readFileSync(file, 'utf8');
    const type = ext === '.mjs' ? 'module' : packageType(file);
    // A learner's loose .js file: ES module syntax decides, as Node's --experimental-detect-module does.
    const esm = type === 'module' || (type === undefined && (/^\s*(import\s|import\(|export\s)/m.test(source) || /\bawait\b/.test(source)));
    if (esm) return { format: 'module', source: isLearnerFile(file) ? probedJavaScript(source, file, url) : source, shortCircuit: true };
  }
  return next(url, context);
}

/**
 * A learner's JavaScript with probes. Probes go after what they read, so the learner's text keeps
 * its columns unless a probed statement has more code after it on its line: then a source map
 * takes the insertions out of that code's columns again (one segment per token, mapping it to
 * where it was). A file that brings a source map of its own keeps it.
 */
function probedJavaScript(source: string, file: string, url: string): string {
  const probed = instrument(source, file, { tokens: true });
  const tokens = probed.tokens ?? [];
  // Per line, the last token a stack frame can point at.
  const lastPlace = new Map<number, number>();
  for (const token of tokens) if (!token.closer) lastPlace.set(token.line, token.column);
  const moved = probed.insertions.some(({ line, column }) => (lastPlace.get(line) ?? -1) >= column);
  if (!moved || /^\/\/# sourceMappingURL=/m.test(source)) return probed.code;
  const lines: Segment[][] = source.split(LINE_BREAK).map((_, line) => [[0, 0, line, 0]]);
  for (const { line, column } of tokens) {
    if (column > 0) lines[line]!.push([column, 0, line, column]);
  }
  const map = { version: 3, file: url, sources: [url], sourcesContent: [source], names: [], mappings: encodeMappings(shiftSegments(lines, probed.insertions)) };
  return probed.code + sourceMapComment(map);
}
