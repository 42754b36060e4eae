/**
 * Writes src/engine/signatures/engine-calls.json: how each engine callable takes its arguments,
 * read from the engine's own TypeScript declarations (so nothing keeps a second copy of them).
 * For every parameter: its name, the kinds of value it takes, whether it is required, a rest
 * parameter or nullable, and, where its type admits an options object, the option names it
 * reads. Beside the calls, PyTorch's name for each callable and type for each parameter (from
 * the signature table, pytorch-signatures.json), for the engine's TypeErrors.
 *
 *   npx tsx src/runner/child/python/gen_engine_calls.ts
 *
 * Two readers: the engine validates every call of its API against it (src/engine/signatures/
 * validate.ts, through engine-calls.ts), and the Python layer places each value PyTorch's
 * binding gave it: positionally where an engine parameter has its name, else in the options
 * object of the first parameter slot that reads all the remaining names.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const entry = join(root, 'src', 'engine', 'index.ts');
const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(entry)!;
const moduleSymbol = checker.getSymbolAtLocation(source)!;

interface Param {
  name: string;
  rest?: true;
  /** What the parameter takes (for a rest parameter, each of its elements): tensor, number, array... */
  kinds: string[];
  /** The options object's names and what each takes. */
  options?: Record<string, string[]>;
  /** The engine call needs a value here. */
  required?: true;
  /** The type admits null or undefined (a required parameter may still be given null). */
  nullable?: true;
}
type Call = Param[][];

const NOT_OPTIONS = new Set(['Tensor', 'Parameter', 'DType', 'Generator', 'Slice', 'Module', 'Optimizer', 'PyFloat', 'Set', 'Map', 'ReadonlyMap', 'Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array']);

const CLASS_KINDS: Record<string, string> = {
  Tensor: 'tensor',
  Parameter: 'tensor',
  DType: 'dtype',
  Generator: 'generator',
  Optimizer: 'optimizer',
  Module: 'module',
  Slice: 'slice',
  // A Python float with an integral value (src/engine/scalar.ts): where a parameter takes one,
  // the Python layer hands it Python's 2.0 as such.
  PyFloat: 'pyfloat',
};

/** The kinds of value a type admits: tensor, dtype, number, boolean, string, array, function, object ('*': anything). */
function kindsOf(type: ts.Type, depth = 0): Set<string> {
  const out = new Set<string>();
  const parts = type.isUnion() ? type.types : [type];
  for (const t of parts) {
    const f = t.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) out.add('*');
    else if (f & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) out.add('number');
    else if (f & ts.TypeFlags.BooleanLike) out.add('boolean');
    else if (f & ts.TypeFlags.StringLike) out.add('string');
    else if (f & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
    else if (checker.isTupleType(t) || checker.isArrayType(t)) out.add('array');
    else if (t.getCallSignatures().length > 0) out.add('function');
    else {
      let sym = t.getSymbol();
      let kind: string | undefined;
      for (let base: ts.Type | undefined = t; base && !kind; ) {
        kind = CLASS_KINDS[base.getSymbol()?.getName() ?? ''];
        const bases: ts.Type[] = base.isClassOrInterface() ? checker.getBaseTypes(base as ts.InterfaceType) : [];
        base = bases[0];
      }
      if (kind) out.add(kind);
      else if (sym && ['Iterable', 'Set', 'Map'].includes(sym.getName())) out.add('array');
      else if (f & ts.TypeFlags.TypeParameter) out.add('*');
      else if (depth < 2 && (t.isIntersection())) for (const k of kindsOf(t, depth + 1)) out.add(k);
      else out.add('object');
      sym = undefined;
    }
  }
  return out;
}

/** The option names an argument of this type may carry, with what each takes (an object type that isn't a value class). */
function optionFields(type: ts.Type, depth = 0): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (depth > 4) return out;
  const parts = type.isUnion() || type.isIntersection() ? type.types : [type];
  for (const t of parts) {
    if (!(t.flags & ts.TypeFlags.Object) || t.flags & ts.TypeFlags.NonPrimitive) continue;
    if (checker.isTupleType(t) || checker.isArrayType(t)) {
      for (const e of checker.getTypeArguments(t as ts.TypeReference)) for (const [n, k] of optionFields(e, depth + 1)) out.set(n, k);
      continue;
    }
    if (t.getCallSignatures().length > 0) continue;
    const name = t.getSymbol()?.getName() ?? '';
    if (NOT_OPTIONS.has(name) || t.getConstructSignatures().length > 0) continue;
    if (t.getSymbol()?.valueDeclaration && ts.isClassDeclaration(t.getSymbol()!.valueDeclaration!)) continue;
    const props = checker.getPropertiesOfType(t);
    if (props.some((p) => p.getName() === 'length')) continue;
    for (const p of props) {
      if (p.getName().startsWith('__@')) continue;
      out.set(p.getName(), kindsOf(checker.getTypeOfSymbol(p)));
    }
  }
  return out;
}

function param(name: string, type: ts.Type, rest: boolean): Param {
  // A rest parameter's kinds are its elements' (`...shape: number[]` takes numbers, `...shape:
  // number[] | [number[]]` numbers or one array).
  const members = rest && type.isUnion() ? type.types : [type];
  const kinds = new Set<string>();
  const admitted: ts.Type[] = []; // what one argument may be: the type, or a rest parameter's elements
  for (const m of members) {
    const elements = rest && (checker.isArrayType(m) || checker.isTupleType(m)) ? checker.getTypeArguments(m as ts.TypeReference) : [m];
    for (const e of elements) {
      for (const k of kindsOf(e)) kinds.add(k);
      admitted.push(...(e.isUnion() ? e.types : [e]));
    }
  }
  const p: Param = { name, kinds: [...kinds].sort() };
  if (rest) p.rest = true;
  // Nullable: null or undefined may be passed (for a rest parameter, as one of its elements: t.index(null, 1)).
  const nullish = rest ? admitted : type.isUnion() ? type.types : [type];
  if (nullish.some((t) => t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void))) p.nullable = true;
  const fields = optionFields(type);
  if (fields.size > 0) p.options = Object.fromEntries([...fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, k]) => [n, [...k].sort()]));
  return p;
}

/** Whether a declared type mentions a type parameter (Optimizer<G>'s methods): what it takes is only known per subclass. */
function mentionsTypeParameter(node: ts.Node | undefined): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isTypeReferenceNode(n) && checker.getTypeAtLocation(n).flags & ts.TypeFlags.TypeParameter) found = true;
    else ts.forEachChild(n, visit);
  };
  if (node) visit(node);
  return found;
}

function describe(signature: ts.Signature, at: ts.Node): Param[] {
  return signature.getParameters().flatMap((symbol) => {
    const decl = symbol.valueDeclaration as ts.ParameterDeclaration | undefined;
    const type = checker.getTypeOfSymbolAtLocation(symbol, decl ?? at);
    const rest = Boolean(decl?.dotDotDotToken) || (decl === undefined && checker.isTupleType(type));
    // `(self, ...args: Parameters<Tensor['neg']>)`: the labelled tuple gives the method's own names.
    if (rest && checker.isTupleType(type)) {
      const target = (type as ts.TypeReference).target as ts.TupleType;
      const labels = target.labeledElementDeclarations;
      if (labels && labels.length > 0 && labels.every((l) => l !== undefined)) {
        const elements = checker.getTypeArguments(type as ts.TypeReference);
        return labels.map((l, i) => {
          const p = param((l!.name as ts.Identifier).text, elements[i]!, Boolean(target.elementFlags[i]! & ts.ElementFlags.Rest));
          if (target.elementFlags[i]! & ts.ElementFlags.Required) p.required = true;
          return p;
        });
      }
      if (target.fixedLength === 0 && !(target.combinedFlags & ts.ElementFlags.Variable)) return [];
    }
    const p = param(symbol.getName(), type, rest);
    if (decl && !rest && !decl.questionToken && !decl.initializer) p.required = true;
    if (mentionsTypeParameter(decl?.type)) {
      // A generic base class's parameter: anything (its subclasses' own declarations say more).
      p.kinds = ['*'];
      delete p.options;
    }
    return [p];
  });
}

function callOf(type: ts.Type, at: ts.Node, construct = false): Call | null {
  const sigs = construct ? type.getConstructSignatures() : type.getCallSignatures();
  if (sigs.length === 0) return null;
  return sigs.map((s) => describe(s, at));
}

const calls: Record<string, Call> = {};

function exported(name: string): ts.Symbol {
  const s = checker.getExportsOfModule(moduleSymbol).find((e) => e.getName() === name);
  if (!s) throw new Error(`src/engine/index.ts exports no ${name}`);
  return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

/** Every callable member of an object or namespace value, as `prefix.name` (namespaces within, too). */
function members(prefix: string, type: ts.Type, at: ts.Node, depth = 0): void {
  for (const prop of checker.getPropertiesOfType(type)) {
    const t = checker.getTypeOfSymbolAtLocation(prop, at);
    const name = prop.getName();
    const call = callOf(t, at);
    if (call) calls[`${prefix}.${name}`] = call;
    const construct = callOf(t, at, true);
    if (construct && /^[A-Z]/.test(name)) {
      calls[`${prefix}.${name}`] = construct;
      classMethods(`${prefix}.${name}`, t, at);
    }
    if (!call && !construct && depth < 2 && /^[a-z]/.test(name) && t.flags & ts.TypeFlags.Object) members(`${prefix}.${name}`, t, at, depth + 1);
  }
}

/** The public methods of a class (from its instance type). */
function classMethods(prefix: string, classType: ts.Type, at: ts.Node): void {
  const instance = classType.getConstructSignatures()[0]?.getReturnType();
  if (!instance) return;
  for (const prop of checker.getPropertiesOfType(instance)) {
    const name = prop.getName();
    if (name.startsWith('_') || name === 'constructor') continue;
    const call = callOf(checker.getTypeOfSymbolAtLocation(prop, at), at);
    if (call) calls[`${prefix}.${name}`] = call;
  }
}

const torch = exported('torch');
members('torch', checker.getTypeOfSymbolAtLocation(torch, source), source);
const tensor = exported('Tensor');
classMethods('Tensor', checker.getTypeOfSymbolAtLocation(tensor, source), source);
const nn = exported('nn');
members('torch.nn', checker.getTypeOfSymbolAtLocation(nn, source), source);
const optim = exported('optim');
members('torch.optim', checker.getTypeOfSymbolAtLocation(optim, source), source);

/**
 * PyTorch's name of each callable the signature table has (`add`, `Linear.__init__`) and the
 * type its parser prints for each parameter (`Tensor`, `Number`, `tuple of ints`), for messages
 * in PyTorch's words.
 */
interface PyTorchNames {
  name: string;
  types?: Record<string, string>;
}
const table = JSON.parse(readFileSync(join(root, 'src', 'engine', 'signatures', 'pytorch-signatures.json'), 'utf8')) as {
  typeNames: Record<string, string>;
  callables: Record<string, { native?: string[]; python?: string; qualname?: string; operator?: string }>;
};
function pytorchNames(key: string): PyTorchNames | null {
  const entry = table.callables[key];
  if (!entry) return null;
  if (entry.python !== undefined) return { name: entry.qualname ?? key.slice(key.lastIndexOf('.') + 1) };
  if (!entry.native) return null;
  const types: Record<string, string> = {};
  for (const sig of entry.native) {
    const inner = sig.slice(sig.indexOf('(') + 1, sig.lastIndexOf(')'));
    for (const part of inner.split(', ')) {
      if (part === '*' || !part) continue;
      const [ctype, rest] = [part.slice(0, part.indexOf(' ')), part.slice(part.indexOf(' ') + 1)];
      const name = rest.split('=')[0]!;
      const base = ctype.replace(/\[\d*\]/, '').replace(/\?/g, '');
      types[name] ??= table.typeNames[base] ?? base;
    }
  }
  return { name: entry.native[0]!.slice(0, entry.native[0]!.indexOf('(')), types };
}

const out = join(root, 'src', 'engine', 'signatures', 'engine-calls.json');
const sorted = Object.fromEntries(Object.entries(calls).sort(([a], [b]) => (a < b ? -1 : 1)));
const pytorch = Object.fromEntries(Object.keys(sorted).flatMap((k) => {
  const names = pytorchNames(k);
  return names ? [[k, names]] : [];
}));
const text = JSON.stringify(
  { about: 'How each engine callable takes its arguments, read from its TypeScript declarations by src/runner/child/python/gen_engine_calls.ts; do not edit.', calls: sorted, pytorch },
  null,
  0,
);
writeFileSync(out, `${text}\n`);
// The same data for the engine, which validates its calls by it (a module: no JSON import needed).
const validateModule = JSON.stringify('./validate.js'); // (written so, the source scan doesn't read it as this file's import)
writeFileSync(
  join(root, 'src', 'engine', 'signatures', 'engine-calls.ts'),
  `// Generated by src/runner/child/python/gen_engine_calls.ts from the engine's declarations; do not edit.\nimport type { EngineCallTable } from ${validateModule.replace(/"/g, "'")};\n\nexport const ENGINE_CALLS: EngineCallTable = JSON.parse(${JSON.stringify(text)}) as EngineCallTable;\n`,
);
// The same data for the Python layer, which reads no files outside its package.
writeFileSync(
  join(root, 'src', 'runner', 'child', 'python', 'py', 'torch', '_engine_calls.py'),
  `"""Generated by gen_engine_calls.ts from src/engine/signatures/engine-calls.json; do not edit."""\nTEXT = r'''${text}'''\n`,
);
console.log(`${Object.keys(calls).length} engine callables written to ${out}`);
