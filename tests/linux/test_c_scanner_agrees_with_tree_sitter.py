"""The fast C scanner against tree-sitter-c on real Linux 6.12 files (skipped when the corpus is absent).

The sample is deterministic: every Nth sorted `.c`/`.h` path under mm/,
kernel/, drivers/base/ and include/linux/, about 300 files. The throughput
test prints the scanner's speed over mm/ and drivers/net/ (run with `-s`).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kconfig_ls.syntax.c_preprocessor import CScan, find_config_references, index_c_file, scan_c
from kconfig_ls.syntax.c_tree_sitter import scan_c_with_tree_sitter
from kconfig_ls.syntax.expression import render

pytestmark = pytest.mark.linux

SAMPLE_DIRECTORIES = ("mm", "kernel", "drivers/base", "include/linux")
SAMPLE_SIZE = 300


def _c_files(tree: Path, directories: tuple[str, ...]) -> list[Path]:
    return sorted(
        path
        for directory in directories
        for path in (tree / directory).rglob("*")
        if path.suffix in (".c", ".h") and path.is_file()
    )


def _summary(scan: CScan) -> list[str]:
    lines = []
    for directive in scan.directives:
        condition = "" if directive.condition is None else render(directive.condition, c_syntax=True)
        comments = " ".join(
            f"{reference.identifier}@{reference.span}" for reference in directive.comment_references
        )
        lines.append(
            f"directive {directive.kind} {directive.span} lines {directive.line}-{directive.end_line}"
            f" block {directive.block} [{condition}] {directive.condition_span} {comments}"
        )
    lines.extend(f"branch {branch.body_span} {branch.body_lines}" for branch in scan.branches)
    lines.extend(
        f"reference {reference.identifier} {reference.span} {reference.kind.value} {reference.counts}"
        for reference in scan.references
    )
    lines.extend(f"problem {problem.span} {problem.message}" for problem in scan.problems)
    return lines


def test_scanner_and_tree_sitter_agree_on_a_sample(linux_tree: Path) -> None:
    paths = _c_files(linux_tree, SAMPLE_DIRECTORIES)
    step = max(1, len(paths) // SAMPLE_SIZE)
    sample = paths[::step]
    assert len(sample) >= SAMPLE_SIZE
    disagreements = []
    directive_count = 0
    for path in sample:
        data = path.read_bytes()
        scanned = scan_c(data)
        directive_count += len(scanned.directives)
        ours = _summary(scanned)
        theirs = _summary(scan_c_with_tree_sitter(data))
        if ours != theirs:
            only_ours = [line for line in ours if line not in theirs][:3]
            only_theirs = [line for line in theirs if line not in ours][:3]
            disagreements.append(
                f"{path.relative_to(linux_tree)}:\n  scanner: {only_ours}\n  tree-sitter: {only_theirs}"
            )
        assert index_c_file(data) == (scanned.references, scanned.definitions), path
    assert disagreements == [], "\n".join(disagreements)
    assert directive_count > 1500


def test_scanner_throughput_and_no_problems_on_mm_and_drivers_net(linux_tree: Path) -> None:
    paths = _c_files(linux_tree, ("mm", "drivers/net"))
    contents = [path.read_bytes() for path in paths]
    megabytes = sum(len(data) for data in contents) / 1e6
    started = time.process_time()
    references = sum(len(find_config_references(data)) for data in contents)
    index_seconds = time.process_time() - started
    started = time.process_time()
    problems: list[str] = []
    for path, data in zip(paths, contents, strict=True):
        problems.extend(
            f"{path.relative_to(linux_tree)}:{problem.line + 1}: {problem.message}"
            for problem in scan_c(data).problems
        )
    full_seconds = time.process_time() - started
    print(
        f"\n{len(paths)} files, {megabytes:.0f} MB: find_config_references {index_seconds:.2f} s CPU"
        f" ({megabytes / index_seconds:.0f} MB/s, {references} references);"
        f" scan_c {full_seconds:.2f} s CPU ({megabytes / full_seconds:.0f} MB/s)"
    )
    assert problems == []
    # A loose bound that only catches pathological slowness on a loaded machine.
    assert megabytes / index_seconds > 30
