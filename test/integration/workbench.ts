/**
 * Drives the VS Code workbench in headless Chromium as a user would: the command palette, Quick
 * Open, the Problems panel, and the Autograd Lab webview (a nested iframe, found by its markup).
 * Page expressions are strings: tsx's helpers do not exist inside the page.
 */
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
// Shared with the install and start scripts.
import { CHROMIUM_PATH } from '../../scripts/vscode-env/paths.mjs';

/** The window the issue's learner used: 1400×900, the panel beside the editor. */
export const VIEWPORT = { width: 1400, height: 900 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Opens `folder` in the workbench and waits until the editor area is up. */
export async function openWorkbench(browser: Browser, serverUrl: string, folder: string): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The explorer shows the folder once the workspace is loaded.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  return page;
}

async function quickInput(page: Page, keys: string, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press(keys);
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (err) {
      if (attempt === 2) throw err;
      // The workbench may not have had focus yet: click a neutral spot (the status bar) and retry.
      await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
    }
  }
  await input.fill(text);
}

/**
 * Runs a command by its palette title ("Autograd Lab: Run Training"), as typed by a user. Retries
 * while the palette does not list it first: right after the window opens, extension contributions
 * may not be registered yet.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await quickInput(page, 'Control+Shift+P', `>${title}`);
    const first = page.locator('.quick-input-list .monaco-list-row').first();
    await first.waitFor({ timeout: 10_000 });
    const label = (await first.getAttribute('aria-label')) ?? '';
    if (label.includes(title)) break;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`the command palette's first match for "${title}" is "${label}"`);
    await page.waitForTimeout(500);
  }
  await page.keyboard.press('Enter');
  // The palette closes, or the command opens a quick pick of its own in the same widget.
  const deadline2 = Date.now() + 10_000;
  for (;;) {
    const open = await page.locator('.quick-input-widget').isVisible();
    const value = open ? await page.locator('.quick-input-widget input').inputValue().catch(() => '') : '';
    if (!open || !value.startsWith('>')) break;
    if (Date.now() > deadline2) throw new Error(`the command palette stayed open after running "${title}"`);
    await page.waitForTimeout(100);
  }
}

/** Answers an open quick pick or input box: types `text` (if any) and accepts with Enter. */
export async function pickQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  if (text) {
    await input.fill(text);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 10_000 });
  }
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300); // the next quick input replaces this one
}

/** Moves the active editor's cursor to a line (Ctrl+G), scrolling it into view. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await quickInput(page, 'Control+G', `:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Toggles the maximized state of editor group `group` (1-based) with its keybindings. */
export async function toggleMaximizedGroup(page: Page, group: number): Promise<void> {
  await page.keyboard.press(`Control+${group}`);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+M');
  await page.waitForTimeout(300); // the layout animates
}

/**
 * Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor tab is active and
 * `ready` shows (a text editor's lines; NOTEBOOK_READY for a notebook).
 */
export async function openFile(page: Page, relativePath: string, ready = '.editor-instance .view-lines'): Promise<void> {
  const name = relativePath.split('/').pop()!;
  // Into the first editor group, not the panel's: as a learner keeps code left, panel right.
  await page.keyboard.press('Control+1');
  await quickInput(page, 'Control+P', relativePath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
  await page.locator(ready).first().waitFor();
}

/** What shows once a notebook editor has laid out its cells. */
export const NOTEBOOK_READY = '.notebook-editor .cell-list-container .view-lines';

/** The frame of the Autograd Lab panel: the webview iframe whose document holds `selector`. */
export function panelFrame(page: Page, selector = 'section.agl-curves', timeoutMs = 30_000): Promise<Frame> {
  return webviewFrame(page, selector, timeoutMs);
}

/** The webview iframe (the panel, a notebook's outputs) whose document holds `selector`. */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // a frame navigating or detached
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame holds ${selector} after ${timeoutMs / 1000} s`);
}

/**
 * Waits until a JavaScript expression is true inside a frame; the message names what was awaited.
 * Polls from here: playwright's in-page polling evaluates strings, which the panel's CSP forbids.
 */
export async function waitInFrame(frame: Frame, expression: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      if (await frame.evaluate(`Boolean(${expression})`)) return;
    } catch (err) {
      last = (err as Error).message.split('\n')[0]!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not seen within ${timeoutMs / 1000} s${last ? ` (${last})` : ''}`);
}

/**
 * Text of the editor's line that contains `needle`, with its decorations' after-line content.
 * `editors`: where the editor is ('.notebook-editor' for a notebook's cells).
 */
export async function editorLineAnnotations(page: Page, needle: string, editors = '.editor-instance'): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const needle = ${JSON.stringify(needle)};
    const lines = [...document.querySelectorAll(${JSON.stringify(editors)} + ' .view-lines .view-line')];
    const line = lines.find((l) => l.textContent.replace(/\\u00a0/g, ' ').includes(needle));
    if (!line) return [];
    return [...line.querySelectorAll('span')]
      .map((s) => getComputedStyle(s, '::after').content)
      .filter((c) => c && c !== 'none' && c !== 'normal')
      .map((c) => c.replace(/^"|"$/g, ''));
  })()`)) as string[];
}
