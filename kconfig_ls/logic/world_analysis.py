"""The logic analyses of a tree over all its worlds, computed once and cached on disk.

Rules ask here, never build formulas themselves: `select_analysis_for(model)`
returns the verdict on every select over every world of the tree (every
architecture of Linux; the one world of other trees). Building it means
loading every world's symbol table and encoding them (Linux: ~30 s for 21
architectures today), so the result is kept:

- in memory, keyed by the tree's fingerprint, so the rules of one lint run
  (select-unmet-dependency, select-visible) share one analysis;
- on disk as JSON (never pickle) in the cache folder the caller names,
  keyed by the same fingerprint: the content of every Kconfig file the
  model has read (reached or not), the root, the environment and the
  format version. A warm run reads the JSON only.

This is a plain function of the model so that the lead can later move it
onto the analysis snapshot (one per generation).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from typing import Any

from kconfig_ls.logic.select_analysis import EdgeKey, SelectAnalysis, UnmetSelect, analyse_selects
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.symbols import DEFAULT_WORLD, SymbolTable, build_symbol_table
from kconfig_ls.syntax.kconfig import Span

__all__ = ["select_analysis_for", "tree_fingerprint", "world_tables_for"]

_LOG = logging.getLogger(__name__)
_FORMAT = 3
_MEMORY: dict[str, SelectAnalysis] = {}


def tree_fingerprint(model: KconfigModel) -> str:
    """A digest of everything the analysis depends on (file contents, root, environment)."""
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            [_FORMAT, model.root, model.settings.root_kconfig, sorted(model.settings.environment.items())]
        ).encode()
    )
    for path in sorted(model.texts):
        digest.update(path.encode())
        digest.update(hashlib.sha1(model.texts[path]).digest())
    return digest.hexdigest()[:32]


def world_tables_for(model: KconfigModel) -> dict[str, SymbolTable]:
    """Every world's table: the architectures of a Linux tree, else the model's own world."""
    from kconfig_ls.semantics.worlds import architecture_worlds, world_tables

    worlds = architecture_worlds(model.settings)
    if worlds == [DEFAULT_WORLD]:
        return {DEFAULT_WORLD: build_symbol_table(model)}
    return world_tables(model.settings, worlds)


def select_analysis_for(
    model: KconfigModel,
    cache_directory: str | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> SelectAnalysis:
    """The select analysis of the model's tree over all its worlds (memory, disk, or computed)."""
    fingerprint = tree_fingerprint(model)
    cached = _MEMORY.get(fingerprint)
    if cached is not None:
        return cached
    path = os.path.join(cache_directory, f"logic-selects-{fingerprint}.json") if cache_directory else None
    if path is not None:
        cached = _read(path)
    if cached is None:
        cached = analyse_selects(world_tables_for(model), is_cancelled)
        if path is not None:
            _write(path, cached)
    _MEMORY.clear()
    _MEMORY[fingerprint] = cached
    return cached


def _read(path: str) -> SelectAnalysis | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return _decode(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: str, analysis: SelectAnalysis) -> None:
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(_encode(analysis), handle)
        os.replace(temporary, path)
    except OSError as error:
        _LOG.warning("cannot write the logic cache %s: %s", path, error)


def _encode(analysis: SelectAnalysis) -> dict[str, Any]:
    return {
        "worlds": list(analysis.worlds),
        "analysed": [list(key) for key in sorted(analysis.analysed)],
        "prefiltered": analysis.prefiltered,
        "queries": analysis.queries,
        "unmet": [
            {
                "selector": u.selector,
                "target": u.target,
                "path": u.location.path,
                "span": [u.location.span.start, u.location.span.end],
                "dependency": u.dependency,
                "worlds": list(u.worlds),
                "witness_world": u.witness_world,
                "selector_value": u.selector_value,
                "unmet": [list(pair) for pair in u.unmet],
                "witness": [list(pair) for pair in u.witness],
            }
            for u in analysis.unmet.values()
        ],
    }


def _decode(data: dict[str, Any]) -> SelectAnalysis:
    unmet: dict[EdgeKey, UnmetSelect] = {}
    for item in data["unmet"]:
        finding = UnmetSelect(
            item["selector"],
            item["target"],
            Location(item["path"], Span(item["span"][0], item["span"][1])),
            item["dependency"],
            tuple(item["worlds"]),
            item["witness_world"],
            item["selector_value"],
            tuple((a, b) for a, b in item["unmet"]),
            tuple((a, b) for a, b in item["witness"]),
        )
        unmet[finding.key] = finding
    analysed = frozenset((a, b, c, int(d)) for a, b, c, d in data["analysed"])
    return SelectAnalysis(
        tuple(data["worlds"]), analysed, unmet, int(data["prefiltered"]), int(data["queries"])
    )
