"""Nested Kconfig projects beside the main model (Zephyr's sysbuild), for every client.

Zephyr's build runs Kconfig twice: once for each image on the tree's root
(`Kconfig.zephyr`), once for sysbuild on `share/sysbuild/Kconfig` with the
`SB_CONFIG_` prefix (`kconfig_ls.settings.ecosystem.NestedProject`). The two
trees share names (`BOOTLOADER_MCUBOOT`, `EXPERIMENTAL`, `WARN_DEPRECATED`)
that mean different symbols, so one model cannot hold both: the host loads
one `KconfigModel` per nested project next to the main one, and this module
is everything the clients (lint, query, the server) do with it:

- which model answers where (`nested_symbol_at`): in the nested project's own
  Kconfig files (those it reaches and the main root does not) and its
  configuration files (`sysbuild.conf`) its model does; in code, a name
  spelled with its prefix (`SB_CONFIG_X` in CMake) is its symbol X, whatever
  the file;
- the answers there (`nested_hover`, `nested_definition`, `nested_references`,
  `nested_completion`), with the code index's uses of `SB_CONFIG_X` (which the
  index keys apart from the main tree's X: `CodeIndex.nested_view`);
- the whole-tree findings (`merge_nested_findings`): every rule runs on the
  nested model with the nested view of the code index; the nested run's
  findings stand in the files it owns and in code (its code rules see only
  its own spellings), the main run's everywhere else.

A tree without nested projects (every ecosystem but Zephyr, or a Zephyr tree
without `share/sysbuild/Kconfig`) loads nothing more and pays nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.checks.framework import Finding, RuleSettings
from kconfig_ls.ide import code_lens as code_lens_feature
from kconfig_ls.ide import completion as completion_feature
from kconfig_ls.ide import diagnostics as diagnostics_feature
from kconfig_ls.ide import hover as hover_feature
from kconfig_ls.ide import navigation as navigation_feature
from kconfig_ls.ide.completion import CompletionResult
from kconfig_ls.ide.cursor import SymbolAtCursor, symbol_at, word_at
from kconfig_ls.ide.file_kinds import FileKind
from kconfig_ls.ide.hover import Hover
from kconfig_ls.ide.navigation import ReferenceSite
from kconfig_ls.ide.rename import RenameResult, SkippedSite, rename_symbol
from kconfig_ls.semantics.code_index import CodeIndex, describe_reference_kind
from kconfig_ls.semantics.model import FileReader, KconfigModel, Location
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.semantics.worlds import configured_world
from kconfig_ls.settings.ecosystem import NestedProject, ecosystem_for_project, nested_project_settings
from kconfig_ls.vfs.overlay import FileOverlay

__all__ = [
    "NestedModel",
    "NestedSymbol",
    "load_nested_models",
    "merge_nested_findings",
    "nested_after_change",
    "nested_code_lenses",
    "nested_completion",
    "nested_definition",
    "nested_hover",
    "nested_references",
    "nested_rename",
    "nested_rename_target",
    "nested_symbol_at",
    "outside_nested",
    "resolve_nested_code_lens",
    "without_nested_edits",
]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NestedModel:
    """A nested project's model, and the files it answers for: its own, which the main root never reaches."""

    project: NestedProject
    model: KconfigModel
    owned: frozenset[str] = field(default=frozenset())

    def answers_in(self, path: str, kind: FileKind) -> bool:
        """Whether this model answers in a whole file: its own Kconfig files, its configuration files."""
        if kind is FileKind.KCONFIG:
            return path in self.owned
        return kind is FileKind.CONFIG and self.project.holds(self.model.relative(path))


class NestedSymbol(NamedTuple):
    """A nested project's symbol at the cursor; `spelled` when written with its prefix (`SB_CONFIG_X`)."""

    nested: NestedModel
    symbol: SymbolAtCursor
    spelled: bool


def load_nested_models(main: KconfigModel, read_file: FileReader | None = None) -> tuple[NestedModel, ...]:
    """The nested projects of the main model's tree whose root exists, each loaded as its build loads it.

    The applications' `Kconfig.sysbuild` files the main model found (as
    unreached files) are loaded too, as unreached files of the nested model:
    each is the sysbuild root of its own application. The application the
    settings name (`APPLICATION_SOURCE_DIR`: a Zephyr application opened
    outside the tree) has its `Kconfig.sysbuild` as the root, when it has one,
    as `sysbuild_kconfig.cmake` takes it.
    """
    projects = ecosystem_for_project(main.root).nested_projects
    loaded: list[NestedModel] = []
    for project in projects:
        if not os.path.isfile(main.absolute(project.root_kconfig)):
            continue
        settings = nested_project_settings(main.settings, project, _application_root(main, project))
        model = KconfigModel(settings) if read_file is None else KconfigModel(settings, read_file=read_file)
        extra = sorted(path for path in main.files if project.holds(main.relative(path)))
        model.load(extra_files=extra)
        loaded.append(_with_owned(project, model, main))
    return tuple(loaded)


def nested_after_change(
    nested: tuple[NestedModel, ...],
    main: KconfigModel,
    kind: str,
    paths: Iterable[str],
    read_file: FileReader,
) -> tuple[NestedModel, ...]:
    """The nested models after a change of documents or of files on disk (only their own files matter)."""
    if not nested or kind not in ("document", "close", "disk"):
        return nested
    paths = tuple(paths)
    updated: list[NestedModel] = []
    for each in nested:
        model = each.model
        touched = [path for path in paths if path in model.files]
        try:
            if kind == "disk" and touched:
                model = model.apply_disk_changes(touched, read_file).model
            else:
                for path in touched:
                    try:
                        data = read_file(path)
                    except OSError:
                        data = b""
                    if model.texts.get(path) != data:
                        model = model.apply_change(path, data, read_file).model
        except Exception:  # a bug must not leave the nested model silently stale
            _LOG.exception("applying a change to the %s model failed; reloading it", each.project.name)
            model = KconfigModel(model.settings, read_file=read_file)
            model.load(extra_files=[p for p in each.model.files if p not in each.model.inclusions])
        updated.append(each if model is each.model else _with_owned(each.project, model, main))
    return tuple(updated)


def nested_symbol_at(
    nested: tuple[NestedModel, ...], path: str, data: bytes, offset: int, kind: FileKind
) -> NestedSymbol | None:
    """The nested project's symbol at an offset, if a nested model answers there."""
    for each in nested:
        if kind is FileKind.KCONFIG and each.answers_in(path, kind):
            found = symbol_at(data, offset, kind, each.model.files.get(path))
            return NestedSymbol(each, found, False) if found is not None else None
    word = word_at(data, offset) if kind is not FileKind.KCONFIG else None
    if word is None:
        return None
    for each in nested:
        prefix = each.project.prefix
        if word.text.startswith(prefix) and len(word.text) > len(prefix):
            return NestedSymbol(each, SymbolAtCursor(word.text[len(prefix) :], word.span), True)
    return None


def nested_hover(found: NestedSymbol, path: str, code_index: CodeIndex | None) -> Hover:
    """The nested symbol's hover, named as written, with its uses in code counted."""
    prefix = found.nested.project.prefix
    name = found.symbol.name
    hover = hover_feature.symbol_hover(
        found.nested.model,
        name,
        found.symbol.span,
        c_spelling=prefix + name if found.spelled else None,
        looked_from=path,
    )
    markdown = f"{hover.markdown}\n\n*{found.nested.project.name} symbol (`{prefix}{name}`)*"
    uses = len(_view(found.nested, code_index).references.get(name, ())) if code_index is not None else 0
    if uses:
        markdown += f"\n\n**Used** {uses} times in CMake and configuration files as `{prefix}{name}`"
    return Hover(markdown, hover.span)


def nested_definition(found: NestedSymbol, path: str) -> list[Location]:
    return navigation_feature.definition_locations(found.nested.model, found.symbol.name, path)


def nested_references(
    found: NestedSymbol, code_index: CodeIndex | None, include_declaration: bool
) -> list[ReferenceSite]:
    """The nested symbol's uses in its own Kconfig files and in code as `SB_CONFIG_X` (never the main X's)."""
    name = found.symbol.name
    sites = navigation_feature.reference_sites(found.nested.model, name, include_declaration)
    if code_index is not None:
        for reference in _view(found.nested, code_index).references.get(name, ()):
            location = Location(reference.path, reference.span)
            sites.append(ReferenceSite(location, describe_reference_kind(reference.kind)))
    return sites


def nested_completion(
    nested: tuple[NestedModel, ...], path: str, data: bytes, offset: int, kind: FileKind
) -> CompletionResult | None:
    """Completion where a nested model answers: its Kconfig files, and after its prefix elsewhere."""
    for each in nested:
        if kind is FileKind.KCONFIG and each.answers_in(path, kind):
            return completion_feature.kconfig_completion(each.model, data, offset)
    start = offset
    while start > 0 and (chr(data[start - 1]).isalnum() or data[start - 1] == 0x5F):
        start -= 1
    typed = data[start:offset].decode("ascii", "replace")
    for each in nested:
        prefix = each.project.prefix
        if typed.startswith(prefix):
            return completion_feature.config_prefix_completion(each.model, data, offset, prefix=prefix)
    return None


def nested_code_lenses(
    nested: tuple[NestedModel, ...], path: str, code_index: CodeIndex | None
) -> list[code_lens_feature.CodeLens] | None:
    """The lenses of a Kconfig file a nested project owns, counted in its model and its spellings.

    None when no nested model answers in the file (the main model's lenses
    apply). Above sysbuild's `config BOOTLOADER_MCUBOOT`: its selects and its
    `SB_CONFIG_BOOTLOADER_MCUBOOT` uses, never the image's `CONFIG_` ones.
    """
    for each in nested:
        parsed = each.model.files.get(path)
        if parsed is not None and each.answers_in(path, FileKind.KCONFIG):
            view = _view(each, code_index) if code_index is not None else None
            return code_lens_feature.code_lenses(parsed, _symbol_table(each.model), view)
    return None


def resolve_nested_code_lens(
    nested: tuple[NestedModel, ...], path: str, name: str, kind: str, code_index: CodeIndex | None
) -> code_lens_feature.ResolvedLens | None:
    """A lens of `nested_code_lenses` resolved (None when no nested model answers in `path`)."""
    for each in nested:
        if path in each.model.files and each.answers_in(path, FileKind.KCONFIG):
            view = _view(each, code_index) if code_index is not None else None
            return code_lens_feature.resolve_lens(name, kind, _symbol_table(each.model), view)
    return None


_TABLES: weakref.WeakKeyDictionary[KconfigModel, SymbolTable] = weakref.WeakKeyDictionary()


def _symbol_table(model: KconfigModel) -> SymbolTable:
    """The nested model's symbol table, kept as long as the model lives (the snapshots share it)."""
    with _VIEWS_LOCK:
        table = _TABLES.get(model)
    if table is None:
        table = build_symbol_table(model, configured_world(model.settings))
        with _VIEWS_LOCK:
            _TABLES[model] = table
    return table


def outside_nested(nested: tuple[NestedModel, ...], locations: list[Location]) -> list[Location]:
    """The main model's locations without those in files a nested project owns (its symbols, not ours)."""
    if not nested:
        return locations
    return [location for location in locations if not any(location.path in n.owned for n in nested)]


def without_nested_edits(
    result: RenameResult, nested: tuple[NestedModel, ...], main: KconfigModel
) -> RenameResult:
    """A main-tree rename without its edits in files a nested project owns (its namesake is its own).

    The main model reads sysbuild's Kconfig files as unreached files, so
    renaming the image's `BOOTLOADER_MCUBOOT` found sysbuild's definition and
    uses too, while its `SB_CONFIG_BOOTLOADER_MCUBOOT` spellings (keyed apart)
    stayed: a broken sysbuild. A name only a nested project defines is refused.
    """
    if not nested or result.error is not None:
        return result
    owned = frozenset().union(*(each.owned for each in nested))
    definitions = main.definitions.get(result.old, [])
    if definitions and all(definition.path in owned for definition in definitions):
        (each, *_) = [n for n in nested if any(d.path in n.owned for d in definitions)] or nested
        error = (
            f"{result.old} is {each.project.name}'s symbol: rename {each.project.prefix}{result.old} "
            f"(as written in {each.project.name}'s files) instead"
        )
        return RenameResult(result.old, result.new, error=error)
    kept = tuple(edit for edit in result.edits if edit.path not in owned)
    return result if len(kept) == len(result.edits) else dataclasses.replace(result, edits=kept)


def nested_rename_target(nested: tuple[NestedModel, ...], name: str) -> tuple[NestedModel, str] | None:
    """The nested model and symbol a prefixed name means (`SB_CONFIG_X`: sysbuild's X), if it defines it."""
    for each in nested:
        prefix = each.project.prefix
        if name.startswith(prefix) and name[len(prefix) :] in each.model.definitions:
            return each, name[len(prefix) :]
    return None


def nested_rename(
    each: NestedModel,
    main: KconfigModel,
    code_index: CodeIndex | None,
    old: str,
    new: str,
    *,
    keep_old_name: bool = False,
    read_file: FileReader | None = None,
) -> RenameResult:
    """Every edit renaming the nested project's symbol `old` to `new` (both without the prefix).

    Its Kconfig files (those it owns: `share/sysbuild`, the applications'
    `Kconfig.sysbuild`) and its uses in code spelled with its prefix
    (`SB_CONFIG_X` in `sysbuild.conf` and CMake: the code index's nested
    view); the main tree's namesake (the image's `CONFIG_X`) is left alone.
    A site in a Kconfig file the main tree reaches is not edited (listed as
    skipped): it would be the main tree's symbol too.
    """
    new = new.removeprefix(each.project.prefix)
    view = _view(each, code_index) if code_index is not None else None
    result = rename_symbol(
        each.model,
        view,
        old,
        new,
        keep_old_name=keep_old_name,
        read_file=read_file,
        prefix=each.project.prefix,
    )
    if result.error is not None:
        return result
    shared = [edit for edit in result.edits if edit.path in main.files and edit.path not in each.owned]
    if not shared:
        return result
    reason = f"a Kconfig file of the main tree as well as {each.project.name}'s; rename it there by hand"
    skipped = tuple(SkippedSite(e.path, e.start, e.end, reason) for e in shared)
    kept = tuple(edit for edit in result.edits if edit not in shared)
    return dataclasses.replace(result, edits=kept, skipped=result.skipped + skipped)


def merge_nested_findings(
    grouped: dict[str, list[Finding]],
    nested: tuple[NestedModel, ...],
    main: KconfigModel,
    settings: RuleSettings,
    code_index: CodeIndex | None,
    overlay: FileOverlay | None = None,
    cancellation: CancellationToken | None = None,
    *,
    cache_directory: str | None = None,
    logic: bool = False,
) -> dict[str, list[Finding]]:
    """The main run's findings by file with each nested model's merged in (see the module docstring).

    A file a nested project owns gets that project's findings only (the
    main model saw it as an unreached file); a code file gets both runs'
    findings, which never overlap: the nested run's code index holds only its
    own spellings, and none of the files' own tables.
    """
    if not nested:
        return grouped
    owned = frozenset().union(*(each.owned for each in nested))
    merged = {path: findings for path, findings in grouped.items() if path not in owned}
    for each in nested:
        found = diagnostics_feature.full_tier_findings(
            each.model,
            settings,
            _view(each, code_index) if code_index is not None else None,
            overlay,
            cancellation,
            cache_directory=cache_directory,
            logic=logic,
        )
        for path, findings in found.items():
            if path in each.owned or (path not in each.model.files and path not in main.files):
                merged[path] = [*merged.get(path, ()), *findings]
    return merged


_VIEWS: weakref.WeakKeyDictionary[CodeIndex, dict[str, CodeIndex]] = weakref.WeakKeyDictionary()
_VIEWS_LOCK = threading.Lock()


def _view(nested: NestedModel, code_index: CodeIndex) -> CodeIndex:
    """The code index's uses of the nested project's names (`CodeIndex.nested_view`), one per index.

    Kept as long as the index lives: the snapshots of one index share it,
    and an edit's new index makes its own.
    """
    prefix = nested.project.prefix
    with _VIEWS_LOCK:
        views = _VIEWS.setdefault(code_index, {})
        view = views.get(prefix)
        if view is None:
            view = views[prefix] = code_index.nested_view(prefix)
    return view


def _application_root(main: KconfigModel, project: NestedProject) -> str | None:
    """The application's own root for a nested project (Zephyr: `APPLICATION_SOURCE_DIR/Kconfig.sysbuild`)."""
    application = main.settings.environment.get("APPLICATION_SOURCE_DIR", "")
    if not application or project.name != "sysbuild":
        return None
    candidate = os.path.join(application, "Kconfig.sysbuild")
    return candidate if os.path.isfile(candidate) else None


def _with_owned(project: NestedProject, model: KconfigModel, main: KconfigModel) -> NestedModel:
    """The nested model with the files it answers for: those it reads that the main root does not reach."""
    owned = frozenset(
        path
        for path in model.files
        if not any(inclusion.reached for inclusion in main.inclusions.get(path, ()))
        and (project.holds(model.relative(path)) or path not in main.files)
    )
    return NestedModel(project, model, owned)
