"""The logic analyses of a tree over all its worlds, computed once and cached on disk.

Rules ask here, never build formulas themselves: `select_analysis_for(model)`
returns the verdict on every select over every world of the tree (every
architecture of Linux; the one world of other trees). Building it means
loading every world's symbol table and encoding them (Linux: ~30 s for 21
architectures today), so the result is kept:

- in memory, keyed by the tree's fingerprint, so the rules of one lint run
  (select-unmet-dependency, select-visible) share one analysis, and the
  analyses of one run (selects, liveness) share one formula;
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
from collections.abc import Callable, Iterable
from typing import Any

from kconfig_ls.logic.forking import ForkedChild, can_fork, fork_computation
from kconfig_ls.logic.liveness import DeadItem, LivenessAnalysis, analyse_liveness
from kconfig_ls.logic.select_analysis import EdgeKey, SelectAnalysis, UnmetSelect, analyse_selects
from kconfig_ls.logic.tristate_encoding import Encoding, encode_worlds
from kconfig_ls.program import program_identity
from kconfig_ls.semantics.discovery import paused_garbage_collection
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.symbols import DEFAULT_WORLD, SymbolTable, build_symbol_table
from kconfig_ls.syntax.kconfig import Span

__all__ = [
    "cached_analyses",
    "expect_analyses",
    "formula_for",
    "install_analyses",
    "tables_for",
    "liveness_analysis_for",
    "select_analysis_for",
    "tree_fingerprint",
    "world_tables_for",
]

_LOG = logging.getLogger(__name__)
_FORMAT = 5
_KIND_VERSION = {"liveness": "-2"}
"""Bumped when one analysis's results change meaning (the others' caches stay valid)."""
_MEMORY: dict[tuple[str, str], object] = {}
_FORMULA: dict[str, tuple[dict[str, SymbolTable], Encoding]] = {}
_TABLES: dict[str, dict[str, SymbolTable]] = {}


def tree_fingerprint(model: KconfigModel) -> str:
    """A digest of everything the analysis depends on (the program, file contents, root, environment)."""
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            [
                _FORMAT,
                program_identity(),
                model.root,
                model.settings.root_kconfig,
                sorted(model.settings.environment.items()),
            ]
        ).encode()
    )
    for path in sorted(model.texts):
        digest.update(path.encode())
        digest.update(hashlib.sha1(model.texts[path]).digest())
    return digest.hexdigest()[:32]


def world_tables_for(model: KconfigModel) -> dict[str, SymbolTable]:
    """Every world's table: the architectures of a Linux tree, else the model's own world.

    The other worlds read the files the model has from the model (an
    editor's open buffers), not from the disk."""
    from kconfig_ls.logic.world_tables import WorldModels
    from kconfig_ls.semantics.worlds import architecture_worlds

    worlds = architecture_worlds(model.settings)
    if worlds == [DEFAULT_WORLD]:
        return {DEFAULT_WORLD: build_symbol_table(model)}
    return WorldModels.load(model).tables()


def select_analysis_for(
    model: KconfigModel,
    cache_directory: str | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> SelectAnalysis:
    """The select analysis of the model's tree over all its worlds (memory, disk, or computed)."""

    def compute(tables: dict[str, SymbolTable], encoding: Encoding) -> SelectAnalysis:
        return analyse_selects(tables, is_cancelled, encoding)

    result = _cached(model, "selects", cache_directory, compute, _encode, _decode)
    assert isinstance(result, SelectAnalysis)
    return result


def liveness_analysis_for(
    model: KconfigModel,
    cache_directory: str | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> LivenessAnalysis:
    """Dead symbols, prompts and defaults over all the tree's worlds (memory, disk, or computed)."""

    def compute(tables: dict[str, SymbolTable], encoding: Encoding) -> LivenessAnalysis:
        return analyse_liveness(tables, is_cancelled, encoding)

    result = _cached(model, "liveness", cache_directory, compute, _encode_liveness, _decode_liveness)
    assert isinstance(result, LivenessAnalysis)
    return result


def _cached(
    model: KconfigModel,
    kind: str,
    cache_directory: str | None,
    compute: Callable[[dict[str, SymbolTable], Encoding], Any],
    encode: Callable[[Any], dict[str, Any]],
    decode: Callable[[dict[str, Any]], Any],
) -> object:
    fingerprint = tree_fingerprint(model)
    cached = _MEMORY.get((kind, fingerprint))
    if cached is not None:
        return cached
    path = os.path.join(cache_directory, _cache_name(kind, fingerprint)) if cache_directory else None
    if path is not None:
        cached = _read(path, decode)
    if cached is None:
        tables, encoding = formula_for(model, fingerprint)
        child = _start_liveness_child(model, kind, fingerprint, cache_directory, tables, encoding)
        try:
            cached = compute(tables, encoding)
        except BaseException:
            if child is not None:
                child.stop()
            raise
        if path is not None:
            _write(path, encode(cached))
        if child is not None:
            _finish_liveness_child(child, fingerprint, cache_directory)
    _remember(kind, fingerprint, cached)
    return cached


def _remember(kind: str, fingerprint: str, analysis: object) -> None:
    for key in [key for key in _MEMORY if key[0] == kind]:
        del _MEMORY[key]
    _MEMORY[(kind, fingerprint)] = analysis


def expect_analyses(kinds: Iterable[str]) -> None:
    """Say which analyses the caller will ask for next ("selects", "liveness"), to overlap them.

    When the select analysis is computed while the liveness is expected
    and not cached, the liveness is computed at the same time in a forked
    child process (on the same formula, built once before the fork), and
    its result is kept as if it had been asked: a lint of every logic rule
    uses both cores. Without this, each analysis is computed when first
    asked, one after the other. The selects stay in this process: their
    witnesses come from the models of the solver that asks them, whose
    history must stay what it was; the liveness answers do not depend on
    models (see `logic.liveness`). Nothing is forked from a process with
    threads (the language server), or where `os.fork` is missing.
    """
    _EXPECTED.clear()
    _EXPECTED.update(kinds)


_EXPECTED: set[str] = set()
FORK_MINIMUM_SYMBOLS = 5000
"""Trees with fewer symbols (summed over worlds) compute the liveness in-process: a fork costs more."""


def _start_liveness_child(
    model: KconfigModel,
    kind: str,
    fingerprint: str,
    cache_directory: str | None,
    tables: dict[str, SymbolTable],
    encoding: Encoding,
) -> ForkedChild | None:
    """Fork the liveness analysis while the selects are computed (see `expect_analyses`)."""
    if kind != "selects" or "liveness" not in _EXPECTED or ("liveness", fingerprint) in _MEMORY:
        return None
    if not can_fork():
        return None
    if sum(len(table) for table in tables.values()) < FORK_MINIMUM_SYMBOLS:
        return None
    if cache_directory and os.path.exists(
        os.path.join(cache_directory, _cache_name("liveness", fingerprint))
    ):
        return None
    return fork_computation(lambda: _encode_liveness(analyse_liveness(tables, None, encoding)))


def _finish_liveness_child(child: ForkedChild, fingerprint: str, cache_directory: str | None) -> None:
    """Keep the child's liveness analysis (memory and disk); a failed child leaves it to be asked."""
    data = child.result()
    if data is None:
        _LOG.warning("the forked liveness analysis failed; it is computed when asked")
        return
    try:
        analysis = _decode_liveness(data)
    except (KeyError, TypeError, ValueError):
        return
    if cache_directory:
        _write(os.path.join(cache_directory, _cache_name("liveness", fingerprint)), data)
    _remember("liveness", fingerprint, analysis)


def _cache_name(kind: str, fingerprint: str) -> str:
    return f"logic-{kind}{_KIND_VERSION.get(kind, '')}-{fingerprint}.json"


def formula_for(
    model: KconfigModel, fingerprint: str | None = None
) -> tuple[dict[str, SymbolTable], Encoding]:
    """Every world's table and their formula, shared by the analyses of one tree (kept in memory)."""
    fingerprint = fingerprint or tree_fingerprint(model)
    formula = _FORMULA.get(fingerprint)
    if formula is None:
        # A bulk build, as a model load is: ~2 million objects (Linux, 21 worlds), none of them
        # garbage, which the cyclic collector would otherwise scan while they are made and in
        # every full collection of the analyses after. Frozen on the way out, as the model is:
        # the formula is kept, and acyclic, so freed by reference counts. Measured on Linux
        # (`bench/bench_logic.py --rows lint-logic`, load 3-5): encoding 4.5 -> 3.5 s CPU, the
        # selects 44.6/42.5 -> 38.3/38.9 s, the critical path 64.7/65.1 -> 57.6/57.9 s.
        with paused_garbage_collection():
            tables = _TABLES.get(fingerprint) or world_tables_for(model)
            formula = (tables, encode_worlds(tables))
        _FORMULA.clear()
        _FORMULA[fingerprint] = formula
    return formula


def tables_for(model: KconfigModel) -> dict[str, SymbolTable]:
    """Every world's table: the formula's when it is built, else loaded (and kept) without encoding."""
    fingerprint = tree_fingerprint(model)
    formula = _FORMULA.get(fingerprint)
    if formula is not None:
        return formula[0]
    tables = _TABLES.get(fingerprint)
    if tables is None:
        with paused_garbage_collection():  # a bulk build: see `formula_for`
            tables = world_tables_for(model)
        _TABLES.clear()
        _TABLES[fingerprint] = tables
    return tables


def install_analyses(
    model: KconfigModel,
    selects: SelectAnalysis,
    liveness: LivenessAnalysis,
    cache_directory: str | None = None,
) -> None:
    """Make `select_analysis_for(model)` and `liveness_analysis_for(model)` answer these.

    For analyses kept up to date by `logic.incremental_logic` (the server's
    solver tier): the rules then read them as they read a cold run's. They
    are written to the disk cache too when it has none for this tree, so the
    next start (or `lint`) of the same tree is warm.
    """
    fingerprint = tree_fingerprint(model)
    encoded: tuple[tuple[str, object, Callable[[], dict[str, Any]]], ...] = (
        ("selects", selects, lambda: _encode(selects)),
        ("liveness", liveness, lambda: _encode_liveness(liveness)),
    )
    for kind, analysis, encode in encoded:
        for key in [key for key in _MEMORY if key[0] == kind]:
            del _MEMORY[key]
        _MEMORY[(kind, fingerprint)] = analysis
        if cache_directory:
            name = f"logic-{kind}{_KIND_VERSION.get(kind, '')}-{fingerprint}.json"
            path = os.path.join(cache_directory, name)
            if not os.path.exists(path):
                _write(path, encode())


def cached_analyses(
    model: KconfigModel, cache_directory: str | None
) -> tuple[SelectAnalysis, LivenessAnalysis] | None:
    """Both analyses of the model's tree from memory or the disk cache, without computing."""
    fingerprint = tree_fingerprint(model)
    found: list[object] = []
    for kind, decode in (("selects", _decode), ("liveness", _decode_liveness)):
        cached = _MEMORY.get((kind, fingerprint))
        if cached is None and cache_directory:
            name = f"logic-{kind}{_KIND_VERSION.get(kind, '')}-{fingerprint}.json"
            cached = _read(os.path.join(cache_directory, name), decode)
        if cached is None:
            return None
        found.append(cached)
    selects, liveness = found
    assert isinstance(selects, SelectAnalysis) and isinstance(liveness, LivenessAnalysis)
    return selects, liveness


def release_formula() -> None:
    """Drop the in-memory formula (the analyses stay); for long-running processes."""
    _FORMULA.clear()
    _TABLES.clear()


def _read(path: str, decode: Callable[[dict[str, Any]], Any]) -> object | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return decode(data)  # type: ignore[no-any-return]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: str, data: dict[str, Any]) -> None:
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
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
                "unmet_by_world": [
                    [world, [list(pair) for pair in pairs]] for world, pairs in u.unmet_by_world
                ],
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
            tuple(
                (world, tuple((a, b) for a, b in pairs)) for world, pairs in item.get("unmet_by_world", ())
            ),
        )
        unmet[finding.key] = finding
    analysed = frozenset((a, b, c, int(d)) for a, b, c, d in data["analysed"])
    return SelectAnalysis(
        tuple(data["worlds"]), analysed, unmet, int(data["prefiltered"]), int(data["queries"])
    )


def _encode_liveness(analysis: LivenessAnalysis) -> dict[str, Any]:
    return {
        "worlds": list(analysis.worlds),
        "queries": analysis.queries,
        "dead": [
            [
                item.kind,
                item.symbol,
                item.location.path,
                item.location.span.start,
                item.location.span.end,
                item.reason,
            ]
            for item in analysis.dead
        ],
    }


def _decode_liveness(data: dict[str, Any]) -> LivenessAnalysis:
    dead = tuple(
        DeadItem(kind, symbol, Location(path, Span(int(start), int(end))), reason)
        for kind, symbol, path, start, end, reason in data["dead"]
    )
    return LivenessAnalysis(tuple(data["worlds"]), dead, int(data["queries"]))
