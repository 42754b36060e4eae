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

/** A script whose loss stays exactly 56: its curve must be flat, not a zigzag of rounding noise. */
const FLAT_SCRIPT = `// A loss that never changes.
import torch from 'autograd-lab';

const w = torch.tensor([1.0], { requires_grad: true });
for (let epoch = 1; epoch <= 200; epoch++) {
  const loss = w.mul(0).add(56).sum();
  loss.backward();
}
`;

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
  writeFileSync(join(workspace, 'flat.ts'), FLAT_SCRIPT);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

/**
 * With AUTOGRAD_LAB_SCREENSHOTS=1: a README screenshot, taken the way a learner would frame it
 * (no side bar, no notifications, the mouse off the chart). `frame` runs before the shot.
 */
async function readmeScreenshot(file: string, frame?: () => Promise<void>, options: { keepMouse?: boolean } = {}): Promise<void> {
  if (!readmeShots) return;
  mkdirSync(readmeShots, { recursive: true });
  await runCommand(page, 'Notifications: Clear All Notifications');
  const sidebar = await page.locator('.part.sidebar').isVisible();
  if (sidebar) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  // The Output panel (revealed by the run) would take half the height from the editor and the panel.
  const bottom = await page.locator('.part.panel.bottom').isVisible();
  if (bottom) await runCommand(page, 'View: Toggle Panel Visibility');
  await page.waitForTimeout(500); // let the layout settle after the side bar closes
  if (!options.keepMouse) await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
  await frame?.();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(readmeShots, file) });
  if (sidebar) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  if (bottom) await runCommand(page, 'View: Toggle Panel Visibility');
}

/** The Output panel is open on the Autograd Lab channel and shows `text`. */
async function assertOutputShows(text: string): Promise<void> {
  const output = page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
  await output.waitFor({ state: 'visible', timeout: 15_000 });
  const deadline = Date.now() + 15_000;
  let shown = '';
  while (Date.now() < deadline) {
    shown = (await page.locator('.part.panel .view-lines').first().textContent().catch(() => '')) ?? '';
    if (shown.replace(/\u00a0/g, ' ').includes(text)) break;
    await page.waitForTimeout(200);
  }
  assert.ok(shown.replace(/\u00a0/g, ' ').includes(text), `the Output panel shows "${text}": ${shown.slice(0, 300)}`);
  const channel = (await page.locator('.part.panel .monaco-select-box').first().inputValue().catch(() => '')) || (await page.locator('.part.panel .monaco-select-box').first().getAttribute('title').catch(() => '')) || '';
  assert.match(channel, /Autograd Lab/, `the channel shown: ${channel}`);
}

/** How far (px) the after-line value of the line with `needle` ends past its editor's visible right edge. */
async function annotationOverflow(page: Page, needle: string): Promise<number | null> {
  return (await page.evaluate(`(() => {
    const needle = ${JSON.stringify(needle)};
    for (const editor of document.querySelectorAll('.editor-instance .monaco-editor')) {
      const line = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => l.textContent.replace(/\\u00a0/g, ' ').includes(needle));
      if (!line) continue;
      const span = [...line.querySelectorAll('span')].find((s) => { const c = getComputedStyle(s, '::after').content; return c && c !== 'none' && c !== 'normal'; });
      if (!span) return null;
      const guard = editor.querySelector('.overflow-guard').getBoundingClientRect();
      const scrollbar = editor.querySelector('.scrollbar.vertical')?.getBoundingClientRect().width ?? 0;
      return span.getBoundingClientRect().right - (guard.right - scrollbar);
    }
    return null;
  })()`)) as number | null;
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
      // Whatever an earlier journey left open (a quick pick, a hover) is closed first.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
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

  journey('the walkthrough opens the workspace’s own copy of the example and runs the open file', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pickQuickInput(page, 'Learn how a network learns');
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.waitFor({ timeout: 15_000 });
    await walkthrough.getByRole('button', { name: 'Open the example' }).click();
    await page.locator('.tab.active', { hasText: '02-manual-training-loop.ts' }).waitFor({ timeout: 15_000 });
    // The workspace's file (the editor's resource), not the extension's copy.
    const resource = await page.locator('.tab.active').getAttribute('data-resource-name');
    assert.equal(resource, '02-manual-training-loop.ts');
    const title = (await page.locator('.tab.active').getAttribute('title')) ?? (await page.locator('.tab.active').getAttribute('aria-description')) ?? '';
    assert.ok(!title.includes('extensions'), `opened from the workspace, not the extension folder: ${title}`);
    assert.equal(existsSync(join(workspace, 'autograd-lab-examples')), false, 'the workspace had its copy: nothing copied');
    const before = await currentRunId();
    // Back to the walkthrough tab, whose next step runs the open file.
    await page.locator('.tab', { hasText: 'Welcome' }).first().click();
    await walkthrough.getByText('Run it', { exact: true }).click();
    await walkthrough.getByRole('button', { name: 'Run Training' }).click();
    const frame = await runEnds('completed', before);
    assert.equal(await frame.evaluate(`document.querySelector('.agl-run-state')?.textContent ?? ''`), '02-manual-training-loop.ts — completed');
    await screenshot('00-walkthrough-run');
    // The Output channel came to the front on the run's first print.
    await assertOutputShows('Epoch 500, Loss');
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
    // The status line is written at the chart's next redraw (at most 10 a second): the run's end
    // can be shown before the points that came with it are counted there.
    await waitInFrame(frame, `[...document.querySelectorAll('.agl-series-status')].every((s) => Number(s.dataset.points) >= 3000)`, 'every point counted in the status line', 10_000).catch(() => undefined);
    const series = (await frame.evaluate(
      `[...document.querySelectorAll('.agl-series-status')].map((s) => [s.dataset.series, Number(s.dataset.points)])`,
    )) as [string, number][];
    assert.deepEqual(series, [['train_loss', 3000], ['val_loss', 3000]]);
    // TensorBoard's way: each series raw (faint) under its smoothed line.
    await waitInFrame(frame, `document.querySelector('section.agl-curves').dataset.lines === 'train_loss (raw)|train_loss|val_loss (raw)|val_loss'`, 'each series drawn raw and smoothed', 10_000);

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

  journey('the curves mark where validation loss turns up while training loss falls, and the ▲ explains itself on hover', async () => {
    const frame = await panelFrame(page);
    assert.equal(await frame.getAttribute('section.agl-curves', 'data-markers'), '1');
    await frame.hover('.agl-marker');
    const tip = frame.locator('#marker-tip');
    await tip.waitFor({ state: 'visible', timeout: 5000 });
    assert.match((await tip.textContent()) ?? '', /▲ epoch \d+: val_loss was lowest here .*rule two/);
    await screenshot('02-overfitting-marker');
    await readmeScreenshot('curves.png', async () => {
      // The tooltip of a stretch where raw and smoothed values differ, as the README shows them.
      const box = (await frame.locator('#curves-canvas').boundingBox())!;
      await frame.locator('#curves-canvas').hover({ position: { x: box.width * 0.12, y: box.height / 2 } });
    }, { keepMouse: true });
  });

  journey('Visualize Graph shows the chapter’s graph with labels of 12 px or more, and Step backward shows the engine’s numbers', async () => {
    await runCommand(page, 'Autograd Lab: Visualize Graph');
    const frame = await panelFrame(page, '[data-name="MeanBackward0"]');
    for (const name of ['MeanBackward0', 'PowBackward0', 'SubBackward0', 'AddBackward0', 'MulBackward0', 'UnbindBackward0', 'AccumulateGrad']) {
      assert.ok(await frame.$(`[data-name="${name}"]`), `graph node ${name}`);
    }
    await frame.getByRole('button', { name: 'Fit', exact: true }).click();
    const label = await frame.locator('g.agl-node[data-role="root"] text').evaluate((t) => t.getBoundingClientRect().height);
    assert.ok(label >= 12, `labels at Fit are ${label.toFixed(1)} px tall`);
    const texts: string[] = [];
    const transform = await frame.locator('svg.agl-graph-svg > g').getAttribute('transform');
    for (let i = 0; i < 7; i++) {
      await frame.click('#step-backward');
      texts.push((await frame.locator('#step-info').textContent()) ?? '');
      assert.equal(await frame.locator('svg.agl-graph-svg > g').getAttribute('transform'), transform, 'the graph stays still while stepping');
    }
    // The first epoch of the chapter's training (params = [1, 0]): the numbers the engine computed.
    assert.match(texts[0]!, /Step 1 of 7: MeanBackward0 .*receives tensor\(1\)/);
    assert.match(texts[0]!, /→ PowBackward0 \(input 0\) · .*sends tensor\(\[0\.1111111, 0\.1111111/);
    const unbind = texts.find((t) => t.includes('UnbindBackward0 (line'))!;
    assert.match(unbind, /tensor\(-84\.70831\)/, 'w’s gradient');
    assert.match(unbind, /tensor\(-11\.22222\)/, 'b’s gradient, apart from w’s');
    assert.doesNotMatch(unbind, /-95\.9/, 'never their sum');
    assert.match(texts[6]!, /Step 7 of 7: params — a leaf: its AccumulateGrad node/);
    assert.match(texts[6]!, /receives tensor\(\[-84\.70831, -11\.22222\]\) \(2,\) from UnbindBackward0/);
    // Mid-walk: AddBackward0 sends to both its inputs; the details pane follows the step.
    await frame.click('#step-reset');
    for (let i = 0; i < 4; i++) await frame.click('#step-backward');
    assert.match((await frame.locator('#node-details').textContent()) ?? '', /nodeAddBackward0/, 'the details pane follows the step');
    assert.equal(await frame.locator('path.agl-edge.flow').count(), 2);
    await screenshot('03-graph-step-backward');
    await readmeScreenshot('graph.png', async () => {
      await frame.getByRole('button', { name: 'Fit', exact: true }).click();
    });
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
    // The line names train_loss, and the panel beside it leaves little room: the value and its trend.
    assert.ok(annotations.some((a) => /^-?[\d.e+-]+ [▲▼]( ×3000)?$/.test(a)), `after-line text on the train_loss line: ${JSON.stringify(annotations)}`);
    const valLine = await editorLineAnnotations(page, 'const val_loss = loss_fn(');
    assert.ok(valLine.some((a) => /^-?[\d.e+-]+ [▲▼]/.test(a)), `after-line text on the val_loss line: ${JSON.stringify(valLine)}`);
    // Fully visible at 1400×900 with the panel open beside the editor. (With the side bar open too,
    // the editor is narrower than these lines of code themselves: no text after them could show.)
    const sidebar = await page.locator('.part.sidebar').isVisible();
    if (sidebar) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.waitForTimeout(800); // the editor lays out again, the gutter re-renders
    try {
      for (const needle of ['const train_loss = loss_fn(', 'const val_loss = loss_fn(']) {
        const clip = await annotationOverflow(page, needle);
        assert.ok(clip !== null && clip <= 0, `the value after "${needle}" ends ${clip} px past the editor's edge`);
      }
    } finally {
      if (sidebar) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    }
    assert.ok((await page.locator('.editor-instance .cgmr').count()) >= 2, 'probe glyphs in the gutter');
    await screenshot('04-gutter-annotations');
    await readmeScreenshot('gutter.png', async () => {
      await toggleMaximizedGroup(page, 1);
      await page.locator('.editor-instance .view-line', { hasText: 'const train_loss = loss_fn(' }).hover({ position: { x: 30, y: 5 } });
      await page.locator('.monaco-hover').first().waitFor({ timeout: 5000 }).catch(() => undefined);
    });
    if (readmeShots) await toggleMaximizedGroup(page, 1);
  });

  journey('smoothing stays across runs, earlier runs overlaid for one script are cleared by another’s run, and a constant loss is flat', async () => {
    await runCommand(page, 'Autograd Lab: Show Loss Curves');
    let frame = await panelFrame(page);
    await frame.locator('#smoothing').fill('0.3');
    await page.waitForTimeout(800); // the panel tells the host once the slider rests
    // Overlay the earlier run of 05 (Compare runs…: the first recorded run is the newest).
    await runCommand(page, 'Autograd Lab: Compare Runs…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '05-train-validation.ts' }).first().click();
    await page.keyboard.press('Enter');
    await waitInFrame(frame, `document.querySelector('section.agl-curves').dataset.overlays === '2' || document.querySelector('section.agl-curves').dataset.overlays === '1'`, 'the earlier run listed under the chart', 15_000);
    assert.ok(await frame.locator('[data-testid="overlays"] input[type="checkbox"]').count() >= 1, 'a toggle per overlaid series');
    await screenshot('05-overlays');
    // A run of another script: its curves are not compared with 05's.
    const before = await currentRunId();
    await openFile(page, 'flat.ts');
    await runCommand(page, 'Autograd Lab: Run Training');
    frame = await runEnds('completed', before);
    assert.equal(await frame.getAttribute('section.agl-curves', 'data-overlays'), '0');
    assert.equal(await frame.locator('#smoothing').inputValue(), '0.3', 'the smoothing the learner chose, kept for the next run');
    // Loss 56 every epoch: a flat line in a padded range with round ticks, and "unchanged".
    await waitInFrame(frame, `document.querySelector('section.agl-curves').dataset.yMin === '46'`, 'the flat series in a padded range', 10_000);
    assert.equal(await frame.getAttribute('section.agl-curves', 'data-y-max'), '66');
    for (const tick of ((await frame.getAttribute('section.agl-curves', 'data-y-ticks')) ?? '').split('|')) assert.match(tick, /^\d+$/, `tick ${tick}`);
    assert.match((await frame.locator('[data-testid="curves-status"]').textContent()) ?? '', /loss 56 unchanged/);
    await screenshot('05-flat-loss');
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
    // The squiggle covers the failing call, not the ; after it.
    const squiggle = await page.evaluate(`(() => {
      const lines = [...document.querySelectorAll('.editor-instance .view-overlays .squiggly-error')];
      return lines.map((l) => l.getBoundingClientRect().width);
    })()`) as number[];
    assert.ok(squiggle.length >= 1, 'an error squiggle in the editor');
    await screenshot('07-problems-panel');
    // A second failure replaces the notification instead of stacking another.
    const again = await currentRunId();
    await openFile(page, 'broken.ts');
    await runCommand(page, 'Autograd Lab: Run Training');
    await runEnds('failed', again);
    await page.waitForTimeout(1000);
    const toasts = await page.locator('.notifications-toasts .notification-toast', { hasText: 'the training script stopped with an error' }).count();
    const listed = await page.evaluate(`document.querySelectorAll('.notifications-toasts .notification-list-item-message').length`) as number;
    assert.ok(toasts <= 1, `${toasts} failure notifications (of ${listed} shown)`);
  });

  journey('Run Training runs a Python script (03-sgd.py) and draws its loss', async () => {
    const before = await currentRunId();
    await openFile(page, '03-sgd.py');
    await runCommand(page, 'Autograd Lab: Run Training');
    // Pyodide takes seconds to load: the panel says so at once, then counts epochs.
    const live = await panelFrame(page);
    await waitInFrame(live, `document.body.dataset.runId !== ${JSON.stringify(before ?? '')} && (document.querySelector('.agl-run-state')?.textContent ?? '').includes('Loading Python…')`, 'the panel saying "Loading Python…"', 20_000);
    const frame = await runEnds('completed', before);
    // In [39]'s training_loop runs 5000 epochs: one loss point each.
    await waitInFrame(frame, `document.querySelector('.agl-series-status[data-series="loss"]')?.dataset.points === '5000'`, 'the loss series with 5000 points', 10_000);
    await screenshot('08-python-03-sgd');
  });
});
