/**
 * Unit tests of the client side of the configuration features, in plain Node (`npm test`):
 * the inactive regions (src/inactiveRegions.ts), the configuration's status bar text and picker
 * rows (src/configuration.ts), and the conversion of the code lenses' `kconfig-ls.showLocations`
 * arguments (src/locations.ts).  tests/editors/vscode/e2e.cjs shows the same in a real VS Code.
 */
import * as assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { ClientCapabilities } from 'vscode-languageclient';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { ConfigurationStatus, configurationChoices, statusText } from '../src/configuration';
import { INACTIVE_OPACITY, InactiveRegions, announceInactiveRegions } from '../src/inactiveRegions';
import { LocationConverter, showLocations, showReferencesArguments } from '../src/locations';
import {
  FakeEditor,
  FakeStatusBarItem,
  executedCommands,
  Location,
  Position,
  Range,
  Uri,
  decorationTypes,
  documentClosed,
  visibleEditorsChanged,
  window,
} from './vscode-stub';

const C_FILE = 'file:///tree/mm/migrate.c';
const OTHER_FILE = 'file:///tree/mm/mempolicy.c';

function lines(first: number, last: number): Range {
  return new Range(new Position(first, 0), new Position(last, 0));
}

beforeEach(() => {
  window.visibleTextEditors = [];
  decorationTypes.splice(0);
  executedCommands.splice(0);
});

/** A workspace state (vscode.Memento) in memory. */
function memento(): { values: Map<string, unknown>; get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: (key: string, value: unknown) => {
      if (value === undefined) {
        values.delete(key);
      } else {
        values.set(key, value);
      }
      return Promise.resolve();
    },
  };
}

/** A language client that records its requests and notification handlers. */
function fakeClient(): {
  client: BaseLanguageClient;
  requests: { method: string; params: unknown }[];
  handlers: Map<string, (params: unknown) => void>;
} {
  const requests: { method: string; params: unknown }[] = [];
  const handlers = new Map<string, (params: unknown) => void>();
  const client = {
    sendRequest: (method: string, params: unknown) => {
      requests.push({ method, params });
      return Promise.resolve(null);
    },
    onNotification: (method: string, handler: (params: unknown) => void) => {
      handlers.set(method, handler);
      return { dispose: () => handlers.delete(method) };
    },
    isRunning: () => true,
  };
  return { client: client as unknown as BaseLanguageClient, requests, handlers };
}

void test('the client announces inactive regions the way clangd does', () => {
  const capabilities: ClientCapabilities = { textDocument: { hover: {} } };
  announceInactiveRegions(capabilities);
  assert.deepEqual(capabilities.textDocument, { hover: {}, inactiveRegionsCapabilities: { inactiveRegions: true } });
  const empty: ClientCapabilities = {};
  announceInactiveRegions(empty);
  assert.deepEqual(empty.textDocument, { inactiveRegionsCapabilities: { inactiveRegions: true } });
});

void test('inactive regions are drawn in the visible editors of their document only', () => {
  const regions = new InactiveRegions();
  const [type] = decorationTypes;
  assert.deepEqual(type.options, { isWholeLine: true, opacity: String(INACTIVE_OPACITY), rangeBehavior: 1 });
  const cEditor = new FakeEditor({ uri: Uri.parse(C_FILE), version: 1 });
  const otherEditor = new FakeEditor({ uri: Uri.parse(OTHER_FILE), version: 1 });
  window.visibleTextEditors = [cEditor, otherEditor];
  const changed: string[] = [];
  regions.onDidChange((uri) => changed.push(uri.toString()));

  regions.update(C_FILE, 1, [lines(10, 14)] as never);
  // A region that ends at the start of line 14 greys lines 10 to 13 (not the #endif on line 14).
  assert.deepEqual(cEditor.decorations.get(type), [lines(10, 13)]);
  assert.equal(otherEditor.decorations.get(type), undefined);
  const lastLine = new Range(new Position(10, 0), new Position(13, 22));
  regions.update(C_FILE, 2, [lastLine] as never);
  assert.deepEqual(cEditor.decorations.get(type), [lastLine]);
  assert.deepEqual(changed, [C_FILE, C_FILE]);
  regions.dispose();
});

void test('a notification older than the regions kept is dropped; a newer one replaces them', () => {
  const regions = new InactiveRegions();
  const [type] = decorationTypes;
  const editor = new FakeEditor({ uri: Uri.parse(C_FILE), version: 3 });
  window.visibleTextEditors = [editor];
  regions.update(C_FILE, 3, [lines(10, 14)] as never);
  regions.update(C_FILE, 2, [lines(1, 2)] as never);
  assert.deepEqual(editor.decorations.get(type), [lines(10, 13)]);
  regions.update(C_FILE, 4, [] as never);
  assert.deepEqual(editor.decorations.get(type), []);
  // A notification without a version always applies.
  regions.update(C_FILE, null, [lines(5, 7)] as never);
  assert.deepEqual(regions.rangesOf(Uri.parse(C_FILE) as never), [lines(5, 6)]);
  regions.dispose();
});

void test('an editor that becomes visible gets the regions of its document; closing forgets them', () => {
  const regions = new InactiveRegions();
  const [type] = decorationTypes;
  regions.update(C_FILE, 1, [lines(10, 14)] as never);
  const editor = new FakeEditor({ uri: Uri.parse(C_FILE), version: 1 });
  window.visibleTextEditors = [editor];
  visibleEditorsChanged.fire([editor]);
  assert.deepEqual(editor.decorations.get(type), [lines(10, 13)]);

  documentClosed.fire({ uri: Uri.parse(C_FILE) });
  assert.deepEqual(regions.rangesOf(Uri.parse(C_FILE) as never), []);
  regions.clearAll();
  assert.deepEqual(editor.decorations.get(type), []);
  regions.dispose();
});

void test('the status bar text names the configuration; the tooltip counts unknown values and problems', () => {
  const plain = statusText({ label: 'x86_64_defconfig', path: '/tree/arch/x86/configs/x86_64_defconfig', unknownValues: 0, problems: 0 });
  assert.equal(plain.text, '$(settings) x86_64_defconfig');
  assert.match(plain.tooltip, /^Kconfig configuration: \/tree\/arch\/x86\/configs\/x86_64_defconfig$/m);
  assert.doesNotMatch(plain.tooltip, /unknown|finding/);

  const troubled = statusText({ label: '.config', path: '/tree/.config', unknownValues: 1, problems: 3 });
  assert.equal(troubled.text, '$(settings) .config');
  assert.match(troubled.tooltip, /^1 value is unknown/m);
  assert.match(troubled.tooltip, /^3 findings in the configuration file/m);

  const none = statusText({ label: 'no configuration', path: null, unknownValues: 0, problems: 0 });
  assert.match(none.tooltip, /^Kconfig: no configuration file$/m);
});

void test('the picker offers browse, clear, then .config files first and the current one marked', () => {
  const relative = (file: string): string => file.replace('/tree/', '');
  const choices = configurationChoices(
    ['/tree/arch/x86/configs/x86_64_defconfig', '/tree/.config', '/tree/arch/arm64/configs/defconfig', '/tree/.config'],
    '/tree/arch/x86/configs/x86_64_defconfig',
    '.config',
    relative,
  );
  assert.deepEqual(
    choices.map((choice) => [choice.action, choice.label, choice.description ?? '']),
    [
      ['browse', '$(folder-opened) Browse...', 'a configuration file anywhere'],
      ['setting', '$(settings) The setting', 'kconfig-ls.configFile: .config'],
      ['none', '$(circle-slash) No configuration', 'no values, nothing greyed'],
      ['file', 'Configuration files', ''],
      ['file', '.config', ''],
      ['file', 'defconfig', 'arch/arm64/configs'],
      ['file', 'x86_64_defconfig', 'arch/x86/configs (current)'],
    ],
  );
  assert.equal(choices[4].path, '/tree/.config');
  const withoutSetting = configurationChoices([], undefined, '', relative);
  assert.deepEqual(
    withoutSetting.map((choice) => choice.description),
    ['a configuration file anywhere', 'no values, nothing greyed'],
  );
});

void test("the code lens command's JSON arguments become VS Code's types for the references peek", () => {
  const converter: LocationConverter = {
    asUri: (value) => Uri.parse(value) as never,
    asPosition: (value) => new Position(value.line, value.character) as never,
    asLocation: (value) =>
      new Location(
        Uri.parse(value.uri),
        new Range(
          new Position(value.range.start.line, value.range.start.character),
          new Position(value.range.end.line, value.range.end.character),
        ),
      ) as never,
  };
  const range = { start: { line: 4, character: 8 }, end: { line: 4, character: 17 } };
  const [uri, position, locations] = showReferencesArguments(
    converter,
    'file:///tree/mm/Kconfig',
    { line: 2, character: 7 },
    [{ uri: 'file:///tree/Kconfig', range }],
  );
  assert.equal(uri.toString(), 'file:///tree/mm/Kconfig');
  assert.deepEqual(position, new Position(2, 7));
  assert.deepEqual(locations, [new Location(Uri.parse('file:///tree/Kconfig'), new Range(new Position(4, 8), new Position(4, 17)))]);
  assert.throws(() => showReferencesArguments(converter, 3, { line: 0, character: 0 }, []), /not a URI/);
  assert.throws(() => showReferencesArguments(converter, 'file:///x', { line: 0, character: 0 }, null), /not a list/);
});

void test("the server's status notification shows in the item; choosing runs the server's command and is kept", async () => {
  const state = memento();
  const status = new ConfigurationStatus(state as never, () => undefined);
  const item = (status as unknown as { item: FakeStatusBarItem }).item;
  assert.equal(item.command, 'kconfig-ls.pickConfiguration');
  assert.equal(item.visible, false);
  const { client, requests, handlers } = fakeClient();
  const feature = status.feature(client);
  feature.initialize({}, undefined);
  handlers.get('kconfig-ls/configurationStatus')?.({ label: '.config', path: '/tree/.config', unknownValues: 0, problems: 2 });
  assert.equal(item.visible, true);
  assert.equal(item.text, '$(settings) .config');
  assert.match(item.tooltip ?? '', /^2 findings in the configuration file/m);
  assert.deepEqual(status.status?.path, '/tree/.config');

  assert.equal(await status.select(client, '/tree/configs/example_defconfig'), true);
  assert.deepEqual(requests, [
    {
      method: 'workspace/executeCommand',
      params: { command: 'kconfig-ls.selectConfiguration', arguments: ['/tree/configs/example_defconfig'] },
    },
  ]);
  assert.equal(status.chosen, '/tree/configs/example_defconfig');
  // After a restart the choice is sent again, and not stored twice.
  await status.restore(client);
  assert.equal(requests.length, 2);
  assert.deepEqual(requests[1], requests[0]);
  // No configuration sends [null], and is kept too.
  await status.select(client, null);
  assert.deepEqual(requests[2].params, { command: 'kconfig-ls.selectConfiguration', arguments: [null] });
  assert.equal(status.chosen, '');
  await status.restore(client);
  assert.deepEqual(requests[3].params, { command: 'kconfig-ls.selectConfiguration', arguments: [null] });
  // Back to the setting: its value is sent (the command wins over the setting), and nothing is kept.
  await status.useSetting(client, 'configs/example_defconfig');
  assert.deepEqual(requests[4].params, { command: 'kconfig-ls.selectConfiguration', arguments: ['configs/example_defconfig'] });
  assert.equal(status.chosen, undefined);
  await status.restore(client);
  assert.equal(requests.length, 5);
  // A setting of fragments is sent as they are; an empty setting as [null].
  await status.useSetting(client, ['configs/base.config', 'configs/debug.config']);
  assert.deepEqual(requests[5].params, {
    command: 'kconfig-ls.selectConfiguration',
    arguments: ['configs/base.config', 'configs/debug.config'],
  });
  await status.useSetting(client, '');
  assert.deepEqual(requests[6].params, { command: 'kconfig-ls.selectConfiguration', arguments: [null] });
  // A change of the setting forgets the choice, without a request (the server drops it itself).
  await status.select(client, '/tree/.config');
  await status.forget();
  assert.equal(status.chosen, undefined);
  assert.equal(requests.length, 8);
  const seen: (string | null)[] = [];
  status.onDidChange((params) => seen.push(params.path));
  handlers.get('kconfig-ls/configurationStatus')?.({ label: 'no configuration', path: null, unknownValues: 0, problems: 0 });
  assert.deepEqual(seen, [null]);
  feature.clear();
  assert.equal(item.visible, false);
});

void test('showLocations opens the references peek', async () => {
  const converter: LocationConverter = {
    asUri: (value) => Uri.parse(value) as never,
    asPosition: (value) => new Position(value.line, value.character) as never,
    asLocation: (value) => new Location(Uri.parse(value.uri), lines(value.range.start.line, value.range.end.line)) as never,
  };
  const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
  await showLocations(converter, 'file:///tree/Kconfig', { line: 0, character: 7 }, [{ uri: 'file:///tree/a.c', range }]);
  assert.equal(executedCommands.length, 1);
  assert.equal(executedCommands[0].command, 'editor.action.showReferences');
  assert.deepEqual(executedCommands[0].args, [
    Uri.parse('file:///tree/Kconfig'),
    new Position(0, 7),
    [new Location(Uri.parse('file:///tree/a.c'), lines(1, 1))],
  ]);
});
