/**
 * The server's stderr, shown in the output channel at the level of each record.
 *
 * vscode-languageclient writes every stderr line as `[error]`. The server
 * sends its own log records as `window/logMessage` once the client is
 * connected (and then no longer writes them to stderr), so stderr holds only
 * what comes before that, other libraries' records and tracebacks. Its lines
 * look like `2026-12-01 08:45:57,478 INFO kconfig_ls.server.server: message`
 * (kconfig_ls/server/main.py); a line without a level (a traceback, a stray
 * print) keeps the level of the record before it.
 */
import * as readline from 'node:readline';
import type * as stream from 'node:stream';
import type { LogOutputChannel } from 'vscode';
import type { StdioOptions } from 'vscode-languageclient/node';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Python's logging level names and the output channel's levels. */
const LEVELS: Record<string, Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
};

const RECORD = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$/;

/** The level and text of one stderr line; `previous` is the level of the record before. */
export function classifyLine(line: string, previous: Level): { level: Level; text: string } {
  const match = RECORD.exec(line);
  if (match === null) {
    return { level: line.startsWith('Traceback (most recent call last)') ? 'error' : previous, text: line };
  }
  return { level: LEVELS[match[1]], text: match[2] };
}

function forward(input: stream.Readable, outputChannel: LogOutputChannel, firstLevel: Level): void {
  let previous: Level = firstLevel;
  readline
    .createInterface({ input, crlfDelay: Infinity, terminal: false, historySize: 0 })
    .on('line', (line: string) => {
      const { level, text } = classifyLine(line, previous);
      previous = level;
      outputChannel[level](text);
    });
}

/** The client's stdio options: stdout is JSON-RPC (never read here); stderr by level. */
export const SERVER_STDIO: Required<StdioOptions> = {
  stdout: (input, outputChannel) => forward(input, outputChannel, 'info'),
  // Text before the first record (a Python that cannot start, say) is a warning, not an error.
  stderr: (input, outputChannel) => forward(input, outputChannel, 'warn'),
};
