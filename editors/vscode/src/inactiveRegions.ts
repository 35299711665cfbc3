/**
 * Greys out the `#if` blocks, `IS_ENABLED()` branches and Makefile lines that the active
 * configuration leaves out, from the server's `textDocument/inactiveRegions` notification.
 *
 * Why a notification and decorations, not semantic tokens: VS Code lets one semantic-token
 * provider colour a file, and clangd or cpptools own C files.  The notification has clangd's
 * shape (`{textDocument: {uri, version}, regions: Range[]}`) and the client announces it the way
 * clangd's extension does (`textDocument.inactiveRegionsCapabilities.inactiveRegions`); the
 * server sends hint diagnostics tagged Unnecessary to clients that do not.  The regions are drawn
 * as whole-line decorations with the text at 0.55 opacity, like clangd's extension.
 *
 * A region that ends at the start of a line (`{line: N, character: 0}`) leaves line N out, since
 * a whole-line decoration would grey it (the `#endif` line, say).
 *
 * The latest regions of each document are kept (a notification older than the one kept, by
 * document version, is dropped) and drawn in every visible editor of that document, again
 * whenever editors become visible.
 */
import * as vscode from 'vscode';
import type {
  BaseLanguageClient,
  ClientCapabilities,
  FeatureState,
  Range as ProtocolRange,
  StaticFeature,
} from 'vscode-languageclient';

/** The parameters of `textDocument/inactiveRegions`, as clangd sends them. */
export interface InactiveRegionsParams {
  textDocument: { uri: string; version?: number | null };
  regions: ProtocolRange[];
}

export const INACTIVE_REGIONS_METHOD = 'textDocument/inactiveRegions';

/** The text opacity of an inactive line (clangd's extension's default). */
export const INACTIVE_OPACITY = 0.55;

/** The regions kept for one document. */
interface DocumentRegions {
  version: number | null;
  ranges: vscode.Range[];
}

/** The client capability the server looks for before it sends the notification. */
export function announceInactiveRegions(capabilities: ClientCapabilities): void {
  const textDocument = (capabilities.textDocument ??= {}) as Record<string, unknown>;
  textDocument.inactiveRegionsCapabilities = { inactiveRegions: true };
}

/** Keeps the inactive regions of each document and draws them in the visible editors. */
export class InactiveRegions implements vscode.Disposable {
  private readonly decorationType: vscode.TextEditorDecorationType;
  private readonly regions = new Map<string, DocumentRegions>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a document's URI after its regions were drawn (for tests and the API). */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.decorationType = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      opacity: String(INACTIVE_OPACITY),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.disposables.push(
      this.decorationType,
      this.changed,
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((editor) => this.draw(editor))),
      vscode.workspace.onDidCloseTextDocument((document) => this.regions.delete(document.uri.toString())),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.regions.clear();
  }

  /** A client feature that announces the capability and listens for the notification. */
  feature(client: BaseLanguageClient): StaticFeature {
    let listener: vscode.Disposable | undefined;
    return {
      getState: (): FeatureState => ({ kind: 'static' }),
      fillClientCapabilities: announceInactiveRegions,
      initialize: (): void => {
        listener?.dispose();
        listener = client.onNotification(INACTIVE_REGIONS_METHOD, (params: InactiveRegionsParams) =>
          this.update(
            params.textDocument.uri,
            params.textDocument.version ?? null,
            params.regions.map((range) => client.protocol2CodeConverter.asRange(range)),
          ),
        );
      },
      clear: (): void => {
        listener?.dispose();
        listener = undefined;
        this.clearAll();
      },
    };
  }

  /** Keeps the regions of a document (unless older than those kept) and draws them. */
  update(uri: string, version: number | null, ranges: vscode.Range[]): void {
    const key = vscode.Uri.parse(uri).toString();
    const kept = this.regions.get(key);
    if (kept !== undefined && kept.version !== null && version !== null && version < kept.version) {
      return;
    }
    this.regions.set(key, { version, ranges: ranges.map(wholeLines) });
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === key) {
        this.draw(editor);
      }
    }
    this.changed.fire(vscode.Uri.parse(key));
  }

  /** The regions drawn for a document, for the extension's API. */
  rangesOf(uri: vscode.Uri): vscode.Range[] {
    return this.regions.get(uri.toString())?.ranges ?? [];
  }

  /** Removes every region (the server stopped, or there is no configuration). */
  clearAll(): void {
    this.regions.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.decorationType, []);
    }
  }

  private draw(editor: vscode.TextEditor): void {
    editor.setDecorations(this.decorationType, this.rangesOf(editor.document.uri));
  }
}

/** The lines a region covers, as a range whose last line is the last line it greys. */
export function wholeLines(range: vscode.Range): vscode.Range {
  if (range.end.character === 0 && range.end.line > range.start.line) {
    return new vscode.Range(range.start, new vscode.Position(range.end.line - 1, 0));
  }
  return range;
}
