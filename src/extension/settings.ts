/** The `autogradLab.*` settings, read with defaults and sane bounds. */
import * as vscode from 'vscode';

export interface LabSettings {
  memoryLimitMB: number;
  probeHistorySize: number;
  runRetention: number;
  gutterEnabled: boolean;
  curveSmoothing: number;
  /** Show the Autograd Lab output channel on a run's first output. */
  revealOutput: boolean;
}

export function readSettings(): LabSettings {
  const c = vscode.workspace.getConfiguration('autogradLab');
  const num = (key: string, def: number, lo: number, hi: number) => {
    const v = c.get<number>(key, def);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : def;
  };
  return {
    memoryLimitMB: Math.round(num('memoryLimitMB', 2048, 64, 65536)),
    probeHistorySize: Math.round(num('probeHistorySize', 2000, 10, 2000)),
    runRetention: Math.round(num('runRetention', 20, 1, 1000)),
    gutterEnabled: c.get<boolean>('gutter.enabled', true) !== false,
    curveSmoothing: num('curves.smoothing', 0.6, 0, 0.999),
    revealOutput: c.get<boolean>('output.revealOnRun', true) !== false,
  };
}
