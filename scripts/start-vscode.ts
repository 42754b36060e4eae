/**
 * `npm start`: the examples in a local browser VS Code (code-server) with the extension installed,
 * for machines without VS Code. package.json's script installs the tools (idempotent) and builds
 * first; this starts the server on 127.0.0.1, prints the address and runs until Ctrl+C.
 * The profile (settings, open editors) is kept in .tools/start-profile between starts.
 * AUTOGRAD_LAB_PORT picks the port (default 8765, or a free one when that is taken).
 */
import { join } from 'node:path';
import { freePort, startCodeServer, type CodeServer } from './vscode-env/code-server.js';
import { REPO_ROOT, toolPaths } from './vscode-env/paths.mjs';

async function portToUse(): Promise<number> {
  const wanted = Number(process.env.AUTOGRAD_LAB_PORT ?? 8765);
  try {
    const probe = await fetch(`http://127.0.0.1:${wanted}/`);
    void probe.body?.cancel();
    return await freePort(); // something already answers there
  } catch {
    return wanted;
  }
}

const examples = join(REPO_ROOT, 'examples');
let server: CodeServer;
try {
  server = await startCodeServer({ sessionDir: join(toolPaths().root, 'start-profile'), port: await portToUse(), keepUserSettings: true });
} catch (err) {
  console.error(`npm start: ${(err as Error).message}`);
  process.exit(1);
}
const url = `${server.url}/?folder=${encodeURIComponent(examples)}`;
console.log(`\nAutograd Lab in VS Code (code-server), with the examples open:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl+C stops the server.`);

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// A server that dies on its own ends the command too, with what it said.
const watch = setInterval(async () => {
  try {
    await fetch(`${server.url}/healthz`);
  } catch {
    clearInterval(watch);
    console.error(`code-server stopped answering:\n${server.log().slice(-2000)}`);
    await shutdown(1);
  }
}, 2000);
