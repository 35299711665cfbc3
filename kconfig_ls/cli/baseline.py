"""`lint --write-baseline FILE` and `--baseline FILE`: accept today's findings, report only new ones.

For projects that adopt the linter on an old tree: the baseline records the
identity of every accepted finding (rule, file, symbol, message without line
numbers, hashes of its line and its neighbourhood; see
`kconfig_ls.cli.fingerprint`), never a line number, so the baseline survives
edits above a finding. A later run subtracts the baseline as a multiset: if
a file had two equal findings accepted and now has three, one is new.

The file is JSON, sorted, one finding per line, so it reviews well in a diff.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace

from kconfig_ls import __version__
from kconfig_ls.cli.fingerprint import FindingIdentity, match_identities
from kconfig_ls.cli.output import Comparison, ReportedFinding
from kconfig_ls.vfs.overlay import FileReadError, read_regular_file

__all__ = ["BaselineError", "read_baseline", "subtract_baseline", "write_baseline"]

_FORMAT = 1
_MAX_BASELINE_SIZE = 256 * 1024 * 1024


class BaselineError(Exception):
    """A baseline file that cannot be read or written."""


def write_baseline(path: str, findings: Sequence[ReportedFinding]) -> None:
    identities = sorted(
        (f.identity for f in findings),
        key=lambda i: (i.path, i.rule_code, i.symbol, i.message, i.context_hash),
    )
    lines = ",\n".join("    " + json.dumps(i.to_json(), sort_keys=True) for i in identities)
    text = (
        f'{{\n  "kconfig-ls-baseline": {_FORMAT},\n  "version": "{__version__}",\n  "findings": [\n'
        + lines
        + ("\n" if lines else "")
        + "  ]\n}\n"
    )
    folder = os.path.dirname(os.path.abspath(path))
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".baseline-", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as error:
        raise BaselineError(f"cannot write the baseline {path}: {error}") from None


def read_baseline(path: str) -> list[FindingIdentity]:
    try:
        document = json.loads(read_regular_file(path, _MAX_BASELINE_SIZE))
    except FileReadError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.reason}") from None
    except OSError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise BaselineError(f"the baseline {path} is not JSON: {error}") from None
    if not isinstance(document, dict) or document.get("kconfig-ls-baseline") != _FORMAT:
        raise BaselineError(f"{path} is not a kconfig-ls baseline (written by --write-baseline)")
    try:
        return [FindingIdentity.from_json(item) for item in document["findings"]]
    except (KeyError, TypeError) as error:
        raise BaselineError(f"the baseline {path} is malformed: {error}") from None


def subtract_baseline(
    findings: Sequence[ReportedFinding], baseline: Sequence[FindingIdentity], name: str
) -> tuple[list[ReportedFinding], Comparison]:
    """The findings not in the baseline (marked `new`), and how many accepted ones are gone."""
    matching = match_identities(baseline, [f.identity for f in findings])
    new = [replace(findings[position], state="new") for position in matching.new]
    return new, Comparison(
        "baseline", name, "working tree", (), len(findings) - len(new), fixed_accepted=len(matching.resolved)
    )
