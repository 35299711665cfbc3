// Runs the extension's unit tests (test/*.test.ts) in plain Node: esbuild bundles each test with
// the `vscode` module replaced by test/vscode-stub.ts, then `node --test` runs them.
// Usage: npm test
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(extensionDir, 'out', 'test');
fs.rmSync(outDir, { recursive: true, force: true });
const tests = fs.readdirSync(path.join(extensionDir, 'test')).filter((name) => name.endsWith('.test.ts'));
await esbuild.build({
  entryPoints: tests.map((name) => path.join(extensionDir, 'test', name)),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: outDir,
  alias: { vscode: path.join(extensionDir, 'test', 'vscode-stub.ts') },
  logLevel: 'warning',
});
const outputs = tests.map((name) => path.join(outDir, name.replace(/\.ts$/, '.js')));
const result = spawnSync(process.execPath, ['--test', ...outputs], { stdio: 'inherit' });
process.exit(result.status ?? 1);
