/**
 * The VS Code client of the Kconfig language server.
 *
 * It starts the server bundled in the VSIX on a Python 3.11+ interpreter, or a
 * `kconfig-ls` program (src/server.ts says which, in what order), over stdio;
 * passes the `kconfig-ls.*` settings as initialization options and on every
 * change, shows a status bar item while the server indexes, and keeps the
 * server from running Kconfig `$(shell,...)` macros in an untrusted workspace.
 * It greys out the code that the active configuration leaves out
 * (src/inactiveRegions.ts), shows that configuration in the status bar and
 * lets the user choose another (src/configuration.ts), and opens the
 * locations of the server's code lenses in the references peek
 * (src/locations.ts).
 */
import * as vscode from 'vscode';
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  State,
} from 'vscode-languageclient/node';
import { ConfigurationStatus, ConfigurationStatusParams, PICK_CONFIGURATION_COMMAND } from './configuration';
import { InactiveRegions } from './inactiveRegions';
import { SHOW_LOCATIONS_COMMAND, showLocations } from './locations';
import { chooseServer, onDidChangePythonInterpreter } from './server';
import { SERVER_STDIO } from './serverLog';
import { IndexingStatus } from './status';

/** The settings section, the client id and the prefix of command ids. */
export const SECTION = 'kconfig-ls';

/** The languages the server serves: its own two and the files Kconfig symbols switch. */
const KCONFIG_LANGUAGES = ['kconfig', 'kconfig-config'];
const SWITCHED_LANGUAGES = ['c', 'cpp', 'makefile'];

/**
 * Files whose change on disk changes the symbol table or the configuration: Kconfig files (Linux,
 * Zephyr, U-Boot), Buildroot's `Config.in*`, ESP-IDF's `*.projbuild`, `sdkconfig*` files (not the
 * generated `sdkconfig.h`) and `sdkconfig.rename`, the configuration files of each ecosystem, and
 * coreboot's `configs/config.*`.
 */
const WATCHED_FILES = [
  '**/{Kconfig,Kconfig.*,*.kconfig,Config.in,Config.in.*,*.projbuild,.config,defconfig,*_defconfig,' +
    'prj.conf,prj_*.conf,sdkconfig,sdkconfig.old,sdkconfig.defaults*,sdkconfig.ci*,sdkconfig.rename*}',
  '**/configs/config.*',
];

/** The settings the server reads, as it reads them (initialization options and `kconfig-ls` section). */
export interface ServerSettings {
  rootKconfig: string;
  arch: string;
  environment: Record<string, string>;
  /** A file or build folder, or fragments merged in order. */
  configFile: string | string[];
  rules: Record<string, string>;
  trustWorkspace: boolean;
  extraIncludePaths: string[];
  /** A rename records the old name where the ecosystem has a way (`sdkconfig.rename`, a `transitional` alias). */
  keepOldNameOnRename: boolean;
}

let client: LanguageClient | undefined;
let outputChannel: vscode.LogOutputChannel | undefined;
let traceOutputChannel: vscode.LogOutputChannel | undefined;
let indexingStatus: IndexingStatus | undefined;
let inactiveRegions: InactiveRegions | undefined;
let configurationStatus: ConfigurationStatus | undefined;
let extensionPath = '';

/** What the extension returns from activate(), for other extensions and tests. */
export interface KconfigExtensionApi {
  /** The inactive regions drawn for a document. */
  inactiveRegions(uri: vscode.Uri): vscode.Range[];
  /** Fires with a document's URI after its inactive regions changed. */
  onDidChangeInactiveRegions: vscode.Event<vscode.Uri>;
  /** The configuration the server last reported. */
  configurationStatus(): ConfigurationStatusParams | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<KconfigExtensionApi> {
  outputChannel = vscode.window.createOutputChannel('Kconfig Language Server', { log: true });
  traceOutputChannel = vscode.window.createOutputChannel('Kconfig Language Server Trace', { log: true });
  indexingStatus = new IndexingStatus();
  inactiveRegions = new InactiveRegions();
  configurationStatus = new ConfigurationStatus(context.workspaceState, (message) => outputChannel?.info(message));
  extensionPath = context.extensionPath;
  context.subscriptions.push(outputChannel, traceOutputChannel, indexingStatus, inactiveRegions, configurationStatus);
  // Without a configuration nothing is greyed; the server sends no regions then, so the ones of
  // the configuration before would stay.
  context.subscriptions.push(
    configurationStatus.onDidChange((status) => (status.path === null ? inactiveRegions?.clearAll() : undefined)),
  );
  const api: KconfigExtensionApi = {
    inactiveRegions: (uri) => inactiveRegions?.rangesOf(uri) ?? [],
    onDidChangeInactiveRegions: inactiveRegions.onDidChange,
    configurationStatus: () => configurationStatus?.status,
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(`${SECTION}.restartServer`, () => restartClient()),
    vscode.commands.registerCommand(`${SECTION}.showOutput`, () => outputChannel?.show(true)),
    vscode.commands.registerCommand(PICK_CONFIGURATION_COMMAND, () => configurationStatus?.pick(client)),
    // The server's code lenses name this command; it is the client's to run (the server does not list it).
    vscode.commands.registerCommand(SHOW_LOCATIONS_COMMAND, (uri: unknown, position: unknown, locations: unknown) => {
      if (client === undefined) {
        return undefined;
      }
      return showLocations(client.protocol2CodeConverter, uri, position, locations);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => onDidChangeConfiguration(event)),
    // Once trusted, the workspace's own server settings apply too: start afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(() => (client !== undefined ? restartClient() : undefined)),
  );

  if (!vscode.workspace.isTrusted) {
    void showRestrictedModeMessage();
  }
  // A new interpreter chosen in the Python extension may be the one to run the bundled server on.
  const pythonListener = await onDidChangePythonInterpreter(() => {
    if (client !== undefined && vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '') === '') {
      void restartClient();
    }
  });
  if (pythonListener !== undefined) {
    context.subscriptions.push(pythonListener);
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
  return api;
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
    configFile: config.get<string | string[]>('configFile', ''),
    rules: config.get<Record<string, string>>('rules', {}),
    trustWorkspace: vscode.workspace.isTrusted && config.get<boolean>('trustWorkspace', false),
    extraIncludePaths: config.get<string[]>('extraIncludePaths', []),
    keepOldNameOnRename: config.get<boolean>('keepOldNameOnRename', false),
  };
}

async function startClient(): Promise<void> {
  if (client !== undefined) {
    return;
  }
  const choice = await chooseServer(extensionPath, (message) => outputChannel?.info(message));
  if (choice.kind === 'missing') {
    outputChannel?.error(`no server to start: ${choice.message}`);
    indexingStatus?.showError('no language server to start');
    void showServerNotFound(choice.message);
    return;
  }
  const executable = choice.executable;
  outputChannel?.info(`server: ${choice.description}`);
  outputChannel?.info(`server command: ${JSON.stringify([executable.command, ...(executable.args ?? [])])}`);

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
    stdioOptions: SERVER_STDIO,
    initializationOptions: serverSettings(),
    synchronize: {
      fileEvents: WATCHED_FILES.map((pattern) => vscode.workspace.createFileSystemWatcher(pattern)),
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
  if (inactiveRegions !== undefined) {
    newClient.registerFeature(inactiveRegions.feature(newClient));
  }
  if (configurationStatus !== undefined) {
    newClient.registerFeature(configurationStatus.feature(newClient));
  }
  newClient.onDidChangeState((event) => {
    if (event.newState === State.Starting) {
      indexingStatus?.showStarting();
    } else if (event.newState === State.Running) {
      indexingStatus?.showRunning();
      // A configuration chosen with the command before a restart is chosen again.
      void configurationStatus?.restore(newClient);
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
    if (event.affectsConfiguration(`${SECTION}.configFile`)) {
      // A new setting replaces the command's choice (the server drops it too), also after a restart.
      void configurationStatus?.forget();
    }
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

/** True when a workspace folder holds the top-level Kconfig (Buildroot's Config.in, coreboot's src/Kconfig, a west manifest). */
async function workspaceUsesKconfig(): Promise<boolean> {
  if (vscode.workspace.textDocuments.some((document) => KCONFIG_LANGUAGES.includes(document.languageId))) {
    return true;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const rootKconfig = serverSettings(folder).rootKconfig;
    // coreboot's root Kconfig is src/Kconfig.
    for (const name of [rootKconfig, 'Kconfig', 'Config.in', 'src/Kconfig', 'west.yml']) {
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

async function showServerNotFound(reason: string): Promise<void> {
  const openSettings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(`Kconfig: cannot start the language server: ${reason}.`, openSettings);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server`);
  }
}
