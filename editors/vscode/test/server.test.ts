/**
 * Unit tests of how the extension picks the server (src/server.ts) and reads its stderr
 * (src/serverLog.ts), in plain Node: `npm test` (scripts/test.mjs).
 *
 * Fake interpreters are shell scripts that print a version, in a temporary folder that is the
 * whole PATH; the extension folder is a temporary folder with or without bundled/bundle.json.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { chooseServer } from '../src/server';
import { classifyLine } from '../src/serverLog';
import { pythonExtension, settings } from './vscode-stub';

let folder = '';
let savedPath: string | undefined;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfig-ls-extension-test-'));
  fs.mkdirSync(path.join(folder, 'bin'));
  savedPath = process.env.PATH;
  process.env.PATH = path.join(folder, 'bin');
  for (const key of Object.keys(settings)) {
    delete settings[key];
  }
  delete pythonExtension.interpreter;
});

afterEach(() => {
  process.env.PATH = savedPath;
  fs.rmSync(folder, { recursive: true, force: true });
});

/** A fake interpreter that prints `version` for the version probe. */
function fakePython(name: string, version: string): string {
  const program = path.join(folder, 'bin', name);
  fs.writeFileSync(program, `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return program;
}

/** An extension folder; with `pythonVersions`, it has a bundle for them. */
function extensionFolder(pythonVersions?: string[]): string {
  const extension = path.join(folder, 'extension');
  fs.mkdirSync(path.join(extension, 'bundled', 'libs'), { recursive: true });
  if (pythonVersions !== undefined) {
    const manifest = { target: 'linux-x64', pythonVersions, packages: { 'kconfig-ls': '0.1.0' } };
    fs.writeFileSync(path.join(extension, 'bundled', 'bundle.json'), JSON.stringify(manifest));
  }
  return extension;
}

void test('the bundled server runs on python3 from PATH', async () => {
  const python = fakePython('python3', '3.12');
  const extension = extensionFolder(['3.11', '3.12']);
  const choice = await chooseServer(extension, () => undefined);
  assert.equal(choice.kind, 'found');
  assert.ok(choice.kind === 'found');
  assert.equal(choice.executable.command, python);
  assert.deepEqual(choice.executable.args, [path.join(extension, 'bundled', 'tool', 'lsp_server.py')]);
  const environment = choice.executable.options?.env as Record<string, string> | undefined;
  assert.equal(environment?.KCONFIG_LS_IMPORT_STRATEGY, 'useBundled');
});

void test("the Python extension's interpreter comes before PATH", async () => {
  fakePython('python3', '3.12');
  const selected = fakePython('selected-python', '3.13');
  pythonExtension.interpreter = selected;
  const choice = await chooseServer(extensionFolder(['3.12', '3.13']), () => undefined);
  assert.ok(choice.kind === 'found');
  assert.equal(choice.executable.command, selected);
});

void test('an interpreter older than 3.11 or without bundled wheels is passed over', async () => {
  fakePython('python3', '3.10');
  const python = fakePython('python', '3.15');
  const installed = path.join(folder, 'bin', 'kconfig-ls');
  fs.writeFileSync(installed, '#!/bin/sh\n', { mode: 0o755 });
  const lines: string[] = [];
  const choice = await chooseServer(extensionFolder(['3.11', '3.12']), (line) => lines.push(line));
  assert.ok(choice.kind === 'found');
  assert.equal(choice.executable.command, installed);
  assert.deepEqual(choice.executable.args, ['serve']);
  assert.ok(lines.some((line) => line.includes('older than 3.11')), lines.join('\n'));
  assert.ok(lines.some((line) => line.includes(`${python} (PATH): Python 3.15`)), lines.join('\n'));
});

void test('server.path wins over the bundle', async () => {
  fakePython('python3', '3.12');
  const program = path.join(folder, 'my-kconfig-ls');
  fs.writeFileSync(program, '#!/bin/sh\n', { mode: 0o755 });
  settings['server.path'] = program;
  const choice = await chooseServer(extensionFolder(['3.12']), () => undefined);
  assert.ok(choice.kind === 'found');
  assert.equal(choice.executable.command, program);
  assert.deepEqual(choice.executable.args, ['serve']);
});

void test('nothing usable: a message that says what was tried', async () => {
  fakePython('python3', '3.9');
  const choice = await chooseServer(extensionFolder(['3.11']), () => undefined);
  assert.ok(choice.kind === 'missing');
  assert.match(choice.message, /Python 3\.11/);
  assert.match(choice.message, /python3 \(PATH\): Python 3\.9, older than 3\.11/);
  assert.match(choice.message, /kconfig-ls\.server\.path/);
});

void test('a build without a bundle runs the interpreter with -m kconfig_ls', async () => {
  const python = fakePython('python3', '3.11');
  const choice = await chooseServer(extensionFolder(), () => undefined);
  assert.ok(choice.kind === 'found');
  assert.equal(choice.executable.command, python);
  assert.deepEqual(choice.executable.args, ['-m', 'kconfig_ls', 'serve']);
});

void test("stderr lines keep the level of the server's records", () => {
  assert.deepEqual(classifyLine('2026-12-01 08:45:57,478 INFO kconfig_ls.server.server: hello', 'warn'), {
    level: 'info',
    text: 'kconfig_ls.server.server: hello',
  });
  assert.equal(classifyLine('2026-12-01 08:45:57,478 WARNING pygls: x', 'info').level, 'warn');
  assert.equal(classifyLine('2026-12-01 08:45:57,478 CRITICAL x: y', 'info').level, 'error');
  assert.equal(classifyLine('2026-12-01 08:45:57,478 DEBUG x: y', 'info').level, 'debug');
  // Continuation lines keep the previous level; a traceback is an error.
  assert.equal(classifyLine('  File "x.py", line 3', 'warn').level, 'warn');
  assert.equal(classifyLine('Traceback (most recent call last):', 'info').level, 'error');
});
