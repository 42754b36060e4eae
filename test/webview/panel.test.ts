/**
 * The panel rendered in headless Chromium (Debian `chromium` + playwright-core) from a recorded
 * event stream, fed through the same PanelFeed the extension uses. Skips (with a reason) when no
 * Chromium is installed: `apt-get install -y chromium`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PanelFeed } from '../../src/extension/panel-feed.js';
import type { FromWebview, ToWebview } from '../../src/shared/panel-protocol.js';
import { recordedEvents } from '../extension/fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '../..');
const outDir = join(root, 'test-output', 'webview');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

let browser: Browser;

before(async () => {
  if (skip) return;
  if (!existsSync(join(root, 'dist/webview/main.js'))) {
    const r = spawnSync(process.execPath, ['scripts/build-extension.mjs'], { cwd: root, stdio: 'inherit' });
    assert.equal(r.status, 0, 'build-extension failed');
  }
  mkdirSync(outDir, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--allow-file-access-from-files'] });
});

after(async () => {
  await browser?.close();
});

async function openPanel(state?: unknown): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as Page & { errors: string[] }).errors = errors;
  // A string, not a function: tsx's helpers (__name) would not exist inside the page.
  await page.addInitScript(`
    window.__posted = [];
    window.__state = ${JSON.stringify(state ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => (window.__state = s) });
  `);
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${pathToFileURL(join(root, 'media/panel.css')).href}">
<style>body{--vscode-foreground:#ccc;--vscode-editor-background:#1e1e1e;--vscode-editor-foreground:#d4d4d4;--vscode-font-family:sans-serif}</style></head>
<body><div id="app" data-worker="${pathToFileURL(join(root, 'dist/webview/layout-worker.js')).href}"></div>
<script src="${pathToFileURL(join(root, 'dist/webview/main.js')).href}"></script></body></html>`;
  const file = join(outDir, 'index.html');
  writeFileSync(file, html);
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(`window.__posted.some((m) => m.type === 'ready')`);
  return page;
}

async function send(page: Page, messages: ToWebview[]): Promise<void> {
  await page.evaluate(`for (const m of ${JSON.stringify(messages)}) window.postMessage(m, '*')`);
}

const posted = async (page: Page) => (await page.evaluate('window.__posted')) as FromWebview[];

function liveMessages(): ToWebview[] {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const out: ToWebview[] = [];
  for (const e of recordedEvents()) {
    feed.onEvent(e);
    if (e.seq % 3 === 0) out.push(...feed.drain());
  }
  out.push(...feed.drain());
  return out;
}

test('loss curves: live series, the overfitting marker with rule two, log scale, export', { skip }, async () => {
  const page = await openPanel();
  await send(page, liveMessages());
  const curves = page.locator('section.agl-curves');
  await page.waitForFunction(`Number(document.querySelector('section.agl-curves')?.dataset.points) > 0`);
  const points = Number(await curves.getAttribute('data-points'));
  const expected = recordedEvents().reduce((s, e) => s + (e.type === 'metrics' ? e.points.length : 0), 0);
  assert.equal(points, expected);
  assert.equal(await curves.getAttribute('data-markers'), '1');
  assert.match((await page.locator('.agl-curves .agl-status').textContent()) ?? '', /05-train-validation\.ts — completed · train_loss .* val_loss/);
  await page.click('#log-scale');
  await page.waitForTimeout(250);
  const state = (await page.evaluate('window.__state')) as { logScale: boolean };
  assert.equal(state.logScale, true);
  await page.click('#export-csv');
  const csv = (await posted(page)).find((m) => m.type === 'export' && m.format === 'csv');
  assert.ok(csv && csv.type === 'export' && csv.content.startsWith('step,'));
  await page.click('#export-png');
  const png = (await posted(page)).find((m) => m.type === 'export' && m.format === 'png');
  assert.ok(png && png.type === 'export' && png.content.startsWith('data:image/png;base64,'));
  await page.screenshot({ path: join(outDir, 'curves.png') });
  assert.deepEqual((page as Page & { errors: string[] }).errors, []);
  await page.close();
});

test('graph: torchviz-style nodes, "not computed yet" before backward, Step backward, click to source, DOT export', { skip }, async () => {
  const page = await openPanel();
  await send(page, liveMessages());
  await page.click('[data-tab="graph"]');
  const graph = recordedEvents().find((e) => e.type === 'graph');
  assert.ok(graph && graph.type === 'graph');
  await page.waitForSelector('g.agl-node');
  assert.equal(await page.locator('g.agl-node').count(), graph.snapshot.nodes.length);
  assert.ok((await page.locator('g.agl-node.parameter').count()) >= 1);
  assert.equal(await page.locator('g.agl-node.root').count(), 1);
  assert.match((await page.locator('#step-info').textContent()) ?? '', /no gradient is computed yet/);
  await page.locator('g.agl-node.root').click();
  assert.match((await page.locator('#node-details').textContent()) ?? '', /gradientnot computed yet/);
  const open = (await posted(page)).find((m) => m.type === 'open-location');
  assert.ok(open && open.type === 'open-location' && open.location.line === 13);
  await page.click('#step-backward');
  assert.match((await page.locator('#step-info').textContent()) ?? '', /Step 1 of \d+:.*MeanBackward0.*∂mean\(x\)\/∂xᵢ = 1\/N/s);
  assert.ok((await page.locator('path.agl-edge.flow').count()) >= 1, 'the edge the gradient flows along is highlighted');
  assert.match((await page.locator('#node-details').textContent()) ?? '', /gradienttensor\(1\)/);
  await page.click('#export-dot');
  const dot = (await posted(page)).find((m) => m.type === 'export' && m.format === 'dot');
  assert.ok(dot && dot.type === 'export' && dot.content.startsWith('digraph {'));
  await page.screenshot({ path: join(outDir, 'graph.png') });
  assert.deepEqual((page as Page & { errors: string[] }).errors, []);
  await page.close();
});

test('100k streamed points render without jank (each redraw well under 100 ms)', { skip }, async () => {
  const page = await openPanel();
  await send(page, [{ type: 'run-start', run: { runId: 'big', label: 'big.ts', script: '/w/big.ts', status: 'running', startedAt: new Date().toISOString() }, settings: { smoothing: 0.6 } }]);
  const batches: ToWebview[] = [];
  for (let b = 0; b < 100; b++) {
    const train: [number, number][] = [];
    const val: [number, number][] = [];
    for (let i = 0; i < 500; i++) {
      const x = b * 500 + i + 1;
      train.push([x, 1 / Math.sqrt(x) + Math.random() * 0.01]);
      val.push([x, 1 / Math.sqrt(x) + 0.02 + Math.random() * 0.01]);
    }
    batches.push({ type: 'metrics', runId: 'big', series: { train_loss: train, val_loss: val } });
  }
  await send(page, batches);
  await page.waitForFunction(`document.querySelector('section.agl-curves')?.dataset.points === '100000'`, undefined, { timeout: 10_000 });
  const ms = (await page.evaluate(`(async () => {
    const t0 = performance.now();
    window.postMessage({ type: 'metrics', runId: 'big', series: { train_loss: [[50001, 0.004]] } }, '*');
    while (document.querySelector('section.agl-curves').dataset.points !== '100001') await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`)) as number;
  assert.ok(ms < 400, `a redraw with 100k points took ${ms} ms after the 100 ms tick`);
  await page.close();
});

test('state is restored: the view, smoothing and log scale come back from getState', { skip }, async () => {
  const page = await openPanel({ version: 1, view: 'graph', logScale: true, smoothing: 0.3, hiddenSeries: [], runId: 'x' });
  assert.equal(await page.locator('section.agl-graph').isVisible(), true);
  assert.equal(await page.locator('section.agl-curves').isVisible(), false);
  assert.equal(await page.locator('#smoothing').inputValue(), '0.3');
  await page.close();
});
