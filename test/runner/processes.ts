// What the process-group tests share: whether a process still runs (as ps sees it), and a
// script that starts a busy grandchild holding its stdout and stderr.
import { spawnSync } from 'node:child_process';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `pid` still runs, as ps sees it (a zombie has ended; only its parent has not reaped it). */
export function running(pid: number): boolean {
  const ps = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 && ps.stdout.trim() !== '' && !ps.stdout.trim().startsWith('Z');
}

/** Waits (up to 5 s) for every one of `pids` to end; the ones still running then. */
export async function leftRunning(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 50 && pids.some(running); i++) await sleep(100);
  return pids.filter(running);
}

/**
 * A .mjs script that starts a busy `sh` sharing its stdout and stderr (so the pipes stay open
 * while it runs), writes both pids to `pidFile` as JSON, prints 'started', then runs `rest`.
 */
export function withBusyGrandchild(pidFile: string, rest: string): string {
  return `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const child = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'inherit' });
writeFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid, child.pid]));
console.log('started');
${rest}
`;
}
