"""Issue 13, the tree cases: every hostile tree of the issue through `lint` and `query`.

Cases that still fail on this branch are strict xfails naming the fix they
need; they turn into failures the moment the fix lands, and are then flipped.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest

from tests.hostile.harness import (
    BOUND_SECONDS,
    Built,
    Case,
    Run,
    assert_healthy,
    build,
    finish,
    lint_and_query,
    start,
)


def _xfail(needs: str, item: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"needs {needs}: issue 13 {item}")


def _planted_parent(tree: Path, base: Path) -> None:
    shared = base / "shared"
    (shared / "Kconfig").write_text(f'X := $(shell,touch {base / "MARKER"})\nconfig PLANTED\n\tbool "p"\n')
    (shared / ".kconfig-ls.toml").write_text("trust-commands = true\n")
    shared.chmod(0o777)


def _fifo(tree: Path, base: Path) -> None:
    os.mkfifo(tree / "drivers" / "Kconfig.fifo")


def _self_symlinks(tree: Path, base: Path) -> None:
    for name in ("a", "b"):
        (tree / "loops" / name).symlink_to(".")


def _etc_symlink(tree: Path, base: Path) -> None:
    (tree / "etc").symlink_to(base / "outside")


def _file_symlink(tree: Path, base: Path) -> None:
    (tree / "drivers" / "Kconfig.x").symlink_to(base / "outside" / "secret")


def _nested(depth: int) -> str:
    return "(" * depth + "CANARY" + ")" * depth


CASES = [
    # -- code execution ----------------------------------------------------------------------
    pytest.param(
        Case(
            "planted-parent-kconfig",
            root='config VICTIM\n\tbool "v"\n',
            setup=_planted_parent,
            tree_folder="shared/victim",
        ),
        id="planted-parent-kconfig",
    ),
    pytest.param(
        Case(
            "planted-parent-settings",
            root='config VICTIM\n\tbool "v"\n',
            setup=_planted_parent,
            tree_folder="shared/victim/sub/deeper",
        ),
        id="planted-parent-settings-trust-commands",
    ),
    # -- crashes -----------------------------------------------------------------------------
    pytest.param(
        Case("deep-parentheses", root=f'config DEEP\n\tbool "d"\n\tdepends on {_nested(329)}\n'),
        id="depends-on-329-nested-parentheses",
    ),
    pytest.param(
        Case("many-nots", root=f'config NOTS\n\tbool "n"\n\tdepends on {"!" * 987}CANARY\n'),
        id="depends-on-987-nots",
    ),
    pytest.param(
        Case("backslash-blank", root='config B\n\tbool "b"\n\\\n\nconfig C\n\tbool "c"\n'),
        id="backslash-then-blank-line",
    ),
    pytest.param(Case("nul-source-path", root='source "drivers/\x00/Kconfig"\n'), id="nul-in-source-path"),
    pytest.param(
        Case(
            "nul-environment-macro",
            root='source "$(EVIL)/Kconfig"\n',
            files={".kconfig-ls.toml": '[environment]\nEVIL = "drivers\\u0000x"\n'},
        ),
        id="nul-in-environment-value-macro",
    ),
    pytest.param(
        Case(
            "nul-environment-variable",
            root='source "$EVIL/Kconfig"\n',
            files={".kconfig-ls.toml": '[environment]\nEVIL = "drivers\\u0000x"\n'},
        ),
        id="nul-in-environment-value-variable",
    ),
    # -- hangs -------------------------------------------------------------------------------
    pytest.param(
        Case(
            "fifo",
            files={"drivers/Kconfig": 'config D\n\tbool "d"\n'},
            setup=_fifo,
            lint_arguments=("--kconfig-only",),
        ),
        id="fifo-named-kconfig",
    ),
    pytest.param(
        Case(
            "macro-doubling-empty",
            root="A0 =\n"
            + "".join(f"A{i} = $(A{i - 1})$(A{i - 1})\n" for i in range(1, 41))
            + "X := $(A40)\n",
        ),
        id="macro-doubling-empty-output",
    ),
    pytest.param(
        Case(
            "info-doubling",
            root="A0 = x\n"
            + "".join(f"A{i} = $(info,$(A{i - 1}))$(A{i - 1})$(A{i - 1})\n" for i in range(1, 41))
            + "X := $(A40)\n"
            + "B := x\n"
            + "B := $(B)$(B)$(info,$(B))\n" * 40,
        ),
        id="info-doubling",
    ),
    pytest.param(
        Case(
            "rsource-self-symlinks",
            root='rsource "loops/*/Kconfig"\n',
            files={"loops/Kconfig": 'rsource "*/Kconfig"\nconfig LOOP\n\tbool "l"\n'},
            setup=_self_symlinks,
        ),
        id="rsource-glob-two-self-symlinks",
    ),
    # -- leaks -------------------------------------------------------------------------------
    pytest.param(
        Case(
            "symlink-directory",
            root='source "etc/secret"\n',
            setup=_etc_symlink,
            formats=("text", "json", "sarif"),
        ),
        id="symlinked-folder-outside",
    ),
    pytest.param(
        Case(
            "symlink-file",
            files={"drivers/Kconfig": 'config D\n\tbool "d"\n'},
            setup=_file_symlink,
            formats=("text", "json", "sarif"),
        ),
        id="symlinked-kconfig-file-outside",
    ),
    # -- quadratic work on one long line -----------------------------------------------------
    pytest.param(
        Case("long-macro-line", root="B := b\nA := " + "$(B)" * 20_000 + "\n"), id="macro-line-20000-calls"
    ),
    pytest.param(
        Case(
            "long-depends-on",
            root='config LONG\n\tbool "l"\n\tdepends on '
            + " && ".join(f"S{i}" for i in range(20_000))
            + "\n",
        ),
        id="depends-on-20000-terms",
    ),
    pytest.param(
        # Each `help` interrupts the first help text, which resumes after it; parsing the
        # interrupting `help` re-read every later one: 2^n (3.5 s at 20, a RecursionError at 2,000).
        Case("help-after-help", root='config HELPS\n\tbool "h"\n' + "\thelp\n\t  text line\n" * 2_000),
        id="help-interrupted-by-help-2000-times",
    ),
    pytest.param(
        Case(
            "long-if",
            files={
                "long.c": "#if "
                + " || ".join(f"defined(CONFIG_S{i})" for i in range(200_000))
                + "\nint x;\n#endif\n"
            },
            lint_arguments=("--jobs", "1"),
        ),
        id="c-if-200000-terms",
    ),
    pytest.param(
        Case(
            "dense-c",
            root="".join(f"config S{i}\n\tbool\nconfig T{i}\n\tbool\n" for i in range(500)),
            files={
                # 14.5 MB: under the 16 MB cap for code files.
                "dense.c": "".join(
                    f"#ifdef CONFIG_S{i % 500}\nint v{i} = IS_ENABLED(CONFIG_T{i % 500});\n#endif\n"
                    for i in range(220_000)
                )
            },
            lint_arguments=("--jobs", "1"),
        ),
        id="config-dense-15mb-c-file",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_hostile_tree(case: Case, hostile_results: dict[str, Future[tuple[Built, list[Run]]]]) -> None:
    built, runs = hostile_results[f"tree:{case.name}"].result()
    assert_healthy(built, runs)


# -- the lint cache (stale and malformed entries) ----------------------------------------------


def _cache_case(name: str, root: str = "") -> Case:
    return Case(name, root=root, lint_arguments=("--kconfig-only", "--no-unreached"), query=False)


def test_a_cache_file_holding_a_list(tmp_path: Path) -> None:
    case = _cache_case("cache-list")
    built, runs = lint_and_query(case, tmp_path)
    assert_healthy(built, runs)
    for cache_file in (tmp_path / "cache").glob("lint-*.json"):
        cache_file.write_text("[]")
    built, runs = lint_and_query(case, tmp_path, built)
    assert_healthy(built, runs)


def test_a_missing_source_created_later_is_seen(tmp_path: Path) -> None:
    case = _cache_case("stale-missing", root='source "late/Kconfig"\n')
    built, runs = lint_and_query(case, tmp_path)
    assert "not found" in runs[0].stdout
    (built.tree / "late").mkdir()
    (built.tree / "late" / "Kconfig").write_text('config LATE\n\tbool "late"\n')
    built, runs = lint_and_query(case, tmp_path, built)
    assert_healthy(built, runs)
    assert "not found" not in runs[0].stdout


def test_a_same_size_edit_with_the_same_time_is_seen(tmp_path: Path) -> None:
    case = _cache_case("stale-same-size")
    built, runs = lint_and_query(case, tmp_path)
    canary = built.tree / "canary" / "Kconfig"
    status = canary.stat()
    canary.write_text(canary.read_text().replace("select CANARY_TARGET", "select CANARY_TARGEX"))
    os.utime(canary, ns=(status.st_atime_ns, status.st_mtime_ns))
    _, runs = lint_and_query(case, tmp_path, built)
    assert "CANARY_TARGEX" in runs[0].stdout


# -- an injected internal error ------------------------------------------------------------------

_BOOM = (
    "import sys; import kconfig_ls.semantics.model as model\n"
    "def boom(self, *a, **k): raise RuntimeError('injected')\n"
    "model.KconfigModel.load = boom\n"
    "from kconfig_ls.cli.main import main; raise SystemExit(main(sys.argv[1:]))\n"
)


@pytest.mark.parametrize("command", ["lint", "query"])
def test_an_injected_internal_error_exits_3(tmp_path: Path, command: str) -> None:
    case = Case("internal-error")
    built = build(case, tmp_path)
    arguments = (
        ["lint", "--kconfig-only", "--fail-on", "never", "."]
        if command == "lint"
        else ["query", "hover", "--kconfig-only", "--project", ".", "canary/Kconfig:1:8"]
    )
    run = finish(start(arguments, built, case, python=[sys.executable, "-c", _BOOM]), command, BOUND_SECONDS)
    assert run.code == 3, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "kconfig-ls: internal error: RuntimeError: injected (--log-level DEBUG shows the traceback)"
    ]
