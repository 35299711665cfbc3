"""The code file walk and the folder listings it keeps between runs (`code_files`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kconfig_ls.semantics.code_files import CodeFileWalk, classify_code_file
from kconfig_ls.semantics.code_index import CodeIndex
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config A
	bool
//- /Makefile
obj-$(CONFIG_A) += a.o
//- /a.c
#ifdef CONFIG_A
#endif
//- /README
not indexed
//- /drivers/b.c
int b = IS_ENABLED(CONFIG_A);
//- /drivers/net/c.h
#if CONFIG_A
#endif
//- /tools/t.c
int t = CONFIG_A;
//- /tools/testing/selftests/config
CONFIG_A=y
//- /arch/x86/configs/x86_64_defconfig
CONFIG_A=y
"""


def _walk(root: Path, cache: Path | None) -> tuple[list[tuple[str, int, int]], int]:
    walk = CodeFileWalk(
        str(root),
        classify_code_file,
        names_decide=True,
        c_files=True,
        excluded=frozenset({str(root / "tools")}),
        fragment_folders=(str(root / "tools" / "testing"),),
        cache_path=str(cache / "listings.marshal") if cache is not None else None,
        header="test",
    )
    return list(walk.files()), walk.listed_afresh


def _age_folders(root: Path, seconds: float = 100.0) -> None:
    """Make every folder's time old enough for its listing to be kept."""
    past = time.time() - seconds
    for folder, _, _ in os.walk(root):
        os.utime(folder, (past, past))


def _relative(root: Path, listing: list[tuple[str, int, int]]) -> list[str]:
    return [os.path.relpath(path, root) for path, _, _ in listing]


def test_kept_listings_give_what_a_fresh_walk_gives(tmp_path: Path) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    _age_folders(root)
    fresh, _ = _walk(root, None)
    assert sorted(_relative(root, fresh)) == [
        "Makefile",
        "a.c",
        "arch/x86/configs/x86_64_defconfig",
        "drivers/b.c",
        "drivers/net/c.h",
        "tools/testing/selftests/config",
    ]
    first, first_listed = _walk(root, cache)
    second, second_listed = _walk(root, cache)
    assert first == fresh == second
    assert first_listed > 0
    assert second_listed == 0, "an unchanged tree lists no folder again"


def test_a_changed_folder_is_listed_again(tmp_path: Path) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    _age_folders(root)
    _walk(root, cache)
    (root / "drivers" / "new.c").write_text("int n = CONFIG_A;\n")
    (root / "drivers" / "net" / "c.h").write_text("#if CONFIG_A && CONFIG_B\n#endif\n")
    walked, listed = _walk(root, cache)
    assert walked == _walk(root, None)[0]
    assert "drivers/new.c" in _relative(root, walked)
    assert listed == 1, "only the folder that gained a file is listed again"
    size = dict((path, size) for path, size, _ in walked)[str(root / "drivers" / "net" / "c.h")]
    assert size == len("#if CONFIG_A && CONFIG_B\n#endif\n"), "a kept listing still reports new sizes"


def test_a_folder_changed_within_its_old_time_is_listed_again(tmp_path: Path) -> None:
    # A change that leaves the folder's time as it was (the same clock tick, or a restored
    # time) still shows: a kept name that is gone or no longer a file makes a fresh listing.
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    _age_folders(root)
    _walk(root, cache)
    status = os.stat(root / "drivers")
    (root / "drivers" / "b.c").unlink()
    (root / "drivers" / "b.c").mkdir()
    os.utime(root / "drivers", ns=(status.st_atime_ns, status.st_mtime_ns))
    walked, listed = _walk(root, cache)
    assert walked == _walk(root, None)[0]
    assert "drivers/b.c" not in _relative(root, walked)
    assert listed == 2, "the changed folder, and the new folder in it"


def test_young_folders_are_not_kept(tmp_path: Path) -> None:
    # A folder whose time is close to its listing's might change again within the same tick.
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    _, first_listed = _walk(root, cache)
    _, second_listed = _walk(root, cache)
    assert second_listed == first_listed > 0


def test_a_torn_listings_file_is_ignored(tmp_path: Path) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    _age_folders(root)
    first, _ = _walk(root, cache)
    listings = cache / "listings.marshal"
    listings.write_bytes(listings.read_bytes()[:-5])
    again, listed = _walk(root, cache)
    assert again == first
    assert listed > 0


def test_the_index_keeps_listings_beside_its_cache(tmp_path: Path) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    _age_folders(root)
    cold = CodeIndex(str(root), str(cache), workers=1, excluded_folders=["tools"])
    cold.build()
    names = sorted(path.name.split("-")[1] for path in cache.iterdir())
    assert names == ["files", "index"]
    (root / "drivers" / "d.c").write_text("#ifdef CONFIG_A\n#endif\n")
    warm = CodeIndex(str(root), str(cache), workers=1, excluded_folders=["tools"])
    warm.build()
    assert (warm.statistics.scanned, warm.statistics.from_cache) == (1, len(cold.entries))
    fresh = CodeIndex(str(root), None, workers=1, excluded_folders=["tools"])
    fresh.build()
    assert warm.entries == fresh.entries
    assert list(warm.entries) == list(fresh.entries)


def test_two_versions_keep_a_cache_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kconfig_ls.semantics import code_index

    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    CodeIndex(str(root), str(cache), workers=1).build()
    monkeypatch.setattr(code_index, "__version__", "99.0")
    monkeypatch.setattr(code_index, "program_identity", lambda: "99.0+other")
    CodeIndex(str(root), str(cache), workers=1).build()
    monkeypatch.undo()
    assert len([path for path in cache.iterdir() if path.name.startswith("code-index-")]) == 2
    again = CodeIndex(str(root), str(cache), workers=1)
    again.build()
    assert again.statistics.scanned == 0, "the other version did not overwrite this one's cache"


def test_a_kept_listing_never_leads_out_of_its_folder(tmp_path: Path) -> None:
    # The listings are data read back from disk: a name with a separator (an edited or
    # foreign file with a valid checksum) must not make the walk report files elsewhere.
    from kconfig_ls.semantics.code_files import read_checked_blob, write_checked_blob

    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    (tmp_path / "outside.c").write_text("int o = CONFIG_A;\n")
    _age_folders(root)
    fresh, _ = _walk(root, cache)
    listings_path = str(cache / "listings.marshal")
    header, walked_root, listings = read_checked_blob(listings_path, "test")
    inode, mtime, files, folders = listings[str(root)]
    listings[str(root)] = (inode, mtime, (*files, "../outside.c"), folders)
    write_checked_blob(listings_path, (header, walked_root, listings), "test")
    again, listed = _walk(root, cache)
    assert again == fresh
    assert listed == 1


def test_a_walk_without_file_stats_lists_the_same_files_with_zero_sizes_and_times(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write_fixture(root, TREE)
    with_stats, _ = _walk(root, None)
    walk = CodeFileWalk(
        str(root),
        classify_code_file,
        names_decide=True,
        c_files=True,
        excluded=frozenset({str(root / "tools")}),
        fragment_folders=(str(root / "tools" / "testing"),),
        file_stats=False,
    )
    without = list(walk.files())
    assert [path for path, _, _ in without] == [path for path, _, _ in with_stats]
    assert {(size, mtime_ns) for _, size, mtime_ns in without} == {(0, 0)}
    assert all(mtime_ns > 0 for _, _, mtime_ns in with_stats)


def test_a_cold_build_takes_sizes_and_times_from_the_scans_and_a_warm_one_reuses_them(tmp_path: Path) -> None:
    # The cold build walks without file stats (no cache file yet); the entries still hold each
    # file's size and time, so the next build finds every file unchanged in the cache.
    root, cache = tmp_path / "tree", tmp_path / "cache"
    write_fixture(root, TREE)
    cold = CodeIndex(str(root), str(cache), workers=1)
    cold.build()
    assert cold.statistics.scanned == cold.statistics.files > 0
    for path, entry in cold.entries.items():
        status = os.stat(path)
        assert (entry[0], entry[1]) == (status.st_size, status.st_mtime_ns)
    warm = CodeIndex(str(root), str(cache), workers=1)
    warm.build()
    assert warm.statistics.scanned == 0
    assert warm.statistics.from_cache == cold.statistics.files
    assert dict(warm.entries) == dict(cold.entries)
