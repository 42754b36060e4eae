/**
 * `autograd-lab run <script>`: runs a learner's TypeScript or JavaScript training script with
 * `autograd-lab` resolvable and prints what the script prints.
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = `usage: autograd-lab run <script.ts|.mts|.js|.mjs>

Runs a training script. Inside it, \`import torch, { nn, optim } from 'autograd-lab'\`
gives the bundled engine; nothing needs installing.`;

const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export async function main(argv: readonly string[]): Promise<number> {
  const [command, script, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'run') {
    console.error(`autograd-lab: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  if (script === undefined || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const path = resolve(script);
  if (!existsSync(path)) {
    console.error(`autograd-lab: no such file: ${script}`);
    return 2;
  }
  if (!SCRIPT_EXTENSIONS.includes(extname(path))) {
    console.error(`autograd-lab: cannot run '${script}': expected a ${SCRIPT_EXTENSIONS.join(', ')} file`);
    return 2;
  }
  process.setSourceMapsEnabled(true);
  const engineUrl = new URL('../engine/index.js', import.meta.url).href;
  register('./loader-hooks.js', { parentURL: import.meta.url, data: { engineUrl } });
  try {
    await import(pathToFileURL(path).href);
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? String(err)) : String(err));
    return 1;
  }
  return 0;
}
