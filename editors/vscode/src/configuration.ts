/**
 * The active configuration: a status bar item that shows it, and the command that chooses it.
 *
 * The server says which configuration it evaluates (the `kconfig-ls.configFile` setting, or the
 * one chosen with its `kconfig-ls.selectConfiguration` command) in the notification
 * `kconfig-ls/configurationStatus` (`{label, path, unknownValues, problems}`), after it starts
 * and after each change.  The item shows the label; a click, or **Kconfig: Select
 * Configuration** in the command palette, offers the configuration files of the workspace
 * (`.config`, defconfigs, `prj.conf`, `sdkconfig`), a file picker, the setting's configuration
 * and no configuration, and runs the server's command with the one picked.  The command's
 * choice wins over the setting until the next command or a change of the setting, so going back
 * to the setting sends the setting's value.  The choice is kept in the workspace's state (never in
 * a file of the tree), sent again when the server restarts, and forgotten when the setting
 * changes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaseLanguageClient, FeatureState, StaticFeature } from 'vscode-languageclient';

/** The server's notification and command (its contract with the clients). */
export const CONFIGURATION_STATUS_METHOD = 'kconfig-ls/configurationStatus';
export const SELECT_CONFIGURATION_COMMAND = 'kconfig-ls.selectConfiguration';

/**
 * The extension's own command id for the palette and the status bar item.  It cannot be the
 * server's `kconfig-ls.selectConfiguration`: vscode-languageclient registers a VS Code command
 * for each command the server lists, and a second registration of one id fails.
 */
export const PICK_CONFIGURATION_COMMAND = 'kconfig-ls.pickConfiguration';

/** The workspace state key of the configuration chosen with the command. */
const CHOSEN_CONFIGURATION_KEY = 'kconfig-ls.chosenConfiguration';
/** What the key holds when the choice was no configuration. */
const NO_CONFIGURATION = '';

/** The parameters of `kconfig-ls/configurationStatus`. */
export interface ConfigurationStatusParams {
  label: string;
  path: string | null;
  unknownValues: number;
  problems: number;
}

/** The configuration files that the picker offers, as glob patterns for `findFiles`. */
export const CONFIGURATION_FILE_GLOB =
  '{**/.config,**/defconfig,**/*_defconfig,**/configs/*.config,**/prj.conf,**/prj_*.conf,**/sdkconfig,**/sdkconfig.defaults}';

/** At most this many files are offered; a Linux tree has about 900 defconfigs. */
const MAXIMUM_FILES = 2000;

/** One row of the picker: a file, the file dialog, the setting's configuration, or none. */
export interface ConfigurationChoice extends vscode.QuickPickItem {
  action: 'file' | 'browse' | 'setting' | 'none';
  path?: string;
}

/** The text and tooltip of the status bar item for a status. */
export function statusText(status: ConfigurationStatusParams): { text: string; tooltip: string } {
  const lines = [status.path !== null ? `Kconfig configuration: ${status.path}` : 'Kconfig: no configuration file'];
  if (status.unknownValues > 0) {
    lines.push(plural(status.unknownValues, 'value is', 'values are') + ' unknown (they depend on $(shell,...) probes that do not run)');
  }
  if (status.problems > 0) {
    // Findings of the configuration checks, most of them information (an entry equal to its default).
    lines.push(plural(status.problems, 'finding', 'findings') + ' in the configuration file (see the Problems panel)');
  }
  lines.push('Click to choose another configuration.');
  return { text: `$(settings) ${status.label}`, tooltip: lines.join('\n') };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The picker's rows: browse, the setting's value (when set), no configuration, then the files
 * (`.config` files first, then by path), the current one marked.  `relative` gives the path
 * shown for a file.
 */
export function configurationChoices(
  files: string[],
  current: string | null | undefined,
  setting: string | string[],
  relative: (file: string) => string,
): ConfigurationChoice[] {
  const settingValue = Array.isArray(setting) ? setting.join(', ') : setting;
  const rank = (file: string): number => (path.basename(file) === '.config' ? 0 : 1);
  const sorted = [...new Set(files)].sort(
    (left, right) => rank(left) - rank(right) || relative(left).localeCompare(relative(right)),
  );
  const choices: ConfigurationChoice[] = [
    { action: 'browse', label: '$(folder-opened) Browse...', description: 'a configuration file anywhere' },
  ];
  if (settingValue !== '') {
    choices.push({ action: 'setting', label: '$(settings) The setting', description: `kconfig-ls.configFile: ${settingValue}` });
  }
  choices.push({ action: 'none', label: '$(circle-slash) No configuration', description: 'no values, nothing greyed' });
  if (sorted.length > 0) {
    choices.push({ action: 'file', label: 'Configuration files', kind: vscode.QuickPickItemKind.Separator });
  }
  for (const file of sorted) {
    const shown = relative(file);
    const folder = path.dirname(shown);
    choices.push({
      action: 'file',
      path: file,
      label: path.basename(file),
      description: [folder !== '.' ? folder : '', file === current ? '(current)' : ''].filter(Boolean).join(' '),
    });
  }
  return choices;
}

/** The status bar item of the configuration, and the command that chooses it. */
export class ConfigurationStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ConfigurationStatusParams | undefined;
  private readonly changed = new vscode.EventEmitter<ConfigurationStatusParams>();
  /** Fires with each status the server sends. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: (message: string) => void,
  ) {
    this.item = vscode.window.createStatusBarItem('kconfig-ls.configuration', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'Kconfig Configuration';
    this.item.command = PICK_CONFIGURATION_COMMAND;
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }

  /** The last status the server sent, if any. */
  get status(): ConfigurationStatusParams | undefined {
    return this.current;
  }

  /** The configuration chosen with the command, kept across restarts ('' for none); undefined: the setting's. */
  get chosen(): string | undefined {
    return this.state.get<string>(CHOSEN_CONFIGURATION_KEY);
  }

  update(status: ConfigurationStatusParams): void {
    this.current = status;
    const { text, tooltip } = statusText(status);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
    this.changed.fire(status);
  }

  hide(): void {
    this.current = undefined;
    this.item.hide();
  }

  /** A client feature that shows the server's notification in the item. */
  feature(client: BaseLanguageClient): StaticFeature {
    let listener: vscode.Disposable | undefined;
    return {
      getState: (): FeatureState => ({ kind: 'static' }),
      fillClientCapabilities: (): void => undefined,
      initialize: (): void => {
        listener?.dispose();
        listener = client.onNotification(CONFIGURATION_STATUS_METHOD, (params: ConfigurationStatusParams) =>
          this.update(params),
        );
      },
      clear: (): void => {
        listener?.dispose();
        listener = undefined;
        this.hide();
      },
    };
  }

  /** Runs the server's command with a configuration file, or null for none; keeps the choice if asked. */
  async select(client: BaseLanguageClient, file: string | null, remember = true): Promise<boolean> {
    if (!(await this.send(client, [file]))) {
      return false;
    }
    if (remember) {
      await this.state.update(CHOSEN_CONFIGURATION_KEY, file ?? NO_CONFIGURATION);
    }
    return true;
  }

  /** Sends the server's command with these arguments; false (and a message) when it fails. */
  private async send(client: BaseLanguageClient, files: (string | null)[]): Promise<boolean> {
    try {
      await client.sendRequest('workspace/executeCommand', { command: SELECT_CONFIGURATION_COMMAND, arguments: files });
    } catch (error) {
      this.log(`${SELECT_CONFIGURATION_COMMAND} ${JSON.stringify(files)}: ${String(error)}`);
      void vscode.window.showErrorMessage(`Kconfig: cannot select the configuration: ${String(error)}`);
      return false;
    }
    return true;
  }

  /** Sends the kept choice again, after the server (re)started. */
  async restore(client: BaseLanguageClient): Promise<void> {
    const chosen = this.chosen;
    if (chosen !== undefined) {
      this.log(`selecting the configuration chosen before: ${chosen || 'none'}`);
      await this.select(client, chosen !== NO_CONFIGURATION ? chosen : null, false);
    }
  }

  /** Forgets the kept choice: a new `configFile` setting replaces it. */
  async forget(): Promise<void> {
    await this.state.update(CHOSEN_CONFIGURATION_KEY, undefined);
  }

  /**
   * Goes back to the setting: sends its value (a file, fragments, or null when empty) and forgets
   * the kept choice, so that after a restart the setting applies by itself.
   */
  async useSetting(client: BaseLanguageClient, settingValue: string | string[]): Promise<void> {
    const files = Array.isArray(settingValue) ? settingValue : settingValue !== '' ? [settingValue] : [];
    if (await this.send(client, files.length > 0 ? files : [null])) {
      await this.state.update(CHOSEN_CONFIGURATION_KEY, undefined);
    }
  }

  /** The picker: shows the choices and runs the server's command with the one picked. */
  async pick(client: BaseLanguageClient | undefined): Promise<void> {
    if (client === undefined || !client.isRunning()) {
      void vscode.window.showWarningMessage('Kconfig: the language server is not running.');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const quickPick = vscode.window.createQuickPick<ConfigurationChoice>();
    quickPick.title = 'Kconfig: Select Configuration';
    quickPick.placeholder = 'The configuration whose values hovers show and whose disabled code is greyed';
    quickPick.matchOnDescription = true;
    quickPick.busy = true;
    const settingValue = vscode.workspace.getConfiguration('kconfig-ls', folder).get<string | string[]>('configFile', '');
    const current = this.current?.path ?? undefined;
    const relative = (file: string): string => vscode.workspace.asRelativePath(file, false);
    quickPick.items = configurationChoices([], current, settingValue, relative);
    quickPick.show();
    void vscode.workspace.findFiles(CONFIGURATION_FILE_GLOB, '**/node_modules/**', MAXIMUM_FILES).then((uris) => {
      quickPick.items = configurationChoices(
        uris.map((uri) => uri.fsPath),
        current,
        settingValue,
        relative,
      );
      quickPick.busy = false;
    });
    const picked = await new Promise<ConfigurationChoice | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
      quickPick.onDidHide(() => resolve(undefined));
    });
    quickPick.dispose();
    if (picked === undefined) {
      return;
    }
    if (picked.action === 'setting') {
      await this.useSetting(client, settingValue);
    } else if (picked.action === 'none') {
      await this.select(client, null);
    } else if (picked.action === 'file' && picked.path !== undefined) {
      await this.select(client, picked.path);
    } else if (picked.action === 'browse') {
      const uris = await vscode.window.showOpenDialog({
        canSelectMany: false,
        defaultUri: folder?.uri,
        openLabel: 'Select Configuration',
        title: 'Kconfig: Select Configuration',
      });
      if (uris?.[0] !== undefined) {
        await this.select(client, uris[0].fsPath);
      }
    }
  }
}
