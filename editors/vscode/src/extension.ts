/**
 * The VS Code client of the Kconfig language server.
 *
 * It starts `kconfig-ls serve` (or `python -m kconfig_ls serve`) over stdio,
 * passes the `kconfig-ls.*` settings as initialization options and on every
 * change, shows a status bar item while the server indexes, and keeps the
 * server from running Kconfig `$(shell,...)` macros in an untrusted workspace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  DocumentSelector,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  State,
} from 'vscode-languageclient/node';
import { IndexingStatus } from './status';

/** The settings section, the client id and the prefix of command ids. */
export const SECTION = 'kconfig-ls';

/** The languages the server serves: its own two and the files Kconfig symbols switch. */
const KCONFIG_LANGUAGES = ['kconfig', 'kconfig-config'];
const SWITCHED_LANGUAGES = ['c', 'cpp', 'makefile'];

/** Files whose change on disk changes the symbol table or the configuration. */
const WATCHED_FILES = '**/{Kconfig,Kconfig.*,*.kconfig,Config.in,.config,defconfig,*_defconfig,prj.conf}';

/** The settings the server reads, as it reads them (initialization options and `kconfig-ls` section). */
export interface ServerSettings {
  rootKconfig: string;
  arch: string;
  environment: Record<string, string>;
  configFile: string;
  rules: Record<string, string>;
  trustWorkspace: boolean;
  extraIncludePaths: string[];
}

let client: LanguageClient | undefined;
let outputChannel: vscode.LogOutputChannel | undefined;
let traceOutputChannel: vscode.LogOutputChannel | undefined;
let indexingStatus: IndexingStatus | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel('Kconfig Language Server', { log: true });
  traceOutputChannel = vscode.window.createOutputChannel('Kconfig Language Server Trace', { log: true });
  indexingStatus = new IndexingStatus();
  context.subscriptions.push(outputChannel, traceOutputChannel, indexingStatus);

  context.subscriptions.push(
    vscode.commands.registerCommand(`${SECTION}.restartServer`, () => restartClient()),
    vscode.commands.registerCommand(`${SECTION}.showOutput`, () => outputChannel?.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => onDidChangeConfiguration(event)),
    // Once trusted, the workspace's own server settings apply too: start afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(() => (client !== undefined ? restartClient() : undefined)),
  );

  if (!vscode.workspace.isTrusted) {
    void showRestrictedModeMessage();
  }

  // The extension also activates for C files and Makefiles (it adds `Kbuild` to
  // the makefile language); start the server only where Kconfig is at home.
  if (await workspaceUsesKconfig()) {
    await startClient();
  } else {
    const listener = vscode.workspace.onDidOpenTextDocument((document) => {
      if (KCONFIG_LANGUAGES.includes(document.languageId) && client === undefined) {
        listener.dispose();
        void startClient();
      }
    });
    context.subscriptions.push(listener);
  }
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** The settings for the server; in an untrusted workspace macros never run, whatever the user's setting. */
export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    rootKconfig: config.get<string>('rootKconfig', 'Kconfig'),
    arch: config.get<string>('arch', ''),
    environment: config.get<Record<string, string>>('environment', {}),
    configFile: config.get<string>('configFile', ''),
    rules: config.get<Record<string, string>>('rules', {}),
    trustWorkspace: vscode.workspace.isTrusted && config.get<boolean>('trustWorkspace', false),
    extraIncludePaths: config.get<string[]>('extraIncludePaths', []),
  };
}

/** The server's command line, from `server.pythonPath` when set, otherwise `server.command`. */
export function serverExecutable(): Executable {
  const config = vscode.workspace.getConfiguration(SECTION);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const pythonPath = config.get<string>('server.pythonPath', '').trim();
  if (pythonPath !== '') {
    return { command: expandVariables(pythonPath), args: ['-m', 'kconfig_ls', 'serve'], options: { cwd } };
  }
  let command = config.get<string[]>('server.command', ['kconfig-ls', 'serve']);
  if (!Array.isArray(command) || command.length === 0 || command.some((part) => typeof part !== 'string')) {
    outputChannel?.warn(`ignoring ${SECTION}.server.command, which is not a non-empty list of strings`);
    command = ['kconfig-ls', 'serve'];
  }
  const [program, ...args] = command.map(expandVariables);
  return { command: program, args, options: { cwd } };
}

async function startClient(): Promise<void> {
  if (client !== undefined) {
    return;
  }
  const executable = serverExecutable();
  outputChannel?.info(`server command: ${JSON.stringify([executable.command, ...(executable.args ?? [])])}`);
  if (findProgram(executable.command) === undefined) {
    indexingStatus?.showError(`cannot find the server program "${executable.command}"`);
    void showServerNotFound(executable.command);
    return;
  }

  const documentSelector: DocumentSelector = [
    ...KCONFIG_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    ...SWITCHED_LANGUAGES.map((language) => ({ scheme: 'file', language })),
  ];
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel,
    traceOutputChannel,
    initializationOptions: serverSettings(),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES),
    },
    middleware: {
      workspace: {
        // The server may pull its settings; answer with the same computed
        // settings as the initialization options, so that the workspace trust
        // rule holds there too.
        configuration: async (params: ConfigurationParams, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) => answerConfigurationItem(item, answers[index]));
        },
      },
    },
  };

  const newClient = new LanguageClient(SECTION, 'Kconfig Language Server', executable, clientOptions);
  if (indexingStatus !== undefined) {
    newClient.registerFeature(indexingStatus.feature(newClient));
  }
  newClient.onDidChangeState((event) => {
    if (event.newState === State.Starting) {
      indexingStatus?.showStarting();
    } else if (event.newState === State.Running) {
      indexingStatus?.showRunning();
    } else if (event.newState === State.Stopped && client === newClient) {
      indexingStatus?.showError('the server stopped');
    }
  });
  client = newClient;
  try {
    await newClient.start();
  } catch (error) {
    outputChannel?.error(`cannot start the server: ${String(error)}`);
    indexingStatus?.showError('the server did not start');
  }
}

async function stopClient(): Promise<void> {
  const oldClient = client;
  client = undefined;
  if (oldClient !== undefined) {
    try {
      await oldClient.dispose(2000);
    } catch (error) {
      outputChannel?.warn(`stopping the server: ${String(error)}`);
    }
  }
}

async function restartClient(): Promise<void> {
  outputChannel?.info('restarting the server');
  await stopClient();
  await startClient();
}

function onDidChangeConfiguration(event: vscode.ConfigurationChangeEvent): void {
  if (event.affectsConfiguration(`${SECTION}.server`)) {
    void restartClient();
  } else if (event.affectsConfiguration(SECTION)) {
    sendSettings();
  }
}

/** Pushes the current settings to the server after a change. */
function sendSettings(): void {
  if (client?.isRunning()) {
    void client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: serverSettings() },
    });
  }
}

function answerConfigurationItem(item: ConfigurationParams['items'][number], answer: unknown): unknown {
  const scope = item.scopeUri !== undefined ? vscode.Uri.parse(item.scopeUri) : undefined;
  if (item.section === SECTION) {
    return serverSettings(scope);
  }
  if (item.section?.startsWith(`${SECTION}.`)) {
    const key = item.section.slice(SECTION.length + 1);
    const settings = serverSettings(scope) as unknown as Record<string, unknown>;
    return key in settings ? settings[key] : answer;
  }
  return answer;
}

/** True when a workspace folder holds the top-level Kconfig (or Buildroot's Config.in, or a west manifest). */
async function workspaceUsesKconfig(): Promise<boolean> {
  if (vscode.workspace.textDocuments.some((document) => KCONFIG_LANGUAGES.includes(document.languageId))) {
    return true;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const rootKconfig = serverSettings(folder).rootKconfig;
    for (const name of [rootKconfig, 'Kconfig', 'Config.in', 'west.yml']) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, name));
        return true;
      } catch {
        // Not there; try the next name.
      }
    }
  }
  return false;
}

async function showRestrictedModeMessage(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showInformationMessage(
    'Kconfig: this workspace is not trusted, so macro commands are disabled: ' +
      'the language server never runs Kconfig $(shell,...) macros here.',
    manage,
  );
  if (choice === manage) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}

async function showServerNotFound(program: string): Promise<void> {
  const openSettings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(
    `Kconfig: cannot find the language server "${program}". Install it (pip install kconfig-ls) ` +
      `or set ${SECTION}.server.command or ${SECTION}.server.pythonPath.`,
    openSettings,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server`);
  }
}

/** Replaces `${workspaceFolder}`, `${userHome}` and a leading `~` in a setting. */
function expandVariables(value: string): string {
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  return value
    .replace(/^~(?=$|[\\/])/, os.homedir())
    .replace(/\$\{userHome\}/g, os.homedir())
    .replace(/\$\{workspaceFolder\}/g, workspaceFolder);
}

/** The path of a program as the server would be spawned, or undefined when it cannot be found. */
function findProgram(program: string): string | undefined {
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
