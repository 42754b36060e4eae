// Bundles the VS Code extension (see README, "The VS Code extension"):
//   dist/extension.cjs      the extension host code (CommonJS: package.json is "type": "module")
//   dist/runtime/           the runner, its script host and the engine as ESM, in the layout the
//                           runner expects (runner/runner.js, runner/child/*.js, engine/index.js)
//   dist/webview/           the panel's browser code and the graph-layout worker
// Usage: node scripts/build-extension.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

rmSync('dist/runtime', { recursive: true, force: true });
rmSync('dist/webview', { recursive: true, force: true });

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { 'runner/runner': 'src/runner/runner.ts', 'runner/child/host': 'src/runner/child/host.ts', 'runner/child/loader': 'src/runner/child/loader.ts', 'engine/index': 'src/engine/index.ts' },
    outdir: 'dist/runtime',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies (sucrase) call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __aglCreateRequire } from 'node:module'; const require = __aglCreateRequire(import.meta.url);" },
    external: ['tsx', 'pyodide'],
  },
  {
    ...common,
    entryPoints: { main: 'webview/main.ts', 'layout-worker': 'webview/layout-worker.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
