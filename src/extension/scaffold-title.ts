/** An example's title: its first comment line (`//` in TypeScript, `#` in Python), without the marker. Pure. */
export function exampleTitle(source: string, fallback: string): string {
  const m = /^\s*(?:\/\/|#)\s*(.+)$/m.exec(source);
  return m ? m[1]!.trim() : fallback;
}
