/**
 * Where an error's squiggle goes on its line, as pure code: the failing expression at the
 * error's column (`a.matmul(b)` in `const c = a.matmul(b); // …`), not the rest of the line with
 * its `;` and comment. The column is where V8 (or Python) places the error: inside a call chain,
 * often at the called method's name, so the range grows back over the chain it belongs to and
 * forward over its calls and indexing.
 */

/** 0-based [start, end) columns of the expression at the 1-based `column` of `line`. */
export function expressionRange(line: string, column: number): { start: number; end: number } {
  const code = codeEnd(line);
  let at = Math.min(Math.max(0, column - 1), Math.max(0, code - 1));
  // An error placed on whitespace (or a `new`/`await` keyword's gap) belongs to what follows.
  while (at < code && /\s/.test(line[at]!)) at++;
  if (at >= code || !isWordChar(line[at]!)) return wholeStatement(line, code);
  let start = at;
  while (start > 0 && isWordChar(line[start - 1]!)) start--;
  // Back over `x.`, `x?.`, `f(…).` and `y[…].` before it: the chain the failing call belongs to.
  for (;;) {
    let k = start;
    if (line[k - 1] === '.') k--;
    else break;
    if (line[k - 1] === '?') k--;
    if (line[k - 1] === ')' || line[k - 1] === ']') {
      const open = matchBackward(line, k - 1);
      if (open < 0) break;
      k = open;
    }
    let w = k;
    while (w > 0 && isWordChar(line[w - 1]!)) w--;
    if (w === k) break;
    start = w;
  }
  // Forward over the name, then calls, indexing and further `.name`s.
  let end = at;
  while (end < code && isWordChar(line[end]!)) end++;
  for (;;) {
    if (line[end] === '(' || line[end] === '[') {
      const close = matchForward(line, end, code);
      if (close < 0) break;
      end = close + 1;
    } else if (line[end] === '.' || (line[end] === '?' && line[end + 1] === '.')) {
      let k = end + (line[end] === '?' ? 2 : 1);
      const from = k;
      while (k < code && isWordChar(line[k]!)) k++;
      if (k === from) break;
      end = k;
    } else break;
  }
  return { start, end };
}

function isWordChar(c: string): boolean {
  return /[\w$]/.test(c);
}

/** The statement's code without the trailing comment, `;` and spaces, from its first non-space. */
function wholeStatement(line: string, code: number): { start: number; end: number } {
  let end = code;
  while (end > 0 && /[\s;]/.test(line[end - 1]!)) end--;
  const start = line.length - line.trimStart().length;
  return end > start ? { start, end } : { start: 0, end: line.length };
}

/** Where the code of a line ends: before a `//` or `#` comment outside strings. */
function codeEnd(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ((c === '/' && line[i + 1] === '/') || c === '#') return i;
  }
  return line.length;
}

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

function matchForward(line: string, open: number, limit: number): number {
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = open; i < limit; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (PAIRS[c]) stack.push(PAIRS[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

function matchBackward(line: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = line[i]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
