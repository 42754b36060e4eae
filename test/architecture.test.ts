// The layout's rules, checked from the sources so they stay true (docs/architecture.md):
// a folder says which process runs a file and which concept it owns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, posix } from 'node:path';

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path.split('\\').join('/'));
  }
  return out;
}

const files = [...walk('src'), ...walk('webview')];

/** Every relative import of a source file (static, dynamic with a literal, and type-only), resolved to a file. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const patterns = [
    /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    /typeof import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const [i, re] of patterns.entries()) {
    for (const m of text.matchAll(re)) {
      const spec = i === 0 ? m[3]! : m[1]!;
      const typeOnly = (i === 0 && m[2] !== undefined) || i === 3;
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      const resolved = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, `${target}/index.ts`].find(
        (p) => existsSync(p) && statSync(p).isFile(),
      );
      if (resolved) found.push({ from: file, to: resolved, typeOnly });
    }
  }
  return found;
}

const edges = files.flatMap(importsOf);
const inFolder = (file: string, folder: string) => file.startsWith(`${folder}/`);
const ENGINE = 'src/engine';
const CHILD = 'src/runner/child';

test('every relative import in src/ and webview/ resolves to a file', () => {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[1]!));
      const ok = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')].some((p) => existsSync(p));
      assert.ok(ok, `${file} imports ${m[1]}, which does not exist`);
    }
  }
});

test('only script-process code imports the engine', () => {
  const offenders = edges
    .filter((e) => inFolder(e.to, ENGINE) && !inFolder(e.from, ENGINE) && !inFolder(e.from, CHILD))
    .map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
});

test('the engine imports nothing outside itself but the version', () => {
  const offenders = edges
    .filter((e) => inFolder(e.from, ENGINE) && !inFolder(e.to, ENGINE) && e.to !== 'src/protocol/version.ts')
    .map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
});

test('nothing under webview/ imports extension-host, runner, CLI or engine code', () => {
  const allowed = (to: string) => inFolder(to, 'webview') || inFolder(to, 'src/protocol') || inFolder(to, 'src/series');
  const offenders = edges.filter((e) => inFolder(e.from, 'webview') && !allowed(e.to)).map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
});

test('protocol and series are pure: they import only each other, and nothing of Node, vscode or the DOM', () => {
  const pure = (f: string) => inFolder(f, 'src/protocol') || inFolder(f, 'src/series');
  const offenders = edges.filter((e) => pure(e.from) && !pure(e.to)).map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
  for (const file of files.filter(pure)) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /from\s*['"](node:|vscode['"])/, `${file} imports Node or vscode`);
    assert.doesNotMatch(text, /\b(document|window)\./, `${file} uses the DOM`);
  }
});

test('the series model does not depend on the panel messages', () => {
  const offenders = edges.filter((e) => inFolder(e.from, 'src/series') && inFolder(e.to, 'src/protocol') && e.to !== 'src/protocol/wire.ts').map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
});

test('the runner’s parent side reaches the script process only through the protocol', () => {
  const parent = (f: string) => inFolder(f, 'src/runner') && !inFolder(f, CHILD);
  const offenders = edges.filter((e) => parent(e.from) && inFolder(e.to, CHILD)).map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
});

test('the extension host and the CLI never import script-process code', () => {
  const offenders = edges
    .filter((e) => (inFolder(e.from, 'src/extension') || inFolder(e.from, 'src/cli')) && inFolder(e.to, CHILD))
    .map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offenders, []);
});

test('the import graph has no cycle outside the engine', () => {
  const graph = new Map<string, string[]>();
  for (const e of edges) {
    if (inFolder(e.from, ENGINE) && inFolder(e.to, ENGINE)) continue;
    graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(cycles, []);
});

test('src/shared is gone: host-only models live in src/extension, webview-only ones in webview/', () => {
  assert.equal(existsSync('src/shared'), false);
});

test('the version every run reports is package.json’s', async () => {
  const { AUTOGRAD_LAB_VERSION } = await import('../src/protocol/version.js');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.equal(AUTOGRAD_LAB_VERSION, pkg.version);
});
