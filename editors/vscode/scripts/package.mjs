// Packages the extension for one VS Code platform target, with the server bundled.
// Usage: npm run package [-- TARGET]   (TARGET: linux-x64, linux-arm64, darwin-arm64, win32-x64, ...;
//                                       default: this machine's)
// Writes dist/kconfig-ls-TARGET.vsix. The Python that bundles the server is $PYTHON, else python3;
// it needs pip and the package registry (scripts/bundle_server.py).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repositoryUrl = 'https://github.com/kconfig-ls/kconfig-ls';

function hostTarget() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  if (arch === undefined || platform === undefined) {
    throw new Error(`no VS Code target for ${process.platform}-${process.arch}; name one`);
  }
  return `${platform}-${arch}`;
}

function run(command, args) {
  console.log(`+ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: extensionDir, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

const target = process.argv.slice(2).find((argument) => !argument.startsWith('-')) ?? hostTarget();
const python = process.env.PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
run(python, ['scripts/bundle_server.py', '--target', target]);
fs.mkdirSync(path.join(extensionDir, 'dist'), { recursive: true });
const vsce = path.join(extensionDir, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
const out = path.join('dist', `kconfig-ls-${target}.vsix`);
run(vsce, [
  'package',
  '--no-dependencies',
  '--target', target,
  '--out', out,
  // Relative links and images in README.md point into the repository.
  '--baseContentUrl', `${repositoryUrl}/blob/main/editors/vscode`,
  '--baseImagesUrl', `${repositoryUrl}/raw/main/editors/vscode`,
]);
const size = fs.statSync(path.join(extensionDir, out)).size;
console.log(`${out}: ${(size / 1e6).toFixed(1)} MB`);
