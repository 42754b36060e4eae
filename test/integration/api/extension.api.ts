/// <reference types="mocha" />
/**
 * The extension through VS Code's API, inside a real extension host: the standard extension test
 * suite. It runs under @vscode/test-electron (.vscode-test.mjs, where VS Code desktop can be
 * downloaded) and, here, inside code-server (test/integration/api-suite.test.ts). Bundled by
 * test/integration/api/build.ts; mocha's BDD globals come from the runner.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AutogradLabApi } from '../../../src/extension/extension.js';
import type { LiveRun } from '../../../src/extension/run-session.js';
import { writeRecordedRun } from './records-fixture.js';

const EXTENSION_ID = 'autograd-lab.autograd-lab';

interface Manifest {
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { default: unknown }> } };
}

async function activeApi(): Promise<{ api: AutogradLabApi; extension: vscode.Extension<AutogradLabApi> }> {
  const extension = vscode.extensions.getExtension<AutogradLabApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return { api: await extension.activate(), extension };
}

/** The next run the extension starts (of any script). */
function nextRun(api: AutogradLabApi): Promise<LiveRun> {
  return new Promise((resolve) => {
    const sub = api.sessions.onDidStart((live) => {
      sub.dispose();
      resolve(live);
    });
  });
}

/** Runs a script with the Run Training command and waits for its run to end. */
async function runTraining(api: AutogradLabApi, script: string): Promise<string> {
  const started = nextRun(api);
  await vscode.commands.executeCommand('autogradLab.runTraining', vscode.Uri.file(script));
  const end = await (await started).done;
  return end.type === 'run-failed' ? 'failed' : end.status;
}

describe('Autograd Lab extension API', function () {
  this.timeout(120_000);
  let scripts: string;

  before(() => {
    scripts = mkdtempSync(join(tmpdir(), 'autograd-lab-api-'));
  });

  it('activates and registers every command its manifest contributes', async () => {
    const { extension } = await activeApi();
    assert.equal(extension.isActive, true);
    const manifest = extension.packageJSON as Manifest;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('reads its settings with the manifest defaults', async () => {
    const { extension } = await activeApi();
    const manifest = extension.packageJSON as Manifest;
    const config = vscode.workspace.getConfiguration();
    for (const [key, spec] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.deepEqual(config.get(key), spec.default, key);
    }
  });

  it('Run Training on 05-train-validation.ts annotates its loss lines with 3000 hits each', async () => {
    const { api, extension } = await activeApi();
    const script = join(scripts, '05-train-validation.ts');
    copyFileSync(join(extension.extensionPath, 'examples', 'thermometer', '05-train-validation.ts'), script);
    await vscode.window.showTextDocument(vscode.Uri.file(script));
    const status = await runTraining(api, script);
    assert.equal(status, 'completed');
    const hits = Object.fromEntries(api.gutter.probesOf(script).map((p) => [p.name, p.hits]));
    assert.equal(hits.train_loss, 3000);
    assert.equal(hits.val_loss, 3000);
  });

  it('a failing script becomes an error diagnostic on its line', async () => {
    const { api } = await activeApi();
    const script = join(scripts, 'broken.ts');
    writeFileSync(script, "import torch from 'autograd-lab';\n\nconst a = torch.tensor([[1, 2, 3], [4, 5, 6]]);\nconsole.log(String(a.matmul(a)));\n");
    const status = await runTraining(api, script);
    assert.equal(status, 'failed');
    // The diagnostic's range is read off the script's line, which is opened for it first.
    const deadline = Date.now() + 5000;
    while (vscode.languages.getDiagnostics(vscode.Uri.file(script)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(script));
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.range.start.line, 3);
    // On the failing call, not the rest of the line.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(script));
    assert.equal(doc.getText(diagnostics[0]!.range), 'a.matmul(a)');
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostics[0]!.message, /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
  });

  it('in a trusted workspace, opening a recorded script restores its annotations from the run record', async () => {
    const { api, extension } = await activeApi();
    const script = writeRecordedRun(extension.extensionPath, vscode.workspace.workspaceFolders![0]!.uri.fsPath);
    await vscode.window.showTextDocument(vscode.Uri.file(script));
    const deadline = Date.now() + 5000;
    while (api.gutter.probesOf(script).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(api.gutter.probesOf(script).map((p) => p.name).sort(), ['n_samples', 'n_val', 'train_loss', 'val_loss']);
  });

  it('Stop Training ends an endless run', async () => {
    const { api } = await activeApi();
    const script = join(scripts, 'endless.ts');
    writeFileSync(script, "import torch from 'autograd-lab';\n\nconst w = torch.tensor([3.0], { requires_grad: true });\nfor (;;) w.mul(w).sum().backward();\n");
    const started = nextRun(api);
    await vscode.commands.executeCommand('autogradLab.runTraining', vscode.Uri.file(script));
    const live = await started;
    await vscode.commands.executeCommand('autogradLab.stopTraining');
    const end = await live.done;
    assert.equal(end.type === 'run-finished' ? end.status : end.type, 'stopped');
    assert.equal(api.sessions.running.length, 0);
  });
});
