/**
 * The part of the `vscode` module that the modules under test use, for unit tests in
 * plain Node (scripts/test.mjs bundles the tests with `vscode` pointing here). Tests set
 * `settings` and `pythonExtension`.
 */
export const settings: Record<string, unknown> = {};

export const pythonExtension: { interpreter?: string } = {};

interface Configuration {
  get<T>(key: string, fallback: T): T;
}

interface Environments {
  getActiveEnvironmentPath(): { path: string };
  resolveEnvironment(): Promise<{ executable: { uri: { fsPath: string } } }>;
}

interface Extension {
  isActive: boolean;
  exports: { environments: Environments };
  activate(): Promise<undefined>;
}

export const workspace = {
  onDidCloseTextDocument: (listener: (document: { uri: { toString(): string } }) => void): { dispose(): void } =>
    documentClosed.event(listener),
  workspaceFolders: undefined as undefined | { uri: { fsPath: string } }[],
  getConfiguration: (): Configuration => ({
    get: <T>(key: string, fallback: T): T => (key in settings ? (settings[key] as T) : fallback),
  }),
};

export const extensions = {
  getExtension: (id: string): Extension | undefined => {
    if (id !== 'ms-python.python' || pythonExtension.interpreter === undefined) {
      return undefined;
    }
    const interpreter = pythonExtension.interpreter;
    return {
      isActive: true,
      exports: {
        environments: {
          getActiveEnvironmentPath: () => ({ path: interpreter }),
          resolveEnvironment: () => Promise.resolve({ executable: { uri: { fsPath: interpreter } } }),
        },
      },
      activate: () => Promise.resolve(undefined),
    };
  },
};

// What src/inactiveRegions.ts, src/configuration.ts and src/locations.ts use.

type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((other) => other !== listener)) };
  };
  fire(value: T): void {
    for (const listener of this.listeners) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(private readonly text: string) {}
  static parse(text: string): Uri {
    return new Uri(text);
  }
  get fsPath(): string {
    return decodeURIComponent(this.text.replace(/^file:\/\//, ''));
  }
  toString(): string {
    return this.text;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export enum DecorationRangeBehavior {
  OpenOpen = 0,
  ClosedClosed = 1,
}

export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}

/** An editor as the tests make them: its document's URI and the decorations set on it. */
export class FakeEditor {
  readonly decorations = new Map<unknown, Range[]>();
  constructor(readonly document: { uri: Uri; version: number }) {}
  setDecorations(type: unknown, ranges: Range[]): void {
    this.decorations.set(type, ranges);
  }
}

export const visibleEditorsChanged = new EventEmitter<FakeEditor[]>();
export const documentClosed = new EventEmitter<{ uri: Uri }>();
export const decorationTypes: { options: unknown; dispose(): void }[] = [];

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

/** A status bar item as the tests see it. */
export interface FakeStatusBarItem {
  id: string;
  text: string;
  tooltip?: string;
  command?: string;
  name?: string;
  backgroundColor?: ThemeColor;
  visible: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

/** The commands run through `commands.executeCommand`, with their arguments. */
export const executedCommands: { command: string; args: unknown[] }[] = [];

export const commands = {
  executeCommand: (command: string, ...args: unknown[]): Promise<undefined> => {
    executedCommands.push({ command, args });
    return Promise.resolve(undefined);
  },
};

export const window = {
  createStatusBarItem: (id: string): FakeStatusBarItem => {
    const item: FakeStatusBarItem = {
      id,
      text: '',
      visible: false,
      show: () => (item.visible = true),
      hide: () => (item.visible = false),
      dispose: () => undefined,
    };
    return item;
  },
  showErrorMessage: (): Promise<undefined> => Promise.resolve(undefined),
  visibleTextEditors: [] as FakeEditor[],
  onDidChangeVisibleTextEditors: visibleEditorsChanged.event,
  createTextEditorDecorationType: (options: unknown): { options: unknown; dispose(): void } => {
    const type = { options, dispose: () => undefined };
    decorationTypes.push(type);
    return type;
  },
};
