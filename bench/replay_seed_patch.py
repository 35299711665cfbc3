"""Replay the seed patch (CONFIG_NUMA_MIGRATION) on Linux 6.12 and review it with `lint --diff`.

The seed of the project is a patch review (/work/shared/seed/numa-migration-patch-review.txt):
"mm: introduce CONFIG_NUMA_MIGRATION and simplify CONFIG_MIGRATION". This
script builds a scratch git repository from the Linux 6.12 tree, commits the
original, then commits each variant on its own branch and runs
`kconfig-ls lint --diff HEAD~1` on it:

- `patch`: the seed patch, ported to 6.12 (three context lines differ: 6.12's
  MIGRATION depends on ARCH_ENABLE_MEMORY_HOTREMOVE, allocates node_demotion
  with kcalloc, and next_demotion_node has one parameter). Expected: the select-visible findings of
  MIGRATION's selectors resolved, nothing new.
- `stale-endif`: the same patch with the `#endif /* CONFIG_MIGRATION */`
  comments left unchanged. Expected: each lying comment new.
- `mmu-less-selector`: the patch plus a new symbol that selects MIGRATION
  without depending on MMU, linted with the logic rule select-unmet-dependency
  (KLS201, a preview rule, enabled by `--severity select-unmet-dependency=warning`).
  Expected: that select new, nothing else.

The tree is copied with hard links (`cp -al`, seconds, no space), and every
file a variant changes is first replaced by a real copy, so the corpus is
never written. Timings: a plain lint from the results cache, `--diff` with
the base revision linted afresh (git worktree + child lint), and `--diff`
again (the base's result then comes from the revision cache).

    python bench/replay_seed_patch.py [--tree /work/corpus/linux-source-6.12] [--work /tmp/kconfig-ls-seed]
        [--variants patch,stale-endif,mmu-less-selector]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = "/work/shared/seed/numa-migration-patch-review.txt"
DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")
TOUCHED = (
    "include/linux/memory-tiers.h",
    "init/Kconfig",
    "mm/Kconfig",
    "mm/memory-tiers.c",
    "mm/mempolicy.c",
    "mm/migrate.c",
)
# Context lines of the patch's base that read differently in 6.12 (the changed lines are the same).
PORT_TO_6_12 = (
    (
        " int next_demotion_node(int node, const nodemask_t *allowed_mask);\n",
        " int next_demotion_node(int node);\n",
    ),
    (
        "-\tdepends on (NUMA || MEMORY_HOTREMOVE || COMPACTION || CMA) && MMU\n",
        "-\tdepends on (NUMA || ARCH_ENABLE_MEMORY_HOTREMOVE || COMPACTION || CMA) && MMU\n",
    ),
    (
        " \tnode_demotion = kzalloc_objs(struct demotion_nodes, nr_node_ids);\n",
        " \tnode_demotion = kcalloc(nr_node_ids, sizeof(struct demotion_nodes),\n \t\t\t\tGFP_KERNEL);\n",
    ),
)
VARIANTS = ("patch", "stale-endif", "mmu-less-selector")
SELECTOR = (
    "\nconfig SEED_REPLAY_SELECTOR\n"
    '\tbool "A new user of page migration (seed replay)"\n'
    "\tselect MIGRATION\n"
    "\thelp\n"
    "\t  Added by bench/replay_seed_patch.py: selects MIGRATION without\n"
    "\t  depending on MMU, which the patch says every selector must.\n"
)


def run(command: list[str], cwd: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, text=True, capture_output=True, check=False, **options)  # type: ignore[call-overload, no-any-return]


def git(tree: str, *arguments: str) -> str:
    completed = run(
        ["git", "-c", "user.name=replay", "-c", "user.email=replay@example.org", *arguments], tree
    )
    if completed.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)} failed: {completed.stderr}")
    return completed.stdout


def seed_patch() -> str:
    """The patch from the review mail: quoted lines (`> `) from `diff --git` to the signature."""
    lines = []
    inside = False
    with open(SEED, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith(">"):
                continue
            text = line[2:] if line.startswith("> ") else line[1:]
            if text.startswith("diff --git"):
                inside = True
            if inside and text.rstrip("\n") == "--":
                break
            if inside:
                # The mail dropped the space of empty context lines; git apply reads an
                # empty line as one (and ignores the mail's blank line after the last hunk).
                lines.append(text)
    patch = "".join(lines).rstrip("\n") + "\n"
    for old, new in PORT_TO_6_12:
        if old not in patch:
            raise SystemExit(f"the seed patch no longer contains {old!r}")
        patch = patch.replace(old, new)
    return patch


def prepare(tree: str, work: str) -> str:
    copy = os.path.join(work, "linux")
    if os.path.exists(os.path.join(copy, ".git")) and git(copy, "branch", "--list", "base"):
        git(copy, "checkout", "-q", "--force", "base")
        return copy
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    started = time.perf_counter()
    subprocess.run(["cp", "-al", tree, copy], check=True)
    for relative in TOUCHED:  # a real copy: git and patches must not write through the hard link
        path = os.path.join(copy, relative)
        data = Path(path).read_bytes()
        os.unlink(path)
        with open(path, "wb") as handle:
            handle.write(data)
        assert os.stat(path).st_ino != os.stat(os.path.join(tree, relative)).st_ino
    git(copy, "init", "-q", "-b", "base")
    git(copy, "-c", "core.compression=1", "-c", "core.looseCompression=1", "add", "-A", "--force")
    git(copy, "commit", "-qm", "Linux 6.12")
    print(f"scratch repository: {copy} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return copy


def commit_variant(copy: str, name: str, patch: str, extra: str = "") -> None:
    git(copy, "checkout", "-q", "--force", "-B", name, "base")
    completed = run(["git", "apply", "--recount", "-"], copy, input=patch)
    if completed.returncode != 0:
        raise SystemExit(f"the patch does not apply ({name}): {completed.stderr}")
    if extra:
        path = os.path.join(copy, "mm/Kconfig")
        text = Path(path).read_text(encoding="utf-8")
        anchor = "config MIGRATION\n\tbool\n\tdepends on MMU\n"
        assert anchor in text
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text.replace(anchor, anchor + extra, 1))
    git(copy, "commit", "-qam", name)


def lint(copy: str, cache: str, *arguments: str) -> tuple[float, dict[str, object], str]:
    command = [sys.executable, "-m", "kconfig_ls", "lint", copy, "--cache-dir", cache, "--format", "json"]
    started = time.perf_counter()
    completed = run([*command, *arguments], REPOSITORY, env={**os.environ, "PYTHONPATH": REPOSITORY})
    seconds = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"lint failed: {completed.stderr}")
    return seconds, json.loads(completed.stdout), completed.stderr


def describe(document: dict[str, object]) -> list[str]:
    lines = []
    for key in ("findings", "resolved"):
        items = document.get(key) or []
        assert isinstance(items, list)
        lines.append(f"  {key}: {len(items)}")
        for item in items[:12]:
            lines.append(f"    {item['path']}:{item['line']}: [{item['code']}] {item['message']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--work", default="/tmp/kconfig-ls-seed-replay")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated variants to run")
    arguments = parser.parse_args()
    chosen = arguments.variants.split(",")
    unknown = set(chosen) - set(VARIANTS)
    if unknown:
        raise SystemExit(f"unknown variants: {', '.join(sorted(unknown))} (known: {', '.join(VARIANTS)})")
    patch = seed_patch()
    stale = re.sub(
        r"^-#endif /\* CONFIG_MIGRATION \*/\n\+#endif /\* CONFIG_NUMA_MIGRATION \*/\n",
        " #endif /* CONFIG_MIGRATION */\n",
        patch,
        flags=re.M,
    )
    assert stale != patch
    copy = prepare(arguments.tree, arguments.work)
    cache = os.path.join(arguments.work, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    report: list[str] = []
    for name, variant_patch, extra, options in (
        ("patch", patch, "", ()),
        ("stale-endif", stale, "", ()),
        # Only the logic rule the variant is about joins the stable rules (naming a preview
        # rule in --severity enables it); `--preview` would add every preview rule's cost.
        ("mmu-less-selector", patch, SELECTOR, ("--severity", "select-unmet-dependency=warning")),
    ):
        if name not in chosen:
            continue
        commit_variant(copy, name, variant_patch, extra)
        cold_lint, plain, _ = lint(copy, cache, *options)  # fills the results cache for this tree
        cached_lint, _, _ = lint(copy, cache, *options)
        fresh_diff, fresh, errors = lint(copy, cache, "--diff", "HEAD~1", *options)
        cached_diff, again, _ = lint(copy, cache, "--diff", "HEAD~1", *options)
        assert fresh["findings"] == again["findings"] and fresh["resolved"] == again["resolved"]
        summary = plain["summary"]
        assert isinstance(summary, dict)
        report.append(f"== {name}: kconfig-ls lint --diff HEAD~1 {' '.join(options)}".rstrip())
        report.extend(describe(fresh))
        report.append("  stderr: " + errors.strip().replace("\n", "\n          "))
        comparison = fresh["comparison"]
        assert isinstance(comparison, dict)
        phases = comparison["seconds"]
        base = (
            "from the revision cache"
            if phases["base_cached"]
            else f"linted afresh: worktree add {phases['base_checkout']:.1f} s, child lint "
            f"{phases['base_lint']:.1f} s, worktree remove {phases['base_cleanup']:.1f} s"
        )
        report.append(
            f"  time: plain lint cold {cold_lint:.1f} s, from the results cache {cached_lint:.2f} s; "
            f"--diff {fresh_diff:.1f} s (base {base}); --diff again {cached_diff:.2f} s "
            f"= {cached_diff / cached_lint:.2f}x the cached plain lint; "
            f"whole tree: {summary['findings']} findings"
        )
        print("\n".join(report), flush=True)
        report.clear()
    git(copy, "checkout", "-q", "--force", "base")


if __name__ == "__main__":
    main()
