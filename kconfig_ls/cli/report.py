"""The lint report after the analysis: comparisons (`--diff`, `--baseline`), formats, writing.

`kconfig_ls.cli.lint` produces the working tree's findings; this module
turns them into what the user asked for, so that the analysis side of the
lint command can change without touching the report side, and so that
`--diff REV1..REV2` (which analyses no working tree) shares the report path.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from kconfig_ls.checks.framework import Rule, RuleSettings, Severity
from kconfig_ls.checks.registry import ALL_RULES
from kconfig_ls.cli.baseline import BaselineError, read_baseline, subtract_baseline, write_baseline
from kconfig_ls.cli.diff import DiffError, diff_against, split_range
from kconfig_ls.cli.junit import format_junit
from kconfig_ls.cli.output import (
    Comparison,
    ReportedFinding,
    comparison_summary,
    format_github,
    format_json,
    format_sarif,
    format_text,
)

__all__ = [
    "FORMATS",
    "ComparisonError",
    "add_comparison_arguments",
    "compare_findings",
    "is_range",
    "render",
    "write_report",
]

FORMATS = ("text", "json", "sarif", "junit", "github")
ComparisonError = (DiffError, BaselineError)


def add_comparison_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--diff",
        metavar="REV[..REV2]",
        help="report only the findings introduced since git revision REV (or between REV and REV2), "
        "and summarise those resolved",
    )
    parser.add_argument("--baseline", metavar="FILE", help="do not report the findings accepted in FILE")
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="accept the findings of this run: write them to FILE"
    )


def is_range(arguments: argparse.Namespace) -> bool:
    return bool(arguments.diff) and split_range(arguments.diff)[1] is not None


def compare_findings(
    arguments: argparse.Namespace,
    project_root: str,
    paths: Sequence[str],
    findings: Sequence[ReportedFinding] | None,
    cache_directory: str | None,
) -> tuple[list[ReportedFinding], Comparison | None]:
    """Apply `--diff`, then `--baseline`, then `--write-baseline` (which accepts what is reported).

    `findings` are the working tree's (None for a `--diff REV1..REV2`).
    Raises one of `ComparisonError`.
    """
    reported = list(findings) if findings is not None else []
    comparison = None
    if arguments.diff:
        wanted = [os.path.relpath(p, project_root).replace(os.sep, "/") for p in paths]
        reported, comparison = diff_against(arguments, project_root, wanted, findings, cache_directory)
    if arguments.baseline:
        reported, baseline_comparison = subtract_baseline(
            reported, read_baseline(arguments.baseline), arguments.baseline
        )
        comparison = comparison or baseline_comparison
    if arguments.write_baseline:
        write_baseline(arguments.write_baseline, reported)
    return reported, comparison


def render(
    output_format: str,
    findings: Sequence[ReportedFinding],
    summary: dict[str, Any],
    comparison: Comparison | None,
    project_root: str,
    rule_settings: RuleSettings | None = None,
    fail_on: Severity | None = Severity.WARNING,
) -> str:
    rules: Sequence[Rule] = ALL_RULES
    if output_format == "text":
        return format_text(findings)
    if output_format == "json":
        return format_json(findings, summary, comparison)
    if output_format == "sarif":
        return format_sarif(findings, rules, project_root, comparison)
    if output_format == "junit":
        enabled = [rule for rule in rules if rule_settings is None or rule_settings.enabled(rule)]
        return format_junit(findings, enabled, fail_on)
    if output_format == "github":
        return format_github(findings)
    raise ValueError(f"unknown format {output_format}")


def write_report(
    arguments: argparse.Namespace,
    findings: Sequence[ReportedFinding],
    summary: dict[str, Any],
    comparison: Comparison | None,
    project_root: str,
    rule_settings: RuleSettings | None,
    fail_on: Severity | None,
    write_file: Callable[[str, str], None],
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> bool:
    """Render and write the report (and a comparison's summary on stderr); False on an I/O error.

    `write_file(path, text)` writes `--output` (the lint command owns its output file).
    """
    counts = Counter(f.rule_name for f in findings)
    summary.update(findings=len(findings), by_rule=dict(sorted(counts.items())))
    report = render(arguments.format, findings, summary, comparison, project_root, rule_settings, fail_on)
    try:
        if arguments.output:
            write_file(arguments.output, report)
        else:
            stdout.write(report)
    except OSError as error:
        print(f"kconfig-ls: error: cannot write report: {error}", file=stderr)
        return False
    if comparison is not None:  # stderr: never mixed into a JSON, SARIF or XML report
        stderr.write(comparison_summary(comparison, len(findings)))
    return True
