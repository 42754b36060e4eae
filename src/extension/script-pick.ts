/** Which script Run Training runs: pure rules (unit-tested) used by commands.ts. */

/** What the runner runs: TypeScript/JavaScript in Node, Python under Pyodide. */
export const RUNNABLE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.py'];

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
  return `Autograd Lab runs .ts, .mts, .js, .mjs and .py scripts; ${path.split(/[\\/]/).pop()} is not one.`;
}

/** Scripts that look like training scripts come first: they import autograd-lab (or torch, in Python). */
export function rankScripts<T extends { path: string; source: string }>(files: readonly T[]): T[] {
  const uses = (s: string) => /from\s+['"]autograd-lab['"]|require\(\s*['"]autograd-lab['"]\s*\)|^\s*(import|from)\s+torch\b/m.test(s);
  return [...files].filter((f) => isRunnable(f.path)).sort((a, b) => Number(uses(b.source)) - Number(uses(a.source)) || a.path.localeCompare(b.path));
}
