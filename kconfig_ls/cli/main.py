"""The `kconfig-ls` command: `lint`, `query`, `rename`, `serve` and `rules`.

The CLI is one of the engine's two equal clients (the server is the other):
it converts arguments to engine calls and engine results to text.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Final, NoReturn

from kconfig_ls import __version__

# `kconfig_ls.cli.lint` (and through it the rules, the model and the code index) is imported by
# the functions that run a command, not here: `kconfig-ls --version`, which editors run to probe
# the server, answers without them.

__all__ = ["EXIT_INTERNAL_ERROR", "leave", "main"]

# 0 clean, 1 findings, 2 usage or I/O error (kconfig_ls.cli.lint), 3 an internal error.
EXIT_USAGE: Final = 2
EXIT_INTERNAL_ERROR: Final = 3

_LINT_EPILOG: Final = """\
exit codes:
  0  no finding at or above --fail-on (always 0 with --fail-on never)
  1  findings at or above --fail-on
  2  usage error, or a file that cannot be read or written
  3  internal error (a bug in kconfig-ls; --log-level DEBUG prints the traceback)
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; the arguments of `serve`, `query` and `rename` only when `command` is that one,
    or unknown (None: `--help`, a typo).

    Their modules import what the command runs: the server's stack (asyncio, pygls, lsprotocol)
    for `serve`, the analysis host for `query` and `rename`. That was a quarter of a `lint` run's
    start on an unchanged tree, for arguments a `lint` never parses. Every command is still listed.
    """
    parser = argparse.ArgumentParser(
        prog="kconfig-ls", description="Language server and linter for Kconfig and the code it switches."
    )
    parser.add_argument("--version", action="version", version=f"kconfig-ls {__version__}")
    parser.add_argument("--log-level", default="WARNING", help="logging level on stderr (default: WARNING)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    lint = commands.add_parser(
        "lint",
        help="check a tree and print findings (text, JSON, SARIF, JUnit, GitHub annotations)",
        epilog=_LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from kconfig_ls.cli.lint import add_lint_arguments

    add_lint_arguments(lint)
    rules = commands.add_parser("rules", help="list the rules with their codes and default severities")
    rules.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    if command in (None, "serve"):
        from kconfig_ls.server.main import add_serve_arguments

        add_serve_arguments(serve)
    query = commands.add_parser("query", help="answer one navigation question headlessly (JSON)")
    if command in (None, "query"):
        from kconfig_ls.cli.query import add_query_arguments

        add_query_arguments(query)
    rename = commands.add_parser("rename", help="rename a symbol across the tree (prints a unified diff)")
    if command in (None, "rename"):
        from kconfig_ls.cli.rename import add_rename_arguments

        add_rename_arguments(rename)
    return parser


def main(argv: Sequence[str] | None = None, *, leaving_process: bool = False) -> int:
    """Run one command; `leaving_process` when the process ends right after (see `leave`)."""
    words = sys.argv[1:] if argv is None else argv
    command = _command_word(words)
    if command is None and "--version" in words and "--help" not in words and "-h" not in words:
        # Editors probe the server with `--version`: answered without the parser of every
        # command, whose `query` and `rename` import the analysis host (0.3 s).
        print(f"kconfig-ls {__version__}")
        return 0
    parser = build_parser(command)
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0) and EXIT_USAGE
    if leaving_process and arguments.command == "lint":
        from kconfig_ls.cli.lint import keep_results_until_exit

        keep_results_until_exit()
    if not isinstance(logging.getLevelName(arguments.log_level.upper()), int):
        print(f"kconfig-ls: error: unknown log level '{arguments.log_level}'", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        stream=sys.stderr, level=arguments.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return _run_command(parser, arguments)
    except Exception as error:  # The one place where any bug becomes exit code 3.
        first_line = (str(error).splitlines() or [""])[0][:300]
        print(
            f"kconfig-ls: internal error: {type(error).__name__}: {first_line}"
            + ("" if arguments.log_level.upper() == "DEBUG" else " (--log-level DEBUG shows the traceback)"),
            file=sys.stderr,
        )
        if arguments.log_level.upper() == "DEBUG":
            traceback.print_exc(file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def leave(code: int) -> NoReturn:
    """End the process with `code`: at once after a lint that kept its results (nothing left to
    run: the workers are joined, the report written), so that the model, the code index and the
    findings are not freed object by object; otherwise as usual (`SystemExit`)."""
    lint = sys.modules.get("kconfig_ls.cli.lint")  # never imported: no lint ran, nothing kept
    if lint is not None and lint.results_kept():
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say on it
                stream.flush()
        logging.shutdown()
        os._exit(code)
    raise SystemExit(code)


_COMMANDS: Final = ("lint", "rules", "serve", "query", "rename")


def _command_word(argv: Sequence[str]) -> str | None:
    """The command `argv` names: its first word that is neither an option nor `--log-level`'s value.

    None when that word is not a command (argparse then reports it with the full parser).
    """
    after_log_level = False
    for word in argv:
        if after_log_level:
            after_log_level = False
        elif word == "--log-level":
            after_log_level = True
        elif not word.startswith("-"):
            return word if word in _COMMANDS else None
    return None


def _choose_project(arguments: argparse.Namespace) -> None:
    """Resolve the project root once, and say which one when the search climbed to it.

    The search is bounded (see `choose_project_root`); naming the folder it
    settled on lets a user notice a surprising root (and pass `--project`).
    """
    if arguments.project:
        return
    if arguments.command == "lint":
        start = arguments.paths[0] if arguments.paths else "."
    else:
        start = arguments.position.rpartition(":")[0].rpartition(":")[0]
    if not start or not os.path.exists(start):
        return  # the command reports the bad path itself
    from kconfig_ls.settings.resolve import choose_project_root

    choice = choose_project_root(start, arguments.root_kconfig or "Kconfig")
    arguments.project = choice.root
    if choice.searched:
        print(
            f"kconfig-ls: project root {choice.root} (searched upwards from {start}, "
            f"no higher than {choice.stopped_at}; --project chooses another)",
            file=sys.stderr,
        )


def _run_command(parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> int:
    if arguments.command in ("lint", "query"):
        _choose_project(arguments)
    if arguments.command == "lint":
        from kconfig_ls.cli.lint import run_lint

        return run_lint(arguments, sys.stdout, sys.stderr)
    if arguments.command == "rules":
        from kconfig_ls.cli.rules_doc import print_rules

        return print_rules(markdown=arguments.markdown)
    if arguments.command == "serve":
        from kconfig_ls.server.main import run_server

        return int(run_server(arguments))
    if arguments.command == "query":
        from kconfig_ls.cli.query import run_query

        return int(run_query(arguments, sys.stdout, sys.stderr))
    if arguments.command == "rename":
        from kconfig_ls.cli.rename import run_rename

        return run_rename(arguments)
    parser.print_help(sys.stderr)
    return EXIT_USAGE
