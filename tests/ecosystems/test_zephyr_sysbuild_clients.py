"""Sysbuild through the clients: the host (lint, query, the server) loads sysbuild's model beside the main one.

The workspace is `test_zephyr_workspace`'s (west modules, hardware model v2, sysbuild shortened
from Zephyr's `share/sysbuild`), with a few mistakes added where each model must find them: a
typo in sysbuild's own Kconfig, one in an application's `sysbuild.conf`, one in CMake. The main
tree defines a `BOOTLOADER_MCUBOOT` of its own (Zephyr's `Kconfig.zephyr` has one for the image),
so that every answer must tell sysbuild's `SB_CONFIG_BOOTLOADER_MCUBOOT` from the image's
`CONFIG_BOOTLOADER_MCUBOOT`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.cli import main as cli_main
from kconfig_ls.cli.rename import run_rename
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.settings.project_file import default_code_exclude
from kconfig_ls.settings.resolve import choose_project_root
from tests.ecosystems.support import references
from tests.ecosystems.test_zephyr_workspace import _sysbuild_workspace
from tests.fixtures import write_fixture

MISTAKES = """
//- /share/sysbuild/images/Kconfig
rsource "bootloader/Kconfig"

config SIGN_WITH_MCUBOOT
	bool "Sign the images for MCUboot"
	depends on BOOTLOADER_MCUBOT
//- /apps/demo/sysbuild.conf
SB_CONFIG_BOOTLOADER_MCUBOOT=y
SB_CONFIG_BOOT_ENCRYPTON=y
//- /apps/demo/prj.conf
CONFIG_BOOTLOADER_MCUBOOT=y
//- /apps/demo/CMakeLists.txt
if(SB_CONFIG_BOOT_ENCRYPTION)
  zephyr_library_sources_ifdef(CONFIG_BOOTLOADER_MCUBOOT image.c)
endif()
"""

# The image's own BOOTLOADER_MCUBOOT (Zephyr's Kconfig.zephyr: "MCUboot bootloader support").
MAIN_BOOTLOADER = 'config BOOTLOADER_MCUBOOT\n\tbool "MCUboot bootloader support"\n'


def _tree(tmp_path: Path) -> Path:
    zephyr = _sysbuild_workspace(tmp_path)
    write_fixture(zephyr, MISTAKES)
    kconfig_zephyr = zephyr / "Kconfig.zephyr"
    kconfig_zephyr.write_text(kconfig_zephyr.read_text() + MAIN_BOOTLOADER)
    return zephyr


def _host(zephyr: Path, environment: dict[str, str] | None = None) -> AnalysisHost:
    host = AnalysisHost(
        AnalysisSettings(str(zephyr), environment=environment or {}, code_index_workers=1, logic=True)
    )
    host.load()
    return host


def _lines(host: AnalysisHost) -> list[str]:
    snapshot = host.snapshot()
    found = [finding for findings in snapshot.full_findings().values() for finding in findings]
    lines = []
    for finding in sorted(found, key=lambda f: (f.location.path, f.location.span.start, f.rule_code)):
        line = snapshot.line_index(finding.location.path).line_of(finding.location.span.start) + 1
        lines.append(
            f"{snapshot.relative(finding.location.path)}:{line}: [{finding.rule_code}] {finding.message}"
        )
    return lines


EXPECTED = [
    # A typo in sysbuild.conf: judged by sysbuild's symbols, spelled as written.
    "apps/demo/sysbuild.conf:2: [KLS101] SB_CONFIG_BOOT_ENCRYPTON in configuration file: no Kconfig file "
    "defines BOOT_ENCRYPTON; did you mean SB_CONFIG_BOOT_ENCRYPTION?",
    "cmake/modules/sysbuild_flash.cmake:3: [KLS101] SB_CONFIG_BOOTLOADER_MCUBOOTT in CMake file: no "
    "Kconfig file defines BOOTLOADER_MCUBOOTT; did you mean SB_CONFIG_BOOTLOADER_MCUBOOT?",
    # Sysbuild's own Kconfig, checked once, by sysbuild's model (the main one sees it unreached).
    "share/sysbuild/images/Kconfig:5: [KLS002] undefined symbol BOOTLOADER_MCUBOT in 'depends on'; "
    "did you mean BOOTLOADER_MCUBOOT?",
]
OTHER_BOARD = (
    # With a board chosen, another board's symbol (a hint, as for another architecture's); without
    # one, any board may be the one built: unknown, no hint.
    "drivers/gpio/gpio_board.c:3: [KLS103] CONFIG_BOARD_QEMU_X86 is defined only in boards/qemu/x86, "
    "which the root Kconfig does not reach (boards/qemu/x86/Kconfig.qemu_x86:1); it is never set with "
    "the configured tree"
)


@pytest.mark.parametrize(
    "environment",
    [{}, {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"}],
    ids=["no board", "nrf52840dk"],
)
def test_the_hosts_findings_hold_sysbuilds_once_each(tmp_path: Path, environment: dict[str, str]) -> None:
    host = _host(_tree(tmp_path), environment)
    expected = sorted([*EXPECTED, OTHER_BOARD]) if "BOARD" in environment else EXPECTED
    assert _lines(host) == expected
    (nested,) = host.snapshot().nested
    assert nested.project.name == "sysbuild"
    assert {"BOOTLOADER_MCUBOOT", "SIGN_WITH_MCUBOOT", "MCUBOOT_FROM_THE_MODULE"} <= set(
        nested.model.definitions
    )


def test_lint_reports_sysbuilds_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zephyr = _tree(tmp_path)
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.setattr(cli_main.sys, "stdout", stdout)
    monkeypatch.setattr(cli_main.sys, "stderr", stderr)
    monkeypatch.chdir(zephyr)
    code = cli_main.main(["lint", "--no-cache", "--jobs", "1", "--format", "json", "."])
    assert code == 1, stderr.getvalue()
    text = stdout.getvalue()
    assert text.count("SB_CONFIG_BOOT_ENCRYPTON") == 1
    assert text.count("BOOTLOADER_MCUBOT") == 1  # sysbuild's Kconfig, once
    assert "share/sysbuild/images/Kconfig" in text


def _offset(path: Path, text: str, within: int = 0) -> int:
    """The byte offset `within` bytes into the first occurrence of `text` in the file."""
    return path.read_bytes().index(text.encode()) + within


def _places(host: AnalysisHost, sites: list[tuple[str, int]]) -> list[str]:
    snapshot = host.snapshot()
    return sorted(
        f"{snapshot.relative(path)}:{snapshot.line_index(path).line_of(start) + 1}" for path, start in sites
    )


def test_references_of_sysbuilds_and_the_images_symbol_are_kept_apart(tmp_path: Path) -> None:
    zephyr = _tree(tmp_path)
    host = _host(zephyr)
    sysbuild_places = [
        "apps/demo/sysbuild.conf:1",
        "cmake/modules/sysbuild_flash.cmake:1",
        "samples/sysbuild/with_mcuboot/sysbuild.conf:1",
        "share/sysbuild/image_configurations/MAIN_image_default.cmake:1",
        "share/sysbuild/images/bootloader/CMakeLists.txt:2",
        "share/sysbuild/images/bootloader/Kconfig:17",  # the definition
        "share/sysbuild/images/bootloader/Kconfig:23",  # `if BOOTLOADER_MCUBOOT`
    ]
    image_places = [
        "Kconfig.zephyr:" + str((zephyr / "Kconfig.zephyr").read_text().count("\n") - 1),
        "apps/demo/CMakeLists.txt:2",
        "apps/demo/prj.conf:1",
        "samples/sysbuild/with_mcuboot/prj.conf:1",
    ]
    # From every spelling of sysbuild's symbol: CMake, sysbuild.conf, sysbuild's own Kconfig.
    for path, text, within in [
        (zephyr / "share/sysbuild/images/bootloader/CMakeLists.txt", "SB_CONFIG_BOOTLOADER_MCUBOOT", 12),
        (zephyr / "apps/demo/sysbuild.conf", "SB_CONFIG_BOOTLOADER_MCUBOOT", 0),
        (zephyr / "share/sysbuild/images/bootloader/Kconfig", "if BOOTLOADER_MCUBOOT", 5),
    ]:
        sites = host.references(str(path), _offset(path, text, within))
        assert _places(host, [(s.location.path, s.location.span.start) for s in sites]) == sysbuild_places, (
            path
        )
        (definition,) = host.definition(str(path), _offset(path, text, within))
        assert host.relative(definition.path) == "share/sysbuild/images/bootloader/Kconfig"
    # From the image's spellings: prj.conf and CMake's CONFIG_X; sysbuild's definition is not the image's.
    for path, text in [
        (zephyr / "apps/demo/prj.conf", "CONFIG_BOOTLOADER_MCUBOOT"),
        (zephyr / "apps/demo/CMakeLists.txt", "CONFIG_BOOTLOADER_MCUBOOT"),
    ]:
        sites = host.references(str(path), _offset(path, text, 3))
        assert _places(host, [(s.location.path, s.location.span.start) for s in sites]) == image_places, path
        (definition,) = host.definition(str(path), _offset(path, text, 3))
        assert host.relative(definition.path) == "Kconfig.zephyr"


def test_the_code_index_keys_sysbuilds_uses_apart(tmp_path: Path) -> None:
    zephyr = _tree(tmp_path)
    root = str(zephyr)
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    assert references(index, "BOOTLOADER_MCUBOOT") == [
        ("apps/demo/CMakeLists.txt", 2, "cmake"),
        ("apps/demo/prj.conf", 1, "config_assignment"),
        ("samples/sysbuild/with_mcuboot/prj.conf", 1, "config_assignment"),
    ]
    view = index.nested_view("SB_CONFIG_")
    assert references(view, "BOOT_ENCRYPTION") == [
        ("apps/demo/CMakeLists.txt", 1, "cmake"),
        ("cmake/modules/sysbuild_flash.cmake", 1, "cmake"),
        ("share/sysbuild/images/bootloader/CMakeLists.txt", 10, "cmake"),
    ]
    assert "BOOTLOADER_MCUBOOT" not in references(view, "BOOT_ENCRYPTION")
    # The view names its prefix; the spans cover the spelling as written.
    (use,) = [r for r in view.references["BOOTLOADER_MCUBOOT"] if r.path.endswith("apps/demo/sysbuild.conf")]
    assert (view.syntax.prefix, use.span, use.spelled_prefix_length) == ("SB_CONFIG_", (0, 28), 10)
    assert view.entries == {} and list(view.problems()) == []  # the files' own tables stay the main index's


def test_hover_and_completion_answer_with_sysbuilds_model(tmp_path: Path) -> None:
    zephyr = _tree(tmp_path)
    host = _host(zephyr)
    cmake = zephyr / "share/sysbuild/images/bootloader/CMakeLists.txt"
    hover = host.hover(str(cmake), _offset(cmake, "SB_CONFIG_BOOT_ENCRYPTION", 12))
    assert hover is not None
    assert hover.markdown.startswith("### BOOT_ENCRYPTION (`SB_CONFIG_BOOT_ENCRYPTION`)")
    assert "*sysbuild symbol (`SB_CONFIG_BOOT_ENCRYPTION`)*" in hover.markdown
    assert "Used** 3 times" in hover.markdown
    # The image's BOOTLOADER_MCUBOOT in prj.conf: the main tree's, no sysbuild line.
    prj = zephyr / "apps/demo/prj.conf"
    hover = host.hover(str(prj), 3)
    assert hover is not None and "MCUboot bootloader support" in hover.markdown
    assert "sysbuild symbol" not in hover.markdown
    assert "share/sysbuild" not in hover.markdown  # sysbuild's namesake is no "other architecture"
    # Completion after SB_CONFIG_ in sysbuild.conf and CMake: sysbuild's symbols.
    sysbuild_conf = zephyr / "apps/demo/sysbuild.conf"
    sysbuild_conf.write_text("SB_CONFIG_BOOT_SIG\n")
    labels = [item.label for item in host.completion(str(sysbuild_conf), len("SB_CONFIG_BOOT_SIG")).items]
    assert "SB_CONFIG_BOOT_SIGNATURE_KEY_FILE" in labels and "SB_CONFIG_BOOT_SIGNATURE_TYPE_RSA" in labels
    (nested,) = host.snapshot().nested
    assert {label.removeprefix("SB_CONFIG_") for label in labels} <= set(nested.model.definitions)
    # In sysbuild's Kconfig files: its symbols, not the main tree's (GPIO is the image's).
    kconfig = zephyr / "share/sysbuild/images/Kconfig"
    text = kconfig.read_bytes()
    offset = text.index(b"BOOTLOADER_MCUBOT") + len("BOOTLOADER_")
    labels = [item.label for item in host.completion(str(kconfig), offset).items]
    assert "BOOTLOADER_MCUBOOT" in labels and "BOOTLOADER_NONE" in labels
    main_labels = [item.label for item in host.completion(str(zephyr / "Kconfig.zephyr"), 0).items]
    assert "BOOTLOADER_NONE" not in main_labels


def test_edits_reach_sysbuilds_model_and_its_uses(tmp_path: Path) -> None:
    # The server's path: documents set on the host, the next snapshot's findings.
    zephyr = _tree(tmp_path)
    host = _host(zephyr)
    kconfig = zephyr / "share/sysbuild/images/Kconfig"
    host.set_document(str(kconfig), kconfig.read_bytes().replace(b"BOOTLOADER_MCUBOT", b"BOOTLOADER_MCUBOOT"))
    sysbuild_conf = zephyr / "apps/demo/sysbuild.conf"
    host.set_document(str(sysbuild_conf), b"SB_CONFIG_BOOTLOADER_MCUBOOT=y\nSB_CONFIG_SIGN_WITH_MCUBOT=y\n")
    lines = [line for line in _lines(host) if line.startswith(("share/sysbuild/", "apps/"))]
    assert lines == [
        "apps/demo/sysbuild.conf:2: [KLS101] SB_CONFIG_SIGN_WITH_MCUBOT in configuration file: no Kconfig "
        "file defines SIGN_WITH_MCUBOT; did you mean SB_CONFIG_SIGN_WITH_MCUBOOT?"
    ]
    # A new sysbuild symbol typed into its Kconfig is found from sysbuild.conf at once.
    host.set_document(
        str(kconfig), kconfig.read_bytes().replace(b"config SIGN_WITH_MCUBOOT", b"config SIGN_WITH_MCUBOT")
    )
    assert not [line for line in _lines(host) if "apps/demo/sysbuild.conf" in line]
    (definition,) = host.definition(str(sysbuild_conf), len("SB_CONFIG_BOOTLOADER_MCUBOOT=y\nSB_CONFIG_"))
    assert host.relative(definition.path) == "share/sysbuild/images/Kconfig"


def test_a_file_below_share_sysbuild_belongs_to_the_zephyr_tree(tmp_path: Path) -> None:
    # share/sysbuild holds sysbuild's root Kconfig, below a folder without one: the tree is Zephyr's.
    zephyr = _tree(tmp_path)
    (zephyr / ".git").mkdir()
    start = zephyr / "share/sysbuild/images/bootloader/CMakeLists.txt"
    assert choose_project_root(str(start), working_directory="/nonexistent", home="/nonexistent").root == str(
        zephyr
    )
    # A tree of no known ecosystem keeps the top of the run of Kconfig folders.
    other = tmp_path / "other"
    write_fixture(other, "//- /Kconfig\nconfig A\n\tbool\n//- /sub/deeper/Kconfig\nconfig B\n\tbool\n")
    (other / ".git").mkdir()
    assert choose_project_root(str(other / "sub/deeper"), working_directory="/x", home="/x").root == str(
        other / "sub/deeper"
    )


def test_renaming_the_images_symbol_leaves_sysbuilds_namesake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zephyr = _tree(tmp_path)
    host = _host(zephyr)
    snapshot = host.snapshot()
    result = snapshot.rename("BOOTLOADER_MCUBOOT", "BOOTLOADER_MCUBOOT_IMAGE")
    assert result.error is None
    assert sorted({snapshot.relative(edit.path) for edit in result.edits}) == [
        "Kconfig.zephyr",
        "apps/demo/CMakeLists.txt",
        "apps/demo/prj.conf",
        "samples/sysbuild/with_mcuboot/prj.conf",
        # Sysbuild sets the image's symbol (`set_config_bool(... CONFIG_BOOTLOADER_MCUBOOT ...)`).
        "share/sysbuild/image_configurations/MAIN_image_default.cmake",
    ]
    # A name only sysbuild defines is never renamed as the image's: the refusal says how.
    refused = snapshot.rename("SUPPORT_BOOTLOADER", "SUPPORTS_BOOTLOADER")
    assert refused.error == (
        "SUPPORT_BOOTLOADER is sysbuild's symbol: rename SB_CONFIG_SUPPORT_BOOTLOADER "
        "(as written in sysbuild's files) instead"
    )
    # The headless command agrees (its output streams given: their defaults are bound at import).
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.chdir(zephyr)
    arguments = ["rename", "--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    parsed = cli_main.build_parser("rename").parse_args(
        [*arguments, "BOOTLOADER_MCUBOOT", "BOOTLOADER_MCUBOOT_IMAGE"]
    )
    code = run_rename(parsed, stdout, stderr)
    assert code == 0, stderr.getvalue()
    changed = [
        line.removeprefix("--- a/") for line in stdout.getvalue().splitlines() if line.startswith("--- a/")
    ]
    assert changed == sorted({snapshot.relative(edit.path) for edit in result.edits})


def _edited(host: AnalysisHost, edits: list[tuple[str, int]]) -> list[str]:
    snapshot = host.snapshot()
    return sorted(
        f"{snapshot.relative(path)}:{snapshot.line_index(path).line_of(start) + 1}" for path, start in edits
    )


def test_renaming_sysbuilds_symbol_leaves_the_images_namesake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zephyr = _tree(tmp_path)
    host = _host(zephyr)
    snapshot = host.snapshot()
    # The cursor on SB_CONFIG_BOOTLOADER_MCUBOOT in sysbuild.conf: sysbuild's symbol, its name's bytes.
    conf = zephyr / "apps/demo/sysbuild.conf"
    prepared = snapshot.prepare_rename(str(conf), 3)
    assert prepared is not None
    assert (prepared.name, prepared.project, tuple(prepared.span)) == (
        "BOOTLOADER_MCUBOOT",
        "sysbuild",
        (10, 28),
    )
    result = snapshot.rename(prepared.name, "BOOTLOADER_MCUBOOT_SB", project=prepared.project)
    assert result.error is None and result.skipped == ()
    assert {edit.new_text for edit in result.edits} == {"BOOTLOADER_MCUBOOT_SB"}
    # Sysbuild's definition and `if`, its SB_CONFIG_ uses; never the image's CONFIG_BOOTLOADER_MCUBOOT
    # (Kconfig.zephyr, prj.conf, MAIN_image_default.cmake's `set_config_bool(... CONFIG_...)`).
    assert _edited(host, [(edit.path, edit.start) for edit in result.edits]) == [
        "apps/demo/sysbuild.conf:1",
        "cmake/modules/sysbuild_flash.cmake:1",
        "samples/sysbuild/with_mcuboot/sysbuild.conf:1",
        "share/sysbuild/image_configurations/MAIN_image_default.cmake:1",
        "share/sysbuild/images/bootloader/CMakeLists.txt:2",
        "share/sysbuild/images/bootloader/Kconfig:17",
        "share/sysbuild/images/bootloader/Kconfig:23",
    ]
    default_cmake = zephyr / "share/sysbuild/image_configurations/MAIN_image_default.cmake"
    (edit,) = [edit for edit in result.edits if edit.path == str(default_cmake)]
    assert default_cmake.read_bytes()[edit.start - 10 : edit.end] == b"SB_CONFIG_BOOTLOADER_MCUBOOT"
    # A new name sysbuild already has is refused.
    taken = snapshot.rename("BOOT_ENCRYPTION", "BOOTLOADER_NONE", project="sysbuild")
    assert taken.error is not None and "already exists" in taken.error
    # The headless command: sysbuild's symbol is named as its files spell it.
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.chdir(zephyr)
    arguments = ["rename", "--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    parsed = cli_main.build_parser("rename").parse_args(
        [*arguments, "SB_CONFIG_BOOT_ENCRYPTION", "SB_CONFIG_BOOT_ENCRYPT_IMAGES"]
    )
    code = run_rename(parsed, stdout, stderr)
    assert code == 0, stderr.getvalue()
    changed = [
        line.removeprefix("--- a/") for line in stdout.getvalue().splitlines() if line.startswith("--- a/")
    ]
    assert changed == [
        "apps/demo/CMakeLists.txt",
        "cmake/modules/sysbuild_flash.cmake",
        "share/sysbuild/images/bootloader/CMakeLists.txt",
        "share/sysbuild/images/bootloader/Kconfig",
    ]
    assert "+if(SB_CONFIG_BOOT_ENCRYPT_IMAGES)" in stdout.getvalue()


def test_code_lenses_in_sysbuilds_kconfig_count_its_own_uses(tmp_path: Path) -> None:
    zephyr = _tree(tmp_path)
    snapshot = _host(zephyr).snapshot()

    def lenses(relative: str, name: str) -> dict[str, tuple[str, list[str]]]:
        path = str(zephyr / relative)
        found = {}
        for lens in snapshot.code_lenses(path):
            if lens.name == name:
                resolved = snapshot.resolve_code_lens(lens.name, lens.kind, path)
                found[lens.kind] = (
                    resolved.title,
                    sorted(snapshot.relative(p.path) for p in resolved.locations),
                )
        return found

    # Sysbuild's BOOTLOADER_MCUBOOT: its SB_CONFIG_ uses in CMake and sysbuild.conf files.
    assert lenses("share/sysbuild/images/bootloader/Kconfig", "BOOTLOADER_MCUBOOT") == {
        "code": (
            "3 uses in code",
            [
                "cmake/modules/sysbuild_flash.cmake",
                "share/sysbuild/image_configurations/MAIN_image_default.cmake",
                "share/sysbuild/images/bootloader/CMakeLists.txt",
            ],
        ),
        "defconfigs": (
            "2 defconfigs",
            ["apps/demo/sysbuild.conf", "samples/sysbuild/with_mcuboot/sysbuild.conf"],
        ),
    }
    # The image's namesake in Kconfig.zephyr: its CONFIG_ uses only.
    assert lenses("Kconfig.zephyr", "BOOTLOADER_MCUBOOT")["defconfigs"] == (
        "2 defconfigs",
        ["apps/demo/prj.conf", "samples/sysbuild/with_mcuboot/prj.conf"],
    )
    # Selected by, in sysbuild's own model (MCUBOOT_MODE_SWAP_WITHOUT_SCRATCH selects DEPRECATED).
    assert lenses("share/sysbuild/Kconfig", "DEPRECATED")["selected"] == (
        "selected by 1",
        ["share/sysbuild/images/bootloader/Kconfig"],
    )
