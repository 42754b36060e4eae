/**
 * Autograd Lab's version: the engine's (`torch.__version__`-like) and the one every run reports.
 * Kept here, not in the engine, so the processes that never load the engine (the extension host,
 * the CLI's parent side) can read it. A test keeps it equal to package.json's.
 */
export const AUTOGRAD_LAB_VERSION = '0.1.0';
