/**
 * Loads the notebook kernel's parent side at run time from the runtime bundle (dist/runtime/,
 * scripts/build-extension.mjs), as runtime.ts loads the runner: it finds its kernel process
 * beside itself (import.meta.url), so it cannot be inlined into the CommonJS extension bundle.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type KernelModule = typeof import('../../runner/kernel/notebook-kernel.js');

let loading: Promise<KernelModule> | null = null;

export function loadKernelModule(extensionPath: string): Promise<KernelModule> {
  loading ??= (import(/* webpackIgnore: true */ pathToFileURL(join(extensionPath, 'dist', 'runtime', 'runner', 'kernel', 'notebook-kernel.js')).href) as Promise<KernelModule>).catch((err: unknown) => {
    loading = null; // a later cell tries again
    throw err;
  });
  return loading;
}
