"""`kconfig-ls query why SYMBOL --config FILE`: a symbol's value under a configuration, and why, as JSON.

The tree is loaded for the configured architecture (`--arch`), the
configuration files (`--config`, repeatable: fragments merged in order; none
means every symbol at its default, as `make olddefconfig` on an empty file)
are evaluated natively, and the answer holds:

- `value` (None when a compiler probe the engine does not run decides it),
  `summary` (the first line a hover shows: `MIGRATION = y, selected by
  COMPACTION (mm/Kconfig:679)`) and `reasons` (kind, text, path, line,
  symbols named), from `kconfig_ls.logic.explain.explain`;
- `dependency` and `visibility`, rendered with each operand's value
  (`MMU [=y] && NUMA [=n]`);
- for a bool or tristate symbol below `y` (or `--want`): `blockers`, what
  keeps it there down to symbols the user can set, and `enabling_set`, the
  smallest set of assignments found that enables it, checked by
  re-evaluating (None when the capped search finds none).

Exit codes: 0 with an answer, 2 on usage errors (unknown symbol included).
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, TextIO

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.cli.config_lint import read_config_sources
from kconfig_ls.logic.configuration import ProbePolicy, evaluate_configuration
from kconfig_ls.logic.explain import Blocker, blockers, enabling_set, explain, render_with_values
from kconfig_ls.semantics.worlds import configured_world
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.settings.project_file import SettingsError, load_project_settings
from kconfig_ls.settings.user_file import default_user_config_file
from kconfig_ls.syntax.expression import TRUE

__all__ = ["add_why_arguments", "run_why"]

_TRI = {"n": 0, "m": 1, "y": 2}


def add_why_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `query why` (the symbol is the query's positional argument)."""
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="FILE",
        help="for 'why': the .config, defconfig or fragments to evaluate (repeatable, merged in order)",
    )
    parser.add_argument(
        "--want", choices=("y", "m"), default="y", help="for 'why': the value to explain the lack of"
    )


def run_why(arguments: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    name = arguments.position.removeprefix("CONFIG_")
    project = os.path.abspath(arguments.project or os.getcwd())
    from kconfig_ls.cli.lint import parse_environment

    try:
        environment = parse_environment(arguments.env)
        sources = read_config_sources(arguments.config)
        load_project_settings(project)  # a settings file that does not parse is a usage error
    except (SettingsError, ValueError) as error:
        print(f"kconfig-ls query: error: {error}", file=stderr)
        return 2
    # The same host and settings merge as every client; Kconfig only.
    host = AnalysisHost(
        AnalysisSettings(
            project_root=project,
            root_kconfig=arguments.root_kconfig,
            arch=arguments.arch,
            environment=environment,
            index_unreached=False,
            index_code=False,
            user_config_file=default_user_config_file(),
        )
    )
    host.load()
    snapshot = host.snapshot()
    model = snapshot.model
    if model.file(model.root_path) is None:
        print(f"kconfig-ls query: error: root Kconfig not found: {model.root_path}", file=stderr)
        return 2
    world = configured_world(model.settings)
    table = snapshot.symbol_table(world)
    symbol = table.get(name)
    if symbol is None:
        print(f"kconfig-ls query: error: {name} is not defined for {world or 'this tree'}", file=stderr)
        return 2
    configuration = evaluate_configuration(table, sources, probes=ProbePolicy.FROM_FILE)
    explanation = explain(configuration, name, root=project)

    def relative(path: str | None) -> str | None:
        if path is None:
            return None
        relative_path = os.path.relpath(path, project)
        return path if relative_path.startswith("..") else relative_path

    answer: dict[str, Any] = {
        "query": "why",
        "symbol": name,
        "world": world,
        "configuration": [relative(source.path) for source in sources],
        "type": symbol.type,
        "value": explanation.value,
        "summary": explanation.summary,
        "reasons": [
            {
                "kind": reason.kind,
                "text": reason.text,
                "path": relative(reason.path),
                "line": reason.line,
                "symbols": list(reason.symbols),
            }
            for reason in explanation.reasons
        ],
        "dependency": explanation.dependency,
        "visibility": render_with_values(symbol.visibility, configuration) if symbol.prompts else None,
        "definition": {"path": relative(symbol.location.path), "line": model.line_of(symbol.location) + 1},
    }
    value = configuration.value(name)
    if symbol.type in ("bool", "tristate") and value is not None and _TRI[value] < _TRI[arguments.want]:
        answer["blockers"] = [
            _blocker_json(blocker) for blocker in blockers(configuration, name, arguments.want)
        ]
        answer["enabling_set"] = enabling_set(configuration, name, arguments.want)
    if symbol.direct_dependency == TRUE:
        answer["dependency"] = None
    json.dump(answer, stdout, indent=2)
    stdout.write("\n")
    return 0


def _blocker_json(blocker: Blocker) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operand": blocker.rendered,
        "symbol": blocker.symbol,
        "needs": blocker.needed,
        "settable": blocker.settable,
    }
    if blocker.causes:
        result["because"] = [_blocker_json(cause) for cause in blocker.causes]
    if blocker.alternatives:
        result["one_of"] = [_blocker_json(alternative) for alternative in blocker.alternatives]
    return result
