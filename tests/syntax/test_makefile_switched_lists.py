"""The Makefile scanner's shortcut for `obj-$(CONFIG_X) += a.o` lines (`_switched_list`) gives what
its general path gives (`_split_assignment`, `_collect`, `_top_level_words`), line for line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kconfig_ls.syntax import makefile
from kconfig_ls.syntax.config_reference import DEFAULT_REFERENCE_SYNTAX, ReferenceSyntax

LINES = [
    b"obj-$(CONFIG_A) += a.o b.o",
    b"obj-$(CONFIG_A)+=a.o",
    b"  obj-$(CONFIG_A) := a.o",
    b"\tobj-$(CONFIG_A) = a.o",
    b"obj-$(CONFIG_A) ?= a.o",
    b"obj-$(CONFIG_A) != echo a.o",
    b"obj-$(CONFIG_A) ::= a.o",
    b"obj-$(CONFIG_A) :::= a.o",
    b"obj-$(CONFIG_A) ::::= a.o",
    b"obj-$(CONFIG_A) +:= a.o",
    b"obj-$(CONFIG_A): a.o",
    b"obj-$(CONFIG_A) += a.o -Dfoo x=y -lm",
    b"obj-$(CONFIG_A) += a.o \\\n\tb.o \\\n\tc.o",
    b"obj-$(CONFIG_A) += a.o \\\r\n\tb.o",
    b"obj-$(CONFIG_A) += a.o # CONFIG_B here",
    b"obj-$(CONFIG_A) += a.o # plain",
    b"obj-$(CONFIG_A) += a.o\r",
    b"CONFIG_X-$(CONFIG_A) += a.o",
    b"MYCONFIG_X-$(CONFIG_A) += a.o",
    b"obj-$(CONFIG_A) += $(CONFIG_B)",
    b"obj-$(CONFIG_A) += CONFIG_B.o",
    b"obj-$(CONFIG_A) += $(obj)/a.o",
    b"obj-$(CONFIG_A)-$(CONFIG_B) += a.o",
    b"obj-$(CONFIG_A_MODULE) += a.o",
    b"obj-$(CONFIG_) += a.o",
    b"obj-$(CONFIG_$(SPL_)A) += a.o",
    b"export obj-$(CONFIG_A) += a.o",
    b"override obj-$(CONFIG_A) += a.o",
    b"private-$(CONFIG_A) += a.o",
    b"-$(CONFIG_A) = x",
    b"obj-${CONFIG_A} += a.o",
    b"obj-$(CONFIG_A) += a.o b\xff.o",
    b"ifdef-$(CONFIG_A) += a.o",
    b"define-$(CONFIG_A) += a.o",
    b"obj-$(CONFIG_A) +=",
    b"obj-$(CONFIG_A)",
    b"x.y_z-9-$(CONFIG_A) += a.o",
]

CONTEXTS = [
    b"%s\n",
    b"ifeq ($(CONFIG_G),y)\n%s\nendif\n",
    b"ifdef CONFIG_G\nifneq ($(CONFIG_H),)\n%s\nendif\nendif\n",
    b"define body\n%s\nendef\n",
    b"x := 1\n\n%s\nobj-y += z.o\n",
]


@contextmanager
def _general_path_only() -> Iterator[None]:
    """Every line through the general path: a `switched_list` that never matches."""
    original = makefile._MakefileScanner.__init__

    def init(self: makefile._MakefileScanner, data: bytes, syntax: ReferenceSyntax) -> None:
        original(self, data, syntax)
        self.switched_list = re.compile(rb"(?!)")

    makefile._MakefileScanner.__init__ = init  # type: ignore[method-assign]
    try:
        yield
    finally:
        makefile._MakefileScanner.__init__ = original  # type: ignore[method-assign]


def both_ways(data: bytes, syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX) -> tuple[object, object]:
    shortcut = (makefile.scan_makefile(data, syntax=syntax), makefile.index_makefile(data, syntax=syntax))
    with _general_path_only():
        general = (makefile.scan_makefile(data, syntax=syntax), makefile.index_makefile(data, syntax=syntax))
    return shortcut, general


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("line", LINES)
def test_the_shortcut_gives_what_the_general_path_gives(line: bytes, context: bytes) -> None:
    shortcut, general = both_ways(context % line)
    assert shortcut == general


def test_the_shortcut_is_taken_and_gives_objects() -> None:
    taken: list[bytes] = []
    original = makefile._MakefileScanner._switched_list

    def spy(self: makefile._MakefileScanner, logical: object, code: bytes, *rest: object) -> None:
        taken.append(code)
        original(self, logical, code, *rest)  # type: ignore[arg-type]

    makefile._MakefileScanner._switched_list = spy  # type: ignore[method-assign]
    try:
        rows = makefile.index_makefile(b"ifdef CONFIG_G\nobj-$(CONFIG_A) += a.o -Dx b.o\nendif\n")
    finally:
        makefile._MakefileScanner._switched_list = original  # type: ignore[method-assign]
    assert taken == [b"obj-$(CONFIG_A) += a.o -Dx b.o"]
    assert [row[:2] for row in rows.objects] == [("A", "a.o"), ("A", "b.o")]
    assert [row[0] for row in rows.references] == ["G", "A"]


def test_another_prefix_takes_the_shortcut_alike() -> None:
    syntax = ReferenceSyntax(prefix="BR2_")
    data = b"obj-$(BR2_A) += a.o\nobj-$(CONFIG_A) += b.o\nx-$(BR2_B)-$(BR2_C) := c\n"
    shortcut, general = both_ways(data, syntax)
    assert shortcut == general
