"""Bundle the kconfig-ls server and its Python dependencies into the extension.

The layout is that of Microsoft's Python tools extension template: the
wheels' contents, installed with `pip install --target`, go to `bundled/libs`;
`bundled/tool/lsp_server.py` (checked in) puts that folder on `sys.path` and
starts `kconfig-ls serve`.  Two dependencies are native and built per CPython
version (tree-sitter, python-sat), so the bundle is per VS Code platform
target (`linux-x64`, `darwin-arm64`, ...): for each supported Python version
the same pinned versions are installed for that target, and the folders are
merged.  Pure-Python files are the same in every install; the native modules
have the Python version in their names (`_binding.cpython-312-x86_64-linux-gnu.so`),
so one folder serves every version.  `bundled/bundle.json` records the target,
the Python versions and the package versions; the extension reads it to pick
an interpreter the bundle can run on.

Usage: python scripts/bundle_server.py --target linux-x64 [--python-versions 3.11,3.12,3.13,3.14]
Needs pip and the package registry (or a local wheel index pip is configured for).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent.parent
REPOSITORY = EXTENSION.parent.parent
BUNDLED = EXTENSION / "bundled"
LIBS = BUNDLED / "libs"
MANIFEST = BUNDLED / "bundle.json"

# VS Code platform targets and the wheel platform tags pip may use for them
# (newest first; pip takes any of them).
PLATFORM_TAGS: dict[str, list[str]] = {
    "linux-x64": [
        "manylinux_2_28_x86_64",
        "manylinux_2_24_x86_64",
        "manylinux_2_17_x86_64",
        "manylinux2014_x86_64",
        "manylinux_2_5_x86_64",
        "manylinux1_x86_64",
    ],
    "linux-arm64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "alpine-x64": ["musllinux_1_2_x86_64", "musllinux_1_1_x86_64"],
    "darwin-x64": ["macosx_11_0_x86_64", "macosx_10_13_x86_64", "macosx_10_9_x86_64"],
    "darwin-arm64": ["macosx_11_0_arm64"],
    "win32-x64": ["win_amd64"],
    "win32-arm64": ["win_arm64"],
}
DEFAULT_PYTHON_VERSIONS = ["3.11", "3.12", "3.13", "3.14"]
# Metadata that pip or the wheel's repair tool (delvewheel on Windows) writes per install: it may differ
# between Python versions without harm (the first one is kept).
PER_INSTALL_FILES = {"RECORD", "INSTALLER", "WHEEL", "DELVEWHEEL"}


def run(command: list[str], **options: object) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **options)  # type: ignore[call-overload]


def build_server_wheel(folder: Path) -> Path:
    """The kconfig-ls wheel, built from this checkout."""
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(folder),
            str(REPOSITORY),
        ]
    )
    wheels = sorted(folder.glob("kconfig_ls-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one kconfig-ls wheel in {folder}, found {wheels}")
    return wheels[0]


def install_for(python_version: str, target: str, requirements: list[str], folder: Path) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(folder)]
    command += ["--only-binary=:all:", "--implementation", "cp", "--python-version", python_version]
    for tag in PLATFORM_TAGS[target]:
        command += ["--platform", tag]
    run(command + requirements)


def installed_versions(folder: Path) -> dict[str, str]:
    """Package name -> version, from the .dist-info folders pip wrote."""
    versions = {}
    for dist_info in sorted(folder.glob("*.dist-info")):
        name, _, version = dist_info.name.removesuffix(".dist-info").partition("-")
        versions[name.lower().replace("_", "-")] = version
    return versions


def merge(source: Path, destination: Path) -> None:
    """Copies source into destination; a file both have must be the same, except PER_INSTALL_FILES."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if relative.parts and relative.parts[0] == "bin":
            continue  # console scripts, with this machine's interpreter path: not used
        target = destination / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists():
            shutil.copy2(path, target)
        elif not filecmp.cmp(path, target, shallow=False) and path.name not in PER_INSTALL_FILES:
            raise SystemExit(f"{relative} differs between Python versions; cannot share one folder")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--target", required=True, choices=sorted(PLATFORM_TAGS), help="VS Code platform target"
    )
    parser.add_argument(
        "--python-versions",
        default=",".join(DEFAULT_PYTHON_VERSIONS),
        help="comma-separated CPython versions to bundle native wheels for (default: %(default)s)",
    )
    arguments = parser.parse_args()
    python_versions = [version.strip() for version in arguments.python_versions.split(",") if version.strip()]

    shutil.rmtree(LIBS, ignore_errors=True)
    MANIFEST.unlink(missing_ok=True)
    LIBS.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="kconfig-ls-bundle-") as temporary:
        work = Path(temporary)
        wheel = build_server_wheel(work / "wheel")
        pinned: dict[str, str] | None = None
        for python_version in python_versions:
            folder = work / f"cp{python_version}"
            # The first install resolves the versions; the others must use the same ones.
            requirements = [str(wheel)]
            if pinned is not None:
                requirements += [
                    f"{name}=={version}" for name, version in pinned.items() if name != "kconfig-ls"
                ]
            install_for(python_version, arguments.target, requirements, folder)
            versions = installed_versions(folder)
            if pinned is None:
                pinned = versions
            elif versions != pinned:
                raise SystemExit(f"Python {python_version} resolved {versions}, not {pinned}")
            merge(folder, LIBS)
    MANIFEST.write_text(
        json.dumps(
            {"target": arguments.target, "pythonVersions": python_versions, "packages": pinned},
            indent=2,
        )
        + "\n"
    )
    size = sum(path.stat().st_size for path in LIBS.rglob("*") if path.is_file())
    print(
        f"bundled {len(pinned or {})} packages for {arguments.target}, Python {', '.join(python_versions)}: "
        f"{size / 1e6:.1f} MB in {LIBS.relative_to(EXTENSION)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
