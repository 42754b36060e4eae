/// <reference types="mocha" />
/**
 * The extension in Restricted Mode (an untrusted workspace), inside a real extension host: it runs
 * nothing (the exported API included), and reads nothing of the workspace's run records on its own
 * (the gutter's restore reads them only once the workspace is trusted). Run by
 * test/integration/api-suite.test.ts in a session with workspace trust on.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AutogradLabApi } from '../../../src/extension/extension.js';
import { RECORDED_RUN_ID, writeRecordedRun } from './records-fixture.js';

const EXTENSION_ID = 'autograd-lab.autograd-lab';

async function activeApi(): Promise<{ api: AutogradLabApi; extension: vscode.Extension<AutogradLabApi> }> {
  const extension = vscode.extensions.getExtension<AutogradLabApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return { api: await extension.activate(), extension };
}

describe('Autograd Lab in Restricted Mode', function () {
  this.timeout(60_000);
  let workspace: string;
  let script: string;

  before(async () => {
    const { extension } = await activeApi();
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    script = writeRecordedRun(extension.extensionPath, workspace);
  });

  it('the workspace is in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('the exported API starts no run in an untrusted workspace', async () => {
    const { api } = await activeApi();
    await assert.rejects(api.sessions.start(script), /needs a trusted workspace/);
    assert.equal(api.sessions.running.length, 0);
    assert.deepEqual(readdirSync(join(workspace, '.autograd-lab', 'runs')), [RECORDED_RUN_ID], 'no run record was started');
  });

  it('Run Training starts no run in an untrusted workspace', async () => {
    const { api } = await activeApi();
    let started = false;
    const sub = api.sessions.onDidStart(() => (started = true));
    await vscode.commands.executeCommand('autogradLab.runTraining', vscode.Uri.file(script));
    await new Promise((r) => setTimeout(r, 1000));
    sub.dispose();
    assert.equal(started, false);
  });

  it('a notebook with the Autograd Lab kernel selected starts no Python process in Restricted Mode', async () => {
    const { api } = await activeApi();
    const file = join(workspace, 'restricted.ipynb');
    writeFileSync(file, JSON.stringify({ cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['print(1)'] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    let selected = false;
    const sub = api.notebooks.controller.onDidChangeSelectedNotebooks((e) => (selected ||= e.selected && e.notebook === notebook));
    await vscode.commands.executeCommand('notebook.selectKernel', { id: api.notebooks.controller.id, extension: EXTENSION_ID });
    const deadline = Date.now() + 5000;
    while (!selected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    sub.dispose();
    assert.equal(selected, true, 'the Autograd Lab kernel is selected for the notebook');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(api.notebooks.hasKernel(notebook), false);
  });

  it('opening a recorded script restores no annotation from the workspace’s run records', async () => {
    const { api } = await activeApi();
    await vscode.window.showTextDocument(vscode.Uri.file(script));
    await new Promise((r) => setTimeout(r, 1500)); // the gutter renders at most 4 times a second
    assert.deepEqual(api.gutter.probesOf(script), []);
  });
});
