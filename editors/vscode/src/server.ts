/**
 * How the extension finds the language server to start.
 *
 * The VSIX bundles the server and its Python dependencies (`bundled/libs`,
 * built per platform by scripts/bundle_server.py; `bundled/tool/lsp_server.py`
 * starts it), so that nothing has to be installed with pip. It needs a
 * Python interpreter whose version the bundle has native wheels for (3.11+):
 *
 *   1. `kconfig-ls.server.path`, when set: that `kconfig-ls` program, as it is;
 *   2. the bundled server, run by the first usable Python among
 *      `kconfig-ls.server.pythonPath`, the Python extension's selected
 *      interpreter, and `python3` / `python` on PATH;
 *   3. otherwise `kconfig-ls` on PATH (an installed server);
 *   4. otherwise nothing, with a message that says what was tried.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Executable } from 'vscode-languageclient/node';

/** The settings section. */
const SECTION = 'kconfig-ls';

/** The oldest Python the server runs on. */
const MINIMUM_PYTHON: [number, number] = [3, 11];

/** What bundled/bundle.json says about the bundle in this VSIX. */
export interface BundleManifest {
  target: string;
  pythonVersions: string[];
  packages: Record<string, string>;
}

/** The server to start, or why there is none. */
export type ServerChoice =
  | { kind: 'found'; executable: Executable; description: string }
  | { kind: 'missing'; message: string };

/** The Python interpreters tried, and what each one was. */
interface Candidate {
  source: string;
  command: string;
}

/** The bundle's manifest, or undefined when this build has no bundled server (a development build). */
export function readBundleManifest(extensionPath: string): BundleManifest | undefined {
  const manifestPath = path.join(extensionPath, 'bundled', 'bundle.json');
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as BundleManifest;
    if (!Array.isArray(manifest.pythonVersions) || !fs.existsSync(path.join(extensionPath, 'bundled', 'libs'))) {
      return undefined;
    }
    return manifest;
  } catch {
    return undefined;
  }
}

/** Chooses the server as the module docstring says; `log` receives one line per step. */
export async function chooseServer(extensionPath: string, log: (message: string) => void): Promise<ServerChoice> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverArguments = ['serve'];

  const serverPath = expandVariables(config.get<string>('server.path', '').trim());
  if (serverPath !== '') {
    const program = findProgram(serverPath);
    if (program === undefined) {
      return { kind: 'missing', message: `cannot find ${SECTION}.server.path "${serverPath}"` };
    }
    return {
      kind: 'found',
      executable: { command: program, args: serverArguments, options: { cwd } },
      description: `${SECTION}.server.path`,
    };
  }

  const manifest = readBundleManifest(extensionPath);
  const importStrategy = config.get<string>('server.importStrategy', 'useBundled');
  const tried: string[] = [];
  for (const candidate of await pythonCandidates(config)) {
    const program = findProgram(candidate.command);
    if (program === undefined) {
      tried.push(`${candidate.command} (${candidate.source}): not found`);
      continue;
    }
    const version = await pythonVersion(program);
    if (version === undefined) {
      tried.push(`${program} (${candidate.source}): does not run`);
      continue;
    }
    if (compareVersions(version, MINIMUM_PYTHON) < 0) {
      tried.push(`${program} (${candidate.source}): Python ${version.join('.')}, older than 3.11`);
      continue;
    }
    if (manifest === undefined) {
      // A development build without a bundle: the interpreter must have kconfig-ls installed.
      log(`no bundled server in this build; using ${program} -m kconfig_ls`);
      return {
        kind: 'found',
        executable: { command: program, args: ['-m', 'kconfig_ls', ...serverArguments], options: { cwd } },
        description: `${program} -m kconfig_ls (${candidate.source})`,
      };
    }
    if (!manifest.pythonVersions.includes(version.join('.'))) {
      tried.push(
        `${program} (${candidate.source}): Python ${version.join('.')}, ` +
          `the bundle has ${manifest.pythonVersions.join(', ')}`,
      );
      continue;
    }
    const script = path.join(extensionPath, 'bundled', 'tool', 'lsp_server.py');
    return {
      kind: 'found',
      executable: {
        command: program,
        args: [script, ...serverArguments.slice(1)],
        options: { cwd, env: { ...process.env, KCONFIG_LS_IMPORT_STRATEGY: importStrategy } },
      },
      description: `the bundled server (${manifest.packages['kconfig-ls'] ?? '?'}, ${manifest.target}) on ${program} (${candidate.source})`,
    };
  }
  for (const line of tried) {
    log(`python: ${line}`);
  }

  const installed = findProgram('kconfig-ls');
  if (installed !== undefined) {
    return {
      kind: 'found',
      executable: { command: installed, args: serverArguments, options: { cwd } },
      description: `${installed} on PATH`,
    };
  }
  const needed = manifest !== undefined ? `Python ${manifest.pythonVersions.join(', ')}` : 'Python 3.11 or newer';
  return {
    kind: 'missing',
    message:
      `the bundled server needs ${needed} (tried: ${tried.join('; ') || 'none'}); ` +
      `install one, choose it with ${SECTION}.server.pythonPath, or set ${SECTION}.server.path to a kconfig-ls program`,
  };
}

/** The interpreters to try, in order. */
async function pythonCandidates(config: vscode.WorkspaceConfiguration): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const configured = expandVariables(config.get<string>('server.pythonPath', '').trim());
  if (configured !== '') {
    candidates.push({ source: `${SECTION}.server.pythonPath`, command: configured });
  }
  const selected = await pythonExtensionInterpreter();
  if (selected !== undefined) {
    candidates.push({ source: 'the Python extension', command: selected });
  }
  const names = process.platform === 'win32' ? ['python', 'python3'] : ['python3', 'python'];
  for (const name of names) {
    candidates.push({ source: 'PATH', command: name });
  }
  return candidates;
}

/** The shape of the Python extension's API that is used here (`ms-python.python`, `environments`). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(
      environment: { path: string } | string,
    ): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

async function pythonExtensionApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (extension === undefined) {
    return undefined;
  }
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

/** The interpreter selected in the Python extension, if it is installed. */
async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const environments = (await pythonExtensionApi())?.environments;
  if (environments === undefined) {
    return undefined;
  }
  try {
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = environments.getActiveEnvironmentPath(resource);
    if (active === undefined) {
      return undefined;
    }
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Calls `listener` when the interpreter selected in the Python extension changes. */
export async function onDidChangePythonInterpreter(listener: () => void): Promise<vscode.Disposable | undefined> {
  const event = (await pythonExtensionApi())?.environments?.onDidChangeActiveEnvironmentPath;
  return event !== undefined ? event(() => listener()) : undefined;
}

/** An interpreter's (major, minor) version, or undefined when it does not run. */
function pythonVersion(program: string): Promise<[number, number] | undefined> {
  return new Promise((resolve) => {
    childProcess.execFile(
      program,
      ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
      { timeout: 10000, windowsHide: true },
      (error, stdout) => {
        const match = /^(\d+)\.(\d+)\s*$/.exec(stdout);
        resolve(error === null && match !== null ? [Number(match[1]), Number(match[2])] : undefined);
      },
    );
  });
}

function compareVersions(left: [number, number], right: [number, number]): number {
  return left[0] !== right[0] ? left[0] - right[0] : left[1] - right[1];
}

/** Replaces `${workspaceFolder}`, `${userHome}` and a leading `~` in a setting. */
export function expandVariables(value: string): string {
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  return value
    .replace(/^~(?=$|[\\/])/, os.homedir())
    .replace(/\$\{userHome\}/g, os.homedir())
    .replace(/\$\{workspaceFolder\}/g, workspaceFolder);
}

/** The path of a program as it would be spawned, or undefined when it cannot be found. */
export function findProgram(program: string): string | undefined {
  const isExecutable = (candidate: string): boolean => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.statSync(candidate).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes('/') || program.includes('\\')) {
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const candidate = path.resolve(cwd, program);
    return isExecutable(candidate) ? candidate : undefined;
  }
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const extension of extensions) {
      const candidate = path.join(folder, program + extension);
      if (folder !== '' && isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}
