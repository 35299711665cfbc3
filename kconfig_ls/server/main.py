"""`kconfig-ls serve`: run the language server over stdio (default) or TCP.

Stdout belongs to JSON-RPC. Before anything else runs, the server takes
the real stdout for its transport and points file descriptor 1 (and
`sys.stdout`) at stderr, so that a stray `print()`, a library's message or
a child process that inherits the descriptor can never corrupt the
stream. Stdin is taken the same way and replaced with /dev/null.

Log records go to stderr, and once a client is connected our own records
go to it as `window/logMessage` (with the LSP message type of their level)
instead: a client shows stderr as errors (vscode-languageclient writes
every stderr line as `[error]`), so a record sent both ways would be shown
twice, once at the wrong level. Records the client did not get (before
`initialized`, from other libraries) stay on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import BinaryIO

__all__ = ["add_serve_arguments", "run_server"]

_LOG = logging.getLogger(__name__)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    transport.add_argument("--tcp", action="store_true", help="listen on a TCP port instead")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on with --tcp (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=2087, help="port to listen on with --tcp (default 2087)")
    parser.add_argument("--log-file", default=None, help="also write the server's log to this file")
    parser.add_argument(
        "--log-level",
        dest="serve_log_level",
        metavar="LEVEL",
        default=None,
        help="log level on stderr, the log file and window/logMessage (default INFO)",
    )
    parser.add_argument(
        "--cache-dir",
        default=None,
        help="where to cache the code index (default: $XDG_CACHE_HOME/kconfig-ls or ~/.cache/kconfig-ls)",
    )
    parser.add_argument(
        "--no-code-index",
        action="store_true",
        help="do not index C, Makefiles and config files (Kconfig features only)",
    )
    parser.add_argument(
        "--debounce-ms",
        type=int,
        default=300,
        help="pause in typing before the whole-tree checks run (default 300)",
    )


def run_server(arguments: argparse.Namespace) -> int:
    level_name = (getattr(arguments, "serve_log_level", None) or "INFO").upper()
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        sys.stderr.write(f"kconfig-ls serve: unknown log level '{level_name}'\n")
        return 2
    transport: tuple[BinaryIO, BinaryIO] | None = None
    if not getattr(arguments, "tcp", False):
        transport = _take_standard_streams()
    _configure_logging(level, getattr(arguments, "log_file", None))

    from kconfig_ls.cli.lint import default_cache_directory
    from kconfig_ls.server.server import create_server

    # Whole-tree checks run on a background thread for up to a second; with
    # the default 5 ms GIL switch interval an editor request waiting behind
    # them pays several slices. 1 ms keeps hovers interactive (measured in
    # bench/bench_server.py: hover p95 with checks running).
    sys.setswitchinterval(0.001)

    from kconfig_ls.settings.user_file import default_user_config_file

    server = create_server(
        debounce_seconds=max(0, getattr(arguments, "debounce_ms", 300)) / 1000,
        cache_directory=getattr(arguments, "cache_dir", None) or default_cache_directory(),
        index_code=not getattr(arguments, "no_code_index", False),
        user_config_file=default_user_config_file(),
    )
    if transport is None:
        _LOG.info("listening on %s:%d", arguments.host, arguments.port)
        server.start_tcp(arguments.host, arguments.port)
    else:
        server.start_io(*transport)
    return 0


def _take_standard_streams() -> tuple[BinaryIO, BinaryIO]:
    """The real stdin/stdout for the transport; fd 1 and sys.stdout now go to stderr."""
    sys.stdout.flush()
    transport_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    transport_in = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, sys.stdin.fileno())
    os.close(devnull)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    return transport_in, transport_out


def _not_sent_to_client(record: logging.LogRecord) -> bool:
    """False for a record the client already got as `window/logMessage` (server.py marks those)."""
    return not getattr(record, "sent_to_client", False)


def _configure_logging(level: int, log_file: str | None) -> None:
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setFormatter(formatter)
    stderr_handler.addFilter(_not_sent_to_client)
    root.addHandler(stderr_handler)
    if log_file:
        try:
            file_handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as error:
            sys.stderr.write(f"kconfig-ls serve: cannot open the log file: {error}\n")
        else:
            file_handler.setFormatter(formatter)
            root.addHandler(file_handler)
    root.setLevel(level)
    # pygls logs every message it sends at INFO; keep that for DEBUG only.
    logging.getLogger("pygls").setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))
