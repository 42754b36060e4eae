/**
 * Bundles the extension API suite for an extension host: test-output/integration/api/index.cjs
 * (the extensionTestsPath module) and extension.api.cjs (the mocha tests), CommonJS, with
 * `vscode` and `mocha` left to the host and node_modules.
 */
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/vscode-env/paths.mjs';

export const API_SUITE_DIR = join(REPO_ROOT, 'test-output', 'integration', 'api');

/** Builds both suites; returns the trusted suite's extensionTestsPath module (the Restricted Mode one is restricted-index.cjs beside it). */
export async function buildApiSuite(): Promise<string> {
  await esbuild.build({
    entryPoints: {
      index: join(REPO_ROOT, 'test/integration/api/index.ts'),
      'extension.api': join(REPO_ROOT, 'test/integration/api/extension.api.ts'),
      'restricted-index': join(REPO_ROOT, 'test/integration/api/restricted-index.ts'),
      'restricted.api': join(REPO_ROOT, 'test/integration/api/restricted.api.ts'),
    },
    outdir: API_SUITE_DIR,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(API_SUITE_DIR, 'index.cjs');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  console.log(await buildApiSuite());
}
