"""Benchmark: writing 15,000 findings in every lint format (target: each <= 0.3 s).

A synthetic tree of 1,500 C-like files (300 lines each) in a temporary
folder, and 15,000 findings spread over it (ten per file, each with one
related location, as the whole-kernel lint has). Rows, medians over `--runs`:

- prepare: engine findings -> report data (`report_findings`: relative paths,
  line and column conversion, content fingerprints), once per run;
- text, json, sarif, junit, github: the formatter alone on the prepared data;
- each format end to end (prepare + format), which is what `lint` pays;
- reference: 15,000 x 2 `os.path.relpath` calls, what the text output
  used to cost (one per finding and related location);
- cached records: what an unchanged tree's lint pays instead of prepare
  (`cli/result_cache.py` stores the prepared records: `json.loads` of their
  rows and decoding them), then with each format.

`--lint-cache FILE` takes the findings of a real run instead: a
`lint-*.json` file from the results cache (e.g. after linting Linux,
`~/.cache/kconfig-ls/lint-*.json`), with the files read from disk.

    python bench/bench_output.py [--findings 15000] [--runs 5] [--lint-cache FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kconfig_ls.checks.framework import Finding, RelatedLocation, Severity
from kconfig_ls.cli.output import report_findings
from kconfig_ls.cli.report import render
from kconfig_ls.cli.result_cache import _finding_from_json, _reported_from_json, _reported_to_json
from kconfig_ls.semantics.discovery import paused_garbage_collection
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

FORMATS = ("text", "json", "sarif", "junit", "github")


def make_tree(root: str, files: int, lines: int) -> list[tuple[str, bytes]]:
    made = []
    for number in range(files):
        folder = os.path.join(root, "drivers", f"sub{number % 40}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"file{number}.c")
        body = "".join(
            f"#ifdef CONFIG_SYMBOL_{number}_{line}\n"
            if line % 3 == 0
            else f"\tdo_something({line}); /* é */\n"
            for line in range(lines)
        ).encode()
        with open(path, "wb") as handle:
            handle.write(body)
        made.append((path, body))
    return made


def make_findings(tree: list[tuple[str, bytes]], count: int) -> list[Finding]:
    generator = random.Random(11)
    findings = []
    for number in range(count):
        path, body = tree[number % len(tree)]
        start = body.find(b"CONFIG_", generator.randrange(len(body) - 200))
        end = body.find(b"\n", start)
        related_start = body.find(b"do_something", start)
        findings.append(
            Finding(
                "KLS101",
                "undefined-symbol-in-code",
                Severity.WARNING,
                f"CONFIG_SYMBOL_{number} is not defined in any Kconfig file; "
                "check the spelling or add a 'config' entry",
                Location(path, Span(start, end)),
                (RelatedLocation("used here", Location(path, Span(related_start, related_start + 12))),),
            )
        )
    findings.sort(key=lambda f: (f.location.path, f.location.span.start))
    return findings


def real_findings(path: str) -> tuple[list[Finding], str, dict[str, bytes]]:
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    findings = [_finding_from_json(item) for item in document["findings"]]
    texts: dict[str, bytes] = {}
    for finding in findings:
        for location in (finding.location, *(r.location for r in finding.related)):
            if location.path not in texts:
                try:
                    with open(location.path, "rb") as handle:
                        texts[location.path] = handle.read()
                except OSError:
                    texts[location.path] = b""
    return findings, str(document["summary"]["project"]), texts


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Median CPU seconds of this process (wall time on a shared machine measures the neighbours)."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--findings", type=int, default=15000)
    parser.add_argument("--files", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lint-cache", help="a lint results cache file: bench its real findings")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kconfig-ls-bench-output-") as root:
        if arguments.lint_cache:
            findings, root, texts = real_findings(arguments.lint_cache)
            arguments.findings, arguments.files = len(findings), len(texts)
        else:
            tree = make_tree(root, arguments.files, 300)
            texts = dict(tree)
            findings = make_findings(tree, arguments.findings)

        def read_text(path: str) -> bytes:
            return texts.get(path, b"")

        def relative(path: str) -> str:
            return os.path.relpath(path, root)

        def prepare() -> object:
            return report_findings(findings, read_text, relative, root)

        reported = report_findings(findings, read_text, relative, root)
        summary = {"project": root, "files": arguments.files}
        rows: list[tuple[str, float]] = [
            ("prepare (report_findings)", median_seconds(prepare, arguments.runs))
        ]
        for output_format in FORMATS:
            rows.append(
                (
                    f"{output_format}: format only",
                    median_seconds(
                        lambda f=output_format: render(f, reported, summary, None, root), arguments.runs
                    ),
                )
            )
        for output_format in FORMATS:

            def end_to_end(f: str = output_format) -> object:
                return render(f, report_findings(findings, read_text, relative, root), summary, None, root)

            rows.append((f"{output_format}: prepare + format", median_seconds(end_to_end, arguments.runs)))

        pairs = zip(findings, reported, strict=True)
        stored = json.dumps([_reported_to_json(finding.location.path, item) for finding, item in pairs])

        def from_cache() -> list[object]:
            # As `LintResultCache.load_reported` does it: the collector paused.
            with paused_garbage_collection():
                return [_reported_from_json(row)[1] for row in json.loads(stored)]

        assert from_cache() == reported, "the cached records are the prepared ones"
        rows_cached = [("cached records (json.loads + decode)", median_seconds(from_cache, arguments.runs))]
        for output_format in FORMATS:

            def cached_end_to_end(f: str = output_format) -> object:
                return render(f, from_cache(), summary, None, root)  # type: ignore[arg-type]

            seconds = median_seconds(cached_end_to_end, arguments.runs)
            rows_cached.append((f"{output_format}: cached records + format", seconds))

        def relpath_calls() -> object:
            return [os.path.relpath(f.location.path, root) for f in findings for _ in range(2)]

        rows.append(("reference: 2 relpath calls per finding", median_seconds(relpath_calls, arguments.runs)))
        rows.extend(rows_cached)
        sizes = {f: len(render(f, reported, summary, None, root)) for f in FORMATS}
    print(
        f"{arguments.findings} findings in {arguments.files} files, "
        f"median CPU seconds of {arguments.runs} runs (process_time)"
    )
    print(f"{'row':44} {'seconds':>8}")
    for name, seconds in rows:
        print(f"{name:44} {seconds:8.3f}")
    print("report sizes: " + ", ".join(f"{f} {size / 1e6:.1f} MB" for f, size in sizes.items()))


if __name__ == "__main__":
    main()
