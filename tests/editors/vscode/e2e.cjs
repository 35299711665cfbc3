/*
 * End-to-end test of the VS Code extension in a real VS Code.
 *
 * It installs the packaged extension (.vsix) into code-server (VS Code served
 * to a browser), opens a copy of examples/before in Debian's Chromium driven by
 * playwright-core, and checks what a user sees:
 *   1. the KLS001 select-visible diagnostic in the Problems panel;
 *   2. hovering MIGRATION in mm/Kconfig shows its dependency chain;
 *   3. go to definition from `#ifdef CONFIG_MIGRATION` in mm/migrate.c lands on
 *      `config MIGRATION` in mm/Kconfig;
 *   4. the active configuration: "Kconfig: Select Configuration" (command
 *      palette) picks a `.config` written into the copy, where MIGRATION is n;
 *      the status bar item shows it; in mm/memory-tiers.c the bodies of
 *      `#ifdef CONFIG_MIGRATION` are greyed and the `#else` body is not (the
 *      text's computed opacity, read from the page; screenshot
 *      inactive-regions.png); picking the defconfig (MIGRATION=y) through the
 *      status bar item greys the `#else` body instead;
 *   5. the inlay hints on MIGRATION's `depends on` line show the operands'
 *      values (`NUMA [=y]`); the code lens above `config MIGRATION`
 *      ("selected by ...") opens the references peek; "No configuration"
 *      ungreys everything;
 *   6. the extension's output channel: which server it started, and the level
 *      of each line (the server's info must not show as [error]).
 * It saves screenshots to the artifacts folder and the README screenshot to
 * editors/vscode/images/.  tests/editors/test_vscode_e2e.py runs it; so can a
 * person, with the environment below.
 *
 * Environment (paths are absolute):
 *   KCONFIG_LS_E2E_CODE_SERVER     code-server's bin/code-server (or out/node/entry.js)
 *   KCONFIG_LS_E2E_VSIX            the packaged extension
 *   KCONFIG_LS_E2E_SERVER_PATH     the kconfig-ls.server.path setting (default: unset, so
 *                                  that the extension runs its bundled server)
 *   KCONFIG_LS_E2E_WORKSPACE       folder to open (default: <repo>/examples/before)
 *   KCONFIG_LS_E2E_ARTIFACTS       screenshots and logs (default: <repo>/test-artifacts/vscode-e2e)
 *   KCONFIG_LS_E2E_README_IMAGE    where to copy the README screenshot (default: "",
 *                                  not copied; CI never rewrites tracked files)
 *   KCONFIG_LS_E2E_CHROMIUM        browser (default: /usr/bin/chromium)
 *   KCONFIG_LS_E2E_STEPS           the checks to run, comma-separated: basics (1-3),
 *                                  configuration (4-5) (default: both)
 *   NODE_PATH                      must let require() find playwright-core
 * Run it with Node 24, the Node that code-server needs.
 */
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..', '..');
const CODE_SERVER = requiredEnvironment('KCONFIG_LS_E2E_CODE_SERVER');
const VSIX = requiredEnvironment('KCONFIG_LS_E2E_VSIX');
const SERVER_PATH = process.env.KCONFIG_LS_E2E_SERVER_PATH || '';
const SERVER_SETTINGS = SERVER_PATH ? { 'kconfig-ls.server.path': SERVER_PATH } : {};
const WORKSPACE_SOURCE = process.env.KCONFIG_LS_E2E_WORKSPACE || path.join(REPO, 'examples', 'before');
const ARTIFACTS = process.env.KCONFIG_LS_E2E_ARTIFACTS || path.join(REPO, 'test-artifacts', 'vscode-e2e');
// Opt-in: CI must not rewrite tracked files, so the README screenshot is only
// refreshed when this names it (e.g. editors/vscode/images/screenshot.png).
const README_IMAGE = process.env.KCONFIG_LS_E2E_README_IMAGE ?? '';
const CHROMIUM = process.env.KCONFIG_LS_E2E_CHROMIUM || '/usr/bin/chromium';

const STEPS = (process.env.KCONFIG_LS_E2E_STEPS || 'basics,configuration').split(',');
// The configuration step 4 selects: MIGRATION is n (nothing selects it), and so is
// NUMA_BALANCING, which depends on it; NUMA stays y.
const DOT_CONFIG = [
  'CONFIG_SMP=y',
  'CONFIG_NUMA=y',
  '# CONFIG_MEMORY_HOTPLUG is not set',
  '# CONFIG_COMPACTION is not set',
  '# CONFIG_CMA is not set',
  '# CONFIG_MIGRATION is not set',
  '# CONFIG_PREEMPT_RT is not set',
  '',
].join('\n');

const STARTED = Date.now();
const results = { checks: {}, timings: {} };

function requiredEnvironment(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name} (see the header of ${__filename})`);
  }
  return value;
}

function log(message) {
  const seconds = ((Date.now() - STARTED) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[vscode-e2e ${seconds}s] ${message}\n`);
}

function mark(name) {
  results.timings[name] = Number(((Date.now() - STARTED) / 1000).toFixed(1));
}

/** The 1-based line numbers of the lines that match a pattern. */
function linesMatching(file, pattern) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => (pattern.test(line) ? [index + 1] : []));
}

/** Finds a Kconfig file (relative path) and a line number where a pattern occurs. */
function findInTree(root, fileFilter, pattern) {
  const found = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (fileFilter(entry.name)) {
        for (const line of linesMatching(full, pattern)) {
          found.push({ file: path.relative(root, full), line });
        }
      }
    }
  };
  walk(root);
  return found;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve(response.statusCode !== undefined && response.statusCode < 500);
      });
      request.on('error', () => resolve(false));
      request.setTimeout(1000, () => {
        request.destroy();
        resolve(false);
      });
    });
    if (ok) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

function codeServerArguments(configFile, userDataDir, extensionsDir) {
  const entry = fs.realpathSync(CODE_SERVER);
  return [
    entry,
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
}

/** Quick Open (Ctrl+P): opens a workspace file by its relative path and waits until it is the active editor. */
async function openFile(page, relativePath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(relativePath);
  const name = path.basename(relativePath);
  const folder = path.dirname(relativePath);
  // Wait for the row of that exact file: its label is the name, its description the folder.
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) })
    .filter({ has: page.locator('.label-description', { hasText: folder === '.' ? /^$/ : new RegExp(`^${escapeRegExp(folder)}$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: 20000 });
  await row.click();
  await waitForActiveEditor(page, relativePath);
}

/** The window title is "${activeEditorMedium}" (settings.json below): the relative path of the active file. */
async function waitForActiveEditor(page, relativePath, timeout = 20000) {
  await page.waitForFunction((expected) => document.title.split(' - ')[0].trim() === expected, relativePath, { timeout });
  await page.locator('.part.editor .monaco-editor .view-line').first().waitFor({ state: 'visible', timeout });
}

/** Quick Open with ":LINE": moves the cursor to a line of the active editor and scrolls it into view. */
async function goToLine(page, line) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`:${line}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
  await waitForCursorLine(page, line, 10000);
}

/** The cursor's line, from the status bar's "Ln 12, Col 8". */
async function cursorLine(page) {
  const text = (await page.locator('[id="status.editor.selection"]').textContent({ timeout: 5000 })) || '';
  const match = /Ln (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

async function waitForCursorLine(page, line, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await cursorLine(page)) === line) {
      return;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the cursor is on line ${await cursorLine(page)}, expected ${line}`);
}

/** The screen position of the middle of `word` on the visible editor line whose text matches `linePattern`. */
async function wordPosition(page, linePattern, word) {
  const position = await page.evaluate(
    ({ source, flags, word }) => {
      const pattern = new RegExp(source, flags);
      const lines = document.querySelectorAll('.part.editor .editor-group-container.active .monaco-editor .view-line');
      for (const line of lines) {
        const text = line.textContent.replace(/\u00a0/g, ' ');
        if (!pattern.test(text)) {
          continue;
        }
        const start = text.indexOf(word);
        if (start < 0) {
          continue;
        }
        // Walk the line's text nodes to the word's first and last characters.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let offset = 0;
        let startSet = false;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent.length;
          if (!startSet && start < offset + length) {
            range.setStart(node, start - offset);
            startSet = true;
          }
          if (startSet && start + word.length <= offset + length) {
            range.setEnd(node, start + word.length - offset);
            const rect = range.getBoundingClientRect();
            return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
          }
          offset += length;
        }
      }
      return null;
    },
    { source: linePattern.source, flags: linePattern.flags, word },
  );
  if (position === null) {
    throw new Error(`no visible editor line matches ${linePattern} with "${word}"`);
  }
  return position;
}

/** Moves the mouse over a word until the hover widget shows text that passes `accept`; returns that text. */
async function hoverText(page, linePattern, word, accept, timeout) {
  const deadline = Date.now() + timeout;
  let lastText = '';
  while (Date.now() < deadline) {
    const { x, y } = await wordPosition(page, linePattern, word);
    await page.mouse.move(x - 40, y + 120);
    await page.mouse.move(x, y, { steps: 4 });
    const hover = page.locator('.monaco-hover-content').filter({ visible: true }).first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
      // The hover first shows "Loading..." and then the server's answer.
      const shownBy = Date.now() + 5000;
      while (Date.now() < shownBy) {
        lastText = (await hover.innerText()).trim();
        if (accept(lastText)) {
          return lastText;
        }
        await page.waitForTimeout(200);
      }
    } catch {
      // No hover yet (the server may still be indexing): move away and try again.
    }
  }
  throw new Error(`no hover over ${word} with the expected text; last hover: ${JSON.stringify(lastText)}`);
}

/** A pattern matching the editor's rendering of one line of a file (tabs become spaces there). */
function exactLinePattern(root, site) {
  const text = fs.readFileSync(path.join(root, site.file), 'utf8').split('\n')[site.line - 1].trim();
  return new RegExp(`^\\s*${text.split(/\s+/).map(escapeRegExp).join('\\s+')}\\s*$`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfig-ls-vscode-e2e-'));
  const workspace = path.join(temporary, path.basename(WORKSPACE_SOURCE));
  fs.cpSync(WORKSPACE_SOURCE, workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, '.config'), DOT_CONFIG);
  const userDataDir = path.join(temporary, 'user-data');
  const extensionsDir = path.join(temporary, 'extensions');
  const configFile = path.join(temporary, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  // code-server is a remote window: there VS Code drops machine-scoped settings
  // (kconfig-ls.server.path is one) from the user settings a moment after
  // start, and takes them from the remote machine's settings instead.
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(SERVER_SETTINGS, null, 2));
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...SERVER_SETTINGS,
        'kconfig-ls.trace.server': 'messages',
        'window.title': '${activeEditorMedium}',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'files.exclude': {},
      },
      null,
      2,
    ),
  );

  // What the test looks for, read from the tree itself.
  const selectSites = findInTree(workspace, (name) => name === 'Kconfig' || name.startsWith('Kconfig.'), /^\s*select\s+MIGRATION\b/);
  const definitionSites = findInTree(workspace, (name) => name === 'Kconfig' || name.startsWith('Kconfig.'), /^\s*config\s+MIGRATION\s*$/);
  // C uses of CONFIG_MIGRATION, best first: `#ifdef` in mm/migrate.c, any use there, `#ifdef` anywhere.
  const ifdefSites = [
    ...findInTree(workspace, (name) => name === 'migrate.c', /^\s*#\s*ifdef\s+CONFIG_MIGRATION\b/),
    ...findInTree(workspace, (name) => name === 'migrate.c', /\bCONFIG_MIGRATION\b/),
    ...findInTree(workspace, (name) => name.endsWith('.c'), /^\s*#\s*ifdef\s+CONFIG_MIGRATION\b/),
  ];
  if (selectSites.length === 0 || definitionSites.length !== 1 || ifdefSites.length === 0) {
    throw new Error(
      `the workspace ${WORKSPACE_SOURCE} lacks the example: select MIGRATION at ${JSON.stringify(selectSites)}, ` +
        `config MIGRATION at ${JSON.stringify(definitionSites)}, C uses of CONFIG_MIGRATION at ${JSON.stringify(ifdefSites)}`,
    );
  }
  const definition = definitionSites[0];
  const ifdef = ifdefSites[0];

  const codeServerLog = fs.openSync(path.join(ARTIFACTS, 'code-server.log'), 'w');
  log('installing the extension into code-server');
  const baseArguments = codeServerArguments(configFile, userDataDir, extensionsDir);
  childProcess.execFileSync(process.execPath, [...baseArguments, '--install-extension', VSIX], {
    stdio: ['ignore', codeServerLog, codeServerLog],
    timeout: 120000,
  });
  mark('extension installed');

  const port = await freePort();
  log(`starting code-server on 127.0.0.1:${port}`);
  const codeServer = childProcess.spawn(
    process.execPath,
    [...baseArguments, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, workspace],
    { stdio: ['ignore', codeServerLog, codeServerLog], detached: true },
  );
  let browser;
  const consoleLines = [];
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30000);
    mark('code-server listening');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Only loopback: the gallery and telemetry hosts are unreachable here anyway.
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));

    log('opening the workspace');
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await page.locator('.part.sidebar .explorer-folders-view').waitFor({ state: 'visible', timeout: 60000 });
    mark('workbench');

    if (STEPS.includes('basics')) {
      await checkBasics(page, workspace, selectSites, definition, ifdef);
    }
    if (STEPS.includes('configuration')) {
      await checkConfiguration(page, workspace, definition);
    }
  } catch (error) {
    if (browser !== undefined) {
      for (const page of browser.contexts().flatMap((context) => context.pages())) {
        await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png') }).catch(() => undefined);
      }
    }
    throw error;
  } finally {
    fs.writeFileSync(path.join(ARTIFACTS, 'browser-console.log'), consoleLines.join('\n') + '\n');
    copyExtensionLogs(userDataDir);
    results.checks.serverLog = readServerLog();
    fs.copyFileSync(path.join(userDataDir, 'User', 'settings.json'), path.join(ARTIFACTS, 'settings.json'));
    if (browser !== undefined) {
      await browser.close().catch(() => undefined);
    }
    try {
      process.kill(-codeServer.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    fs.closeSync(codeServerLog);
    fs.rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  }
  mark('total');
  fs.writeFileSync(path.join(ARTIFACTS, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`passed: ${JSON.stringify(results.timings)}`);
}

/** Checks 1 to 3: the Problems panel, hover, go to definition. */
async function checkBasics(page, workspace, selectSites, definition, ifdef) {
  // 1. The select-visible diagnostic in the Problems panel.
  const select = selectSites[0];
  log(`opening ${select.file}; waiting for KLS001 in the Problems panel`);
  await openFile(page, select.file);
  mark('Kconfig editor');
  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel');
  await problems.waitFor({ state: 'visible', timeout: 15000 });
  const problem = problems.locator('.monaco-list-row', { hasText: 'KLS001' }).filter({ hasText: /selects MIGRATION/ }).first();
  await problem.waitFor({ state: 'visible', timeout: 90000 });
  results.checks.problem = (await problem.innerText()).replace(/\s+/g, ' ').trim();
  mark('diagnostic');
  log(`Problems panel: ${results.checks.problem}`);

  // 2. Hover on MIGRATION in its definition shows the dependency chain.
  if (definition.file !== select.file) {
    await openFile(page, definition.file);
  }
  await goToLine(page, definition.line);
  log(`hovering MIGRATION at ${definition.file}:${definition.line}`);
  results.checks.hover = await hoverText(
    page,
    /^\s*config\s+MIGRATION\s*$/,
    'MIGRATION',
    (text) => /depends on/i.test(text) && /\bMMU\b/.test(text),
    60000,
  );
  mark('hover');
  log(`hover: ${JSON.stringify(results.checks.hover.slice(0, 300))}`);
  const screenshot = path.join(ARTIFACTS, 'hover-and-problems.png');
  await page.screenshot({ path: screenshot, animations: 'disabled' });
  if (README_IMAGE) {
    fs.mkdirSync(path.dirname(README_IMAGE), { recursive: true });
    fs.copyFileSync(screenshot, README_IMAGE);
  }
  await page.mouse.move(5, 400);
  await page.keyboard.press('Escape');

  // 3. Go to definition from #ifdef CONFIG_MIGRATION in C.
  log(`go to definition from ${ifdef.file}:${ifdef.line}`);
  await openFile(page, ifdef.file);
  await goToLine(page, ifdef.line);
  const { x, y } = await wordPosition(page, exactLinePattern(workspace, ifdef), 'CONFIG_MIGRATION');
  await page.mouse.click(x, y);
  await page.keyboard.press('F12');
  try {
    await waitForActiveEditor(page, definition.file, 30000);
  } catch (error) {
    // The server may still be indexing the C file's workspace: ask once more.
    await page.mouse.click(x, y);
    await page.keyboard.press('F12');
    await waitForActiveEditor(page, definition.file, 30000);
  }
  await waitForCursorLine(page, definition.line, 10000);
  results.checks.definition = `${definition.file}:${await cursorLine(page)}`;
  mark('definition');
  log(`definition: ${results.checks.definition}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'definition.png') });
}

/** Checks 4 and 5: the configuration, its inactive regions, the code lens. */
async function checkConfiguration(page, workspace, definition) {
  // Both configurations build mm/memory-tiers.c (obj-$(CONFIG_NUMA)).
  const cFile = 'mm/memory-tiers.c';
  const { ifLines, elseLines } = ifdefBranches(path.join(workspace, cFile), 'CONFIG_MIGRATION');
  const sameLines = (expected) => (lines) => lines.size === expected.length && expected.every((line) => lines.has(line));
  log(`opening ${cFile}; selecting .config with "Kconfig: Select Configuration"`);
  await openFile(page, cFile);
  await goToLine(page, 1);
  await runPaletteCommand(page, 'Kconfig: Select Configuration');
  await pickRow(page, '.config', '');
  const statusItem = await waitForStatusItem(page, /\.config/);
  results.checks.configurationStatus = statusItem;
  log(`status bar: ${statusItem}`);
  const greyed = await waitForGreyedLines(page, sameLines(ifLines), 60000);
  results.checks.inactiveRegions = { expected: ifLines, greyed: greyed.lines, opacity: greyed.opacity };
  mark('inactive regions');
  log(`greyed lines of ${cFile}: ${greyed.lines.join(', ')} (opacity ${greyed.opacity})`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'inactive-regions.png'), animations: 'disabled' });

  // The status bar item opens the same picker; the defconfig has MIGRATION=y.
  log('selecting configs/example_defconfig from the status bar item');
  await page.locator('.part.statusbar .statusbar-item', { hasText: /\.config/ }).first().click();
  await pickRow(page, 'example_defconfig', 'configs');
  results.checks.configurationStatusAfterSwitch = await waitForStatusItem(page, /example_defconfig/);
  const after = await waitForGreyedLines(page, sameLines(elseLines), 60000);
  results.checks.inactiveRegionsAfterSwitch = { expected: elseLines, greyed: after.lines };
  await page.screenshot({ path: path.join(ARTIFACTS, 'inactive-regions-defconfig.png'), animations: 'disabled' });
  mark('configuration switched');

  // 5. Inlay hints: the values of the operands of MIGRATION's `depends on` (VS Code shows inlay
  // hints by default; they are text spans inside the line).
  log(`inlay hints and code lens at ${definition.file}:${definition.line}`);
  await openFile(page, definition.file);
  await goToLine(page, definition.line);
  const dependsLine = page
    .locator('.part.editor .editor-group-container.active .view-line', { hasText: /depends\s+on\s+\(NUMA/ })
    .filter({ hasText: /\[=y\]/ })
    .first();
  await dependsLine.waitFor({ state: 'visible', timeout: 60000 });
  results.checks.inlayHints = (await dependsLine.innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  mark('inlay hints');
  log(`inlay hints: ${results.checks.inlayHints}`);

  // The code lens above `config MIGRATION` opens the references peek.
  const lens = page.locator('.part.editor .editor-group-container.active .codelens-decoration a', { hasText: /selected by/ }).first();
  await lens.waitFor({ state: 'visible', timeout: 60000 });
  results.checks.codeLens = (await lens.innerText()).trim();
  await lens.click();
  const peek = page.locator('.part.editor .peekview-widget').first();
  await peek.waitFor({ state: 'visible', timeout: 20000 });
  results.checks.referencesPeek = (await peek.locator('.peekview-title').innerText()).replace(/\s+/g, ' ').trim();
  mark('code lens');
  log(`code lens: ${results.checks.codeLens}; peek: ${results.checks.referencesPeek}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'code-lens.png'), animations: 'disabled' });
  await page.keyboard.press('Escape');

  // "No configuration" from the status bar item: nothing greyed.
  log('selecting no configuration from the status bar item');
  await page.locator('.part.statusbar .statusbar-item', { hasText: /example_defconfig/ }).first().click();
  await pickRow(page, 'No configuration', 'no values, nothing greyed');
  results.checks.configurationStatusWithout = await waitForStatusItem(page, /no configuration/);
  await openFile(page, cFile);
  results.checks.inactiveRegionsWithout = (await waitForGreyedLines(page, (lines) => lines.size === 0, 30000)).lines;
  mark('no configuration');
}

/** The 1-based body lines of the top-level `#ifdef NAME` blocks: their if bodies and else bodies. */
function ifdefBranches(file, name) {
  const ifLines = [];
  const elseLines = [];
  let depth = 0;
  let branch = null;
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const directive = /^\s*#\s*(\w+)\s*(\w*)/.exec(line);
      const keyword = directive ? directive[1] : '';
      if (keyword.startsWith('if')) {
        depth += 1;
        if (depth === 1) {
          branch = keyword === 'ifdef' && directive[2] === name ? ifLines : null;
        }
      } else if (keyword === 'else' && depth === 1) {
        branch = branch === ifLines ? elseLines : null;
      } else if (keyword === 'endif') {
        depth -= 1;
        branch = depth === 0 ? null : branch;
      } else if (branch !== null) {
        branch.push(index + 1);
      }
    });
  return { ifLines, elseLines };
}

/** Runs a command from the command palette by its title. */
async function runPaletteCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 20000 });
  await row.click();
}

/** Clicks the quick pick row with this label and description (the picker's files load a moment later). */
async function pickRow(page, label, description) {
  let row = page
    .locator('.quick-input-list .monaco-list-row')
    // A label with an icon ($(circle-slash) ...) has the icon's element before the text.
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}$`) }) });
  // A row without a description has no description element.
  row = (
    description === ''
      ? row.filter({ hasNot: page.locator('.label-description', { hasText: /\S/ }) })
      : row.filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${escapeRegExp(description)}`) }) })
  ).first();
  await row.waitFor({ state: 'visible', timeout: 30000 });
  await row.click();
}

/** Waits for a status bar item whose text matches; returns its text and tooltip (aria-label). */
async function waitForStatusItem(page, pattern) {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: pattern }).first();
  await item.waitFor({ state: 'visible', timeout: 60000 });
  const label = (await item.locator('a').first().getAttribute('aria-label')) || '';
  return `${(await item.innerText()).trim()} | ${label}`;
}

/**
 * The line numbers of the active editor whose text is greyed: every non-blank text span of the
 * line has a computed opacity below 1.  View lines and line numbers are matched by their
 * vertical position.  Waits until `accept(set of lines)` holds.
 */
async function waitForGreyedLines(page, accept, timeout) {
  const deadline = Date.now() + timeout;
  let last = { lines: [], opacity: '' };
  while (Date.now() < deadline) {
    last = await page.evaluate(() => {
      const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
      const numbers = new Map();
      for (const number of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        numbers.set(Math.round(number.getBoundingClientRect().top), Number(number.textContent.trim()));
      }
      const lines = [];
      let opacity = '';
      for (const line of editor.querySelectorAll('.view-lines .view-line')) {
        const spans = [...line.querySelectorAll('span > span')].filter((span) => span.textContent.trim() !== '');
        const faded = spans.map((span) => getComputedStyle(span).opacity).filter((value) => Number(value) < 1);
        if (spans.length > 0 && faded.length === spans.length) {
          const number = numbers.get(Math.round(line.getBoundingClientRect().top));
          if (number !== undefined) {
            lines.push(number);
            opacity = faded[0];
          }
        }
      }
      return { lines: lines.sort((a, b) => a - b), opacity };
    });
    if (accept(new Set(last.lines))) {
      return last;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`the greyed lines did not become as expected; last: ${JSON.stringify(last)}`);
}

/** Copies the extension's output channels (the server's log and the LSP trace) to the artifacts. */
function copyExtensionLogs(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) {
    return;
  }
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/Kconfig|exthost|remoteagent/i.test(entry.name)) {
        fs.copyFileSync(full, path.join(ARTIFACTS, entry.name.replace(/[^\w.-]+/g, '_')));
      }
    }
  };
  walk(logs);
}

/**
 * The extension's output channel, as copied to the artifacts: the server it chose, and its lines by level.
 * A line is "<date> <time> [level] text".
 */
function readServerLog() {
  const file = path.join(ARTIFACTS, 'Kconfig_Language_Server.log');
  if (!fs.existsSync(file)) {
    return { found: false, server: '', levels: {}, errors: [] };
  }
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const levels = {};
  const errors = [];
  let server = '';
  for (const line of lines) {
    const match = /^\S+ \S+ \[(\w+)\] (.*)$/.exec(line);
    if (match === null) {
      continue;
    }
    levels[match[1]] = (levels[match[1]] || 0) + 1;
    if (match[1] === 'error') {
      errors.push(match[2]);
    }
    if (match[2].startsWith('server: ')) {
      server = match[2].slice('server: '.length);
    }
  }
  return { found: true, server, levels, errors, lines: lines.slice(0, 40) };
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[vscode-e2e] FAILED: ${error && error.stack ? error.stack : error}\n`);
    fs.writeFileSync(path.join(ARTIFACTS, 'results.json'), JSON.stringify({ ...results, error: String(error) }, null, 2) + '\n');
    process.exit(1);
  },
);
