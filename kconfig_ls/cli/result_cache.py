"""A cache of lint results, so an unchanged tree is linted in a fraction of a second.

Like ruff's cache: the findings of a run are stored with a fingerprint of
everything they depend on: the tool version, the settings, every Kconfig
file of the model (path, size, modification time) and every folder that was
searched for Kconfig files (a new file changes its folder's time). If the
fingerprint still matches, the stored findings are the answer.

The cache is JSON (never pickle: a cache file must not be able to run
code), written to a temporary file and renamed into place, so concurrent
writers and interrupted runs leave either the old or the new file; a file
that does not parse is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from typing import Any

from kconfig_ls import __version__
from kconfig_ls.checks.framework import Finding, Fix, RelatedLocation, Severity, TextEdit
from kconfig_ls.semantics.model import KconfigModel, Location, WorkspaceSettings
from kconfig_ls.syntax.kconfig import Span

__all__ = ["LintResultCache"]

_LOG = logging.getLogger(__name__)
_FORMAT = 2


class LintResultCache:
    def __init__(self, cache_directory: str, settings: WorkspaceSettings, rule_key: str) -> None:
        self.directory = cache_directory
        key = json.dumps(
            [
                __version__,
                _FORMAT,
                settings.root,
                settings.root_kconfig,
                sorted(settings.environment.items()),
                settings.trust_commands,
                settings.index_unreached,
                list(settings.extra_roots),
                rule_key,
            ],
            sort_keys=True,
        )
        self.path = os.path.join(
            cache_directory, "lint-" + hashlib.sha256(key.encode()).hexdigest()[:24] + ".json"
        )

    def load(self, code_fingerprint: str = "") -> tuple[list[Finding], dict[str, Any]] | None:
        """The stored findings, if nothing they depend on has changed.

        `code_fingerprint` stands for the C, Makefile and config files (the
        code index checks those itself, in one walk).
        """
        try:
            with open(self.path, encoding="utf-8") as handle:
                document = json.load(handle)
            if document.get("format") != _FORMAT or document.get("code") != code_fingerprint:
                return None
            for path, size, mtime in document["files"]:
                status = os.stat(path)
                if status.st_size != size or status.st_mtime_ns != mtime:
                    return None
            for path, mtime in document["folders"]:
                if os.stat(path).st_mtime_ns != mtime:
                    return None
            findings = [_finding_from_json(item) for item in document["findings"]]
            return findings, document["summary"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            _LOG.debug("lint cache not used: %s", error)
            return None

    def store(
        self,
        workspace: KconfigModel,
        findings: list[Finding],
        summary: dict[str, Any],
        code_fingerprint: str = "",
    ) -> None:
        files = []
        for path in workspace.files:
            try:
                status = os.stat(path)
            except OSError:
                return  # a file vanished while we ran: do not cache a half-truth
            files.append((path, status.st_size, status.st_mtime_ns))
        folders = []
        for folder in workspace.searched_folders:
            try:
                folders.append((folder, os.stat(folder).st_mtime_ns))
            except OSError:
                return
        document = {
            "format": _FORMAT,
            "code": code_fingerprint,
            "files": files,
            "folders": folders,
            "summary": summary,
            "findings": [_finding_to_json(f) for f in findings],
        }
        try:
            os.makedirs(self.directory, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".lint-", suffix=".tmp")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(document, handle)
            os.replace(temporary, self.path)
        except OSError as error:
            _LOG.warning("cannot write the lint cache in %s: %s", self.directory, error)


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
    }


def _finding_from_json(item: dict[str, Any]) -> Finding:
    return Finding(
        str(item["code"]),
        str(item["name"]),
        Severity.parse(item["severity"]),
        str(item["message"]),
        _location_from_json(item["location"]),
        tuple(RelatedLocation(str(m), _location_from_json(loc)) for m, loc in item["related"]),
        tuple(
            Fix(str(title), tuple(TextEdit(_location_from_json(loc), str(text)) for loc, text in edits))
            for title, edits in item["fixes"]
        ),
        str(item.get("symbol", "")),
    )
