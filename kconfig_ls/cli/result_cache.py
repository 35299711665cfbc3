"""A cache of lint results, so an unchanged tree is linted in a fraction of a second.

Like ruff's cache: the findings of a run are stored with a fingerprint of
everything they depend on: the program (its version and the modules of the
package, `kconfig_ls.program`), the settings, every Kconfig file of the model
(path, size, modification time, and for files under `HASHED_SIZE_LIMIT` a
hash of the content, so a same-size edit within the file system's time
resolution is noticed), every folder that was searched
for Kconfig files (a new file changes its folder's time), and every `source`
target that was missing, with the nearest folder it would appear in (so
creating it invalidates the findings that said it was missing). If the
fingerprint still matches, the stored findings are the answer.

The findings are stored twice: as engine findings (`load`) and as the
report's records (`load_reported`: places, fingerprints, identities, see
`cli.output.report_findings`). The lint command reads the second: placing
10,000 findings reads 2,000 files and hashes their lines, which cost more
than everything else an unchanged tree's lint does. The records are the
same whatever `--format`, and filtering them by path (the paths a lint is
asked about) keeps their fingerprints' ordinals, which count within a file.

The cache is JSON (never pickle: a cache file must not be able to run
code), written to a temporary file and renamed into place, so concurrent
writers and interrupted runs leave either the old or the new file. Anything
in the file that is not exactly what `store` writes (`[]`, `{}`, wrong
types, truncated JSON) means "no cache": it is ignored and rewritten, never
an exception.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final

from kconfig_ls.checks.framework import Finding, Fix, RelatedLocation, RuleSettings, Severity, TextEdit
from kconfig_ls.cli.fingerprint import new_identity, slot_setters
from kconfig_ls.cli.output import Place, ReportedFinding, new_reported
from kconfig_ls.program import program_identity
from kconfig_ls.semantics.discovery import paused_garbage_collection
from kconfig_ls.semantics.model import KconfigModel, Location, WorkspaceSettings
from kconfig_ls.syntax.kconfig import Node, SourceStatement, Span

__all__ = ["LintResultCache", "rule_settings_key"]

_LOG = logging.getLogger(__name__)
_FORMAT: Final = 4
HASHED_SIZE_LIMIT: Final = 256 * 1024
_NOT_FOUND: Final = re.compile(r"^sourced file '(.*)' not found$")
_NO_MATCH: Final = re.compile(r"^'\w+ \"(.*)\"' matches no file$")


def rule_settings_key(rules: RuleSettings) -> str:
    """A spelling of the rule settings that is the same in every process.

    Not `repr`: a frozenset's order follows the per-process string hashes, so
    `--select A,B` gave a new cache file on every run and never a hit.
    """
    return json.dumps(
        [
            sorted(rules.severities.items()),
            sorted(rules.select) if rules.select is not None else None,
            sorted(rules.ignore),
            rules.preview,
        ]
    )


class _Malformed(Exception):
    """The cache file is not what `store` writes."""


class LintResultCache:
    def __init__(self, cache_directory: str, settings: WorkspaceSettings, rule_key: str) -> None:
        self.directory = cache_directory
        key = json.dumps(
            [
                program_identity(),
                _FORMAT,
                settings.root,
                settings.root_kconfig,
                sorted(settings.environment.items()),
                settings.trust_commands,
                settings.index_unreached,
                list(settings.extra_roots),
                # The build's generated files (Zephyr's Kconfig.dts and Kconfig.modules) come from
                # files no Kconfig file names (bindings, module.yml): their text is part of the key.
                sorted((path, _hash(data)) for path, data in settings.generated_files.items()),
                rule_key,
            ],
            sort_keys=True,
        )
        self.path = os.path.join(
            cache_directory, "lint-" + hashlib.sha256(key.encode()).hexdigest()[:24] + ".json"
        )
        self._prepared: tuple[KconfigModel, _ModelRows | None] | None = None
        # Rows encoded early (`prepare_findings`), by id: the object (its path) and its JSON text.
        self._encoded_findings: dict[int, tuple[Finding, str]] = {}
        self._encoded_reported: dict[int, tuple[ReportedFinding, str, str]] = {}

    def load(
        self, code_fingerprint: str | Callable[[], str] = ""
    ) -> tuple[list[Finding], dict[str, Any]] | None:
        """The stored engine findings and summary, if nothing they depend on has changed (`_load`)."""
        loaded = self._load(code_fingerprint)
        if loaded is None:
            return None
        document, summary = loaded
        try:
            return [_finding_from_json(item) for item in document["findings"]], summary
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
            _LOG.debug("lint cache not used (malformed): %r", error)
            return None

    def load_reported(
        self, code_fingerprint: str | Callable[[], str] = ""
    ) -> tuple[list[tuple[str, ReportedFinding]], dict[str, Any]] | None:
        """The stored report records (each with its finding's absolute path) and summary, if current.

        None also when the cache holds no records (a `store` without `reported`).
        """
        # The collector paused: the document and the records are ~20 acyclic objects per finding,
        # and its scans of them while they are made cost a third of the decoding.
        with paused_garbage_collection():
            loaded = self._load(code_fingerprint)
            if loaded is None:
                return None
            document, summary = loaded
            rows = document.get("reported")
            if not isinstance(rows, list):
                return None
            try:
                return [_reported_from_json(row) for row in rows], summary
            except (_Malformed, KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
                _LOG.debug("lint cache not used (malformed): %r", error)
                return None

    def _load(
        self, code_fingerprint: str | Callable[[], str] = ""
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The cache's document and summary, if nothing the findings depend on has changed.

        `code_fingerprint` stands for the C, Makefile and config files (the
        code index checks those itself, in one walk). It may be a function,
        called only once the Kconfig side of the cache is known to be current:
        the lint command indexes the code meanwhile, and does not wait for the
        index when the cache cannot be used anyway. Never raises.
        """
        try:
            with open(self.path, encoding="utf-8") as handle:
                document = json.load(handle)
            return _load_document(document, code_fingerprint)
        except (OSError, ValueError, _Malformed, RecursionError) as error:
            _LOG.debug("lint cache not used: %s", error)
            return None
        except (KeyError, TypeError, AttributeError, IndexError) as error:
            # A shape `_load_document` does not check for: still only a stale cache.
            _LOG.debug("lint cache not used (malformed): %r", error)
            return None

    def prepare(self, workspace: KconfigModel) -> None:
        """Compute the model's part of a later `store` now (while the code is being indexed).

        The lint command calls it once the Kconfig model is loaded: the
        statuses and hashes of its files, its searched folders and missing
        `source` targets depend on the model alone, and computing them while
        the code index's workers keep both cores busy takes them off the
        serial end of the run. `store` uses them for that model only.
        """
        self._prepared = (workspace, _model_rows(workspace))

    def prepare_findings(self, findings: Iterable[tuple[Finding, str, ReportedFinding]]) -> None:
        """Encode these findings' rows now, each with its path and report record (the early
        rules' findings, while the code index's workers keep both cores busy).

        `store` writes the same text for them as it would have encoded itself (each row is
        `json.dumps` of the same object, and a list's text is its items' joined by `, `), so
        the cache file's bytes do not depend on what was prepared; it uses a prepared row only
        for the very object it was made for (kept here, so its `id` is not reused).
        """
        for finding, path, item in findings:
            self._encoded_findings[id(finding)] = (finding, json.dumps(_finding_to_json(finding)))
            self._encoded_reported[id(item)] = (item, path, json.dumps(_reported_to_json(path, item)))

    def store(
        self,
        workspace: KconfigModel,
        findings: list[Finding],
        summary: dict[str, Any],
        code_fingerprint: str = "",
        reported: Sequence[tuple[str, ReportedFinding]] | None = None,
    ) -> None:
        """Store the findings; `reported` are their report records, each with its absolute path."""
        prepared = self._prepared
        self._prepared = None
        rows = prepared[1] if prepared is not None and prepared[0] is workspace else _model_rows(workspace)
        if rows is None:
            return  # a file vanished while we ran: do not cache a half-truth
        files, folders, missing = rows
        head = {
            "format": _FORMAT,
            "code": code_fingerprint,
            "files": files,
            "folders": folders,
            "missing": missing,
            "summary": summary,
        }
        # `json.dumps(document)` with "findings" (and "reported") last, written as its parts: the
        # rows `prepare_findings` encoded are joined in, the others encoded here, row by row
        # (`json.dumps`: `json.dump` to a file would take the pure-Python encoder, ~1 s more).
        parts = [json.dumps(head)[:-1], ', "findings": [', ", ".join(self._finding_rows(findings)), "]"]
        if reported is not None:
            parts += [', "reported": [', ", ".join(self._reported_rows(reported)), "]"]
        parts.append("}")
        self._encoded_findings = {}
        self._encoded_reported = {}
        try:
            os.makedirs(self.directory, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".lint-", suffix=".tmp")
            encoded = "".join(parts)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(encoded)
            os.replace(temporary, self.path)
        except OSError as error:
            _LOG.warning("cannot write the lint cache in %s: %s", self.directory, error)

    def _finding_rows(self, findings: list[Finding]) -> Iterator[str]:
        encoded = self._encoded_findings
        for finding in findings:
            known = encoded.get(id(finding))
            if known is not None and known[0] is finding:
                yield known[1]
            else:
                yield json.dumps(_finding_to_json(finding))

    def _reported_rows(self, reported: Sequence[tuple[str, ReportedFinding]]) -> Iterator[str]:
        encoded = self._encoded_reported
        for path, item in reported:
            known = encoded.get(id(item))
            if known is not None and known[0] is item and known[1] == path:
                yield known[2]
            else:
                yield json.dumps(_reported_to_json(path, item))


_ModelRows = tuple[list[tuple[str, int, int, str | None]], list[tuple[str, int]], list[tuple[str, str, int]]]
"""The model's part of a stored document: its files, searched folders and missing `source` targets."""


def _model_rows(workspace: KconfigModel) -> _ModelRows | None:
    """The files (size, time, content hash), folders and missing targets of the model; None if one is gone.

    The build's generated files (Buildroot's `.br2-external.in.*`, ESP-IDF's
    `kconfigs.in`) are read from the settings, not the disk, and their text
    is part of the cache's key: they have no row (a row would find no file
    and the tree's lint would never be cached).
    """
    files = []
    generated = workspace.settings.generated_files
    for path in workspace.files:
        if path in generated:
            continue
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            return None
        text = workspace.text(path)
        content = _hash(text) if status.st_size < HASHED_SIZE_LIMIT and len(text) == status.st_size else None
        files.append((path, status.st_size, status.st_mtime_ns, content))
    folders = []
    for folder in workspace.searched_folders:
        try:
            folders.append((folder, os.stat(folder).st_mtime_ns))
        except (OSError, ValueError):
            return None
    missing = []
    for target in sorted(set(_missing_targets(workspace))):
        where = _nearest_folder(target)
        if where is None:
            continue
        try:
            missing.append((target, where, os.stat(where).st_mtime_ns))
        except (OSError, ValueError):
            return None
    return files, folders, missing


def _load_document(
    document: object, code_fingerprint: str | Callable[[], str]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The document and its summary when everything it was computed from is unchanged."""
    if not isinstance(document, dict):
        raise _Malformed(f"a {type(document).__name__}, not an object")
    if document.get("format") != _FORMAT:
        return None
    for item in _rows(document, "files", 4):
        path, size, mtime, content = item
        _expect(isinstance(path, str) and isinstance(size, int) and isinstance(mtime, int))
        _expect(content is None or isinstance(content, str))
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size != size or status.st_mtime_ns != mtime:
            return None
        if content is not None and _hash(_read_regular(path, size)) != content:
            return None
    for path, mtime in _rows(document, "folders", 2):
        _expect(isinstance(path, str) and isinstance(mtime, int))
        if os.stat(path).st_mtime_ns != mtime:
            return None
    for target, folder, mtime in _rows(document, "missing", 3):
        _expect(isinstance(target, str) and isinstance(folder, str) and isinstance(mtime, int))
        if os.path.lexists(target) or os.stat(folder).st_mtime_ns != mtime:
            return None
    if document.get("code") != (code_fingerprint() if callable(code_fingerprint) else code_fingerprint):
        return None
    summary = document.get("summary")
    raw_findings = document.get("findings")
    if not isinstance(summary, dict) or not isinstance(raw_findings, list):
        raise _Malformed("no summary or findings")
    return document, summary


def _rows(document: dict[str, Any], key: str, width: int) -> Iterator[list[Any]]:
    rows = document.get(key)
    if not isinstance(rows, list):
        raise _Malformed(f"no list of {key}")
    for row in rows:
        _expect(isinstance(row, list) and len(row) == width)
        yield row


def _expect(condition: bool) -> None:
    if not condition:
        raise _Malformed("unexpected shape")


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_regular(path: str, size: int) -> bytes:
    """At most `size` + 1 bytes of a regular file, without blocking on a FIFO."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _Malformed(f"{path} is no longer a regular file")
        chunks = []
        remaining = size + 1
        while remaining > 0:
            chunk = os.read(descriptor, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _missing_targets(workspace: KconfigModel) -> Iterator[str]:
    """Every path a `source` looked for and did not find (both readings of a relative path).

    From the "not found" and "matches no file" problems of the model (their
    expanded path), and from the `source` statements without macros in the
    parsed files (`osource` reports nothing when its file is missing).
    """
    for path, problems in workspace.file_problems.items():
        for problem in problems:
            if problem.kind != "source":
                continue
            match = _NOT_FOUND.match(problem.message) or _NO_MATCH.match(problem.message)
            if match is not None:
                yield from _readings(workspace.root, path, match.group(1))
    for path, parsed in workspace.files.items():
        for statement in _source_statements(parsed.nodes):
            if "$" not in statement.path and not any(c in statement.path for c in "*?["):
                for target in _readings(workspace.root, path, statement.path):
                    if not os.path.lexists(target):
                        yield target


def _readings(root: str, sourcing_file: str, target: str) -> Iterator[str]:
    if "\x00" in target:
        return
    yield os.path.normpath(os.path.join(root, target))
    yield os.path.normpath(os.path.join(os.path.dirname(sourcing_file), target))


def _source_statements(nodes: list[Node]) -> Iterator[SourceStatement]:
    for node in nodes:
        if isinstance(node, SourceStatement):
            yield node
        else:
            yield from _source_statements(getattr(node, "children", None) or [])


def _nearest_folder(path: str) -> str | None:
    """The nearest existing folder above `path` (where creating it shows up)."""
    folder = os.path.dirname(path)
    while not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return folder


def _location_to_json(location: Location) -> list[Any]:
    return [location.path, location.span.start, location.span.end]


def _location_from_json(item: list[Any]) -> Location:
    return Location(str(item[0]), Span(int(item[1]), int(item[2])))


def _finding_to_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.rule_code,
        "name": finding.rule_name,
        "severity": finding.severity.label,
        "message": finding.message,
        "location": _location_to_json(finding.location),
        "related": [[r.message, _location_to_json(r.location)] for r in finding.related],
        "fixes": [
            [fix.title, [[_location_to_json(e.location), e.new_text] for e in fix.edits]]
            for fix in finding.fixes
        ],
        "symbol": finding.symbol,
        "identity": finding.identity,
    }


_new_object: Final = object.__new__
(
    _set_rule_code,
    _set_rule_name,
    _set_severity,
    _set_message,
    _set_location,
    _set_related,
    _set_fixes,
    _set_symbol,
    _set_identity,
) = slot_setters(
    Finding,
    ("rule_code", "rule_name", "severity", "message", "location", "related", "fixes", "symbol", "identity"),
)
_set_related_message, _set_related_location = slot_setters(RelatedLocation, ("message", "location"))
_severities: dict[str, Severity] = {}


def _finding_from_json(item: dict[str, Any]) -> Finding:
    """A stored finding, its records made as `cli.fingerprint.new_identity` makes identities.

    An unchanged tree's lint decodes every finding of the tree (10,000 for
    Linux); the frozen dataclasses' own `__init__`s cost three times more.
    """
    label = item["severity"]
    severity = _severities.get(label) if isinstance(label, str) else None
    if severity is None:
        severity = Severity.parse(label)
        if isinstance(label, str):
            _severities[label] = severity
    related = []
    for message, location in item["related"]:
        entry: RelatedLocation = _new_object(RelatedLocation)
        _set_related_message(entry, str(message))
        _set_related_location(entry, _location_from_json(location))
        related.append(entry)
    finding: Finding = _new_object(Finding)
    _set_rule_code(finding, str(item["code"]))
    _set_rule_name(finding, str(item["name"]))
    _set_severity(finding, severity)
    _set_message(finding, str(item["message"]))
    _set_location(finding, _location_from_json(item["location"]))
    _set_related(finding, tuple(related))
    _set_fixes(
        finding,
        tuple(
            Fix(str(title), tuple(TextEdit(_location_from_json(loc), str(text)) for loc, text in edits))
            for title, edits in item["fixes"]
        ),
    )
    _set_symbol(finding, str(item.get("symbol", "")))
    _set_identity(finding, str(item.get("identity", "")))
    return finding


def _reported_to_json(path: str, item: ReportedFinding) -> list[Any]:
    """A report record as a row (its identity's path and rule are the record's own)."""
    identity = item.identity
    return [
        path,
        item.rule_code,
        item.rule_name,
        item.severity.label,
        item.message,
        item.place,
        identity.symbol,
        None if identity.message == item.message else identity.message,
        identity.line_hash,
        identity.context_hash,
        item.fingerprint,
        item.related,
        item.fixes,
        item.identity_text,
    ]


_new_tuple: Final = tuple.__new__


def _place_from_json(item: list[Any]) -> Place:
    """A stored place; its types are checked rather than converted (a third of the cost)."""
    place: Place = _new_tuple(Place, item)
    if (
        len(place) != 7
        or type(place[0]) is not str
        or type(place[1]) is not int
        or type(place[2]) is not int
        or type(place[3]) is not int
        or type(place[4]) is not int
        or type(place[5]) is not int
        or type(place[6]) is not int
    ):
        raise _Malformed("not a place")
    return place


def _reported_from_json(row: list[Any]) -> tuple[str, ReportedFinding]:
    """`_reported_to_json`'s row as the record `report_findings` made (same values, same types).

    An unchanged tree's lint decodes every record of the tree (10,000 for Linux): the types
    are checked in one test, not converted field by field.
    """
    (
        path,
        rule_code,
        rule_name,
        label,
        message,
        place,
        symbol,
        identity_message,
        line_hash,
        context_hash,
        fingerprint,
        related,
        fixes,
        identity_text,
    ) = row
    if (
        type(path) is not str
        or type(rule_code) is not str
        or type(rule_name) is not str
        or type(message) is not str
        or type(symbol) is not str
        or type(line_hash) is not str
        or type(context_hash) is not str
        or type(fingerprint) is not str
        or type(identity_text) is not str
        or (identity_message is not None and type(identity_message) is not str)
    ):
        raise _Malformed("not a report record")
    severity = _severities.get(label) if isinstance(label, str) else None
    if severity is None:
        severity = Severity.parse(label)
        _severities[str(label)] = severity
    where = _place_from_json(place)
    identity = new_identity(
        rule_code,
        where.path,
        symbol,
        message if identity_message is None else identity_message,
        line_hash,
        context_hash,
    )
    return path, new_reported(
        rule_code,
        rule_name,
        severity,
        message,
        where,
        identity,
        fingerprint,
        tuple([(str(text), _place_from_json(at)) for text, at in related]) if related else (),
        tuple(
            [
                (str(title), tuple([(str(text), _place_from_json(at)) for text, at in edits]))
                for title, edits in fixes
            ]
        )
        if fixes
        else (),
        identity_text,
    )
