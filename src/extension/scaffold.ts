/**
 * New Training Script…: copies one of the bundled examples into the workspace and installs the
 * engine's typings as `node_modules/autograd-lab` (types only), so IntelliSense knows
 * `import torch from 'autograd-lab'` without an npm install. At run time the runner resolves
 * `autograd-lab` to the bundled engine, so nothing else is needed.
 */
import * as vscode from 'vscode';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exampleTitle } from './scaffold-title.js';

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
  const pick = await vscode.window.showQuickPick(
    examples.map((e) => ({ label: basename(e.file), detail: e.title, example: e })),
    { title: 'Start from which example?', matchOnDetail: true },
  );
  if (!pick) return;
  const name = await vscode.window.showInputBox({ title: 'File name for the new script', value: basename(pick.example.file), validateInput: (v) => (/^[\w.-]+\.(ts|mts|js|mjs|py)$/.test(v) ? null : 'a file name ending in .ts, .mts, .js, .mjs or .py') });
  if (!name) return;
  const target = vscode.Uri.joinPath(folder.uri, name);
  if (existsSync(target.fsPath)) {
    const ok = await vscode.window.showWarningMessage(`${name} exists. Replace it?`, { modal: true }, 'Replace');
    if (ok !== 'Replace') return;
  }
  await vscode.workspace.fs.writeFile(target, readFileSync(pick.example.file));
  // Python scripts import the bundled torch layer; only TypeScript/JavaScript need the typings.
  if (!name.endsWith('.py')) installTypings(extensionPath, folder.uri.fsPath);
  await vscode.window.showTextDocument(target);
}

export async function openExample(extensionPath: string, file: string): Promise<void> {
  const path = join(extensionPath, 'examples', 'thermometer', file);
  if (!existsSync(path)) return;
  await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
}
