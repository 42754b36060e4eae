// (h): the time from Run Training to the first point on the loss chart, from the extension's
// side. The extension's own modules — the run session (src/extension/run-session.ts, which loads
// the bundled runner from dist/runtime as the installed extension does) and the panel host with
// its feed (panel-host.ts, panel-feed.ts) — are bundled as the extension build bundles them, with
// `vscode` standing for bench/fake-vscode.mjs, and driven in a Node process of their own
// (first-point-worker.mjs): each run starts as the Run Training command starts it, and the clock
// stops when the panel host posts the webview its first `metrics` message. Not counted: VS Code's
// command dispatch and the webview drawing the point. The panel is open and ready (a learner's
// second run; a first run also waits for the webview to load).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULT_MARKER } from './timing.mjs';

/** The chapter's SGD script, the first one a learner runs. */
const SCRIPT = join('examples', 'thermometer', '03-sgd.ts');

export function firstPoint({ root, runs }) {
  if (!existsSync(join(root, 'dist', 'runtime', 'runner', 'runner.js'))) return { error: 'dist/runtime is missing: run npm run build' };
  const scratch = mkdtempSync(join(tmpdir(), 'autograd-lab-first-point-'));
  try {
    const bundle = join(scratch, 'extension-under-test.mjs');
    const esbuild = spawnSync(process.execPath, ['-e', BUNDLE, bundle], { cwd: root, encoding: 'utf8' });
    if (esbuild.status !== 0) return { error: `bundling the extension's modules failed: ${esbuild.stderr.trim().split('\n').slice(-3).join(' ')}` };
    // The learner's folder: the run records go there, not into the repository.
    const workspace = join(scratch, 'workspace');
    spawnSync('mkdir', [workspace]);
    const script = join(workspace, '03-sgd.ts');
    copyFileSync(join(root, SCRIPT), script);
    const r = spawnSync(process.execPath, [join(root, 'bench', 'first-point-worker.mjs'), bundle, root, workspace, script, String(runs)], {
      cwd: root,
      encoding: 'utf8',
      timeout: 10 * 60 * 1000,
    });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_MARKER));
    if (r.status !== 0 || !line) return { error: `first-point-worker.mjs exited with ${r.status ?? r.signal}: ${`${r.stderr}`.trim().split('\n').slice(-4).join(' | ')}` };
    return { script: SCRIPT, ...JSON.parse(line.slice(RESULT_MARKER.length)) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Bundles the extension modules the measurement drives, `vscode` aliased to the fake, as
// scripts/build-extension.mjs bundles the extension (esbuild, platform node).
const BUNDLE = `
const esbuild = require('esbuild');
const path = require('node:path');
esbuild.buildSync({
  stdin: {
    contents: [
      "export { RunSessions } from './src/extension/run-session.ts';",
      "export { PanelHost } from './src/extension/panel-host.ts';",
      "export { RecordsBrowser } from './src/extension/records-browser.ts';",
      "export { Memento, panels, workspaceState, Uri } from 'vscode';",
    ].join('\\n'),
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: process.argv[1],
  alias: { vscode: path.resolve('bench/fake-vscode.mjs') },
  logLevel: 'error',
});
`;
