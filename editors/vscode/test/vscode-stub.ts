/**
 * The part of the `vscode` module that src/server.ts and src/serverLog.ts use, for unit tests in
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
