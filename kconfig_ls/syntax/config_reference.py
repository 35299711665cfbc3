"""Which `CONFIG_` identifiers are Kconfig references, shared by the C, Makefile and config scanners.

Kconfig exports every enabled symbol `X` to C as the macro `CONFIG_X` (and a
tristate symbol set to `m` as `CONFIG_X_MODULE`), to Make as the variable
`CONFIG_X`, and to `.config` files as `CONFIG_X=value`. The prefix alone does
not make an identifier a Kconfig reference, though: the Linux tree is full of
ordinary C names that merely start with `CONFIG_`. This module holds the data
types every scanner reports (`ConfigReference`, `SyntaxProblem`), the policy
deciding whether an occurrence counts, and small helpers to split identifiers.

The policy, decided from Linux 6.12 (`grep -rn CONFIG_ --include='*.[ch]'`):

1. An occurrence must be a whole identifier. `ADDR_CONFIG_1KB_ROW` and
   `mmSDMA0_CONFIG_...` contain `CONFIG_` but are not occurrences at all (about
   half of the raw `CONFIG_` byte matches in the tree are of this kind).
2. It counts when it appears in a preprocessor condition (`#if`, `#ifdef`,
   `#elif` ...), as the argument of `IS_ENABLED`/`IS_BUILTIN`/`IS_MODULE`/
   `IS_REACHABLE`, in ordinary code or a `#define` body
   (`#define NR_CPUS CONFIG_NR_CPUS`), in `#undef`, or in a comment on a
   conditional directive line (`#endif /* CONFIG_MIGRATION */`, kept as its
   own kind so rules can check it against the block's condition).
3. It does not count inside other comments and strings (prose such as
   `CONFIG_PPC_INDIRECT_{PIO,MMIO}` or an obsolete `CONFIG_CPU` in a changelog),
   in `#error`/`#warning` text, when token-pasted (`CONFIG_##option` in
   8250_pci.c, `IS_REACHABLE(CONFIG_DVB_ ## fe)` in flexcop-fe-tuner.c), as a
   macro parameter (`_ALTERNATIVE_CFG(..., CONFIG_k)` in riscv's
   alternative-macros.h), as a function-like macro call (`CONFIG_CHUNK(...)` in
   arch/um), after `.` or `->`, after `struct`/`union`/`enum`
   (`struct CONFIG_INFO` in cx231xx), as a typedef name (`} CONFIG_LINK;` in
   lpfc_hw.h) or as an enum member (`CONFIG_1KB_ROW = 0x00000000,` in amdgpu's
   navi10_enum.h, `CONFIG_CHANNEL_HT40,` in rt2x00.h).
4. It does not count when the same file owns the name: defines it as an enum
   member, tag, typedef, function-like macro or macro parameter, or with an
   unconditional `#define CONFIG_X` (smc91x.h's register bits
   `#define CONFIG_EXT_PHY 0x0200`, dib0090.c's local switches
   `#define CONFIG_BAND_VHF` later tested by `#ifdef CONFIG_BAND_VHF`). Such
   occurrences keep their kind and are marked `locally_defined`.
   A `#define CONFIG_X` does *not* take ownership when it only supplies a
   fallback for configuration: when it sits inside a block whose guard tests a
   Kconfig symbol (`#ifndef CONFIG_NR_CPUS` / `#define CONFIG_NR_CPUS 1` in
   threads.h, `#ifndef CONFIG_ATM_ENI_TUNE_BURST` / `#define
   CONFIG_ATM_ENI_BURST_TX_8W` in eni.c), or when the file first `#undef`s the
   name to override Kconfig's value (`fake_32bit_build.h`, mips kvm/tlb.c).
   In Linux 6.12 every such guarded define names a real Kconfig symbol.

The scanners are file-local: a name defined in one file and used in another
(rt2x00's enum members used from rt2x00config.c, `CONFIG_SND_MAJOR` defined in
include/sound/core.h) still counts in the using file. The C scanner reports
every file's definitions (`CDefinition`) so that the workspace can collect the
names the tree itself defines and drop those references, before calling a
reference to an unknown symbol an error.

`CONFIG_X_MODULE` refers to symbol X (tested for `m`) unless `X_MODULE` is
itself a known symbol name passed by the caller; Linux 6.12 has no Kconfig
symbol whose name ends in `_MODULE`.
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Final

__all__ = [
    "CONFIG_PREFIX",
    "DEFAULT_REFERENCE_SYNTAX",
    "ConfigReference",
    "ReferenceSyntax",
    "ReferenceKind",
    "Span",
    "SyntaxProblem",
    "counting_kinds",
    "CONFIG_IDENTIFIER_BYTES_PATTERN",
    "is_identifier_byte",
    "looks_binary",
    "split_config_identifier",
]

Span = tuple[int, int]
"""A `(start, end)` pair of UTF-8 byte offsets into the scanned file."""

CONFIG_PREFIX: Final = "CONFIG_"


class ReferenceKind(enum.StrEnum):
    """Where a `CONFIG_` identifier occurs; the policy above maps kinds to counting."""

    # C and headers.
    CONDITION = "condition"
    """In the condition of `#if`, `#ifdef`, `#ifndef`, `#elif`, `#elifdef`, `#elifndef`."""
    DIRECTIVE_COMMENT = "directive_comment"
    """In the comment or stray text of a conditional directive line: `#endif /* CONFIG_X */`."""
    IS_ENABLED_CALL = "is_enabled_call"
    """Argument of `IS_ENABLED`/`IS_BUILTIN`/`IS_MODULE`/`IS_REACHABLE` outside conditions."""
    CODE = "code"
    """A plain use in code or in a `#define` body."""
    DEFINE = "define"
    """The name being defined by `#define CONFIG_X`."""
    UNDEF = "undef"
    """The name in `#undef CONFIG_X`."""
    COMMENT = "comment"
    STRING = "string"
    DIRECTIVE_TEXT = "directive_text"
    """In the message of `#error` or `#warning`."""
    TOKEN_PASTE = "token_paste"
    MACRO_PARAMETER = "macro_parameter"
    MACRO_CALL = "macro_call"
    """Followed by `(`: a function-like macro such as arch/um's `CONFIG_CHUNK(...)`."""
    MEMBER = "member"
    """After `.` or `->`."""
    TYPE_NAME = "type_name"
    """After `struct`/`union`/`enum`, or a typedef name `} CONFIG_X;`."""
    ENUM_MEMBER = "enum_member"
    DECLARATION = "declaration"
    """Declared after a type name: `type CONFIG_ERROR;`, `u32 CONFIG_X[4];` (a register field)."""
    # Makefiles and Kbuild files.
    MAKE_SWITCHED_LIST = "make_switched_list"
    """In the name of a list switched by the value: `obj-$(CONFIG_X)`, `ccflags-$(CONFIG_X)`."""
    MAKE_VARIABLE = "make_variable"
    """`$(CONFIG_X)` or `${CONFIG_X}` elsewhere."""
    MAKE_CONDITIONAL = "make_conditional"
    """In `ifdef`/`ifndef`/`ifeq`/`ifneq`."""
    MAKE_ASSIGNMENT = "make_assignment"
    """The variable assigned by `CONFIG_X := ...` (a Make variable, not a Kconfig reference)."""
    MAKE_WORD = "make_word"
    """A bare word elsewhere, for example in a recipe."""
    MAKE_BUILD_DEFINE = "make_build_define"
    """A name the build defines itself on the compiler command line: `-DCONFIG_SPL_BUILD`."""
    # `.config`, defconfig and Zephyr `.conf` files.
    MACRO_ARGUMENT = "macro_argument"
    """The bare symbol name in an ecosystem's own macro: coreboot's `CONFIG(X)` (the span covers X alone)."""
    PHASE_ARGUMENT = "phase_argument"
    """A name that means X or a build phase's variant of it (`SPL_X`, `TPL_X`, `VPL_X`):
    U-Boot's `CONFIG_IS_ENABLED(X)`, `CONFIG_VAL(X)` and `CONFIG_$(PHASE_)X` (the span covers X alone)."""
    CMAKE = "cmake"
    """In a `CMakeLists.txt` or `.cmake` file: `if(CONFIG_X)`, `zephyr_library_sources_ifdef(CONFIG_X)`."""
    RENAME_TARGET = "rename_target"
    """The new name in ESP-IDF's `sdkconfig.rename` (`CONFIG_OLD CONFIG_NEW`)."""
    CONFIG_ASSIGNMENT = "config_assignment"
    """`CONFIG_X=value`."""
    CONFIG_NOT_SET = "config_not_set"
    """`# CONFIG_X is not set`."""


def counting_kinds() -> frozenset[ReferenceKind]:
    """The kinds that count as Kconfig references when the file does not own the name."""
    return _COUNTING_KINDS


_COUNTING_KINDS: Final = frozenset(
    {
        ReferenceKind.CONDITION,
        ReferenceKind.DIRECTIVE_COMMENT,
        ReferenceKind.IS_ENABLED_CALL,
        ReferenceKind.CODE,
        ReferenceKind.UNDEF,
        ReferenceKind.MAKE_SWITCHED_LIST,
        ReferenceKind.MAKE_VARIABLE,
        ReferenceKind.MAKE_CONDITIONAL,
        ReferenceKind.MAKE_WORD,
        ReferenceKind.CONFIG_ASSIGNMENT,
        ReferenceKind.CONFIG_NOT_SET,
        ReferenceKind.MACRO_ARGUMENT,
        ReferenceKind.PHASE_ARGUMENT,
        ReferenceKind.CMAKE,
        ReferenceKind.RENAME_TARGET,
    }
)


@dataclass(frozen=True, slots=True)
class ReferenceSyntax:
    """How one ecosystem's code spells its Kconfig symbols (pure data, picklable for workers).

    `prefix` starts every macro, Make variable and configuration line
    (`CONFIG_`; Buildroot `BR2_`). With `prefix_in_symbol` the prefix is part
    of the symbol's own name (Buildroot's Kconfig defines `BR2_ARM`), otherwise
    it is added by the build (`config ARM` becomes `CONFIG_ARM`). `c_files`
    says whether C files use the symbols at all (Buildroot's do not).
    `argument_macros` are function-like macros whose arguments are bare symbol
    names, with how many leading arguments are names (coreboot `CONFIG(X)`);
    `phase_macros` the same for names that mean X or a phase variant
    (U-Boot `CONFIG_IS_ENABLED(X)`, `CONFIG_VAL(X)`), and
    `make_phase_variables` the Make variables that insert a phase prefix
    (`CONFIG_$(PHASE_)X`). `folder_prefixes` maps folders of nested trees to
    the prefix their code uses (coreboot's libpayload: `CONFIG_LP_X` is its X).
    `file_prefixes` maps configuration file names (`fnmatch` patterns) to the
    prefix of the nested tree they configure, which replaces `prefix` there,
    and `cmake_prefixes` are such prefixes CMake files use besides `prefix`
    (Zephyr's sysbuild: `SB_CONFIG_X=y` in `sysbuild.conf`,
    `if(SB_CONFIG_X)` in CMake, X a symbol of `share/sysbuild/Kconfig`).
    """

    prefix: str = CONFIG_PREFIX
    prefix_in_symbol: bool = False
    c_files: bool = True
    argument_macros: tuple[tuple[str, int], ...] = ()
    phase_macros: tuple[tuple[str, int], ...] = ()
    make_phase_variables: tuple[str, ...] = ()
    folder_prefixes: tuple[tuple[str, str], ...] = ()
    file_prefixes: tuple[tuple[str, str], ...] = ()
    cmake_prefixes: tuple[str, ...] = ()

    def nested_prefixes(self) -> frozenset[str]:
        """The prefixes of nested trees named by their own prefix (`file_prefixes`, `cmake_prefixes`)."""
        return frozenset(prefix for _, prefix in self.file_prefixes) | frozenset(self.cmake_prefixes)

    def config_file_prefix(self, file_name: str) -> str:
        """The prefix of a configuration file's lines: a nested tree's (`sysbuild.conf`), else `prefix`."""
        for pattern, prefix in self.file_prefixes:
            if fnmatch.fnmatchcase(file_name, pattern):
                return prefix
        return self.prefix

    def symbol_of(
        self, identifier: str, symbols_ending_in_module: Container[str] = frozenset()
    ) -> tuple[str, bool]:
        """The symbol an identifier names, and whether it carries the `_MODULE` suffix."""
        if self.prefix_in_symbol:
            return identifier, False
        return split_config_identifier(identifier, symbols_ending_in_module)

    def macro_arguments(self, name: str) -> tuple[int, bool] | None:
        """(how many leading arguments are symbol names, whether they are phase names) for a macro."""
        for macro, count in self.phase_macros:
            if macro == name:
                return count, True
        for macro, count in self.argument_macros:
            if macro == name:
                return count, False
        return None


DEFAULT_REFERENCE_SYNTAX: Final = ReferenceSyntax()
"""Linux's spelling, also ESP-IDF's and Zephyr's: `CONFIG_X` everywhere, no macro forms."""


@dataclass(frozen=True, slots=True)
class ConfigReference:
    """One occurrence of a `CONFIG_` identifier and whether it refers to a Kconfig symbol.

    `symbol` is the Kconfig name (`CONFIG_` and, when `module_suffix`, the
    `_MODULE` suffix removed); `span` covers the whole identifier. `test` is the
    C test applied to it (`defined`, `IS_ENABLED`, ..., `value`) when known.
    `counts` applies the policy in this module's docstring; `locally_defined`
    says the file itself defines the name, which is why it may not count.
    """

    symbol: str
    span: Span
    line: int
    kind: ReferenceKind
    counts: bool
    module_suffix: bool = False
    test: str | None = None
    locally_defined: bool = False
    prefix_length: int = len(CONFIG_PREFIX)
    """Bytes of prefix in the span: 0 for macro arguments (`CONFIG_IS_ENABLED(X)`) and for
    Buildroot's names, whose prefix is part of the symbol."""

    @property
    def identifier(self) -> str:
        return CONFIG_PREFIX + self.symbol + ("_MODULE" if self.module_suffix else "")

    @property
    def symbol_span(self) -> Span:
        """The bytes of the symbol name alone: what a rename of the symbol rewrites."""
        start = self.span[0] + self.prefix_length
        return (start, start + len(self.symbol))


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Something malformed in a scanned file; scanners report these instead of failing."""

    span: Span
    line: int
    message: str


def split_config_identifier(
    identifier: str, symbols_ending_in_module: Container[str] = frozenset()
) -> tuple[str, bool]:
    """Split `CONFIG_X` or `CONFIG_X_MODULE` into `(X, module_suffix)`.

    `CONFIG_X_MODULE` is how Kconfig tells C that X is `m`, so it refers to X,
    unless the caller knows `X_MODULE` is itself a symbol. `CONFIG__MODULE`
    and `CONFIG_MODULE` stay whole names.
    """
    symbol = identifier[len(CONFIG_PREFIX) :] if identifier.startswith(CONFIG_PREFIX) else identifier
    if symbol.endswith("_MODULE") and len(symbol) > len("_MODULE") and symbol not in symbols_ending_in_module:
        base = symbol[: -len("_MODULE")]
        if not base.endswith("_"):
            return base, True
    return symbol, False


_IDENTIFIER_BYTES: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def is_identifier_byte(value: int) -> bool:
    """True for bytes that may continue a C, Make or Kconfig identifier."""
    return value in _IDENTIFIER_BYTES


def looks_binary(data: bytes) -> bool:
    """True for files that are not text: a NUL byte in the first 8 KiB, the test git uses."""
    return b"\0" in data[:8192]


CONFIG_IDENTIFIER_BYTES_PATTERN: Final = re.compile(rb"CONFIG_[A-Za-z0-9_]*")
"""Candidate occurrences; callers reject those preceded by an identifier byte.

A leading look-behind would be more exact but makes `re` give up its fast
literal-prefix search: measured over Linux's C files it is 30 times slower.
"""
