/**
 * A run record of examples/thermometer/05-train-validation.ts in a workspace, from the recorded
 * run the panel tests replay (its paths, written under /WORKSPACE, moved to the workspace): for
 * the gutter's restore from run records.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RECORDED_RUN_ID = 'fixture-05';

/** Writes the script and its run record into `workspace`; returns the script's path. */
export function writeRecordedRun(extensionPath: string, workspace: string): string {
  const script = join(workspace, 'examples', 'thermometer', '05-train-validation.ts');
  mkdirSync(join(workspace, 'examples', 'thermometer'), { recursive: true });
  copyFileSync(join(extensionPath, 'examples', 'thermometer', '05-train-validation.ts'), script);
  const events = readFileSync(join(extensionPath, 'test', 'webview', 'fixtures', 'train-validation.events.jsonl'), 'utf8').replaceAll('/WORKSPACE', workspace);
  const dir = join(workspace, '.autograd-lab', 'runs', RECORDED_RUN_ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'events.jsonl'), events);
  return script;
}
