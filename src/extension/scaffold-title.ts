/** An example's title: the first comment line of the file, without `//`. Pure. */
export function exampleTitle(source: string, fallback: string): string {
  const m = /^\s*\/\/\s*(.+)$/m.exec(source);
  return m ? m[1]!.trim() : fallback;
}
