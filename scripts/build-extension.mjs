// Bundles the VS Code extension (see README, "The VS Code extension"):
//   dist/extension.cjs      the extension host code (CommonJS: package.json is "type": "module")
//   dist/runtime/           the runner, its script host and the engine as ESM, in the layout the
//                           runner expects (runner/runner.js, runner/child/*.js, engine/index.js);
//                           the notebook kernel (runner/kernel/notebook-kernel.js, its process in
//                           runner/child/kernel/)
//                           runner/child/python/run-python.js with the Python shim beside it (py/),
//                           pyodide/ (Pyodide's runtime files: the installed extension has no
//                           node_modules) and matmul.wasm beside the bundled engine code;
//                           runner/child/figures/ the figure renderer's thread with resvg.wasm and
//                           DejaVuSans.ttf beside it (Vega and resvg's JS load as lazy chunks)
//   dist/webview/           the panel's browser code and the graph-layout worker
// Usage: node scripts/build-extension.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

rmSync('dist/runtime', { recursive: true, force: true });
rmSync('dist/webview', { recursive: true, force: true });

/** Pyodide's files that a Node run loads (its lock file lists the optional packages, none used). */
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.js', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'package.json'];

/** What the runtime bundle reads from disk at run time, copied to where it looks for it. */
function copyRuntimeFiles(metafile) {
  cpSync('src/runner/child/python/py', 'dist/runtime/runner/child/python/py', {
    recursive: true,
    filter: (source) => !source.includes('__pycache__'),
  });

  const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  mkdirSync('dist/runtime/pyodide', { recursive: true });
  for (const name of PYODIDE_FILES) copyFileSync(join(pyodideDir, name), join('dist/runtime/pyodide', name));
  writeFileSync(
    'dist/runtime/pyodide/NOTICE.txt',
    'Pyodide (https://pyodide.org), copied unmodified from the npm package "pyodide".\n' +
      'License: Mozilla Public License 2.0. Source: https://github.com/pyodide/pyodide\n',
  );

  copyFigureFiles();

  // src/engine/wasm/matmul.ts loads ./matmul.wasm relative to the bundled file it ends up in.
  const wasm = 'dist/engine/wasm/matmul.wasm';
  if (!existsSync(wasm)) {
    console.warn(`build-extension: ${wasm} is missing (run npm run build:wasm); the bundle falls back to the TypeScript kernel`);
    return;
  }
  const holders = Object.entries(metafile.outputs)
    .filter(([out, info]) => out.endsWith('.js') && Object.keys(info.inputs).some((input) => input.endsWith('src/engine/wasm/matmul.ts')))
    .map(([out]) => dirname(out));
  for (const dir of new Set(holders)) copyFileSync(wasm, join(dir, 'matmul.wasm'));
}

/** The figure renderer (src/runner/child/figures/render.ts) reads these beside its bundled worker. */
function copyFigureFiles() {
  const require = createRequire(import.meta.url);
  const dir = 'dist/runtime/runner/child/figures';
  mkdirSync(dir, { recursive: true });
  copyFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'), join(dir, 'resvg.wasm'));
  const fonts = dirname(require.resolve('dejavu-fonts-ttf/package.json'));
  copyFileSync(join(fonts, 'ttf', 'DejaVuSans.ttf'), join(dir, 'DejaVuSans.ttf'));
  copyFileSync(join(fonts, 'LICENSE'), join(dir, 'DejaVuSans-LICENSE.txt'));
  writeFileSync(
    join(dir, 'NOTICE.txt'),
    'Figures are drawn with Vega (https://vega.github.io, BSD-3-Clause license, bundled in ../../../chunks),\n' +
      'rasterized with resvg-wasm (https://github.com/yisibl/resvg-js, Mozilla Public License 2.0: resvg.wasm is\n' +
      'copied unmodified from the npm package "@resvg/resvg-wasm") in the DejaVu Sans font (DejaVuSans.ttf, copied\n' +
      'unmodified from the npm package "dejavu-fonts-ttf"; its license is DejaVuSans-LICENSE.txt).\n',
  );
}

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
    entryPoints: {
      'runner/runner': 'src/runner/runner.ts',
      // The notebook kernel's parent side: it finds its kernel process in ../child/kernel/.
      'runner/kernel/notebook-kernel': 'src/runner/kernel/notebook-kernel.ts',
      // The kernel process and its Python thread (kernel-host.ts starts ./kernel-worker.js).
      'runner/child/kernel/kernel-host': 'src/runner/child/kernel/kernel-host.ts',
      'runner/child/kernel/kernel-worker': 'src/runner/child/kernel/kernel-worker.ts',
      'runner/child/host': 'src/runner/child/host.ts',
      'runner/child/loader': 'src/runner/child/loader.ts',
      // An entry of its own, so it sits where it finds its py/ folder and ../../pyodide/.
      'runner/child/python/run-python': 'src/runner/child/python/run-python.ts',
      // The figure renderer runs on a thread of its own and finds resvg.wasm and the font beside it.
      'runner/child/figures/render-worker': 'src/runner/child/figures/render-worker.ts',
      'engine/index': 'src/engine/index.ts',
    },
    outdir: 'dist/runtime',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies (sucrase) call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __aglCreateRequire } from 'node:module'; const require = __aglCreateRequire(import.meta.url);" },
    external: ['tsx', 'pyodide'],
    metafile: true,
    plugins: [{ name: 'runtime-files', setup: (build) => build.onEnd((result) => result.metafile && copyRuntimeFiles(result.metafile)) }],
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
