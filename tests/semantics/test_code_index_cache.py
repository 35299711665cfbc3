"""The code index's cache (`code_index_cache`): a warm start answers as a cold one, sees every change,
and survives a malformed or forged cache file."""

from __future__ import annotations

import array
import logging
import marshal
import os
import time
from pathlib import Path
from typing import Any

import pytest

from kconfig_ls.semantics import code_index, code_index_cache
from kconfig_ls.semantics.code_index import CodeIndex, CodeReference
from kconfig_ls.semantics.code_index_cache import (
    CacheWrite,
    PackedReferences,
    load_cache,
    packed_reference_table,
    read_sections,
    write_sections,
)
from kconfig_ls.syntax.kconfig import Span
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config A
	bool
config B
	tristate
//- /Makefile
obj-$(CONFIG_A) += a.o
obj-$(CONFIG_B) += b.o
ifeq ($(CONFIG_A),y)
endif
//- /a.c
#ifdef CONFIG_A
int a = IS_ENABLED(CONFIG_B);
#endif /* CONFIG_B */
#if defined(CONFIG_B_MODULE) || CONFIG_A
#endif
#define CONFIG_OWN 1
//- /drivers/b.c
int b = IS_ENABLED(CONFIG_A);
//- /drivers/net/c.h
#if CONFIG_A
#endif
#else
//- /arch/x86/configs/x86_defconfig
CONFIG_A=y
# CONFIG_B is not set
//- /drivers/plain.c
int plain;
"""


def _content(index: CodeIndex) -> dict[str, Any]:
    """Everything the index answers, as plain values."""
    return {
        "entries": list(index.entries.items()),
        "references": {
            symbol: [tuple(reference) for reference in uses] for symbol, uses in index.references.items()
        },
        "defined": sorted(index.defined_in_code),
        "objects": {symbol: index.built_objects(symbol) for symbol in ("A", "B")},
        "mismatches": list(index.comment_mismatches()),
        "problems": list(index.problems()),
    }


def _index(tree: Path, cache: Path | None) -> CodeIndex:
    index = CodeIndex(str(tree), str(cache) if cache is not None else None, workers=1)
    index.build()
    return index


def test_a_warm_start_answers_as_a_cold_one_and_as_one_without_a_cache(tmp_path: Path) -> None:
    write_fixture(tmp_path / "tree", TREE)
    without_cache = _content(_index(tmp_path / "tree", None))
    cold = _index(tmp_path / "tree", tmp_path / "cache")
    assert cold.statistics.scanned == 6
    assert _content(cold) == without_cache
    warm = _index(tmp_path / "tree", tmp_path / "cache")
    assert (warm.statistics.scanned, warm.statistics.from_cache) == (0, 6)
    assert all(isinstance(uses, PackedReferences) for uses in warm.references.values())
    assert _content(warm) == without_cache
    # Several files per symbol, in the entries' order, with their kinds and the module suffix.
    uses = [(Path(r.path).name, r.kind, r.module_suffix) for r in warm.references["B"]]
    assert uses == [
        ("a.c", "is_enabled_call", False),
        ("a.c", "directive_comment", False),
        ("a.c", "condition", True),
        ("Makefile", "make_switched_list", False),
        ("x86_defconfig", "config_not_set", False),
    ]
    assert warm.defined_in_code == {"OWN"} and [m.named_symbol for m in warm.comment_mismatches()] == ["B"]


@pytest.mark.parametrize("later_ns", [5_000_000_000, 1])
def test_a_same_size_edit_after_a_warm_start_is_seen(tmp_path: Path, later_ns: int) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    _index(tree, tmp_path / "cache")
    assert _index(tree, tmp_path / "cache").statistics.scanned == 0  # the cache is the one read next
    edited = tree / "drivers" / "b.c"
    status = edited.stat()
    edited.write_text("int b = IS_ENABLED(CONFIG_B);\n")
    assert edited.stat().st_size == status.st_size
    # A later time, down to the nanosecond (a write in the same clock tick could keep the old one).
    os.utime(edited, ns=(status.st_atime_ns, status.st_mtime_ns + later_ns))
    warm = _index(tree, tmp_path / "cache")
    assert warm.statistics.scanned == 1
    assert "b.c" in [Path(r.path).name for r in warm.references["B"]]
    assert "b.c" not in [Path(r.path).name for r in warm.references["A"]]
    assert _content(warm) == _content(_index(tree, None))
    # And the cache written after the change is the one the next start reads.
    again = _index(tree, tmp_path / "cache")
    assert again.statistics.scanned == 0
    assert _content(again) == _content(warm)


def test_deleted_and_new_files_after_a_warm_start_are_seen(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    _index(tree, tmp_path / "cache")
    assert _index(tree, tmp_path / "cache").statistics.scanned == 0
    (tree / "drivers" / "b.c").unlink()
    (tree / "drivers" / "new.c").write_text("#ifdef CONFIG_NEW\n#endif\n")
    warm = _index(tree, tmp_path / "cache")
    assert warm.statistics.scanned == 1
    assert [Path(r.path).name for r in warm.references["NEW"]] == ["new.c"]
    assert all(not r.path.endswith("b.c") for uses in warm.references.values() for r in uses)
    assert _content(warm) == _content(_index(tree, None))
    (tree / "drivers" / "new.c").unlink()
    only_deleted = _index(tree, tmp_path / "cache")
    assert only_deleted.statistics.scanned == 0 and "NEW" not in only_deleted.references
    assert _content(only_deleted) == _content(_index(tree, None))


def test_an_edit_after_a_warm_start_updates_the_index_like_a_fresh_build(tmp_path: Path) -> None:
    # The server's path: a warm index, then an open document re-indexed from the editor's bytes.
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    _index(tree, tmp_path / "cache")
    warm = _index(tree, tmp_path / "cache")
    before = _content(warm)
    new_text = b"#ifdef CONFIG_B\n#endif\nint x = IS_ENABLED(CONFIG_NEW);\n"
    copy = warm.with_file_contents(str(tree / "a.c"), new_text)
    assert _content(warm) == before  # copy-on-write: the warm index is unchanged
    warm.update_file(str(tree / "a.c"), new_text)
    (tree / "a.c").write_bytes(new_text)
    fresh = _index(tree, None)

    def table(index: CodeIndex) -> list[tuple[str, str, int, int, str]]:
        return sorted(
            (symbol, r.path, r.span.start, r.span.end, r.kind)
            for symbol, uses in index.references.items()
            for r in uses
        )

    assert table(warm) == table(fresh) == table(copy)
    assert [Path(r.path).name for r in warm.references["NEW"]] == ["a.c"]


def test_packed_references_behave_as_the_list_they_stand_for(tmp_path: Path) -> None:
    write_fixture(tmp_path / "tree", TREE)
    _index(tmp_path / "tree", tmp_path / "cache")
    warm = _index(tmp_path / "tree", tmp_path / "cache")
    packed = warm.references["A"]
    assert isinstance(packed, PackedReferences)
    assert len(packed) == 7 and packed._decoded is None  # the length needs no decoding
    as_list = list(packed)
    assert packed == as_list and as_list == packed and packed != as_list[1:]
    assert packed[0] == as_list[0] and packed[-1] == as_list[-1] and packed[1:3] == as_list[1:3]
    assert bool(packed) and repr(packed) == repr(as_list)
    first = as_list[0]
    assert isinstance(first, CodeReference) and isinstance(first.span, Span)
    assert first._replace(symbol="X").symbol == "X"  # a named tuple like any other row
    assert isinstance(first.module_suffix, bool)
    with pytest.raises(TypeError):
        hash(packed)


def _cache_file(cache: Path) -> Path:
    (path,) = [path for path in cache.iterdir() if path.name.startswith("code-index-")]
    return path


def _read(cache: Path) -> tuple[Path, list[Any], dict[str, Any]]:
    """The cache file, its head (as a list) and its entries."""
    path = _cache_file(cache)
    sections = read_sections(str(path))
    assert sections is not None
    head, body = sections
    return path, list(head), marshal.loads(body)


def test_a_cache_with_a_malformed_head_is_rebuilt(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    expected = _content(_index(tree, tmp_path / "cache"))
    path, head, entries = _read(tmp_path / "cache")
    # Fields of the head: header, root, paths, sizes and times, packed table, the few entries.
    malformed_heads = [
        head[:5],
        [*head[:2], [*head[2]], *head[3:]],
        [*head[:3], head[3][:-1], *head[4:]],
        [*head[:5], {head[2][0]: (1, 2)}],
        [*head[:5], []],
        None,
    ]
    for malformed in malformed_heads:
        write_sections(str(path), tuple(malformed) if isinstance(malformed, list) else malformed, entries)
        again = _index(tree, tmp_path / "cache")
        assert again.statistics.scanned == 6
        assert _content(again) == expected
    # A table of the wrong shape: the cache is read, the table rebuilt from the entries.
    path, head, entries = _read(tmp_path / "cache")
    write_sections(str(path), (*head[:4], "not a table", head[5]), entries)
    warm = _index(tree, tmp_path / "cache")
    assert warm.statistics.scanned == 0
    assert _content(warm) == expected


def test_a_torn_cache_is_rebuilt(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    expected = _content(_index(tree, tmp_path / "cache"))
    path = _cache_file(tmp_path / "cache")
    whole = path.read_bytes()
    for torn in (whole[:-7] + b"garbage", whole[:100], whole[:20], b"", whole[:50] + b"x" + whole[51:]):
        path.write_bytes(torn)
        again = _index(tree, tmp_path / "cache")
        assert again.statistics.scanned == 6
        assert _content(again) == expected


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        None,
        "forged",
        [b"not marshal"],
        [marshal.dumps({})],
        [marshal.dumps([None] * 6)],  # no entry for the listing's paths
        [marshal.dumps([(1, 2)] * 6)],  # entries of the wrong shape
        [marshal.dumps([(0,) * 9] * 5 + [[0] * 9])],  # one entry not a tuple
        [marshal.dumps([(0,) * 9] * 5 + [(0,) * 8])],  # one entry of the wrong length
        ["not bytes"],
    ],
)
def test_malformed_entries_with_valid_checksums_are_scanned_again(tmp_path: Path, body: object) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    expected = _content(_index(tree, tmp_path / "cache"))
    path, head, _ = _read(tmp_path / "cache")
    write_sections(str(path), tuple(head), body)
    warm = _index(tree, tmp_path / "cache")
    assert warm.statistics.scanned == 0  # the head is well formed: its entries are decoded when asked
    assert warm.file_count == 6
    assert _content(warm)["entries"] == expected["entries"]  # by scanning the files again


def test_forged_rows_with_a_valid_checksum_are_dropped_not_fatal(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    _index(tree, tmp_path / "cache")
    path, head, entries = _read(tmp_path / "cache")
    packed, kinds = head[4]
    forged = dict(packed)
    forged["A"] = bytes([255] * len(packed["A"]))  # file number -1 in every row
    forged["B"] = (10_000).to_bytes(4, "little") * (len(packed["B"]) // 4)  # past the last file
    write_sections(str(path), (*head[:4], (forged, kinds), head[5]), entries)
    warm = _index(tree, tmp_path / "cache")
    assert warm.statistics.scanned == 0
    assert list(warm.references["A"]) == [] and list(warm.references["B"]) == []
    assert sorted(warm.references) == ["A", "B"]  # the other tables are the entries'
    assert warm.defined_in_code == {"OWN"} and [o[1] for o in warm.built_objects("A")] == ["a.o"]


def test_a_cache_of_another_root_or_program_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, TREE)
    _index(tree, tmp_path / "cache")
    path, head, entries = _read(tmp_path / "cache")
    write_sections(str(path), (head[0], "/elsewhere", *head[2:]), entries)
    assert _index(tree, tmp_path / "cache").statistics.scanned == 6
    monkeypatch.setattr(code_index, "program_identity", lambda: "0.1.0+another")
    assert _index(tree, tmp_path / "cache").statistics.scanned == 6


def test_a_deferred_cache_write_gives_the_cache_a_warm_start_reads(tmp_path: Path) -> None:
    """As `lint` writes it: left unwritten by `build`, then written (by a forked child where
    forking is safe) while the caller goes on; `wait_for_cache_write` returns once it is whole."""
    write_fixture(tmp_path / "tree", TREE)
    without_cache = _content(_index(tmp_path / "tree", None))
    cold = CodeIndex(str(tmp_path / "tree"), str(tmp_path / "cache"), workers=1)
    cold.defer_cache_write = True
    cold.build()
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("code-index-*"))
    assert _content(cold) == without_cache
    cold.write_cache()
    cold.wait_for_cache_write()
    warm = _index(tmp_path / "tree", tmp_path / "cache")
    assert (warm.statistics.scanned, warm.statistics.from_cache) == (0, 6)
    assert _content(warm) == without_cache


def test_a_cache_writer_that_fails_warns_and_leaves_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    write_fixture(tmp_path / "tree", TREE)

    def failing(*_: object) -> None:
        raise RuntimeError("planted failure")

    monkeypatch.setattr(code_index_cache, "store_cache", failing)  # what the forked child calls
    writer = CacheWrite.start(str(tmp_path / "cache" / "code-index-x.marshal"), "header", "/", {}, None)
    assert writer is not None
    with caplog.at_level(logging.WARNING):
        writer.wait()
    assert "the writer failed" in caplog.text
    assert not (tmp_path / "cache").exists()


def test_a_cache_writer_that_never_finishes_is_ended_not_waited_for(caplog: pytest.LogCaptureFixture) -> None:
    pid = os.fork()
    if pid == 0:  # a writer stuck for good
        try:
            time.sleep(60)
        finally:
            os._exit(0)
    with caplog.at_level(logging.WARNING):
        CacheWrite(pid, "/nonexistent/code-index.marshal").wait(timeout=0.2)
    assert "did not finish" in caplog.text
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


def test_the_table_packed_while_scanning_equals_the_one_packed_after(tmp_path: Path) -> None:
    """A cold build with workers packs the reference table chunk by chunk as results arrive."""
    files = "".join(
        f"//- /d{number % 7}/f{number}.c\n#ifdef CONFIG_S{number % 13}\nint x = IS_ENABLED(CONFIG_T);\n#endif\n"
        for number in range(600)
    )
    write_fixture(tmp_path / "tree", "//- /Kconfig\nconfig T\n\tbool\n" + files)
    cold = CodeIndex(str(tmp_path / "tree"), str(tmp_path / "cache"), workers=2)
    cold.build()
    assert cold.statistics.scanned == 600
    without_cache = CodeIndex(str(tmp_path / "tree"), None, workers=2)
    without_cache.build()
    assert _content(cold) == _content(without_cache)
    assert packed_reference_table(cold.entries) == packed_reference_table(without_cache.entries)


def _many_files_tree(tmp_path: Path, count: int = 600) -> Path:
    """More files than `PARALLEL_THRESHOLD`, so a build with two workers scans them in chunks."""
    files = "".join(
        f"//- /d{number % 7}/f{number}.c\n#ifdef CONFIG_S{number % 13}\nint x = IS_ENABLED(CONFIG_T);\n#endif\n"
        for number in range(count)
    )
    write_fixture(tmp_path / "tree", "//- /Kconfig\nconfig T\n\tbool\n" + files)
    return tmp_path / "tree"


def test_a_cold_build_writes_the_workers_blobs_as_the_cache_body(tmp_path: Path) -> None:
    """The body is the chunks' `marshal` blobs as the workers sent them (not encoded again), and
    a warm start decodes them into the entries of a build without a cache."""
    tree = _many_files_tree(tmp_path)
    cold = CodeIndex(str(tree), str(tmp_path / "cache"), workers=2)
    cold.build()
    _, head, chunks = _read(tmp_path / "cache")
    assert isinstance(chunks, list) and [len(marshal.loads(chunk)) for chunk in chunks] == [256, 256, 88]
    assert len(head[2]) == 600
    without_cache = CodeIndex(str(tree), None, workers=2)
    without_cache.build()
    warm = CodeIndex(str(tree), str(tmp_path / "cache"), workers=2)
    warm.build()
    assert warm.statistics.scanned == 0
    assert _content(warm) == _content(without_cache) == _content(cold)


def test_a_deferred_write_after_an_edit_stores_the_entries_of_now(tmp_path: Path) -> None:
    """A file re-indexed between the build and `write_cache`: the cache holds its new entry and
    references, not the workers' blobs and the table of the build."""
    tree = _many_files_tree(tmp_path)
    index = CodeIndex(str(tree), str(tmp_path / "cache"), workers=2)
    index.defer_cache_write = True
    index.build()
    edited = str(tree / "d0" / "f0.c")
    index.update_file(edited, b"#if CONFIG_EDITED\n#endif\n")
    index.write_cache()
    index.wait_for_cache_write()
    cached = load_cache(str(_cache_file(tmp_path / "cache")), code_index._cache_header(), index.root)
    assert cached is not None and cached.entries() == index.entries
    assert cached.table is not None and "EDITED" in cached.table[0]
    assert cached.table == packed_reference_table(index.entries)


def test_the_head_collected_while_scanning_equals_the_one_computed_after(tmp_path: Path) -> None:
    """A cold build collects the head's sizes and times and its few entries chunk by chunk
    (`PackedTableBuilder.add_chunk`): the head equals the one `store_cache` computes itself."""
    files = "".join(
        f"//- /d{number % 7}/f{number}.c\n#ifdef CONFIG_S{number % 13}\n#endif /* CONFIG_X */\n"
        if number % 50 == 0
        else f"//- /d{number % 7}/f{number}.c\nint x = IS_ENABLED(CONFIG_T{number % 3});\n"
        for number in range(600)
    )
    write_fixture(tmp_path / "tree", "//- /Kconfig\nconfig T\n\tbool\n" + files)
    cold = CodeIndex(str(tmp_path / "tree"), str(tmp_path / "cache"), workers=2)
    cold.build()
    _, collected, _ = _read(tmp_path / "cache")
    assert len(collected[5]) == 12  # the files with a lying `#endif` comment
    computed_path = tmp_path / "computed.marshal"
    code_index_cache.store_cache(
        str(computed_path), collected[0], collected[1], cold.entries, packed_reference_table(cold.entries)
    )
    sections = read_sections(str(computed_path))
    assert sections is not None
    assert list(sections[0]) == collected


def test_a_table_with_a_number_too_large_is_not_packed() -> None:
    builder = code_index_cache.PackedTableBuilder()
    builder.add_chunk(["a.c"], [(1, 2, "c", (("A", 0, 1 << 40, 0, "ifdef", False),), (), (), (), (), ())])
    assert builder.table() is None
    assert builder.head_parts()[0] == array.array("q", [1, 2]).tobytes()
