"""`kconfig-ls serve`: run the language server over stdio (default), TCP or a Unix socket.

TCP and sockets are guarded (`authentication`): `--tcp` listens on
loopback only unless `--allow-remote` is given, and prints a token on stderr
that the client must send in `initializationOptions.token`; `--socket PATH`
creates the socket with mode 0600. Either serves one client connection at a
time: a second client is turned away while one is connected, a client that
fails to authenticate is disconnected, and the server stops when its
authenticated client goes.

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
import asyncio
import contextlib
import gc
import logging
import os
import stat
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, BinaryIO, Final, NoReturn, cast

if TYPE_CHECKING:
    from kconfig_ls.server.protocol import KconfigProtocol
    from kconfig_ls.server.server import KconfigLanguageServer

_Callback = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
_Listen = Callable[[_Callback], Awaitable[asyncio.AbstractServer]]

__all__ = ["add_serve_arguments", "run_server"]

_LOG = logging.getLogger(__name__)
# The cyclic collector's young-generation threshold in the server (CPython's default is 700).
# See `run_server`.
_YOUNG_COLLECTION_THRESHOLD: Final = 20_000


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    transport.add_argument(
        "--tcp",
        action="store_true",
        help="listen on a TCP port instead; the client must send the token printed on stderr "
        "as initializationOptions.token",
    )
    transport.add_argument(
        "--socket", metavar="PATH", default=None, help="listen on a Unix socket (mode 0600) instead"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on with --tcp (default 127.0.0.1)"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not a loopback address (anyone who can reach it and has the "
        "token can run the tree's commands if they ask to trust it)",
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
    tcp = bool(getattr(arguments, "tcp", False))
    socket_path: str | None = getattr(arguments, "socket", None)
    host = getattr(arguments, "host", "127.0.0.1")
    if tcp and not getattr(arguments, "allow_remote", False):
        from kconfig_ls.server.authentication import is_loopback

        if not is_loopback(host):
            sys.stderr.write(
                f"kconfig-ls serve: refusing to listen on '{host}', which is not a loopback address; "
                "pass --allow-remote if you really mean it\n"
            )
            return 2
    transport: tuple[BinaryIO, BinaryIO] | None = None
    if not tcp and socket_path is None:
        transport = _take_standard_streams()
    _configure_logging(level, getattr(arguments, "log_file", None))

    from kconfig_ls.cli.lint import default_cache_directory
    from kconfig_ls.server.server import create_server

    # Whole-tree checks run on a background thread for up to a second; with
    # the default 5 ms GIL switch interval an editor request waiting behind
    # them pays several slices. 1 ms keeps hovers interactive (measured in
    # bench/bench_server.py: hover p95 with checks running).
    sys.setswitchinterval(0.001)
    # Each keystroke's model (`KconfigModel.apply_change`) is a few thousand
    # new objects and copies of the big name tables, live until four
    # snapshots later. With the default threshold, a young collection ran
    # after every keystroke and scanned them (4-6 ms), and every tenth an
    # older one (25-30 ms; 80 ms for a full one): the tail of the syntax
    # tier's latency. At 20,000, by the time a collection runs most of those
    # models have been freed by reference counting (the model is acyclic), so
    # collections are rare and short (bench/bench_server.py, typing).
    gc.set_threshold(_YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])

    from kconfig_ls.settings.user_file import default_user_config_file

    server = create_server(
        debounce_seconds=max(0, getattr(arguments, "debounce_ms", 300)) / 1000,
        cache_directory=getattr(arguments, "cache_dir", None) or default_cache_directory(),
        index_code=not getattr(arguments, "no_code_index", False),
        user_config_file=default_user_config_file(),
    )
    if transport is not None:
        server.start_io(*transport)
    elif tcp:
        from kconfig_ls.server.authentication import new_token

        token = new_token()
        cast("KconfigProtocol", server.protocol).required_token = token
        sys.stderr.write(f"kconfig-ls serve: token {token} (send it as initializationOptions.token)\n")
        sys.stderr.flush()
        code = _serve_connections(
            server, lambda callback: asyncio.start_server(callback, host, arguments.port)
        )
        if code:
            return code
    else:
        assert socket_path is not None
        code = _serve_connections(server, lambda callback: _start_unix_server(callback, socket_path))
        if code:
            return code
    exit_code = getattr(server.protocol, "exit_code", None)
    _leave_now(server, int(exit_code) if exit_code is not None else 0)


def _leave_now(server: KconfigLanguageServer, code: int) -> NoReturn:
    """End the process at once, whatever the background threads are doing.

    A normal interpreter exit joins every worker thread: a client's `exit`
    during the initial load waited for the whole code index (tens of
    seconds on Linux under load) before the process ended. Nothing a worker
    does needs finishing: cache files are written to a temporary name and
    renamed, so an unfinished write leaves no partial cache entry. The
    session's own clean-up (the single-file folder) and the log run first.
    """
    try:
        server.session.remove_own_folder()
    except Exception:
        _LOG.exception("cleaning up the session failed")
    end_child_processes()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def end_child_processes() -> None:
    """Terminate the worker processes still running (the code index's scanners).

    `os._exit` does not end them, and a pool worker waiting for its next
    task never notices that the server is gone (it holds the task queue's
    write end itself): an `exit` during a cold code index build left them
    running for good.
    """
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None:
        return  # no worker was ever started
    for child in multiprocessing.active_children():
        with contextlib.suppress(Exception):
            child.terminate()


def _serve_connections(server: KconfigLanguageServer, listen: _Listen) -> int:
    """Serve one client at a time until an authenticated client disconnects; 2 if listening fails."""
    from pygls.io_ import run_async

    protocol = cast("KconfigProtocol", server.protocol)
    stop_event = threading.Event()
    server._stop_event = stop_event
    finished: asyncio.Future[None] | None = None
    busy = False

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal busy
        if busy:
            _LOG.warning("a second client tried to connect; turned away")
            writer.close()
            return
        busy = True
        protocol.rejected = False
        protocol.set_writer(writer)  # type: ignore[arg-type]
        try:
            await run_async(
                stop_event=stop_event,
                reader=_RejectingReader(reader, protocol),
                protocol=protocol,
                logger=_LOG,
                error_handler=server.report_server_error,
            )
        finally:
            busy = False
            writer.close()
            if protocol.initialized_ok and finished is not None and not finished.done():
                finished.set_result(None)

    async def serve() -> int:
        nonlocal finished
        finished = asyncio.get_running_loop().create_future()
        try:
            listener = await listen(connection)
        except OSError as error:
            sys.stderr.write(f"kconfig-ls serve: cannot listen: {error}\n")
            return 2
        sockets = getattr(listener, "sockets", ())
        addresses = ", ".join(str(s.getsockname()) for s in sockets)
        _LOG.info("listening on %s", addresses)
        async with listener:
            await finished
        return 0

    try:
        return asyncio.run(serve())
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]


class _RejectingReader:
    """The connection's reader, which ends the connection once `initialize` was refused."""

    def __init__(self, reader: asyncio.StreamReader, protocol: KconfigProtocol) -> None:
        self._reader = reader
        self._protocol = protocol

    async def readline(self) -> bytes:
        if self._protocol.rejected:
            return b""
        return await self._reader.readline()

    async def readexactly(self, n: int) -> bytes:
        return await self._reader.readexactly(n)


async def _start_unix_server(callback: _Callback, path: str) -> asyncio.AbstractServer:
    """A Unix socket only the server's user can open (created with mode 0600)."""
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISSOCK(existing.st_mode) or existing.st_uid != os.getuid():
            raise OSError(f"{path} exists and is not a socket of ours; not replaced")
        os.unlink(path)
    previous = os.umask(0o177)
    try:
        listener = await asyncio.start_unix_server(callback, path)
    finally:
        os.umask(previous)
    os.chmod(path, 0o600)
    return listener


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
