/**
 * Line probes, the source side: rewrites a learner's (already transpiled) JavaScript so that
 * every statement assigning a value to a plain name also hands that value to the probe
 * recorder, without changing what the script computes or moving any of its text:
 *
 *   const loss = loss_fn(t_p, t_c);      →  const loss = loss_fn(t_p, t_c);__agl_probe(3, loss);
 *   train_loss = total / n;              →  train_loss = total / n, __agl_probe(4, train_loss);
 *   epoch_loss += loss.item();           →  epoch_loss += loss.item(), __agl_probe(5, epoch_loss);
 *
 * The probe goes after what it reads — a statement of its own after a declaration, the last term
 * of the statement's own expression after an assignment (so a loop body without braces stays
 * one statement) — and the learner's text keeps its lines and columns: an error reports the
 * place V8 sees, and needs no source map of ours. Only text after a probed statement on the same
 * line moves; instrument() reports every insertion, so the loader can shift a source map over
 * them. (A `var` that is the whole body of an `if` or a loop has no room after it: there the value
 * itself is wrapped, `var v = __agl_probe(6, f(x))`, which moves the rest of its line.)
 *
 * The prelude — hoisted function declarations, so they exist before any code of the module
 * runs, even under circular imports — goes after the last line. It registers the file's probe
 * sites with the recorder on the first probe, through `globalThis.__autogradLab.file(file,
 * sites)` (the engine's AutogradLabGlobal; probes.ts installs it, or only the naming of values
 * when the graph is on and probes are off): instrumenting needs no shared state with the process
 * that runs the code, so it can run in the loader's hook thread. Without the global the probes
 * are a no-op.
 */
import { parse, type Node, type Program, type Expression, type AnyNode, type Options, type Token } from 'acorn';
import { ancestor } from 'acorn-walk';
import type { ProbeSite } from '../../engine/index.js';

export type { ProbeSite };

/**
 * Text instrument() put into a line of the code: at a 0-based line and column of the input,
 * `length` characters, never a line break. (The prelude, after the last line, is not one.)
 */
export interface Insertion {
  line: number;
  column: number;
  length: number;
}

export interface InstrumentResult {
  code: string;
  probes: ProbeSite[];
  /** In input order (line, then column); at one place, in the order they were put there. */
  insertions: Insertion[];
  /** With the `tokens` option: each token's 0-based line and column in `js`, in order. */
  tokens?: TokenStart[];
}

export interface InstrumentOptions {
  /** Also report where every token of `js` starts (for a source map of code that has none). */
  tokens?: boolean;
  /**
   * The learner's column (0-based) of a 0-based line and column of `js`, when `js` was made from
   * their source with other columns (TypeScript with its types removed): probe sites report it.
   */
  sourceColumn?: (line: number, column: number) => number;
}

/** Where a line of JavaScript ends, for V8 (and acorn): line and column numbers count by it. */
export const LINE_BREAK = /\r\n?|\n|\u2028|\u2029/;

/** Nodes whose statements are a list: a statement can follow another there. */
const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);

type Named = Node & { name: string };
/** A probed assignment: the name it assigns and where its probe goes. */
type Site =
  | { name: Named; kind: 'statement'; after: Node }
  | { name: Named; kind: 'term'; after: Node }
  | { name: Named; kind: 'wrap'; value: Expression };

/** The probe function the instrumented code calls. */
export const PROBE_FUNCTION = '__agl_probe';

interface Edit {
  pos: number;
  text: string;
  /** At one position: closers of wraps and probes after a statement (0), then openers of wraps (1). */
  order: 0 | 1;
}

const BASE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  locations: true,
  allowHashBang: true,
  allowAwaitOutsideFunction: true,
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: false,
};

/**
 * Where a token starts (0-based). A closer — `;` `,` `)` `]` `}` — is never where a stack frame
 * points (calls, `new`, `throw` and property reads start at other tokens).
 */
export interface TokenStart {
  line: number;
  column: number;
  closer: boolean;
}

const CLOSERS = new Set([';', ',', ')', ']', '}']);

function parseProgram(js: string, tokens: TokenStart[] | null): Program | null {
  const onToken =
    tokens === null
      ? undefined
      : (token: Token) => void tokens.push({ line: token.loc!.start.line - 1, column: token.loc!.start.column, closer: CLOSERS.has(token.type.label) });
  try {
    return parse(js, { ...BASE_OPTIONS, sourceType: 'module', onToken });
  } catch {
    // CommonJS or sloppy-mode code (`with`, octal literals, ...).
    if (tokens !== null) tokens.length = 0;
    try {
      return parse(js, { ...BASE_OPTIONS, sourceType: 'script', onToken });
    } catch {
      // Not ours to report: the unmodified code gives Node's own SyntaxError.
      return null;
    }
  }
}

/** False for values that can't be a scalar, or whose wrapping would change meaning. */
function isProbeable(node: Expression): boolean {
  switch (node.type) {
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
    // `const f = () => {}` names the function `f`; a call around it would lose that.
    case 'ArrayExpression':
    case 'ObjectExpression':
    case 'TemplateLiteral':
    case 'TaggedTemplateExpression':
    case 'ImportExpression':
    case 'Literal':
    // Constants are visible in the source; `let total = 0` inside a loop is a reset, not a value.
    // (`new` is probed: nothing to record, but `const model = new nn.Sequential(...)` names the
    // model's parameters for the graph view.)
    case 'MetaProperty':
    case 'ThisExpression':
      return false;
    case 'UnaryExpression':
      return node.argument.type !== 'Literal';
    case 'CallExpression':
      return !(node.callee.type === 'Identifier' && node.callee.name === 'require');
    case 'AwaitExpression':
      return node.argument.type !== 'ImportExpression';
    case 'Identifier':
      return node.name !== 'undefined';
    default:
      return true;
  }
}

function prelude(file: string, probes: ProbeSite[]): string {
  const sites = JSON.stringify(probes);
  return (
    `var __agl_p;` +
    `function ${PROBE_FUNCTION}(i,v){return(__agl_p||(__agl_p=__agl_init()))(i,v)}` +
    `function __agl_init(){var l=globalThis.__autogradLab;` +
    `return l&&typeof l.file==="function"?l.file(${JSON.stringify(file)},${sites}):function(i,v){return v}}`
  );
}

/**
 * Instruments `js` (the script as Node will run it, transpiled from TypeScript with lines kept)
 * for line probes. `file` is the learner's file as the recorder should report it. Code that
 * doesn't parse is returned unchanged.
 */
export function instrument(js: string, file: string, options: InstrumentOptions = {}): InstrumentResult {
  const tokens: TokenStart[] | null = options.tokens ? [] : null;
  const program = parseProgram(js, tokens);
  if (program === null) return { code: js, probes: [], insertions: [] };

  const sites: Site[] = [];
  ancestor(program, {
    VariableDeclaration(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
      if (parent !== undefined) {
        // Loop heads: `for (let i = 0; ...)`, `for (const x of xs)`.
        if (parent.type === 'ForStatement' && parent.init === node) return;
        if ((parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === node) return;
      }
      if (node.kind !== 'const' && node.kind !== 'let' && node.kind !== 'var') return;
      // The statement the declaration is (`export const x = …` is one), and whether a statement may follow it.
      const statement = parent?.type === 'ExportNamedDeclaration' ? parent : node;
      const holder = (parent?.type === 'ExportNamedDeclaration' ? ancestors[ancestors.length - 3] : parent) as AnyNode | undefined;
      const inList = holder === undefined || STATEMENT_LISTS.has(holder.type);
      for (const declarator of node.declarations) {
        if (declarator.id.type !== 'Identifier' || declarator.init === null || declarator.init === undefined) continue;
        if (!isProbeable(declarator.init)) continue;
        sites.push(inList ? { name: declarator.id, after: statement, kind: 'statement' } : { name: declarator.id, value: declarator.init, kind: 'wrap' });
      }
    },
    ExpressionStatement(node) {
      const expression = node.expression;
      if (expression.type !== 'AssignmentExpression' || expression.left.type !== 'Identifier') return;
      if (!isProbeable(expression.right)) return;
      sites.push({ name: expression.left, after: expression, kind: 'term' });
    },
  });

  if (sites.length === 0) return { code: js, probes: [], insertions: [] };

  // Ids in source order (the walk visits an inner statement before the one around it).
  sites.sort((a, b) => a.name.start - b.name.start);
  const probes: ProbeSite[] = [];
  const edits: Edit[] = [];
  for (const site of sites) {
    const id = probes.length;
    const { name } = site;
    const { line, column } = name.loc!.start;
    probes.push({ id, line, column: (options.sourceColumn?.(line - 1, column) ?? column) + 1, name: name.name });
    const call = `${PROBE_FUNCTION}(${id}, ${name.name})`;
    if (site.kind === 'term') {
      edits.push({ pos: site.after.end, text: `, ${call}`, order: 0 });
    } else if (site.kind === 'statement') {
      // After the declaration's own semicolon, or with one where it has none (ASI).
      edits.push({ pos: site.after.end, text: `${js[site.after.end - 1] === ';' ? '' : ';'}${call};`, order: 0 });
    } else {
      const sequence = site.value.type === 'SequenceExpression';
      edits.push({ pos: site.value.start, text: `${PROBE_FUNCTION}(${id}, ${sequence ? '(' : ''}`, order: 1 });
      edits.push({ pos: site.value.end, text: sequence ? '))' : ')', order: 0 });
    }
  }

  // In position order; at one position closers and probes first, then openers. (Two sites never
  // insert at one position otherwise: a probed statement inside another's value sits inside a
  // function body's braces.) Probes after one declaration keep their source order (a stable sort).
  edits.sort((a, b) => a.pos - b.pos || a.order - b.order);
  let code = '';
  let last = 0;
  const insertions: Insertion[] = [];
  // The line of the current edit and where it starts in `js`; lines end where V8's (and acorn's) do.
  let line = 0;
  let lineStart = 0;
  const lineBreaks = new RegExp(LINE_BREAK.source, 'g');
  for (const edit of edits) {
    code += js.slice(last, edit.pos) + edit.text;
    lineBreaks.lastIndex = lineStart;
    for (let m = lineBreaks.exec(js); m !== null && m.index < edit.pos; m = lineBreaks.exec(js)) {
      line++;
      lineStart = m.index + m[0].length;
    }
    insertions.push({ line, column: edit.pos - lineStart, length: edit.text.length });
    last = edit.pos;
  }
  // After the last line (a last line that is a `//` comment would swallow it otherwise).
  code += `${js.slice(last)}\n${prelude(file, probes)}`;
  return tokens === null ? { code, probes, insertions } : { code, probes, insertions, tokens };
}
