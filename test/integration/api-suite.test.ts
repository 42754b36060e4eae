/**
 * Runs the extension API suite (test/integration/api/, the one @vscode/test-electron runs via
 * .vscode-test.mjs) inside code-server: the extension loaded from this repository as the
 * extension under development, the suite as extensionTestsPath, its result reported through the
 * workbench's automation hooks (codeAutomationLog / codeAutomationExit, as @vscode/test-web does).
 * Skips like journeys.test.ts when code-server or Chromium is missing, and fails under CI=true.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../../scripts/vscode-env/code-server.js';
import { missingTools, REPO_ROOT } from '../../scripts/vscode-env/paths.mjs';
import { buildApiSuite } from './api/build.js';
import { launchBrowser, VIEWPORT } from './workbench.js';

const missing = missingTools();
const skip = missing.length > 0 && process.env.CI !== 'true' ? `no real VS Code here: ${missing.join('; ')}` : false;
const SUITE_TIMEOUT_MS = 240_000;

const servers: CodeServer[] = [];
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

/**
 * Runs one mocha suite module in an extension host: a fresh session (trusted, or with workspace
 * trust on so the folder opens in Restricted Mode), the suite's log and exit code back.
 */
async function runSuite(name: string, suiteModule: string, trusted: boolean): Promise<{ code: number; log: string }> {
  const sessionDir = join(REPO_ROOT, 'test-output', name);
  rmSync(sessionDir, { recursive: true, force: true });
  const workspace = join(sessionDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const session = await startCodeServer({ sessionDir, installExtension: false, trusted, args: ['--vscode-option', 'enable-smoke-test-driver'] });
  servers.push(session);
  browser ??= await launchBrowser();
  const page = await browser.newPage({ viewport: VIEWPORT });
  const lines: string[] = [];
  let report: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => (report = resolve));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    const line = format(...args); // console arguments, printf-style (mocha's reporter uses %s)
    if (!/\[AgentHost|open-vsx|ENOTFOUND/.test(line)) lines.push(line);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => report(code));
  const authority = new URL(session.url).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT}`],
    ['extensionTestsPath', `vscode-remote://${authority}${suiteModule}`],
    ['skipWelcome', 'true'],
  ];
  await page.goto(`${session.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), SUITE_TIMEOUT_MS).unref());
  const code = await Promise.race([exitCode, timeout]);
  await page.screenshot({ path: join(sessionDir, `${name}.png`) });
  await page.close();
  return { code, log: lines.join('\n') };
}

async function built(): Promise<string> {
  if (missing.length > 0) assert.fail(`CI=true but the real VS Code tools are missing: ${missing.join('; ')}`);
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.cjs'))) {
    assert.equal(spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' }).status, 0, 'npm run build failed');
  }
  return buildApiSuite();
}

test('the extension API suite passes in a real extension host (code-server)', { skip }, async () => {
  const suite = await built();
  const { code, log } = await runSuite('integration-api', suite, true);
  assert.notEqual(code, -1, `the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s:\n${log}`);
  assert.equal(code, 0, `the extension API suite failed:\n${log}`);
  // The suite really ran: mocha's summary names its passing tests.
  assert.match(log, /\b6 passing\b/, log);
});

test('in Restricted Mode the extension runs nothing and reads no run record on its own (code-server, trust on)', { skip }, async () => {
  const suite = await built();
  const { code, log } = await runSuite('integration-api-restricted', join(dirname(suite), 'restricted-index.cjs'), false);
  assert.notEqual(code, -1, `the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s:\n${log}`);
  assert.equal(code, 0, `the Restricted Mode suite failed:\n${log}`);
  assert.match(log, /\b5 passing\b/, log);
});
