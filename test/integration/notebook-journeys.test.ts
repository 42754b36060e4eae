/**
 * Notebooks in a real VS Code, driven as a learner drives them (code-server in headless Chromium,
 * as journeys.test.ts): open an .ipynb, pick the Autograd Lab kernel, Run All, see the outputs, the
 * figure and the training cell's curves; interrupt an endless cell and go on with the kernel's
 * state; restart the kernel. What a cell printed is read from the notebook saved to disk (VS Code's
 * own .ipynb serializer writes it), what it drew from the notebook's output webview. Screenshots go
 * to test-output/integration-notebooks/screenshots/ (with AUTOGRAD_LAB_SCREENSHOTS=1 also
 * media/screenshots/notebook.png).
 *
 * Skips with the reason when code-server or Chromium is missing, except under CI=true.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { missingTools, REPO_ROOT } from '../../scripts/vscode-env/paths.mjs';
import { startCodeServer, type CodeServer } from '../../scripts/vscode-env/code-server.js';
import { editorLineAnnotations, launchBrowser, NOTEBOOK_READY, openFile, openWorkbench, panelFrame, pickQuickInput, runCommand, VIEWPORT, waitInFrame, webviewFrame } from './workbench.js';

const missing = missingTools();
const skip = missing.length > 0 && process.env.CI !== 'true' ? `no real VS Code here: ${missing.join('; ')}` : false;

const outDir = join(REPO_ROOT, 'test-output', 'integration-notebooks');
const workspace = join(outDir, 'workspace');
const shotsDir = join(outDir, 'screenshots');
const fixtures = join(REPO_ROOT, 'test', 'integration', 'fixtures');
const readmeShots = process.env.AUTOGRAD_LAB_SCREENSHOTS === '1' ? join(REPO_ROOT, 'media', 'screenshots') : null;

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

interface SavedCell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: { output_type: string; name?: string; text?: string[]; data?: Record<string, unknown>; ename?: string; evalue?: string; traceback?: string[]; execution_count?: number | null }[];
}

/** The code cells of a notebook as saved on disk. */
function savedCodeCells(name: string): SavedCell[] {
  let notebook: { cells: SavedCell[] };
  try {
    notebook = JSON.parse(readFileSync(join(workspace, name), 'utf8')) as { cells: SavedCell[] };
  } catch {
    return []; // caught in the middle of being written: the next look sees it whole
  }
  return notebook.cells.filter((c) => c.cell_type === 'code');
}

const text = (lines: string[] | string | undefined) => (Array.isArray(lines) ? lines.join('') : (lines ?? ''));

/**
 * Saves the notebook in front (File: Save) until its code cells on disk satisfy `done`, and
 * returns them; the message names what was awaited.
 */
async function savedUntil(name: string, done: (cells: SavedCell[]) => boolean, what: string, timeoutMs = 90_000): Promise<SavedCell[]> {
  const deadline = Date.now() + timeoutMs;
  let cells: SavedCell[] = [];
  for (;;) {
    // Ctrl+S in the notebook editor (the palette's "File: Save" is not its first match for that title).
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(300);
    cells = savedCodeCells(name);
    if (done(cells)) return cells;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s; saved cells: ${JSON.stringify(cells.map((c) => [c.execution_count, c.outputs]), null, 1).slice(0, 2000)}`);
    await page.waitForTimeout(1000);
  }
}

/** Picks the Autograd Lab kernel for the notebook in front, as a learner does with the kernel picker. */
async function pickAutogradLabKernel(): Promise<void> {
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pickQuickInput(page, 'Autograd Lab Python');
  await page.locator('.notebook-toolbar-container', { hasText: 'Autograd Lab Python' }).filter({ visible: true }).first().waitFor({ timeout: 15_000 });
}

/** Runs the endless notebook's last cell alone: a click into it, then its ▷ (Execute Cell). */
async function runLastCell(): Promise<void> {
  await page.locator('.notebook-editor .view-line', { hasText: 'print(n + 1)' }).first().click();
  await page.locator('.notebook-editor .code-cell-row.focused .run-button-container .action-label').filter({ visible: true }).first().click();
}

/**
 * Scrolls the notebook in front until a cell line containing `needle` is on screen (the notebook
 * editor renders only the cells in view).
 */
async function scrollNotebookTo(needle: string, direction: 'down' | 'up' = 'down'): Promise<void> {
  const shown = `[...document.querySelectorAll('.notebook-editor .view-line')].some((l) => { const r = l.getBoundingClientRect(); return r.top > 60 && r.bottom < innerHeight - 30 && l.textContent.replace(/\\u00a0/g, ' ').includes(${JSON.stringify(needle)}); })`;
  const box = (await page.locator('.notebook-editor').filter({ visible: true }).first().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 30; i++) {
    if (await page.evaluate(shown)) return;
    await page.mouse.wheel(0, direction === 'down' ? 250 : -250);
    await page.waitForTimeout(150);
  }
  throw new Error(`the notebook's line "${needle}" did not scroll into view`);
}

/** Waits until the extension host's log says Autograd Lab is active. */
async function extensionActivated(sessionDir: string, timeoutMs = 60_000): Promise<void> {
  const logs = join(sessionDir, 'user-data', 'logs');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const run of existsSync(logs) ? readdirSync(logs) : []) {
      const log = join(logs, run, 'exthost1', 'remoteexthost.log');
      if (existsSync(log) && /_doActivateExtension autograd-lab\.autograd-lab\b/.test(readFileSync(log, 'utf8'))) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Autograd Lab did not activate within ${timeoutMs / 1000} s`);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

function journey(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await page.keyboard.press('Escape');
      await body();
    } catch (err) {
      await page?.screenshot({ path: join(shotsDir, `FAILED-${name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      throw err;
    }
  });
}

describe('Autograd Lab notebooks in a real VS Code (code-server)', { skip }, () => {
  before(async () => {
    if (missing.length > 0) assert.fail(`CI=true but the real VS Code tools are missing: ${missing.join('; ')}`);
    if (!existsSync(join(REPO_ROOT, 'dist', 'runtime', 'runner', 'kernel', 'notebook-kernel.js'))) {
      const built = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run build failed');
    }
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(workspace, { recursive: true });
    mkdirSync(shotsDir, { recursive: true });
    for (const name of ['thermometer.ipynb', 'endless.ipynb']) copyFileSync(join(fixtures, name), join(workspace, name));
    server = await startCodeServer({ sessionDir: join(outDir, 'session') });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url, workspace);
    // A fresh profile shows the extension's walkthrough once, a moment after the extension
    // activates: closed first, so that it does not come up in front of the notebook.
    await extensionActivated(join(outDir, 'session'));
    // A modal dialog makes the rest of the workbench inert (a CI run once met one here and could
    // not type into the palette): say what it asked, in the test's output, and dismiss it.
    for (let i = 0; i < 3; i++) {
      const dialog = page.locator('.monaco-dialog-box').filter({ visible: true });
      if ((await dialog.count()) === 0) break;
      await page.screenshot({ path: join(shotsDir, `dialog-at-start-${i}.png`) }).catch(() => undefined);
      console.log(`a dialog was open at start: ${(await dialog.first().innerText()).replace(/\s+/g, ' ')}`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
    const welcome = page.locator('.tab', { hasText: 'Welcome' });
    await welcome.first().waitFor({ timeout: 5000 }).then(
      () => runCommand(page, 'View: Close All Editors'),
      () => undefined,
    ).catch(async (err: unknown) => {
      await page.screenshot({ path: join(shotsDir, 'FAILED-before.png') }).catch(() => undefined);
      throw err;
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  journey('Run All with the Autograd Lab kernel shows printed text, results, a figure, and the training cell’s loss in the panel and beside its line', async () => {
    await openFile(page, 'thermometer.ipynb', NOTEBOOK_READY);
    await pickAutogradLabKernel();
    // With our kernel selected, the notebook's toolbar offers Restart Kernel.
    await page.locator('.notebook-toolbar-container .action-item a[aria-label*="Restart Kernel"]').filter({ visible: true }).first().waitFor({ timeout: 10_000 });
    await runCommand(page, 'Notebook: Run All');
    const cells = await savedUntil('thermometer.ipynb', (c) => typeof c[3]?.execution_count === 'number', 'the training cell run to its end');
    assert.deepEqual(cells.map((c) => c.execution_count), [1, 2, 3, 4], 'execution counts in order');
    assert.deepEqual(cells[0]!.outputs, [{ output_type: 'stream', name: 'stdout', text: ['samples: 11\n'] }]);
    assert.equal(cells[1]!.outputs![0]!.output_type, 'execute_result');
    assert.equal(cells[1]!.outputs![0]!.execution_count, 2);
    assert.equal(text(cells[1]!.outputs![0]!.data!['text/plain'] as string[]), 'tensor([3.5700, 5.5900, 5.8200])');
    // plt.plot: its result (a list of one Line2D) and the figure, as IPython shows both.
    const plot = cells[2]!.outputs!;
    const result = plot.find((o) => o.output_type === 'execute_result');
    assert.match(text(result?.data?.['text/plain'] as string[]), /^\[<matplotlib\.lines\.Line2D at 0x[0-9a-f]+>\]$/);
    const figure = plot.find((o) => o.output_type === 'display_data');
    const png = Buffer.from(String(figure?.data?.['image/png'] ?? ''), 'base64');
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'the figure is a PNG');
    assert.equal(text(cells[3]!.outputs![0]!.text), 'loss 2.9286\n');

    // The figure is drawn under its cell.
    // (Outputs render in a webview of their own.)
    const frame = await webviewFrame(page, 'img[src^="blob:"], img[src^="data:image/png"]');
    const size = (await frame.evaluate(`(() => { const img = document.querySelector('img'); return [img.naturalWidth, img.naturalHeight]; })()`)) as [number, number];
    assert.ok(size[0] >= 300 && size[1] >= 200, `the figure's size: ${size.join('×')}`);

    // The training cell's loss: its curve in the panel, its value beside its line.
    const panel = await panelFrame(page);
    await waitInFrame(panel, `document.querySelector('.agl-series-status[data-series="loss"]')?.dataset.points === '3000'`, 'the loss series with 3000 points', 30_000);
    assert.match((await panel.evaluate(`document.querySelector('.agl-run-state')?.textContent ?? ''`)) as string, /thermometer\.ipynb/);
    await scrollNotebookTo('loss = ((t_p - t_c)');
    const deadline = Date.now() + 10_000;
    let annotations: string[] = [];
    while (Date.now() < deadline) {
      annotations = await editorLineAnnotations(page, 'loss = ((t_p - t_c)', '.notebook-editor');
      if (annotations.some((a) => /2\.92/.test(a))) break;
      await page.waitForTimeout(200);
    }
    assert.ok(annotations.some((a) => /2\.92/.test(a)), `the loss value beside the cell's line: ${JSON.stringify(annotations)}`);
    await screenshot('01-notebook-run-all');
    if (readmeShots) {
      // The README's: the figure under its cell, the training cell's loss beside its line and
      // its curve in the panel, without the side bar.
      mkdirSync(readmeShots, { recursive: true });
      await runCommand(page, 'Notifications: Clear All Notifications');
      await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
      await page.waitForTimeout(500);
      await scrollNotebookTo('loss = ((t_p - t_c)');
      await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(readmeShots, 'notebook.png') });
      await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    }
  });

  journey('Interrupt stops an endless cell with KeyboardInterrupt, the kernel keeps its variables, and Restart Kernel starts afresh', async () => {
    await openFile(page, 'endless.ipynb', NOTEBOOK_READY);
    await pickAutogradLabKernel();
    await runCommand(page, 'Notebook: Run All');
    await savedUntil('endless.ipynb', (c) => c[0]?.execution_count === 1, 'the first cell run');
    await page.waitForTimeout(1000); // the endless cell is running now
    await runCommand(page, 'Notebook: Interrupt');
    let cells = await savedUntil('endless.ipynb', (c) => c[1]?.outputs?.some((o) => o.output_type === 'error') === true, 'the endless cell interrupted', 60_000);
    const error = cells[1]!.outputs!.find((o) => o.output_type === 'error')!;
    assert.equal(error.ename, 'KeyboardInterrupt');
    // As in Jupyter, the interrupted cell dropped the cell queued after it.
    assert.deepEqual(cells[2]!.outputs, []);
    // Run the last cell alone: it sees n from the first.
    await runLastCell();
    cells = await savedUntil('endless.ipynb', (c) => (c[2]?.outputs?.length ?? 0) > 0, 'the last cell run after the interrupt', 60_000);
    assert.deepEqual(cells[2]!.outputs, [{ output_type: 'stream', name: 'stdout', text: ['42\n'] }]);
    await screenshot('02-notebook-interrupted');

    // Restart Kernel (the panel beside leaves the toolbar too narrow for its button): n is gone.
    await runCommand(page, 'Autograd Lab: Restart Kernel');
    await runLastCell();
    const restarted = await savedUntil('endless.ipynb', (c) => c[2]?.outputs?.some((o) => o.output_type === 'error') === true, 'the last cell failing after the restart', 90_000);
    const fresh = restarted[2]!.outputs!.find((o) => o.output_type === 'error')!;
    assert.equal(fresh.ename, 'NameError');
    assert.equal(restarted[2]!.execution_count, 1, 'execution counts start again at 1');
    await screenshot('03-notebook-restarted');
  });
});
