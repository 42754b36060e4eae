/**
 * Starts a real VS Code (code-server from scripts/vscode-env/install.mjs) with the built extension
 * installed, in a fresh profile: its own user-data-dir, extensions-dir and --config, workspace
 * trust off, AI features off, listening on loopback only. Used by the integration tests
 * (test/integration/) and by `npm start` (scripts/start-vscode.ts). stop() ends the whole
 * process group (the server's file watcher and agent host outlive a plain kill of the server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT, toolPaths } from './paths.mjs';

export interface CodeServerOptions {
  /** A folder for this session's profile (user data, extensions, config, log). */
  sessionDir: string;
  /** Extra user settings merged over the test defaults. */
  settings?: Record<string, unknown>;
  /** Keep an existing settings.json of the profile (npm start keeps the learner's settings). */
  keepUserSettings?: boolean;
  /** Copy the built extension into the profile (default); false for extensionDevelopmentPath runs. */
  installExtension?: boolean;
  /** 0 or absent: a free port. */
  port?: number;
  /** Extra code-server flags. */
  args?: string[];
  /**
   * false: workspace trust on, so a folder opens in Restricted Mode (no trust prompt); default
   * true: trust off, every folder trusted.
   */
  trusted?: boolean;
}

export interface CodeServer {
  url: string;
  port: number;
  sessionDir: string;
  /** What the server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** User settings of a test profile: trusted, quiet, no welcome page, no AI, no gallery look-ups. */
export const TEST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // No close animations: a closing quick input is inert until its animation's timer fires, and a
  // headless page's timers can be late enough for the next command to find it still inert.
  'workbench.reduceMotion': 'on',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Dark 2026',
};

/** The files of the packaged extension (as .vscodeignore keeps them), source → target folder. */
export function installExtension(extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const target = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  for (const needed of ['dist/extension.cjs', 'dist/runtime/runner/runner.js', 'dist/webview/main.js']) {
    if (!existsSync(join(REPO_ROOT, needed))) throw new Error(`${needed} is missing: run npm run build first`);
  }
  rmSync(target, { recursive: true, force: true }); // no stale bundle chunks from an earlier build
  mkdirSync(target, { recursive: true });
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.cjs']) {
    if (existsSync(join(REPO_ROOT, file))) cpSync(join(REPO_ROOT, file), join(target, file));
  }
  const noMaps = (source: string) => !source.endsWith('.map');
  for (const dir of ['dist/runtime', 'dist/webview', 'media', 'examples/thermometer', 'examples/chapter6']) {
    cpSync(join(REPO_ROOT, dir), join(target, dir), { recursive: true, filter: noMaps });
  }
  // New Training Script… copies the engine's typings into the learner's workspace.
  if (existsSync(join(REPO_ROOT, 'dist/engine'))) {
    cpSync(join(REPO_ROOT, 'dist/engine'), join(target, 'dist/engine'), {
      recursive: true,
      filter: (source) => !source.includes('.') || source.endsWith('.d.ts'),
    });
  }
  return target;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s:\n${log()}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const tools = toolPaths();
  if (!existsSync(tools.codeServerEntry)) throw new Error(`code-server is not installed (${tools.codeServerEntry}): run node scripts/vscode-env/install.mjs`);
  const { sessionDir } = options;
  const userDataDir = join(sessionDir, 'user-data');
  const extensionsDir = join(sessionDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const trust = options.trusted === false ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {};
  if (!options.keepUserSettings || !existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify({ ...TEST_SETTINGS, ...trust, ...options.settings }, null, 2));
  // Its own config file, or code-server reads (and may create) ~/.config/code-server/config.yaml.
  const config = join(sessionDir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  mkdirSync(extensionsDir, { recursive: true });
  if (options.installExtension !== false) installExtension(extensionsDir);

  const port = options.port || (await freePort());
  const args = [
    tools.codeServerEntry,
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.trusted === false ? [] : ['--disable-workspace-trust']),
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.args ?? []),
  ];
  const output: string[] = [];
  // detached: the server leads its own process group, so stop() reaches all its children.
  const child = spawn(tools.node, args, { cwd: sessionDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } });
  child.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  const log = () => output.join('');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const group = -child.pid!;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    try {
      process.kill(group, killed ? 0 : 'SIGKILL');
      // The leader is gone but children may linger: end them too.
      if (killed) process.kill(group, 'SIGKILL');
    } catch {
      // the group is empty
    }
  };
  try {
    await waitForHealth(url, child, log, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, sessionDir, log, stop };
}
