"""Rename of a symbol across Kconfig, C, Makefiles and config files (plain data), and its CLI."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from kconfig_ls.cli.main import build_parser
from kconfig_ls.cli.rename import apply_edits, run_rename
from kconfig_ls.ide.rename import RenameResult, prepare_rename, rename_symbol
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from tests.fixtures import write_fixture

# Every kind of site that spells MIGRATION, and decoys that must stay: a prompt and a help
# text that mention it, longer names (MIGRATION_X, CONFIG_MIGRATIONS), a comment in Kconfig.
TREE = """
//- /Kconfig
mainmenu "Test"

config MIGRATION
	bool "Page migration (MIGRATION)"
	default y if NUMA
	help
	  MIGRATION moves pages.

config NUMA
	bool "NUMA"
	select MIGRATION
	imply MIGRATION_X

config MIGRATION_X
	bool "X"
	depends on MIGRATION && NUMA
	default MIGRATION

config LEVEL
	int "level"
	range 0 10 if MIGRATION
	default 3

# MIGRATION in a comment stays
if MIGRATION
config INSIDE
	bool "inside"
endif

menu "Migration menu"
	visible if MIGRATION
config IN_MENU
	bool "in menu"
endmenu

source "mm/Kconfig"
//- /mm/Kconfig
config OTHER
	tristate "other"
	depends on MIGRATION || COMPILE_TEST
//- /mm/migrate.c
#ifdef CONFIG_MIGRATION
int a;
#endif /* CONFIG_MIGRATION */
#if IS_ENABLED(CONFIG_MIGRATION) || defined(CONFIG_MIGRATION_MODULE)
int b = CONFIG_MIGRATIONS;
#endif
static int c = IS_BUILTIN(CONFIG_MIGRATION) + IS_REACHABLE(CONFIG_MIGRATION);
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
ifdef CONFIG_MIGRATION
obj-y += more.o
endif
ifeq ($(CONFIG_MIGRATION),y)
obj-y += even_more.o
endif
//- /arch/x86/configs/test_defconfig
CONFIG_MIGRATION=y
CONFIG_MIGRATION_X=y
//- /kernel/configs/debug.config
# CONFIG_MIGRATION is not set
//- /samples/prj.conf
CONFIG_MIGRATION=n
//- /samples/sdkconfig.defaults
CONFIG_MIGRATION=y
"""


def load(root: Path) -> tuple[KconfigModel, CodeIndex]:
    model = KconfigModel(WorkspaceSettings(str(root)))
    model.load()
    code_index = CodeIndex(str(root))
    code_index.build()
    return model, code_index


def renamed(
    tmp_path: Path, tree: str, old: str, new: str, **options: bool
) -> tuple[RenameResult, dict[str, str]]:
    fixture = write_fixture(tmp_path, tree)
    model, code_index = load(fixture.root)
    result = rename_symbol(model, code_index, old, new, **options)
    texts = {
        str(Path(path).relative_to(tmp_path)): after.decode()
        for path, (_, after) in apply_edits(result).items()
    }
    return result, texts


def test_rename_edits_every_kind_of_site_and_nothing_else(tmp_path: Path) -> None:
    result, texts = renamed(tmp_path, TREE, "MIGRATION", "PAGE_MIGRATION")
    assert result.error is None and result.skipped == ()
    expected = write_fixture(tmp_path / "expected", TREE.replace("MIGRATION", "PAGE_MIGRATION"))
    # The decoys, written back as they were.
    restore = {
        "Page migration (PAGE_MIGRATION)": "Page migration (MIGRATION)",
        "PAGE_MIGRATION moves pages": "MIGRATION moves pages",
        "PAGE_MIGRATION_X": "MIGRATION_X",
        "CONFIG_PAGE_MIGRATIONS": "CONFIG_MIGRATIONS",
        "# PAGE_MIGRATION in a comment": "# MIGRATION in a comment",
    }
    for relative, path in expected.files.items():
        want = path.read_text()
        for wrong, right in restore.items():
            want = want.replace(wrong, right)
        got = texts.get(relative, (tmp_path / relative).read_text())
        assert got == want, relative
    assert set(texts) == set(expected.files)
    assert result.kinds == {
        "config": 1,
        "condition": 3,
        # samples/sdkconfig.defaults is a configuration file of the code index
        # (the ESP-IDF support), so its line counts as a config assignment.
        "config_assignment": 3,
        "config_not_set": 1,
        "default": 1,
        "depends on": 2,
        "directive_comment": 1,
        "if": 2,
        "is_enabled_call": 2,
        "make_conditional": 2,
        "make_switched_list": 1,
        "select": 1,
        "visible if": 1,
    }


def test_every_edit_replaces_exactly_the_old_name(tmp_path: Path) -> None:
    result, _ = renamed(tmp_path, TREE, "MIGRATION", "PAGE_MIGRATION")
    for edit in result.edits:
        assert Path(edit.path).read_bytes()[edit.start : edit.end] == b"MIGRATION"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("NUMA", "a symbol NUMA already exists (Kconfig:9)"),
        ("COMPILE_TEST", "the name COMPILE_TEST is already used in Kconfig (mm/Kconfig)"),
        ("MIGRATIONS", "CONFIG_MIGRATIONS is already used in mm/migrate.c:5"),
        ("bad-name", "'bad-name' is not a symbol name"),
        ("y", "'y' is a constant"),
        ("NEW_MODULE", "ends in _MODULE"),
        ("CONFIG_NEW", "starts with CONFIG_"),
        ("MIGRATION", "already called MIGRATION"),
    ],
)
def test_rename_refuses_names_that_exist_or_are_invalid(tmp_path: Path, new: str, message: str) -> None:
    result, texts = renamed(tmp_path, TREE, "MIGRATION", new)
    assert result.error is not None and message in result.error
    assert (result.edits, texts) == ((), {})


def test_rename_of_an_undefined_symbol_is_refused(tmp_path: Path) -> None:
    result, _ = renamed(tmp_path, TREE, "COMPILE_TEST", "TESTING")
    assert result.error == "no Kconfig symbol COMPILE_TEST is defined in this tree"


def test_keep_old_name_adds_a_transitional_entry(tmp_path: Path) -> None:
    tree = '//- /Kconfig\nconfig OLD\n\tbool "old"\n\thelp\n\t  Text.\n\nconfig B\n\tbool\n\tdepends on OLD\n'
    result, texts = renamed(tmp_path, tree, "OLD", "NEW", keep_old_name=True)
    assert texts["Kconfig"] == (
        'config NEW\n\tbool "old"\n\tdefault OLD\n\thelp\n\t  Text.\n'
        "\nconfig OLD\n\tbool\n\ttransitional\n\thelp\n"
        "\t  Transitional config for the OLD to NEW rename: it reads\n"
        "\t  OLD from old .config files. Remove it after a release or two.\n"
        "\nconfig B\n\tbool\n\tdepends on NEW\n"
    )
    # The result parses and links: NEW takes OLD's value.
    (tmp_path / "Kconfig").write_text(texts["Kconfig"])
    model, _ = load(tmp_path)
    assert set(model.definitions) == {"NEW", "OLD", "B"}
    assert [getattr(d.value, "name", None) for d in model.definitions["NEW"][0].defaults] == ["OLD"]
    assert result.notes and "transitional" in result.notes[-1]


def test_keep_old_name_with_defaults_keeps_them(tmp_path: Path) -> None:
    tree = '//- /Kconfig\nconfig OLD\n\ttristate "old"\n\tdefault m\n'
    _, texts = renamed(tmp_path, tree, "OLD", "NEW", keep_old_name=True)
    assert texts["Kconfig"] == (
        'config NEW\n\ttristate "old"\n\tdefault OLD if OLD\n\tdefault m\n'
        "\nconfig OLD\n\ttristate\n\ttransitional\n\thelp\n"
        "\t  Transitional config for the OLD to NEW rename: it reads\n"
        "\t  OLD from old .config files. Remove it after a release or two.\n"
    )


def test_keep_old_name_in_an_esp_idf_tree_writes_sdkconfig_rename(tmp_path: Path) -> None:
    tree = """
//- /Kconfig
source "components/wifi/Kconfig"
//- /components/wifi/Kconfig
config WIFI_OLD
	bool "wifi"
//- /components/wifi/sdkconfig.rename
# sdkconfig replacement configurations for deprecated options
CONFIG_WIFI_ANCIENT CONFIG_WIFI_OLD
CONFIG_WIFI_NOT_ANCIENT !CONFIG_WIFI_OLD
//- /sdkconfig.defaults
CONFIG_WIFI_OLD=y
//- /components/wifi/CMakeLists.txt
if(CONFIG_WIFI_OLD AND NOT CONFIG_WIFI_OLDER)
endif()
//- /components/wifi/linker.lf
[mapping:wifi]
entries:
    if WIFI_OLD = y && WIFI_OLDER = y:
        WIFI_OLD: wifi_init (noflash)
"""
    result, texts = renamed(tmp_path, tree, "WIFI_OLD", "WIFI_NEW", keep_old_name=True)
    assert texts["components/wifi/sdkconfig.rename"] == (
        "# sdkconfig replacement configurations for deprecated options\n"
        "CONFIG_WIFI_ANCIENT CONFIG_WIFI_NEW\n"
        "CONFIG_WIFI_NOT_ANCIENT !CONFIG_WIFI_NEW\n"
        "CONFIG_WIFI_OLD CONFIG_WIFI_NEW\n"
    )
    assert texts["sdkconfig.defaults"] == "CONFIG_WIFI_NEW=y\n"
    assert texts["components/wifi/Kconfig"] == 'config WIFI_NEW\n\tbool "wifi"\n'
    assert (
        texts["components/wifi/CMakeLists.txt"] == "if(CONFIG_WIFI_NEW AND NOT CONFIG_WIFI_OLDER)\nendif()\n"
    )
    assert texts["components/wifi/linker.lf"] == (
        "[mapping:wifi]\nentries:\n    if WIFI_NEW = y && WIFI_OLDER = y:\n        WIFI_OLD: wifi_init (noflash)\n"
    )
    assert result.created_files == ()


def test_a_name_built_by_a_macro_is_skipped_not_edited(tmp_path: Path) -> None:
    tree = '//- /Kconfig\nNAME := MIGRATION\nconfig MIGRATION\n\tbool "m"\nconfig B\n\tbool\n\tdepends on $(NAME)\n'
    result, texts = renamed(tmp_path, tree, "MIGRATION", "NEW")
    assert texts["Kconfig"].startswith("NAME := MIGRATION\nconfig NEW\n")
    assert "depends on $(NAME)" in texts["Kconfig"]
    assert [site.reason for site in result.skipped] == ["'depends on' does not spell the name (a macro?)"]


@pytest.mark.parametrize(
    ("path", "marked", "name", "covered"),
    [
        ("Kconfig", "config MIGR$0ATION", "MIGRATION", "MIGRATION"),
        ("Kconfig", "\tselect MIGRATION$0", "MIGRATION", "MIGRATION"),
        ("mm/migrate.c", "#endif /* CONFIG_MIG$0RATION */", "MIGRATION", "MIGRATION"),
        ("mm/migrate.c", "defined(CONFIG_MIGRATION_MOD$0ULE)", "MIGRATION", "MIGRATION"),
        ("mm/Makefile", "obj-$(CON$0FIG_MIGRATION)", "MIGRATION", "MIGRATION"),
        ("samples/sdkconfig.defaults", "CONFIG_MIGRATI$0ON=y", "MIGRATION", "MIGRATION"),
        ("Kconfig", '\tbool "Page mi$0gration (MIGRATION)"', None, None),
        ("Kconfig", "\tdepends on MIGRATION || COMP$0ILE_TEST", None, None),
        ("Kconfig", "\tde$0fault y if NUMA", None, None),
        ("mm/migrate.c", "int b = CONFIG_MIGRAT$0IONS;", None, None),
    ],
)
def test_prepare_rename(
    tmp_path: Path, path: str, marked: str, name: str | None, covered: str | None
) -> None:
    unmarked = marked.replace("$0", "")
    tree = TREE.replace(unmarked, marked, 1) if unmarked in TREE else TREE + f"//- /{path}\n{marked}\n"
    assert "$0" in tree, "the marked text must be in the fixture"
    fixture = write_fixture(tmp_path, tree)
    model, code_index = load(fixture.root)
    assert fixture.cursor_path is not None and fixture.cursor_offset is not None
    text = fixture.cursor_path.read_bytes()
    prepared = prepare_rename(model, code_index, str(fixture.cursor_path), fixture.cursor_offset, text)
    if name is None:
        assert prepared is None
        return
    assert prepared is not None and prepared.name == name
    assert text[prepared.span.start : prepared.span.end].decode() == covered


def run_cli(*argv: str) -> tuple[int, str, str]:
    arguments = build_parser().parse_args(["rename", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    return run_rename(arguments, stdout, stderr), stdout.getvalue(), stderr.getvalue()


def test_cli_prints_a_diff_that_git_applies_and_writes_nothing(tmp_path: Path) -> None:
    fixture = write_fixture(tmp_path / "tree", TREE)
    before = {path: p.read_bytes() for path, p in fixture.files.items()}
    code, diff, errors = run_cli(
        "MIGRATION", "PAGE_MIGRATION", "--project", str(fixture.root), "--cache-dir", str(tmp_path / "cache")
    )
    assert code == 0
    assert {path: p.read_bytes() for path, p in fixture.files.items()} == before
    assert "--- a/mm/Makefile\n+++ b/mm/Makefile\n" in diff
    assert "\n-ifdef CONFIG_MIGRATION\n+obj-$(CONFIG_PAGE_MIGRATION) += migrate.o\n" in diff
    assert "would edit 21 sites in 8 files" in errors
    subprocess.run(["git", "init", "-q", str(fixture.root)], check=True)
    subprocess.run(["git", "-C", str(fixture.root), "apply", "-"], input=diff.encode(), check=True)
    result, texts = renamed(tmp_path / "again", TREE, "MIGRATION", "PAGE_MIGRATION")
    assert result.error is None
    for relative, text in texts.items():
        assert (fixture.root / relative).read_text() == text


def test_cli_writes_with_write_and_refuses_with_exit_1(tmp_path: Path) -> None:
    fixture = write_fixture(tmp_path, TREE)
    code, output, _ = run_cli(
        "MIGRATION", "NUMA", "--project", str(fixture.root), "--cache-dir", str(tmp_path / "cache")
    )
    assert (code, output) == (1, "")
    code, output, errors = run_cli(
        "MIGRATION",
        "PAGE_MIGRATION",
        "--project",
        str(fixture.root),
        "--write",
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert (code, output) == (0, "")
    assert "wrote 21 sites" in errors
    assert "obj-$(CONFIG_PAGE_MIGRATION)" in (fixture.root / "mm/Makefile").read_text()
    assert (
        run_cli(
            "PAGE_MIGRATION",
            "MIGRATION",
            "--project",
            str(fixture.root),
            "--write",
            "--cache-dir",
            str(tmp_path / "cache"),
        )[0]
        == 0
    )
    assert (
        (fixture.root / "mm/Makefile").read_text()
        == "obj-$(CONFIG_MIGRATION) += migrate.o\nifdef CONFIG_MIGRATION\nobj-y += more.o\nendif\nifeq ($(CONFIG_MIGRATION),y)\nobj-y += even_more.o\nendif\n"
    )


U_BOOT_TREE = """
//- /Kconfig
mainmenu "U-Boot $(UBOOTVERSION) Configuration"
config DM_GPIO
	bool "Driver model for GPIO"
config SPL_DM_GPIO
	bool "Driver model for GPIO in SPL"
//- /scripts/Makefile.xpl
PHASE_ := SPL_
//- /include/configs/sandbox.h
//- /drivers/gpio/Makefile
obj-$(CONFIG_$(PHASE_)DM_GPIO) += gpio-uclass.o
//- /drivers/gpio/gpio-uclass.c
#if CONFIG_IS_ENABLED(DM_GPIO)
int on = CONFIG_IS_ENABLED(DM_GPIO, (1), (0));
#endif /* CONFIG_IS_ENABLED(DM_GPIO) */
"""


def test_u_boot_phase_macros_are_renamed_where_the_span_is_the_bare_name(tmp_path: Path) -> None:
    result, texts = renamed(tmp_path, U_BOOT_TREE, "DM_GPIO", "GPIO_DM")
    assert result.error is None and result.skipped == ()
    assert texts["drivers/gpio/Makefile"] == "obj-$(CONFIG_$(PHASE_)GPIO_DM) += gpio-uclass.o\n"
    assert texts["drivers/gpio/gpio-uclass.c"] == (
        "#if CONFIG_IS_ENABLED(GPIO_DM)\n"
        "int on = CONFIG_IS_ENABLED(GPIO_DM, (1), (0));\n"
        "#endif /* CONFIG_IS_ENABLED(GPIO_DM) */\n"
    )
    # The SPL variant is its own symbol: the rename says so instead of renaming it silently.
    assert "config SPL_DM_GPIO\n" in texts["Kconfig"]
    assert result.notes == (
        "SPL_DM_GPIO not renamed: CONFIG_IS_ENABLED(GPIO_DM) reads SPL_GPIO_DM in that build phase; "
        "rename it too",
    )


@pytest.mark.parametrize(
    ("path", "marked", "covered"),
    [
        ("drivers/gpio/gpio-uclass.c", "#if CONFIG_IS_ENABLED(DM_$0GPIO)", "DM_GPIO"),
        ("drivers/gpio/Makefile", "obj-$(CONFIG_$(PHASE_)$0DM_GPIO)", "DM_GPIO"),
    ],
)
def test_prepare_rename_on_a_u_boot_phase_macro(tmp_path: Path, path: str, marked: str, covered: str) -> None:
    tree = U_BOOT_TREE.replace(marked.replace("$0", ""), marked, 1)
    fixture = write_fixture(tmp_path, tree)
    model, code_index = load(fixture.root)
    assert fixture.cursor_path is not None and fixture.cursor_offset is not None
    text = fixture.cursor_path.read_bytes()
    prepared = prepare_rename(model, code_index, str(fixture.cursor_path), fixture.cursor_offset, text)
    assert prepared is not None and prepared.name == "DM_GPIO"
    assert text[prepared.span.start : prepared.span.end].decode() == covered
