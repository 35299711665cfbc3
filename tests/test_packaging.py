"""The Python package as PyPI users get it: `python -m build`'s wheel and sdist.

It builds both from a clean copy of the checkout, checks what they hold
(LICENSE, README as the long description, links that resolve), builds the
wheel again from the unpacked sdist in a temporary folder (nothing in the
sdist may need the rest of the repository), installs that wheel into a
fresh venv with its dependencies from the package registry, and runs the
installed `kconfig-ls lint --preview examples/after`.

The build and the install take a minute or more and need the registry, so
they run only with KCONFIG_LS_PACKAGING_TESTS=1 (.ci/run sets it); the
checks of the metadata sources run always.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REPOSITORY_URL = "https://github.com/kconfig-ls/kconfig-ls"
# Links into the repository: blob/tree pages and raw files on the main branch.
REPOSITORY_LINK = re.compile(re.escape(REPOSITORY_URL) + r"/(?:blob|tree|raw)/main/(?P<path>[^)#\s\"']+)")
MARKDOWN_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
BUILD = os.environ.get("KCONFIG_LS_PACKAGING_TESTS") == "1"
build_only = pytest.mark.skipif(
    not BUILD,
    reason="builds the wheel and sdist and installs from the package registry (a minute or more); "
    "KCONFIG_LS_PACKAGING_TESTS=1 runs it (.ci/run sets it)",
)


def link_problems(markdown: str) -> list[str]:
    """Links that would not resolve on PyPI: relative ones, and repository links to missing files."""
    problems = []
    for match in MARKDOWN_LINK.finditer(markdown):
        target = match["target"]
        if target.startswith("#"):
            continue
        if not re.match(r"[a-z]+:", target):
            problems.append(f"relative link {target} (PyPI cannot resolve it)")
            continue
        repository = REPOSITORY_LINK.match(target)
        if repository and not (REPO / repository["path"]).exists():
            problems.append(f"{target}: no {repository['path']} in the repository")
    return problems


def test_metadata_sources() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    license_text = (REPO / "LICENSE").read_text()
    assert license_text.startswith("MIT License"), "LICENSE must be the MIT license the metadata names"
    assert "Permission is hereby granted, free of charge" in license_text
    assert project["readme"] == "README.md"
    for name, url in project["urls"].items():
        repository = REPOSITORY_LINK.match(url)
        assert repository is None or (REPO / repository["path"]).exists(), (name, url)


def test_readme_links_resolve_outside_the_repository() -> None:
    assert link_problems((REPO / "README.md").read_text()) == []


def test_the_link_check_can_fail() -> None:
    assert link_problems(
        "[rules](docs/rules.md) [gone](https://github.com/kconfig-ls/kconfig-ls/blob/main/nope.md)"
    )
    assert link_problems("[ok](https://github.com/kconfig-ls/kconfig-ls/blob/main/docs/rules.md)") == []


def clean_copy(destination: Path) -> Path:
    """The checkout's tracked and unignored files, as a fresh clone has them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def outside_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment without PYTHONPATH (it may point at the checkout) and with its own cache."""
    environment = {
        name: value for name, value in os.environ.items() if name not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    environment["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return environment


def build(source: Path, out: Path, *what: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "build", *what, "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, (
        f"python -m build failed\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
    )


def wheel_metadata(wheel: Path) -> tuple[set[str], email.message.Message]:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(metadata_name), policy=email.policy.compat32)
    return names, metadata


@build_only
def test_wheel_and_sdist_build_install_and_run(tmp_path: Path) -> None:
    checkout = clean_copy(tmp_path / "checkout")
    dist = tmp_path / "dist"
    build(checkout, dist)
    (sdist,) = dist.glob("kconfig_ls-*.tar.gz")
    (wheel,) = dist.glob("kconfig_ls-*.whl")

    # The wheel: the package, LICENSE, and README as the description, with links that resolve.
    names, metadata = wheel_metadata(wheel)
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), sorted(names)
    assert "kconfig_ls/py.typed" in names
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Description-Content-Type"] == "text/markdown"
    description = metadata.get_payload()
    assert "# kconfig-ls" in description
    assert link_problems(description) == []

    # The sdist: LICENSE and README; no tests (they need the repository: examples/, editors/).
    with tarfile.open(sdist) as archive:
        members = [member.name.split("/", 1)[1] for member in archive.getmembers() if "/" in member.name]
        archive.extractall(tmp_path / "unpacked", filter="data")
    assert {"LICENSE", "README.md", "pyproject.toml", "kconfig_ls/__init__.py"} <= set(members)
    assert not [member for member in members if member.startswith("tests/")]

    # The wheel again, from the unpacked sdist alone.
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    build(unpacked, tmp_path / "dist-from-sdist", "--wheel")
    (rebuilt,) = (tmp_path / "dist-from-sdist").glob("kconfig_ls-*.whl")
    assert wheel_metadata(rebuilt)[0] == names

    # Installed into a fresh venv (dependencies from the registry), the command runs the main job.
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(rebuilt)],
        env=outside_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    lint = subprocess.run(
        [str(environment / "bin" / "kconfig-ls"), "lint", "--preview", "examples/after"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=outside_environment(tmp_path),
    )
    assert lint.returncode == 1, lint.stderr
    assert "[KLS201]" in lint.stdout
    # It is the installed copy that ran, not this checkout.
    where = subprocess.run(
        [str(python), "-c", "import kconfig_ls; print(kconfig_ls.__file__)"],
        cwd=tmp_path,
        env=outside_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(environment) in where
