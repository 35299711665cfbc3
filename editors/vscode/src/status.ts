/**
 * The status bar item that shows the server starting, indexing, or failed.
 *
 * The server reports indexing with `window/workDoneProgress/create` and
 * `$/progress`.  The feature below takes over the client's handler for
 * `window/workDoneProgress/create` (it is initialized after the built-in
 * progress feature, and a later handler replaces an earlier one), so the
 * progress shows in this one item instead of an anonymous spinner.
 */
import * as vscode from 'vscode';
import {
  ClientCapabilities,
  Disposable,
  FeatureState,
  LanguageClient,
  ProgressToken,
  StaticFeature,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCreateParams,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressReport,
} from 'vscode-languageclient/node';

interface ActiveProgress {
  title: string;
  message?: string;
  percentage?: number;
}

export class IndexingStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly active = new Map<ProgressToken, ActiveProgress>();
  private starting = false;
  private error: string | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('kconfig-ls.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Kconfig Language Server';
    this.item.command = 'kconfig-ls.showOutput';
  }

  dispose(): void {
    this.item.dispose();
  }

  showStarting(): void {
    this.starting = true;
    this.error = undefined;
    this.render();
  }

  showRunning(): void {
    this.starting = false;
    this.error = undefined;
    this.render();
  }

  showError(reason: string): void {
    this.starting = false;
    this.active.clear();
    this.error = reason;
    this.render();
  }

  /** A client feature that routes the server's work-done progress to this item. */
  feature(client: LanguageClient): StaticFeature {
    const progressDisposables: Disposable[] = [];
    return {
      getState: (): FeatureState => ({ kind: 'static' }),
      fillClientCapabilities: (capabilities: ClientCapabilities): void => {
        capabilities.window = { ...capabilities.window, workDoneProgress: true };
      },
      initialize: (): void => {
        client.onRequest(WorkDoneProgressCreateRequest.type, (params: WorkDoneProgressCreateParams) => {
          const token = params.token;
          progressDisposables.push(
            client.onProgress(WorkDoneProgress.type, token, (value) => this.onProgress(token, value)),
          );
        });
      },
      clear: (): void => {
        progressDisposables.splice(0).forEach((disposable) => disposable.dispose());
        this.active.clear();
        this.render();
      },
    };
  }

  private onProgress(
    token: ProgressToken,
    value: WorkDoneProgressBegin | WorkDoneProgressReport | { kind: 'end'; message?: string },
  ): void {
    if (value.kind === 'begin') {
      this.active.set(token, { title: value.title, message: value.message, percentage: value.percentage });
    } else if (value.kind === 'report') {
      const progress = this.active.get(token);
      if (progress !== undefined) {
        progress.message = value.message ?? progress.message;
        progress.percentage = value.percentage ?? progress.percentage;
      }
    } else {
      this.active.delete(token);
    }
    this.render();
  }

  private render(): void {
    const progress = [...this.active.values()].at(-1);
    if (progress !== undefined) {
      const percentage = progress.percentage !== undefined ? ` ${Math.round(progress.percentage)}%` : '';
      const message = progress.message ? `: ${progress.message}` : '';
      this.item.text = `$(sync~spin) Kconfig: ${progress.title}${percentage}`;
      this.item.tooltip = `Kconfig Language Server: ${progress.title}${message}${percentage}`;
      this.item.backgroundColor = undefined;
      this.item.show();
    } else if (this.error !== undefined) {
      this.item.text = '$(error) Kconfig';
      this.item.tooltip = `Kconfig Language Server: ${this.error}. Click to show the output.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.show();
    } else if (this.starting) {
      this.item.text = '$(sync~spin) Kconfig: starting';
      this.item.tooltip = 'Kconfig Language Server is starting';
      this.item.backgroundColor = undefined;
      this.item.show();
    } else {
      this.item.hide();
    }
  }
}
