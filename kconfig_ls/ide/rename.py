"""Rename a Kconfig symbol across the whole tree: Kconfig, C, Makefiles and config files.

Plain data in, plain data out: `prepare_rename` says whether the cursor is on
a symbol (and which bytes a rename rewrites), `rename_symbol` returns every
edit as `(path, start_byte, end_byte, new_text)`. The server converts these
to LSP ranges and a `WorkspaceEdit`; `kconfig-ls rename` prints them as a
unified diff.

Where the name is comes from the tables that already exist: the model's
definitions and reference table for Kconfig (`config`, `depends on`,
`select`, `imply`, `default`, `if`, `visible if`, `range`, ...), the code
index for C (`CONFIG_X`, `CONFIG_X_MODULE`, `IS_ENABLED(CONFIG_X)`, `#endif
/* CONFIG_X */`), Makefiles (`obj-$(CONFIG_X)`, `ifdef`, `ifeq`) and config
files (`CONFIG_X=`, `# CONFIG_X is not set`). ESP-IDF's `sdkconfig*` files,
CMake files (`if(CONFIG_X)`, ESP-IDF and Zephyr) and ESP-IDF linker fragments
(`if X = y:` in `.lf` files) are not in the code index, so they are found by
name here. Every site's bytes
are checked again before an edit is made, so an edit replaces exactly the
name: a reference whose text does not spell the name (a name built by a
macro) is listed in `skipped`, not edited.

`keep_old_name` records the old name where the ecosystem has a way: a line
`CONFIG_OLD CONFIG_NEW` in the component's `sdkconfig.rename` for ESP-IDF
trees, else a `transitional` entry for the old name (Linux 6.18's way to read
old `.config` files) with `default OLD` on the renamed symbol.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

from kconfig_ls.ide.cursor import symbol_at
from kconfig_ls.ide.file_kinds import FileKind, file_kind
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel, SymbolDefinition
from kconfig_ls.syntax.config_file import scan_config_file
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.vfs.overlay import FileOverlay

__all__ = [
    "PrepareRenameResult",
    "RenameEdit",
    "RenameResult",
    "SkippedSite",
    "prepare_rename",
    "rename_symbol",
    "valid_symbol_name",
]

_NAME: Final = re.compile(r"[A-Za-z0-9_]+")
_PREFIX: Final = b"CONFIG_"
_RENAME_LINE: Final = re.compile(rb"^[ \t]*(!?)CONFIG_([A-Za-z0-9_]+)[ \t]+(!?)CONFIG_([A-Za-z0-9_]+)", re.M)
_FRAGMENT_CONDITION: Final = re.compile(rb"^[ \t]*(?:if|elif)[ \t]+([^\n:]*):[ \t]*$", re.M)
_SKIPPED_FOLDERS: Final = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", "build"})


@dataclass(frozen=True, slots=True)
class RenameEdit:
    """Replace bytes `start:end` of `path` with `new_text` (a new file when `path` does not exist)."""

    path: str
    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class SkippedSite:
    """A place the tables list for the symbol where the bytes do not spell its name."""

    path: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class PrepareRenameResult:
    """The symbol at the cursor and the span of its name (without `CONFIG_` and `_MODULE`).

    `project` names the nested project whose symbol it is (Zephyr's `sysbuild`
    for `SB_CONFIG_X`), None for the main tree's.
    """

    name: str
    path: str
    span: Span
    project: str | None = None


@dataclass(frozen=True)
class RenameResult:
    """The edits of a rename, or why it was refused (`error`, then no edits)."""

    old: str
    new: str
    edits: tuple[RenameEdit, ...] = ()
    error: str | None = None
    skipped: tuple[SkippedSite, ...] = ()
    created_files: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    kinds: dict[str, int] = field(default_factory=dict)

    def edits_by_file(self) -> dict[str, list[RenameEdit]]:
        by_file: dict[str, list[RenameEdit]] = {}
        for edit in self.edits:
            by_file.setdefault(edit.path, []).append(edit)
        return by_file


def valid_symbol_name(name: str) -> str | None:
    """Why `name` cannot be a Kconfig symbol name, or None when it can."""
    if not _NAME.fullmatch(name):
        return f"'{name}' is not a symbol name (letters, digits and '_' only)"
    if name.isdigit() or name in ("y", "m", "n"):
        return f"'{name}' is a constant, not a symbol name"
    if name.endswith("_MODULE"):
        return f"'{name}' ends in _MODULE: C would read CONFIG_{name} as {name[:-7]} set to m"
    if name.startswith("CONFIG_"):
        return f"'{name}' starts with CONFIG_: give the Kconfig name ({name[7:]})"
    return None


def prepare_rename(
    model: KconfigModel, code_index: CodeIndex | None, path: str, offset: int, text: bytes
) -> PrepareRenameResult | None:
    """The symbol at `offset` of `text` (the document's current bytes), if it can be renamed.

    Outside Kconfig files the code index is asked first: it knows how this
    tree spells a symbol (U-Boot's `CONFIG_IS_ENABLED(X)`, coreboot's
    `CONFIG(X)`, Buildroot's `BR2_X`); `CONFIG_X` is read from the text
    itself when the index has no entry for the file.
    """
    kind = FileKind.KCONFIG if model.file(path) is not None else file_kind(path)
    if kind is FileKind.OTHER and os.path.basename(path).startswith("sdkconfig"):
        kind = FileKind.CONFIG
    if kind is not FileKind.KCONFIG and code_index is not None:
        reference = code_index.reference_at(path, offset)
        if reference is not None and reference.symbol in model.definitions:
            start, end = reference.span
            name_start = _name_start(text[start:end], reference.symbol.encode())
            if name_start is not None:
                start += name_start
                return PrepareRenameResult(reference.symbol, path, Span(start, start + len(reference.symbol)))
    at = symbol_at(text, offset, kind, model.file(path) if kind is FileKind.KCONFIG else None)
    if at is None:
        return None
    name, start = at.name, at.span.start
    if kind is not FileKind.KCONFIG:
        start += len(_PREFIX)
        if at.module_suffix and name not in model.definitions and name[:-7] in model.definitions:
            name = name[:-7]
    if name not in model.definitions:
        return None
    return PrepareRenameResult(name, path, Span(start, start + len(name)))


def _name_start(spelled: bytes, name: bytes) -> int | None:
    """Where `name` starts in an indexed reference's bytes, or None when they do not spell it.

    The span covers `CONFIG_X` or `CONFIG_X_MODULE` (C, Makefiles, config
    files), the bare name (U-Boot's `CONFIG_IS_ENABLED(X)`, coreboot's
    `CONFIG(X)`, Buildroot's `BR2_X`) or a nested tree's longer prefix
    (coreboot's `CONFIG_LP_X`): the name is its end, after a prefix ending in `_`.
    """
    for suffix in (b"", b"_MODULE"):
        if spelled.endswith(name + suffix):
            name_start = len(spelled) - len(suffix) - len(name)
            if name_start == 0 or spelled[:name_start].endswith(b"_"):
                return name_start
    return None


def rename_symbol(
    model: KconfigModel,
    code_index: CodeIndex | None,
    old: str,
    new: str,
    *,
    keep_old_name: bool = False,
    read_file: Callable[[str], bytes] | None = None,
    prefix: str = "CONFIG_",
) -> RenameResult:
    """Every edit that renames Kconfig symbol `old` to `new` in the tree of `model`.

    Refuses (returns `error`) when `new` is not a valid name, when `old` is
    not defined, or when `new` is already defined or used anywhere. `read_file`
    reads code files (default: from disk; the server passes its documents).
    `prefix` is how code outside the index spells the symbols (`CONFIG_`;
    Zephyr's sysbuild model: `SB_CONFIG_`, whose code index is its nested view).
    """
    problem = valid_symbol_name(new)
    if problem is None and new == old:
        problem = f"the symbol is already called {old}"
    if problem is None and old not in model.definitions:
        problem = f"no Kconfig symbol {old} is defined in this tree"
    if problem is None:
        problem = _existing_name(model, code_index, new, prefix)
    if problem is not None:
        return RenameResult(old, new, error=problem)
    reader = read_file or _read_disk
    collector = _Collector(old, new, model, reader)
    collector.kconfig_sites()
    if code_index is not None:
        collector.code_sites(code_index)
    extra = _files_outside_the_index(model.root)
    if prefix == "CONFIG_":
        collector.sdkconfig_sites(extra.sdkconfig, extra.sdkconfig_rename)
        collector.build_system_sites(extra.cmake, extra.linker_fragments)
    else:
        collector.build_system_sites(extra.cmake, [], prefix.encode())
    notes = collector.notes
    created: list[str] = []
    if keep_old_name:
        if extra.sdkconfig_rename or os.path.exists(os.path.join(model.root, "tools", "idf.py")):
            created.extend(collector.record_in_sdkconfig_rename())
        else:
            notes.extend(collector.add_transitional_entry())
    return RenameResult(
        old,
        new,
        tuple(sorted(collector.edits.values(), key=lambda e: (e.path, e.start, e.end))),
        None,
        tuple(collector.skipped),
        tuple(created),
        tuple(notes),
        dict(sorted(collector.kinds.items())),
    )


def _read_disk(path: str) -> bytes:
    return FileOverlay().read_or_empty(path)


def _existing_name(
    model: KconfigModel, code_index: CodeIndex | None, name: str, prefix: str = "CONFIG_"
) -> str | None:
    definitions = model.definitions.get(name)
    if definitions:
        where = model.relative(definitions[0].path)
        return f"a symbol {name} already exists ({where}:{model.line_of(definitions[0].location) + 1})"
    references = model.references.get(name)
    if references:
        where = model.relative(references[0].location.path)
        return f"the name {name} is already used in Kconfig ({where}); renaming would merge two symbols"
    if code_index is not None:
        uses = code_index.references.get(name)
        if uses:
            where = model.relative(uses[0].path)
            return (
                f"{prefix}{name} is already used in {where}:{uses[0].line + 1}; "
                "renaming would merge two symbols"
            )
    return None


def _word(name: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![A-Za-z0-9_])" + re.escape(name.encode()) + rb"(?![A-Za-z0-9_])")


def _in_string_or_comment(line_prefix: bytes) -> bool:
    quote = 0
    index = 0
    while index < len(line_prefix):
        character = line_prefix[index]
        if quote:
            if character == 0x5C:
                index += 1
            elif character == quote:
                quote = 0
        elif character in (0x22, 0x27):
            quote = character
        elif character == 0x23:
            return True
        index += 1
    return quote != 0


class _Collector:
    """The edits and skipped sites of one rename, collected file kind by file kind."""

    def __init__(self, old: str, new: str, model: KconfigModel, read_file: Callable[[str], bytes]) -> None:
        self.old, self.new = old, new
        self.old_bytes = old.encode()
        self.model = model
        self.read_file = read_file
        # Keyed by (path, start, role) so that a site reached twice is edited once.
        self.edits: dict[tuple[str, int, str], RenameEdit] = {}
        self.skipped: list[SkippedSite] = []
        self.kinds: dict[str, int] = {}
        self.notes: list[str] = []
        self._texts: dict[str, bytes] = {}

    def text(self, path: str) -> bytes:
        data = self._texts.get(path)
        if data is None:
            data = self.model.text(path) if self.model.file(path) is not None else b""
            data = self._texts[path] = data or self.read_file(path)
        return data

    def add(self, path: str, start: int, kind: str) -> None:
        key = (path, start, "name")
        if key not in self.edits:
            self.edits[key] = RenameEdit(path, start, start + len(self.old_bytes), self.new)
            self.kinds[kind] = self.kinds.get(kind, 0) + 1

    # -- Kconfig ---------------------------------------------------------------------------

    def kconfig_sites(self) -> None:
        for definition in self.model.definitions[self.old]:
            span = definition.entry.name_span
            if self.text(definition.path)[span.start : span.end] == self.old_bytes:
                self.add(definition.path, span.start, definition.entry.keyword)
            else:
                self.skip(definition.path, span.start, span.end, "the entry's name is built by a macro")
        references = [(r.location, r.kind) for r in self.model.references.get(self.old, [])]
        pattern = _word(self.old)
        for (path, span), kind in references:
            data = self.text(path)
            found = False
            for match in pattern.finditer(data, span.start, span.end):
                line_start = data.rfind(b"\n", 0, match.start()) + 1
                if not _in_string_or_comment(data[line_start : match.start()]):
                    self.add(path, match.start(), kind)
                    found = True
            if not found:
                self.skip(path, span.start, span.end, f"'{kind}' does not spell the name (a macro?)")

    def skip(self, path: str, start: int, end: int, reason: str) -> None:
        self.skipped.append(SkippedSite(path, start, end, reason))

    # -- C, Makefiles, config files --------------------------------------------------------

    def code_sites(self, code_index: CodeIndex) -> None:
        for reference in code_index.references.get(self.old, []):
            start, end = reference.span
            name_start = _name_start(self.text(reference.path)[start:end], self.old_bytes)
            if name_start is not None:
                self.add(reference.path, start + name_start, reference.kind)
            else:
                self.skip(reference.path, start, end, "the indexed bytes changed; re-index the file")
        phase_variants = [
            prefix + self.old
            for prefix in code_index.ecosystem.phase_prefixes
            if prefix + self.old in self.model.definitions
        ]
        if phase_variants:
            self.notes.append(
                f"{', '.join(phase_variants)} not renamed: CONFIG_IS_ENABLED({self.new}) reads "
                f"{code_index.ecosystem.phase_prefixes[0]}{self.new} in that build phase; rename "
                f"{'them' if len(phase_variants) > 1 else 'it'} too"
            )

    def sdkconfig_sites(self, sdkconfig_files: Iterable[str], rename_files: Iterable[str]) -> None:
        for path in sdkconfig_files:
            for assignment in scan_config_file(self.text(path)).assignments:
                if assignment.symbol == self.old:
                    end = assignment.name_span[1]
                    if self.text(path)[end - len(self.old_bytes) : end] == self.old_bytes:
                        self.add(path, end - len(self.old_bytes), "sdkconfig")
        for path in rename_files:
            # `CONFIG_DEPRECATED CONFIG_CURRENT`: only the current (second) name is this symbol.
            for match in _RENAME_LINE.finditer(self.text(path)):
                if match.group(4) == self.old_bytes:
                    self.add(path, match.start(4), "sdkconfig.rename")

    def build_system_sites(
        self, cmake_files: Iterable[str], linker_fragments: Iterable[str], prefix: bytes = _PREFIX
    ) -> None:
        """`if(CONFIG_X)` in CMake (ESP-IDF, Zephyr) and `if X = y:` in ESP-IDF linker fragments."""
        prefixed = re.compile(
            rb"(?<![A-Za-z0-9_])" + re.escape(prefix) + re.escape(self.old_bytes) + rb"(?![A-Za-z0-9_])"
        )
        for path in cmake_files:
            for match in prefixed.finditer(self.text(path)):
                self.add(path, match.start() + len(prefix), "cmake")
        bare = _word(self.old)
        for path in linker_fragments:
            data = self.text(path)
            for condition in _FRAGMENT_CONDITION.finditer(data):
                for match in bare.finditer(data, condition.start(1), condition.end(1)):
                    self.add(path, match.start(), "linker fragment")

    # -- keeping the old name --------------------------------------------------------------

    def _main_definition(self) -> SymbolDefinition:
        definitions = self.model.definitions[self.old]
        return next((d for d in definitions if d.reached), definitions[0])

    def record_in_sdkconfig_rename(self) -> list[str]:
        definition = self._main_definition()
        path = os.path.join(os.path.dirname(definition.path), "sdkconfig.rename")
        data = self.text(path)
        line = f"CONFIG_{self.old} CONFIG_{self.new}\n"
        separator = "\n" if data and not data.endswith(b"\n") else ""
        self.edits[(path, len(data), "kept name")] = RenameEdit(path, len(data), len(data), separator + line)
        self.kinds["sdkconfig.rename (old name kept)"] = 1
        return [] if os.path.exists(path) else [path]

    def add_transitional_entry(self) -> list[str]:
        definition = self._main_definition()
        entry, path, data = definition.entry, definition.path, self.text(definition.path)
        type_name = next((d.type_name for d in self.model.definitions[self.old] if d.type_name), "bool")
        ends = [entry.span.end, entry.name_span.end]
        ends += [part.span.end for part in (entry.type, entry.help) if part is not None]
        ends += [part.span.end for part in entry.prompts]
        ends += [part.span.end for part in entry.dependencies]
        ends += [part.span.end for part in (*entry.selects, *entry.implies)]
        ends += [part.span.end for part in entry.defaults]
        ends += [part.span.end for part in entry.ranges]
        name_line_end = data.find(b"\n", entry.name_span.end)
        following = data[name_line_end + 1 : data.find(b"\n", name_line_end + 1)]
        indent = following[: len(following) - len(following.lstrip())].decode() or "\t"
        # `default OLD` goes first among the defaults (the first default that applies wins):
        # after the type line when there is one, else after the `config` line.
        anchor = entry.type.span.end if entry.type is not None else entry.name_span.end
        anchor_line_end = data.find(b"\n", anchor)
        insert_default = len(data) if anchor_line_end < 0 else anchor_line_end + 1
        notes = []
        if entry.defaults:
            default_line = f"{indent}default {self.old} if {self.old}\n"
            notes.append(
                f"{self.new} keeps its own defaults: 'default {self.old} if {self.old}' takes the old "
                f"name's value only when an old .config enables it"
            )
        else:
            default_line = f"{indent}default {self.old}\n"
        prefix = "" if insert_default <= len(data) and data[:insert_default].endswith(b"\n") else "\n"
        self.edits[(path, insert_default, "default")] = RenameEdit(
            path, insert_default, insert_default, prefix + default_line
        )
        entry_end = data.find(b"\n", max(ends))
        insert_entry = len(data) if entry_end < 0 else entry_end + 1
        entry_prefix = "" if data[:insert_entry].endswith(b"\n") else "\n"
        self.edits[(path, insert_entry, "transitional")] = RenameEdit(
            path,
            insert_entry,
            insert_entry,
            f"{entry_prefix}\nconfig {self.old}\n{indent}{type_name}\n{indent}transitional\n{indent}help\n"
            f"{indent}  Transitional config for the {self.old} to {self.new} rename: it reads\n"
            f"{indent}  {self.old} from old .config files. Remove it after a release or two.\n",
        )
        self.kinds["transitional (old name kept)"] = 1
        notes.append(f"{self.old} stays as a transitional symbol (needs Linux 6.18's kconfig or later)")
        return notes


@dataclass
class _ExtraFiles:
    """Files that name symbols but are not in the code index, found by name."""

    sdkconfig: list[str] = field(default_factory=list)
    sdkconfig_rename: list[str] = field(default_factory=list)
    cmake: list[str] = field(default_factory=list)
    linker_fragments: list[str] = field(default_factory=list)


def _files_outside_the_index(root: str) -> _ExtraFiles:
    """ESP-IDF's `sdkconfig*` and `sdkconfig.rename*`, CMake files and linker fragments (`.lf`)."""
    found = _ExtraFiles()
    for folder, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f not in _SKIPPED_FOLDERS]
        for name in files:
            path = os.path.join(folder, name)
            if name == "CMakeLists.txt" or name.endswith(".cmake"):
                found.cmake.append(path)
            elif name.endswith(".lf"):
                found.linker_fragments.append(path)
            elif not name.startswith("sdkconfig"):
                continue
            elif name.startswith("sdkconfig.rename"):
                found.sdkconfig_rename.append(path)
            elif not name.endswith((".h", ".json", ".cmake", ".py", ".txt", ".md")):
                found.sdkconfig.append(path)
    return found
