// `npm run build:wasm` (run by `npm run build`): assembles matmul.wat, the engine's WebAssembly
// SIMD matrix kernels, into dist/engine/wasm/matmul.wasm with wabt (a devDependency from npm).
// Nothing downloaded: the binary is made from the source beside this file on every build.
// matmul.ts loads it at run time and falls back to the TypeScript kernel when it is absent.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const source = join(here, 'matmul.wat');
const target = join(root, 'dist', 'engine', 'wasm', 'matmul.wasm');

const wabt = await wabtInit();
const module = wabt.parseWat('matmul.wat', readFileSync(source, 'utf8'), { simd: true });
try {
  module.validate();
  const { buffer } = module.toBinary({ log: false, write_debug_names: false });
  if (!WebAssembly.validate(buffer)) throw new Error('this Node.js rejects the assembled module (WebAssembly SIMD missing?)');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, buffer);
  console.log(`build:wasm: ${source} -> ${target} (${buffer.length} bytes)`);
} finally {
  module.destroy();
}
