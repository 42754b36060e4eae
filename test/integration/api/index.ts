/**
 * The extensionTestsPath module: VS Code's extension host calls run() and reads the promise as
 * the suite's result. Runs the bundled mocha suite next to this file.
 */
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  mocha.addFile(join(__dirname, 'extension.api.cjs'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension API test(s) failed`)) : resolve()));
  });
}
