/**
 * Node module hooks for running a learner's script: `autograd-lab` resolves to the bundled
 * engine (nothing to install), TypeScript is transpiled on load with a source map (so errors
 * point at the .ts line), and extension-less relative imports find `.ts` files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'sucrase';
import { instrument } from './instrument.js';

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

/** Line probes for the learner's code; line numbers are kept, so source maps stay right. */
function withProbes(js: string, file: string): string {
  return isLearnerFile(file) ? instrument(js, file).code : js;
}

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
    const map = Buffer.from(JSON.stringify({ ...out.sourceMap, sources: [url], sourcesContent: [source] })).toString('base64');
    const code = `${withProbes(out.code, file)}\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
    return { format: ext === '.cts' ? 'commonjs' : 'module', source: code, shortCircuit: true };
  }
  if (ext === '.mjs' || ext === '.js') {
    const source = readFileSync(file, 'utf8');
    const type = ext === '.mjs' ? 'module' : packageType(file);
    // A learner's loose .js file: ES module syntax decides, as Node's --experimental-detect-module does.
    const esm = type === 'module' || (type === undefined && (/^\s*(import\s|import\(|export\s)/m.test(source) || /\bawait\b/.test(source)));
    if (esm) return { format: 'module', source: withProbes(source, file), shortCircuit: true };
  }
  return next(url, context);
}
