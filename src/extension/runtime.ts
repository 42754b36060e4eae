/**
 * Loads the training runner. The runner finds its script host next to itself (import.meta.url),
 * so it cannot be inlined into the CommonJS extension bundle: scripts/build-extension.mjs
 * bundles it as ESM into dist/runtime/ (runner/runner.js, runner/child/*.js, engine/index.js,
 * the layout the runner expects), and the extension imports it at run time.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type RunnerModule = typeof import('../runner/runner.js');

let loading: Promise<RunnerModule> | null = null;

export function loadRunner(extensionPath: string): Promise<RunnerModule> {
  loading ??= import(/* webpackIgnore: true */ pathToFileURL(join(extensionPath, 'dist', 'runtime', 'runner', 'runner.js')).href) as Promise<RunnerModule>;
  return loading;
}
