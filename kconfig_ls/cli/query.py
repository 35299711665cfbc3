"""`kconfig-ls query`: one navigation question, answered headlessly as JSON.

In the manner of `clangd --check`: it loads the project exactly as the
server does (the same `AnalysisHost`) and answers one question about one
position, for scripts and for debugging editor setups::

    kconfig-ls query definition mm/migrate.c:10:12
    kconfig-ls query references mm/Kconfig:33:9
    kconfig-ls query guard mm/memory-tiers.c:12:1
    kconfig-ls query hover init/Kconfig:7:30
    kconfig-ls query hover --logic mm/Kconfig:710:8
    kconfig-ls query why NUMA_BALANCING --config .config

Positions are 1-based line and column, columns in characters, as compilers
print them; paths in answers are relative to the project folder, absolute
outside it (a Zephyr application's answers in the Zephyr tree). Exit codes: 0
with an answer (possibly empty), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.cli.query_why import add_why_arguments, run_why
from kconfig_ls.semantics.model import Location
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.settings.resolve import find_project_root

__all__ = ["add_query_arguments", "run_query"]

_QUERIES = ("definition", "references", "guard", "hover", "why")


def add_query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", choices=_QUERIES, help="what to ask")
    parser.add_argument("position", help="FILE:LINE:COL (1-based); for 'why', a SYMBOL")
    parser.add_argument("--project", help="project folder (default: found from the file)")
    parser.add_argument("--root", dest="root_kconfig", help="root Kconfig, relative to the project")
    parser.add_argument("--arch", help="architecture for Linux-style trees")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable for Kconfig macros and source paths, as for lint (repeatable)",
    )
    parser.add_argument(
        "--kconfig-only", action="store_true", help="do not index C, Makefiles and config files"
    )
    parser.add_argument("--cache-dir", help="where the code index cache lives")
    parser.add_argument(
        "--logic",
        action="store_true",
        help="for 'hover': explain the logic's findings there, as the server does once its solver "
        "tier has run (runs the preview rules with the logic where the hover looks: the solver's Kconfig "
        "rules over the tree, the block rules on this C file; the logic's analyses are cached on disk)",
    )
    add_why_arguments(parser)


def run_query(
    arguments: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    if arguments.question == "why":
        return run_why(arguments, stdout, stderr)
    from kconfig_ls.cli.lint import default_cache_directory, parse_environment

    try:
        path, line, column = _parse_position(arguments.position)
        environment = parse_environment(arguments.env)
    except ValueError as error:
        print(f"kconfig-ls query: error: {error}", file=stderr)
        return 2

    project = os.path.abspath(
        arguments.project or find_project_root(path, arguments.root_kconfig or "Kconfig")
    )
    host = AnalysisHost(
        AnalysisSettings(
            project_root=project,
            root_kconfig=arguments.root_kconfig,
            arch=arguments.arch,
            environment=environment,
            index_code=not arguments.kconfig_only,
            cache_directory=arguments.cache_dir or default_cache_directory(),
            rule_preview=arguments.logic,
            logic=arguments.logic,
        )
    )
    host.load()
    index = host.line_index(path)
    if line > index.line_count:
        print(f"kconfig-ls query: error: {path} has only {index.line_count} lines", file=stderr)
        return 2
    offset = index.offset(line - 1, column - 1, "utf-32")
    answer: dict[str, Any] = {
        "query": arguments.question,
        "file": os.path.relpath(path, project),
        "line": line,
        "column": column,
    }
    if arguments.question == "definition":
        answer["results"] = [
            _location_json(host, location, project) for location in host.definition(path, offset)
        ]
    elif arguments.question == "references":
        answer["results"] = [
            {**_location_json(host, site.location, project), "kind": site.kind}
            for site in host.references(path, offset)
        ]
    elif arguments.question == "guard":
        answer["guard"] = host.guard(path, offset)
    else:
        snapshot = host.snapshot()
        hover = snapshot.hover(
            path, offset, findings_in=snapshot.explained_findings() if arguments.logic else None
        )
        answer["markdown"] = hover.markdown if hover is not None else None
    json.dump(answer, stdout, indent=2)
    stdout.write("\n")
    return 0


def _parse_position(text: str) -> tuple[str, int, int]:
    path, separator, rest = text.rpartition(":")
    file_part, separator_2, line_part = path.rpartition(":")
    if not separator or not separator_2 or not rest.isdigit() or not line_part.isdigit():
        raise ValueError(f"expected FILE:LINE:COL, got '{text}'")
    absolute = os.path.abspath(file_part)
    if not os.path.isfile(absolute):
        raise ValueError(f"no such file: {file_part}")
    line, column = int(line_part), int(rest)
    if line < 1 or column < 1:
        raise ValueError("line and column are 1-based")
    return absolute, line, column


def _location_json(host: AnalysisHost, location: Location, project: str) -> dict[str, Any]:
    index = host.line_index(location.path)
    relative = os.path.relpath(location.path, project)
    start_line, start_column = index.position(location.span.start, "utf-32")
    end_line, end_column = index.position(location.span.end, "utf-32")
    return {
        "path": location.path if relative.startswith("..") else relative,
        "line": start_line + 1,
        "column": start_column + 1,
        "end_line": end_line + 1,
        "end_column": end_column + 1,
    }
