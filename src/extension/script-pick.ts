/** Which script Run Training runs: pure rules (unit-tested) used by commands.ts. */
export const RUNNABLE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
export const SHOWN_EXTENSIONS = [...RUNNABLE_EXTENSIONS, '.py'];

export function extensionOf(path: string): string {
  const m = /(\.[^./\\]+)$/.exec(path);
  return m ? m[1]!.toLowerCase() : '';
}

export function isRunnable(path: string): boolean {
  return RUNNABLE_EXTENSIONS.includes(extensionOf(path)) && !path.endsWith('.d.ts');
}

/** Why a file can't be run, or null when it can. */
export function notRunnableReason(path: string): string | null {
  if (isRunnable(path)) return null;
  if (extensionOf(path) === '.py') return 'Python scripts are not supported by the runner yet: write the script in TypeScript or JavaScript (see the examples, or Autograd Lab: New Training Script…).';
  return `Autograd Lab runs .ts, .mts, .js and .mjs scripts; ${path.split(/[\\/]/).pop()} is not one.`;
}

/** Scripts that look like training scripts come first: they import autograd-lab. */
export function rankScripts<T extends { path: string; source: string }>(files: readonly T[]): T[] {
  const uses = (s: string) => /from\s+['"]autograd-lab['"]|require\(\s*['"]autograd-lab['"]\s*\)/.test(s);
  return [...files].filter((f) => isRunnable(f.path)).sort((a, b) => Number(uses(b.source)) - Number(uses(a.source)) || a.path.localeCompare(b.path));
}
