/**
 * The extension in a real VS Code, driven as a learner drives it: code-server (VS Code's own
 * workbench and extension host, installed by scripts/vscode-env/install.mjs) in headless
 * Chromium. Each journey saves a screenshot under test-output/integration/screenshots/.
 * With AUTOGRAD_LAB_SCREENSHOTS=1 the curves, graph and gutter journeys also write the README's
 * screenshots to media/screenshots/.
 *
 * Skips with the reason when code-server or Chromium is missing, except under CI=true, where a
 * missing tool fails the suite (CI installs them; a silent skip would hide a broken install).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Frame, Page } from 'playwright-core';
import { missingTools, REPO_ROOT } from '../../scripts/vscode-env/paths.mjs';
import { startCodeServer, type CodeServer } from '../../scripts/vscode-env/code-server.js';
import { editorLineAnnotations, goToLine, launchBrowser, openFile, openWorkbench, panelFrame, pickQuickInput, runCommand, toggleMaximizedGroup, waitInFrame } from './workbench.js';
import { VIEWPORT } from './workbench.js';

const missing = missingTools();
const skip = missing.length > 0 && process.env.CI !== 'true' ? `no real VS Code here: ${missing.join('; ')}` : false;

const outDir = join(REPO_ROOT, 'test-output', 'integration');
const workspace = join(outDir, 'workspace');
const shotsDir = join(outDir, 'screenshots');
const readmeShots = process.env.AUTOGRAD_LAB_SCREENSHOTS === '1' ? join(REPO_ROOT, 'media', 'screenshots') : null;

/** A script that trains forever, for Stop Training. */
const ENDLESS_SCRIPT = `// Trains until stopped.
import torch, { optim } from 'autograd-lab';

const w = torch.tensor([3.0], { requires_grad: true });
const optimizer = new optim.SGD([w], { lr: 1e-4 });
for (let epoch = 1; ; epoch++) {
  const loss = w.mul(w).sum();
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
`;

/** A script whose matmul fails on line 6 with PyTorch's message. */
const BROKEN_SCRIPT = `// Multiplies two matrices whose shapes do not fit.
import torch from 'autograd-lab';

const a = torch.tensor([[1, 2, 3], [4, 5, 6]]);
const b = torch.tensor([[1, 2, 3], [4, 5, 6]]);
const c = a.matmul(b);
console.log(String(c));
`;
const BROKEN_LINE = 6;

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

function prepareWorkspace(): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  mkdirSync(shotsDir, { recursive: true });
  const examples = join(REPO_ROOT, 'examples', 'thermometer');
  // 05-train-validation.ts comes in through New Training Script…, the rest as plain copies.
  for (const name of readdirSync(examples)) {
    if (/\.(ts|py)$/.test(name) && name !== '05-train-validation.ts') copyFileSync(join(examples, name), join(workspace, name));
  }
  writeFileSync(join(workspace, 'endless.ts'), ENDLESS_SCRIPT);
  writeFileSync(join(workspace, 'broken.ts'), BROKEN_SCRIPT);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

/**
 * With AUTOGRAD_LAB_SCREENSHOTS=1: a README screenshot, taken the way a learner would frame it
 * (no side bar, no notifications, the mouse off the chart). `frame` runs before the shot.
 */
async function readmeScreenshot(file: string, frame?: () => Promise<void>): Promise<void> {
  if (!readmeShots) return;
  mkdirSync(readmeShots, { recursive: true });
  await runCommand(page, 'Notifications: Clear All Notifications');
  if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await frame?.();
  await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
  await page.waitForTimeout(500); // let the layout settle after the side bar closes
  await page.screenshot({ path: join(readmeShots, file) });
}

/** The panel's curves view, after waiting for a run of `script` (by its label) to end with `status`. */
async function runEnds(status: string, previousRunId: string | undefined): Promise<Frame> {
  const frame = await panelFrame(page);
  await waitInFrame(
    frame,
    `document.body.dataset.runId && document.body.dataset.runId !== ${JSON.stringify(previousRunId ?? '')} && document.body.dataset.status === ${JSON.stringify(status)}`,
    `the panel showing a new run that ended "${status}"`,
    120_000,
  );
  return frame;
}

async function currentRunId(): Promise<string | undefined> {
  try {
    const frame = await panelFrame(page, 'section.agl-curves', 1000);
    return (await frame.evaluate('document.body.dataset.runId')) as string | undefined;
  } catch {
    return undefined; // no panel yet
  }
}

/** 1-based number of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `${needle} in ${file}`);
  return index + 1;
}

/** Rows of a CSV export: header and per-column counts of filled cells. */
function csvColumns(text: string): Map<string, number> {
  const [header, ...rows] = text.trim().split('\n');
  const names = header!.split(',');
  const counts = new Map(names.map((n) => [n, 0]));
  for (const row of rows) {
    row.split(',').forEach((cell, i) => {
      if (cell !== '') counts.set(names[i]!, counts.get(names[i]!)! + 1);
    });
  }
  return counts;
}

/** A test whose failure leaves a screenshot of the workbench as it was (test-output/integration/screenshots/FAILED-*). */
function journey(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (err) {
      await page?.screenshot({ path: join(shotsDir, `FAILED-${name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      throw err;
    }
  });
}

describe('Autograd Lab in a real VS Code (code-server)', { skip }, () => {
  before(async () => {
    if (missing.length > 0) assert.fail(`CI=true but the real VS Code tools are missing: ${missing.join('; ')}`);
    if (!existsSync(join(REPO_ROOT, 'dist', 'extension.cjs'))) {
      const built = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
      assert.equal(built.status, 0, 'npm run build failed');
    }
    prepareWorkspace();
    server = await startCodeServer({ sessionDir: join(outDir, 'session') });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url, workspace);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  journey('New Training Script… writes the chosen example and the engine typings into the workspace', async () => {
    await runCommand(page, 'Autograd Lab: New Training Script…');
    await pickQuickInput(page, '05-train-validation.ts');
    await pickQuickInput(page, ''); // the file name input, proposing the example's name
    await page.locator('.tab.active', { hasText: '05-train-validation.ts' }).waitFor({ timeout: 10_000 });
    assert.equal(readFileSync(join(workspace, '05-train-validation.ts'), 'utf8'), readFileSync(join(REPO_ROOT, 'examples/thermometer/05-train-validation.ts'), 'utf8'));
    const typings = JSON.parse(readFileSync(join(workspace, 'node_modules/autograd-lab/package.json'), 'utf8')) as { types: string };
    assert.ok(existsSync(join(workspace, 'node_modules/autograd-lab', typings.types)), 'the typings the package.json names');
  });

  journey('Run Training on 05-train-validation.ts draws the train and validation curves, 3000 points each', async () => {
    await openFile(page, '05-train-validation.ts');
    await runCommand(page, 'Autograd Lab: Run Training');
    const frame = await runEnds('completed', undefined);
    // The legend line under the toolbar names each series with its point count.
    await waitInFrame(frame, `document.querySelectorAll('.agl-series-status').length === 2`, 'two series in the curves view', 10_000);
    const series = (await frame.evaluate(
      `[...document.querySelectorAll('.agl-series-status')].map((s) => [s.dataset.series, Number(s.dataset.points)])`,
    )) as [string, number][];
    assert.deepEqual(series, [['train_loss', 3000], ['val_loss', 3000]]);

    // Export CSV, as the learner would: accept the save dialog's proposed file, then count each
    // series' points in it.
    await frame.click('#export-csv');
    const dialog = page.locator('.quick-input-widget input');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    let target = '';
    const deadline = Date.now() + 10_000;
    while (!target.endsWith('.csv') && Date.now() < deadline) target = await dialog.inputValue();
    assert.match(target, /\.csv$/, 'the save dialog proposes a .csv file');
    await page.keyboard.press('Enter');
    while (!existsSync(target) && Date.now() < deadline + 10_000) await page.waitForTimeout(100);
    const columns = csvColumns(readFileSync(target, 'utf8'));
    assert.deepEqual([...columns], [['step', 3000], ['train_loss', 3000], ['val_loss', 3000]]);
    await screenshot('01-curves-05-train-validation');
  });

  journey('the curves mark where validation loss turns up while training loss falls', async () => {
    const frame = await panelFrame(page);
    assert.equal(await frame.getAttribute('section.agl-curves', 'data-markers'), '1');
    await screenshot('02-overfitting-marker');
    await readmeScreenshot('curves.png');
  });

  journey('Visualize Graph shows the loss node as MeanBackward0 and Step backward walks it', async () => {
    await runCommand(page, 'Autograd Lab: Visualize Graph');
    const frame = await panelFrame(page, '[data-name="MeanBackward0"]');
    for (const name of ['MeanBackward0', 'PowBackward0', 'SubBackward0', 'AddBackward0', 'MulBackward0', 'AccumulateGrad']) {
      assert.ok(await frame.$(`[data-name="${name}"]`), `graph node ${name}`);
    }
    for (let i = 0; i < 3; i++) await frame.click('#step-backward');
    await screenshot('03-graph-step-backward');
    await readmeScreenshot('graph.png', async () => {
      await toggleMaximizedGroup(page, 2);
      await frame.getByRole('button', { name: 'Fit', exact: true }).click();
    });
    if (readmeShots) await toggleMaximizedGroup(page, 2);
  });

  journey('gutter decorations annotate the loss lines of the script with their last value and hit count', async () => {
    await openFile(page, '05-train-validation.ts');
    await goToLine(page, lineOf(join(workspace, '05-train-validation.ts'), 'const train_loss = loss_fn('));
    const deadline = Date.now() + 10_000;
    let annotations: string[] = [];
    while (Date.now() < deadline) {
      annotations = await editorLineAnnotations(page, 'const train_loss = loss_fn(');
      if (annotations.some((a) => a.includes('train_loss'))) break;
      await page.waitForTimeout(200);
    }
    assert.ok(annotations.some((a) => /^train_loss -?[\d.e+-]+ [▲▼]? ?×3000$/.test(a)), `after-line text on the train_loss line: ${JSON.stringify(annotations)}`);
    const valLine = await editorLineAnnotations(page, 'const val_loss = loss_fn(');
    assert.ok(valLine.some((a) => /^val_loss .*×3000$/.test(a)), `after-line text on the val_loss line: ${JSON.stringify(valLine)}`);
    assert.ok((await page.locator('.editor-instance .cgmr').count()) >= 2, 'probe glyphs in the gutter');
    await screenshot('04-gutter-annotations');
    await readmeScreenshot('gutter.png', async () => {
      await toggleMaximizedGroup(page, 1);
      await page.locator('.editor-instance .view-line', { hasText: 'const train_loss = loss_fn(' }).hover({ position: { x: 30, y: 5 } });
      await page.locator('.monaco-hover').first().waitFor({ timeout: 5000 }).catch(() => undefined);
    });
    if (readmeShots) await toggleMaximizedGroup(page, 1);
  });

  journey('Stop Training ends an endless script', async () => {
    const before = await currentRunId();
    await openFile(page, 'endless.ts');
    await runCommand(page, 'Autograd Lab: Run Training');
    const frame = await panelFrame(page);
    await waitInFrame(frame, `document.body.dataset.runId !== ${JSON.stringify(before ?? '')} && Number(document.querySelector('section.agl-curves').dataset.points) > 100`, 'the endless run streaming its loss');
    await screenshot('05-endless-running');
    await runCommand(page, 'Autograd Lab: Stop Training');
    await runEnds('stopped', before);
    await screenshot('06-endless-stopped');
  });

  journey('a script error shows in the Problems panel on its line', async () => {
    const before = await currentRunId();
    await openFile(page, 'broken.ts');
    await runCommand(page, 'Autograd Lab: Run Training');
    await runEnds('failed', before);
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'mat1 and mat2 shapes cannot be multiplied' });
    await row.first().waitFor({ timeout: 15_000 });
    const label = (await row.first().getAttribute('aria-label')) ?? (await row.first().textContent()) ?? '';
    assert.match(label, new RegExp(`\\b${BROKEN_LINE}\\b`), `the problem names line ${BROKEN_LINE}: ${label}`);
    await screenshot('07-problems-panel');
  });

  journey('Run Training runs a Python script (03-sgd.py) and draws its loss', async () => {
    const before = await currentRunId();
    await openFile(page, '03-sgd.py');
    await runCommand(page, 'Autograd Lab: Run Training');
    const frame = await runEnds('completed', before);
    // In [39]'s training_loop runs 5000 epochs: one loss point each.
    await waitInFrame(frame, `document.querySelector('.agl-series-status[data-series="loss"]')?.dataset.points === '5000'`, 'the loss series with 5000 points', 10_000);
    await screenshot('08-python-03-sgd');
  });
});
