"""Mutated real files through every layer: parser, model, checks and the host's features.

The samples are small excerpts of Linux 6.12 (mm/Kconfig, init/Kconfig,
mm/migrate.c, mm/Makefile, arch/x86/configs/x86_64_defconfig). A mutation
deletes, duplicates or inserts bytes (often hostile fragments: unbalanced
parentheses, `$(`, a `\\` line, NUL bytes, invalid UTF-8, long runs).
`exercise` builds the tree in a temporary folder, loads it with an
`AnalysisHost` (the same engine as the CLI and the server) and asks for
diagnostics, hovers, definitions, references, completions, symbols,
folding ranges and links at the given offsets; any exception is a bug.
Used by tests/hostile/test_fuzz.py (bounded) and bench/fuzz_hostile.py.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.settings.analysis_settings import AnalysisSettings

KCONFIG = b"""\
# SPDX-License-Identifier: GPL-2.0-only
mainmenu "Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration"
source "mm/Kconfig"

config CC_VERSION_TEXT
\tstring
\tdefault "$(CC_VERSION_TEXT)"

config CC_IS_GCC
\tdef_bool $(success,test "$(cc-name)" = GCC)

config GCC_VERSION
\tint
\tdefault $(cc-version) if CC_IS_GCC
\tdefault 0
"""

MM_KCONFIG = b"""\
menu "Memory Management options"

config ARCH_NO_SWAP
\tbool

config ZPOOL
\tbool

menuconfig SWAP
\tbool "Support for paging of anonymous memory (swap)"
\tdepends on MMU && BLOCK && !ARCH_NO_SWAP
\tdefault y
\thelp
\t  This option allows you to choose whether you want to have support
\t  for so called swap devices or swap files in your kernel.

config ZSWAP
\tbool "Compressed cache for swap pages"
\tdepends on SWAP
\tselect CRYPTO
\tselect ZPOOL

if ZSWAP
choice
\tprompt "Default compressor"
\tdefault ZSWAP_COMPRESSOR_DEFAULT_LZO
config ZSWAP_COMPRESSOR_DEFAULT_LZO
\tbool "lzo"
endchoice
endif

config MMU
\tdef_bool y
config BLOCK
\tbool "Enable the block layer" if EXPERT
config HUGETLB_PAGE
\tdef_bool HUGETLBFS
endmenu
"""

C_SOURCE = b"""\
#include <linux/migrate.h>

static bool remove_migration_pte(struct folio *folio, struct vm_area_struct *vma)
{
\twhile (page_vma_mapped_walk(&pvmw)) {
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
\t\t/* PMD-mapped THP migration entry */
\t\tif (!pvmw.pte) {
\t\t\tremove_migration_pmd(&pvmw, new);
\t\t\tcontinue;
\t\t}
#endif
#if defined(CONFIG_SWAP) && IS_ENABLED(CONFIG_ZSWAP) || \\
    defined(CONFIG_HUGETLB_PAGE)
\t\told_pte = ptep_get(pvmw.pte);
#elif !defined(CONFIG_MMU)
\t\told_pte = 0;
#endif
\t}
\treturn true;
}
"""

MAKEFILE = b"""\
KASAN_SANITIZE_slab_common.o := n
ifdef CONFIG_SWAP
obj-y += swap.o
endif
obj-$(CONFIG_ADVISE_SYSCALLS)\t+= madvise.o
obj-$(CONFIG_SWAP)\t+= page_io.o swap_state.o swapfile.o swap_slots.o
obj-$(CONFIG_ZSWAP)\t+= zswap.o
obj-$(CONFIG_HUGETLBFS)\t+= hugetlb.o
"""

DEFCONFIG = b"""\
CONFIG_WERROR=y
CONFIG_SWAP=y
# CONFIG_ZSWAP is not set
CONFIG_ZPOOL=m
CONFIG_GCC_VERSION=120000
CONFIG_CC_VERSION_TEXT="gcc (Debian 12.2.0-14) 12.2.0"
"""

SAMPLES: dict[str, bytes] = {
    "Kconfig": KCONFIG,
    "mm/Kconfig": MM_KCONFIG,
    "mm/migrate.c": C_SOURCE,
    "mm/Makefile": MAKEFILE,
    "arch/x86/configs/x86_64_defconfig": DEFCONFIG,
}

# Fragments that broke something once (issue 13) or that sit at a grammar's edges.
FRAGMENTS: tuple[bytes, ...] = (
    b"(",
    b")",
    b"$(",
    b"$(info,x)",
    b"$(shell,touch MARKER)",
    b"\\\n",
    b"\x00",
    b"\xff\xfe",
    b"\r",
    b"\t",
    b'"',
    b"!",
    b" && ",
    b" || ",
    b"\nendif\n",
    b"\nendmenu\n",
    b"\nchoice\n",
    b"\nif X\n",
    b"\n#if ",
    b"\n#endif\n",
    b'\nsource "*/Kconfig"\n',
    b'\nsource "../../etc/passwd"\n',
    b"CONFIG_",
    b"\nhelp\n",
    b"A" * 300,
)


@dataclass(frozen=True)
class Mutation:
    """Delete `delete` bytes at `at` (a fraction of the length), then insert `insert` there."""

    at: float
    delete: int
    insert: bytes


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    for mutation in mutations:
        position = int(mutation.at * len(data))
        data = data[:position] + mutation.insert + data[position + mutation.delete :]
    return data


def exercise(files: dict[str, bytes], offsets: list[float], marker_name: str = "MARKER") -> None:
    """Load the tree and ask every feature about every file; raises on any exception or run command."""
    with tempfile.TemporaryDirectory(prefix="kconfig-ls-fuzz-") as root:
        for relative, data in files.items():
            path = os.path.join(root, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        host = AnalysisHost(
            AnalysisSettings(project_root=root, cache_directory=None, code_index_workers=1, arch="x86")
        )
        host.load()
        host.snapshot().full_findings()
        paths = [os.path.join(root, relative) for relative in files]
        for path in paths:
            host.diagnostics_for(path)
            host.document_symbols(path)
            host.folding_ranges(path)
            host.document_links(path)
            size = len(host.document_text(path))
            for fraction in offsets:
                offset = int(fraction * size)
                host.hover(path, offset)
                host.definition(path, offset)
                host.references(path, offset)
                host.completion(path, offset)
        host.workspace_symbols("SWAP")
        # An edit through the editor path too: the first file, as a document.
        first = paths[0]
        host.set_document(first, host.document_text(first) + b"\nconfig FUZZ_EDIT\n\tbool\n", "kconfig")
        host.diagnostics_for(first)
        host.snapshot().full_findings()
        assert not os.path.exists(os.path.join(root, marker_name)), "a command of the tree ran"
