// The extension API suite (test/integration/api/) under @vscode/test-cli + @vscode/test-electron,
// on machines where VS Code desktop can be downloaded (or is installed: VSCODE_EXECUTABLE):
//   npm run build && npx tsx test/integration/api/build.ts && npx --yes @vscode/test-cli
// Plain object (what defineConfig returns), so this file needs no @vscode/test-cli install.
// Where VS Code cannot be downloaded, the same suite runs inside code-server:
//   node scripts/run-tests.mjs test/integration/api-suite
const executable = process.env.VSCODE_EXECUTABLE;

export default {
  label: 'extension API',
  files: 'test-output/integration/api/extension.api.cjs',
  extensionDevelopmentPath: '.',
  ...(executable ? { useInstallation: { fromPath: executable } } : { version: 'stable' }),
  // Other installed extensions stay off: the suite sees VS Code and Autograd Lab only.
  launchArgs: ['--disable-extensions'],
  mocha: { ui: 'bdd', timeout: 120_000, color: false },
};
