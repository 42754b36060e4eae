// `npm start` builds only when the sources changed since the last build: a fingerprint (SHA-256 of
// every input file's path and content) is kept in dist/.build-fingerprint after a build succeeds,
// and a start with the same fingerprint skips the build (about 20 s).
// Usage: node scripts/build-if-changed.mjs
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What `npm run build` reads. */
const INPUTS = ['src', 'webview', 'media', 'scripts/build-extension.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.webview.json'];
/** What it writes, all of which must be there to skip it. */
const OUTPUTS = ['dist/extension.cjs', 'dist/runtime/runner/runner.js', 'dist/webview/main.js', 'dist/engine/index.js'];
const STAMP = join(root, 'dist', '.build-fingerprint');

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name !== '__pycache__' && name !== 'node_modules')
    .sort()
    .flatMap((name) => files(join(path, name)));
}

export function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(root, input))) {
      hash.update(relative(root, file));
      hash.update('\0');
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

const now = fingerprint();
const built = OUTPUTS.every((o) => existsSync(join(root, o)));
if (built && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === now) {
  console.log('build: nothing changed since the last build, skipped');
  process.exit(0);
}
const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(STAMP, `${now}\n`);
