/**
 * Line probes, the source side: rewrites a learner's (already transpiled) JavaScript so that
 * every statement assigning a value to a plain name also hands that value to the probe
 * recorder, without changing what the script computes.
 *
 *   const loss = loss_fn(t_p, t_c);      →  const loss = __agl_probe(3, loss_fn(t_p, t_c));
 *   train_loss = total / n;              →  train_loss = __agl_probe(4, total / n);
 *   epoch_loss += loss.item();           →  __agl_probe(5, epoch_loss += loss.item());
 *
 * `__agl_probe(id, value)` returns `value` unchanged. Every edit is an insertion inside a line,
 * so line numbers (and with them stack traces and the loader's source map) stay right; only
 * columns on edited lines shift.
 *
 * The prelude is a hoisted function declaration (so it exists before any code of the module
 * runs, even under circular imports) put on the first line. It registers the file's probe
 * sites with the recorder on the first probe, through `globalThis.__autogradLab.file(file,
 * sites)` (the engine's AutogradLabGlobal; probes.ts installs it, or only the naming of values
 * when the graph is on and probes are off): instrumenting needs no shared state with the process
 * that runs the code, so it can run in the loader's hook thread. Without the global the probes
 * are a no-op.
 */
import { parse, type Node, type Program, type Expression, type AnyNode, type Options } from 'acorn';
import { ancestor } from 'acorn-walk';
import type { ProbeSite } from '../../engine/index.js';

export type { ProbeSite };

export interface InstrumentResult {
  code: string;
  probes: ProbeSite[];
}

/** The probe function the instrumented code calls. */
export const PROBE_FUNCTION = '__agl_probe';

interface Edit {
  pos: number;
  text: string;
  /** At one position: the prelude (-1) first, then closers of wraps (0), then openers (1). */
  order: -1 | 0 | 1;
}

const BASE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  locations: true,
  allowHashBang: true,
  allowAwaitOutsideFunction: true,
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: false,
};

function parseProgram(js: string): Program | null {
  try {
    return parse(js, { ...BASE_OPTIONS, sourceType: 'module' });
  } catch {
    // CommonJS or sloppy-mode code (`with`, octal literals, ...).
    try {
      return parse(js, { ...BASE_OPTIONS, sourceType: 'script' });
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

/** Where the prelude goes: after a hashbang line and after a directive prologue ('use strict'). */
function preludePosition(js: string, program: Program): { pos: number; prefix: string } {
  if (js.startsWith('#!')) {
    const newline = js.indexOf('\n');
    if (newline === -1) return { pos: js.length, prefix: '\n' };
    return { pos: newline + 1, prefix: '' };
  }
  let pos = 0;
  for (const statement of program.body) {
    if (statement.type === 'ExpressionStatement' && typeof (statement as { directive?: string }).directive === 'string') pos = statement.end;
    else break;
  }
  return { pos, prefix: '' };
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
export function instrument(js: string, file: string): InstrumentResult {
  const program = parseProgram(js);
  if (program === null) return { code: js, probes: [] };

  const wraps: { value: Node; name: Node & { name: string } }[] = [];
  const wrap = (value: Node, name: Node & { name: string }): void => {
    wraps.push({ value, name });
  };

  ancestor(program, {
    VariableDeclaration(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
      if (parent !== undefined) {
        // Loop heads: `for (let i = 0; ...)`, `for (const x of xs)`.
        if (parent.type === 'ForStatement' && parent.init === node) return;
        if ((parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === node) return;
      }
      if (node.kind !== 'const' && node.kind !== 'let' && node.kind !== 'var') return;
      for (const declarator of node.declarations) {
        if (declarator.id.type !== 'Identifier' || declarator.init === null || declarator.init === undefined) continue;
        if (!isProbeable(declarator.init)) continue;
        wrap(declarator.init, declarator.id);
      }
    },
    ExpressionStatement(node) {
      const expression = node.expression;
      if (expression.type !== 'AssignmentExpression' || expression.left.type !== 'Identifier') return;
      if (!isProbeable(expression.right)) return;
      if (expression.operator === '=') wrap(expression.right, expression.left);
      else wrap(expression, expression.left);
    },
  });

  if (wraps.length === 0) return { code: js, probes: [] };

  // Ids in source order (the walk visits an inner statement before the one around it).
  wraps.sort((a, b) => a.name.start - b.name.start);
  const probes: ProbeSite[] = [];
  const edits: Edit[] = [];
  for (const { value, name } of wraps) {
    const id = probes.length;
    probes.push({ id, line: name.loc!.start.line, column: name.loc!.start.column + 1, name: name.name });
    const sequence = value.type === 'SequenceExpression';
    edits.push({ pos: value.start, text: `${PROBE_FUNCTION}(${id}, ${sequence ? '(' : ''}`, order: 1 });
    edits.push({ pos: value.end, text: sequence ? '))' : ')', order: 0 });
  }

  const { pos, prefix } = preludePosition(js, program);
  edits.push({ pos, text: prefix + prelude(file, probes), order: -1 });

  // In position order; at one position the prelude, then closers, then openers. (Two wraps never
  // open or close at one position: a wrapped statement inside another wrapped value sits
  // inside a function body's braces.)
  edits.sort((a, b) => a.pos - b.pos || a.order - b.order);
  let code = '';
  let last = 0;
  for (const edit of edits) {
    code += js.slice(last, edit.pos) + edit.text;
    last = edit.pos;
  }
  code += js.slice(last);
  return { code, probes };
}
