/**
 * New Training Script…: writes a blank script or one of the bundled examples into the workspace
 * and installs the
 * engine's typings as `node_modules/autograd-lab` (types only), so IntelliSense knows
 * `import torch from 'autograd-lab'` without an npm install. At run time the runner resolves
 * `autograd-lab` to the bundled engine, so nothing else is needed.
 */
import * as vscode from 'vscode';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exampleTitle } from './scaffold-title.js';
import { BLANK_TEMPLATES } from './blank-templates.js';

export interface ExampleInfo {
  file: string;
  title: string;
}


export function listExamples(extensionPath: string): ExampleInfo[] {
  const dir = join(extensionPath, 'examples', 'thermometer');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ts|py)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => ({ file: join(dir, f), title: exampleTitle(readFileSync(join(dir, f), 'utf8'), f) }));
}

/** Copies the engine's .d.ts files to <root>/node_modules/autograd-lab unless a real package is there. */
export function installTypings(extensionPath: string, root: string): boolean {
  const target = join(root, 'node_modules', 'autograd-lab');
  const pkgFile = join(target, 'package.json');
  if (existsSync(pkgFile)) {
    try {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { autogradLabTypesOnly?: boolean };
      if (!pkg.autogradLabTypesOnly) return false; // a real install: leave it
    } catch {
      return false;
    }
  }
  const source = join(extensionPath, 'dist', 'engine');
  if (!existsSync(source)) return false;
  mkdirSync(target, { recursive: true });
  cpSync(source, join(target, 'types'), { recursive: true, filter: (src) => !/\.(js|map)$/.test(src) || src === source });
  writeFileSync(
    pkgFile,
    JSON.stringify({ name: 'autograd-lab', version: '0.0.0-typings', private: true, autogradLabTypesOnly: true, types: './types/index.d.ts', description: 'Typings written by the Autograd Lab extension; scripts run with the engine bundled in the extension.' }, null, 2) + '\n',
  );
  return true;
}

export async function newTrainingScript(extensionPath: string): Promise<void> {
  const examples = listExamples(extensionPath);
  if (examples.length === 0) {
    void vscode.window.showErrorMessage('Autograd Lab: the bundled examples are missing from the extension.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: New Training Script… writes the script into your workspace.');
    return;
  }
  const blanks = Object.entries(BLANK_TEMPLATES).map(([file, text]) => ({ label: `Blank script (${file.endsWith('.py') ? 'Python' : 'TypeScript'})`, detail: 'A training loop to fill in: data, a model, a loss, an optimizer', example: { file, title: '' }, text }));
  const pick = await vscode.window.showQuickPick(
    [...blanks, ...examples.map((e) => ({ label: basename(e.file), detail: e.title, example: e, text: undefined as string | undefined }))],
    { title: 'Start from a blank script or an example?', matchOnDetail: true },
  );
  if (!pick) return;
  const name = await vscode.window.showInputBox({ title: 'File name for the new script', value: basename(pick.example.file), validateInput: (v) => (/^[\w.-]+\.(ts|mts|js|mjs|py)$/.test(v) ? null : 'a file name ending in .ts, .mts, .js, .mjs or .py') });
  if (!name) return;
  const target = vscode.Uri.joinPath(folder.uri, name);
  if (existsSync(target.fsPath)) {
    const ok = await vscode.window.showWarningMessage(`${name} exists. Replace it?`, { modal: true }, 'Replace');
    if (ok !== 'Replace') return;
  }
  await vscode.workspace.fs.writeFile(target, pick.text !== undefined ? new TextEncoder().encode(pick.text) : readFileSync(pick.example.file));
  // Python scripts import the bundled torch layer; only TypeScript/JavaScript need the typings.
  if (!name.endsWith('.py')) installTypings(extensionPath, folder.uri.fsPath);
  await vscode.window.showTextDocument(target);
}

/** Where the examples go in a workspace that has no copy of them yet. */
export const EXAMPLES_FOLDER = 'autograd-lab-examples';

/**
 * The workspace's own copy of a bundled example (`thermometer/05-train-validation.ts`), if it
 * has one: beside the workspace's root, or under examples/, thermometer/ or the folder the
 * walkthrough copies them to.
 */
export function workspaceCopy(root: string, file: string): string | null {
  const name = basename(file);
  const candidates = [join(root, name), join(root, 'thermometer', name), join(root, 'examples', 'thermometer', name), join(root, EXAMPLES_FOLDER, 'thermometer', name)];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** Copies the bundled examples (scripts only) into `<root>/autograd-lab-examples`, leaving files that exist alone. */
export function copyExamples(extensionPath: string, root: string): string {
  const target = join(root, EXAMPLES_FOLDER);
  const source = join(extensionPath, 'examples');
  cpSync(source, target, { recursive: true, force: false, filter: (src) => !/\.expected\.txt$/.test(src) });
  return target;
}

/**
 * Opens an example for the learner to run and change: the workspace's copy, made first (all the
 * examples, into autograd-lab-examples/) when the workspace has none. Never the extension's own
 * copy, which is read-only to the learner and gone with the next update. Returns the file opened.
 */
export async function openExample(extensionPath: string, file: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const choice = await vscode.window.showWarningMessage('Open a folder first: the examples are copied into your workspace, so they are yours to run and change.', 'Open Folder…');
    if (choice) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  const root = folder.uri.fsPath;
  let path = workspaceCopy(root, file);
  if (!path) {
    if (!existsSync(join(extensionPath, 'examples', 'thermometer', basename(file)))) {
      void vscode.window.showErrorMessage(`Autograd Lab: the bundled example ${basename(file)} is missing from the extension.`);
      return undefined;
    }
    copyExamples(extensionPath, root);
    installTypings(extensionPath, root);
    path = join(root, EXAMPLES_FOLDER, 'thermometer', basename(file));
  }
  const uri = vscode.Uri.file(path);
  await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
  return uri;
}
