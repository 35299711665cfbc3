"""The `kconfig-ls` command: `lint`, `query`, `rename`, `serve` and `rules`.

The CLI is one of the engine's two equal clients (the server is the other):
it converts arguments to engine calls and engine results to text.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kconfig_ls import __version__
from kconfig_ls.cli.lint import EXIT_USAGE, add_lint_arguments, run_lint

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kconfig-ls", description="Language server and linter for Kconfig and the code it switches."
    )
    parser.add_argument("--version", action="version", version=f"kconfig-ls {__version__}")
    parser.add_argument("--log-level", default="WARNING", help="logging level on stderr (default: WARNING)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    lint = commands.add_parser(
        "lint", help="check a tree and print findings (text, JSON, SARIF, JUnit, GitHub annotations)"
    )
    add_lint_arguments(lint)
    rules = commands.add_parser("rules", help="list the rules with their codes and default severities")
    rules.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    from kconfig_ls.server.main import add_serve_arguments

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    add_serve_arguments(serve)
    from kconfig_ls.cli.query import add_query_arguments

    query = commands.add_parser("query", help="answer one navigation question headlessly (JSON)")
    add_query_arguments(query)
    from kconfig_ls.cli.rename import add_rename_arguments

    rename = commands.add_parser("rename", help="rename a symbol across the tree (prints a unified diff)")
    add_rename_arguments(rename)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0) and EXIT_USAGE
    logging.basicConfig(
        stream=sys.stderr, level=arguments.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    if arguments.command == "lint":
        return run_lint(arguments)
    if arguments.command == "rules":
        from kconfig_ls.cli.rules_doc import print_rules

        return print_rules(markdown=arguments.markdown)
    if arguments.command == "serve":
        from kconfig_ls.server.main import run_server

        return int(run_server(arguments))
    if arguments.command == "query":
        from kconfig_ls.cli.query import run_query

        return int(run_query(arguments))
    if arguments.command == "rename":
        from kconfig_ls.cli.rename import run_rename

        return run_rename(arguments)
    parser.print_help(sys.stderr)
    return EXIT_USAGE
