"""The active projects of a west workspace, as `west list` gives them to Zephyr's build.

`scripts/zephyr_module.py` takes its module candidates from west's
`Manifest.get_projects([])`, keeping those `manifest.is_active(project)`
says are active: the manifest project first, then every project of the
manifest and of the manifests it imports. This module resolves that list from
the files alone (nothing is run, no git is asked):

- imports: a project's `import: true` (its `west.yml`), `import: FILE-OR-FOLDER`
  (a folder imports each of its `.yml`/`.yaml` files in sorted order), or a map
  with `file`, `name-allowlist`, `path-allowlist`, `name-blocklist`,
  `path-blocklist` and `path-prefix`; `self: import:` imports from the manifest
  repository itself. The manifest repository's own imports come first, then
  its projects, then each project's import in order; a project name defined
  twice keeps its first definition (so the importing manifest wins). An
  import is read from the project's folder in the workspace, where west
  reads the `manifest-rev` revision: the same file after `west update`.
- groups: `group-filter` lists (`[+a, -b]`) of the imported manifests, then
  of the importing one, then `manifest.group-filter` of `.west/config`; the
  last mention of a group decides; a project with groups is inactive when
  every one of its groups is disabled (a project without groups is always
  active).

The files are read with a reader for the small block-YAML subset manifests
use (`simple_yaml`): nested maps and lists, flow lists of scalars, quoted and
plain scalars, comments.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Final

from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["WestProject", "active_projects", "simple_yaml"]

_MAX_MANIFEST_SIZE: Final = 1 << 20
_MAX_IMPORT_DEPTH: Final = 8

YamlValue = str | bool | list["YamlValue"] | dict[str, "YamlValue"] | None


@dataclass(frozen=True, slots=True)
class WestProject:
    """One project of the resolved manifest: its name, its folder (relative to the workspace), its groups."""

    name: str
    path: str
    groups: tuple[str, ...] = ()


@dataclass(slots=True)
class _Resolution:
    topdir: str
    projects: dict[str, WestProject] = field(default_factory=dict)
    group_filters: list[list[str]] = field(default_factory=list)


def active_projects(
    topdir: str, manifest_folder: str, manifest_file: str = "west.yml", config_group_filter: str = ""
) -> list[WestProject]:
    """The workspace's active projects in west's order, the manifest project (`self`) first."""
    manifest_path = os.path.join(topdir, manifest_folder, manifest_file)
    document = _manifest(manifest_path)
    own = _mapping(document.get("self"))
    self_path = _text(own.get("path")) or manifest_folder
    resolution = _Resolution(topdir)
    _load(resolution, document, manifest_dir=os.path.join(topdir, manifest_folder), filters=(), depth=0)
    group_filter: list[str] = []
    for filters in resolution.group_filters:  # imported manifests first, the importing one last
        group_filter += filters
    group_filter += [item.strip() for item in config_group_filter.split(",") if item.strip()]
    disabled = _disabled_groups(group_filter)
    active = [
        project
        for project in resolution.projects.values()
        if not project.groups or not all(group in disabled for group in project.groups)
    ]
    return [WestProject(os.path.basename(self_path), self_path), *active]


@dataclass(frozen=True, slots=True)
class _ImportFilter:
    name_allow: tuple[str, ...] = ()
    path_allow: tuple[str, ...] = ()
    name_block: tuple[str, ...] = ()
    path_block: tuple[str, ...] = ()
    path_prefix: str = ""

    def admits(self, name: str, path: str) -> bool:
        if self.name_allow or self.path_allow:
            return name in self.name_allow or any(_path_matches(path, p) for p in self.path_allow)
        return name not in self.name_block and not any(_path_matches(path, p) for p in self.path_block)


def _load(
    resolution: _Resolution,
    document: dict[str, YamlValue],
    *,
    manifest_dir: str,
    filters: tuple[_ImportFilter, ...],
    depth: int,
) -> None:
    """Add one manifest's projects (and its imports') to the resolution, in west's order."""
    if depth > _MAX_IMPORT_DEPTH:
        return  # west refuses import cycles; here a cycle only ends
    own_filter = [_text(item) for item in _sequence(document.get("group-filter")) if _text(item)]
    own = _mapping(document.get("self"))
    if "import" in own:
        # The manifest repository's own imports (Zephyr's `self: import: submanifests`) come first.
        for path, _ in _import_files(own["import"], manifest_dir):
            _load(resolution, _manifest(path), manifest_dir=manifest_dir, filters=filters, depth=depth + 1)
    prefix = "".join(f.path_prefix for f in filters)
    added: list[tuple[WestProject, YamlValue]] = []
    for item in _sequence(document.get("projects")):
        entry = _mapping(item)
        name = _text(entry.get("name"))
        if not name:
            continue
        path = _text(entry.get("path")) or name
        if prefix:
            path = os.path.normpath(os.path.join(prefix, path))
        if not all(f.admits(name, path) for f in filters) or name in resolution.projects:
            continue
        groups = tuple(_text(group) for group in _sequence(entry.get("groups")) if _text(group))
        project = WestProject(name, path, groups)
        resolution.projects[name] = project
        if entry.get("import") not in (None, False):
            added.append((project, entry["import"]))
    for project, specification in added:
        folder = os.path.join(resolution.topdir, project.path)
        for path, import_filter in _import_files(specification, folder):
            _load(
                resolution,
                _manifest(path),
                manifest_dir=folder,
                filters=(*filters, import_filter),
                depth=depth + 1,
            )
    if own_filter:
        resolution.group_filters.append(own_filter)


def _import_files(specification: YamlValue, folder: str) -> list[tuple[str, _ImportFilter]]:
    """The manifest files an `import:` value names, each with the filter its map gives."""
    if specification is True:
        return [(os.path.join(folder, "west.yml"), _ImportFilter())]
    if isinstance(specification, str):
        return [(path, _ImportFilter()) for path in _files_of(os.path.join(folder, specification))]
    if isinstance(specification, list):
        return [found for item in specification for found in _import_files(item, folder)]
    options = _mapping(specification)
    import_filter = _ImportFilter(
        name_allow=_names(options.get("name-allowlist")),
        path_allow=_names(options.get("path-allowlist")),
        name_block=_names(options.get("name-blocklist")),
        path_block=_names(options.get("path-blocklist")),
        path_prefix=_text(options.get("path-prefix")),
    )
    target = _text(options.get("file")) or "west.yml"
    return [(path, import_filter) for path in _files_of(os.path.join(folder, target))]


def _files_of(path: str) -> list[str]:
    if os.path.isdir(path):
        return [
            os.path.join(path, name) for name in sorted(os.listdir(path)) if name.endswith((".yml", ".yaml"))
        ]
    return [path]


def _disabled_groups(group_filter: list[str]) -> set[str]:
    disabled: set[str] = set()
    for item in group_filter:
        if item.startswith("-"):
            disabled.add(item[1:])
        elif item.startswith("+"):
            disabled.discard(item[1:])
    return disabled


def _path_matches(path: str, pattern: str) -> bool:
    return PurePosixPath(path).match(pattern) or fnmatch.fnmatchcase(path, pattern)


def _manifest(path: str) -> dict[str, YamlValue]:
    try:
        data = read_regular_file(path, _MAX_MANIFEST_SIZE)
    except OSError:
        return {}
    return _mapping(_mapping(simple_yaml(data.decode("utf-8", "replace"))).get("manifest"))


def _mapping(value: YamlValue) -> dict[str, YamlValue]:
    return value if isinstance(value, dict) else {}


def _sequence(value: YamlValue) -> list[YamlValue]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str) else []


def _text(value: YamlValue) -> str:
    return value if isinstance(value, str) else ""


def _names(value: YamlValue) -> tuple[str, ...]:
    return tuple(_text(item) for item in _sequence(value) if _text(item))


# -- the YAML subset ------------------------------------------------------------------------------

_KEY: Final = re.compile(r"""^("[^"]*"|'[^']*'|[^\s'"#][^:#]*?)\s*:(?:\s+|$)(.*)$""")


def simple_yaml(text: str) -> YamlValue:
    """Block maps and lists, flow lists of scalars, scalars (`true`/`false` as booleans).

    Enough for west manifests and `zephyr/module.yml`: anything else (anchors,
    multi-line flow collections, block scalars' contents) is read as text or
    skipped, never an error.
    """
    lines: list[tuple[int, str]] = []
    for raw in text.splitlines():
        line = _without_comment(raw).rstrip()
        if line.strip() and line.strip() != "---":
            lines.append((len(line) - len(line.lstrip()), line.strip()))
    value, _ = _block(lines, 0, lines[0][0] if lines else 0)
    return value


def _block(lines: list[tuple[int, str]], start: int, indent: int) -> tuple[YamlValue, int]:
    if start >= len(lines):
        return None, start
    if lines[start][1].startswith("- ") or lines[start][1] == "-":
        return _block_list(lines, start, indent)
    return _block_map(lines, start, indent)


def _block_list(lines: list[tuple[int, str]], index: int, indent: int) -> tuple[YamlValue, int]:
    items: list[YamlValue] = []
    while (
        index < len(lines)
        and lines[index][0] == indent
        and (lines[index][1].startswith("- ") or lines[index][1] == "-")
    ):
        rest = lines[index][1][1:].strip()
        if not rest:  # `-` alone: the item is the block below it
            index += 1
            if index < len(lines) and lines[index][0] > indent:
                value, index = _block(lines, index, lines[index][0])
                items.append(value)
            else:
                items.append(None)
        elif _KEY.match(rest) and not rest.startswith(("[", "{")):
            # `- key: value` and the keys under it: a map at the item's inner indent.
            inner = indent + len(lines[index][1]) - len(rest)
            lines[index] = (inner, rest)
            value, index = _block_map(lines, index, inner)
            items.append(value)
        else:
            items.append(_scalar(rest))
            index += 1
    return items, index


def _block_map(lines: list[tuple[int, str]], index: int, indent: int) -> tuple[YamlValue, int]:
    mapping: dict[str, YamlValue] = {}
    while index < len(lines) and lines[index][0] == indent:
        match = _KEY.match(lines[index][1])
        if match is None:
            index += 1
            continue
        key = match.group(1).strip("\"'")
        rest = match.group(2).strip()
        index += 1
        if rest in ("|", ">", "|-", ">-"):
            while index < len(lines) and lines[index][0] > indent:
                index += 1  # a block scalar's text is not needed
            mapping[key] = ""
        elif rest:
            mapping[key] = _scalar(rest)
        elif index < len(lines) and (
            lines[index][0] > indent or (lines[index][0] == indent and lines[index][1].startswith("-"))
        ):
            mapping[key], index = _block(lines, index, lines[index][0])
        else:
            mapping[key] = None
    while index < len(lines) and lines[index][0] > indent:
        index += 1  # lines deeper than a value: not part of the subset
    return mapping, index


def _scalar(text: str) -> YamlValue:
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(part.strip()) for part in text[1:-1].split(",") if part.strip()]
    if text.startswith("{") and text.endswith("}"):
        pairs = [part.split(":", 1) for part in text[1:-1].split(",") if ":" in part]
        return {key.strip().strip("\"'"): _scalar(value.strip()) for key, value in pairs}
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text.lower() in ("true", "yes", "on"):
        return True
    if text.lower() in ("false", "no", "off"):
        return False
    if text in ("~", "null"):
        return None
    return text


def _without_comment(line: str) -> str:
    quote = ""
    for index, character in enumerate(line):
        if quote:
            if character == quote:
                quote = ""
        elif character in "\"'" and (index == 0 or line[index - 1] in " \t[{,:-"):
            quote = character
        elif character == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index]
    return line
