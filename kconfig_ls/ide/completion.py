"""Completion in Kconfig files: symbol names in expressions, keywords at line start.

The context comes from the line before the cursor, not from the parse:
while the user types, the line is usually incomplete and the parser has
rejected it. Symbol names are offered after `depends on`, `select`,
`imply`, `default`, `def_*`, `range`, `if`, `visible if` and a prompt's
`if`; keywords at the start of a line (attributes first when the line is
indented, entries first when it is not).

On a large tree (Linux: 20,000 symbols) the list is filtered here by what
has been typed and capped; the result says when it is incomplete, so that
the editor asks again as the user types more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kconfig_ls.ide.cursor import line_bounds
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.syntax.kconfig import Span, quote_state

__all__ = ["CompletionItem", "CompletionResult", "config_prefix_completion", "kconfig_completion"]

COMPLETION_LIMIT: Final = 400

_ENTRY_KEYWORDS: Final = (
    "config",
    "menuconfig",
    "choice",
    "endchoice",
    "menu",
    "endmenu",
    "if",
    "endif",
    "comment",
    "source",
    "rsource",
    "osource",
    "orsource",
    "mainmenu",
)
_ATTRIBUTE_KEYWORDS: Final = (
    "bool",
    "tristate",
    "int",
    "hex",
    "string",
    "def_bool",
    "def_tristate",
    "prompt",
    "depends on",
    "select",
    "imply",
    "default",
    "range",
    "visible if",
    "help",
    "optional",
    "modules",
    "transitional",
)
_EXPRESSION_KEYWORDS: Final = frozenset(
    {"default", "def_bool", "def_tristate", "def_int", "def_hex", "def_string", "range", "if"}
)
_TYPE_KEYWORDS: Final = frozenset({"bool", "boolean", "tristate", "int", "hex", "string", "prompt"})
_KEYWORDS_WITHOUT_ARGUMENTS: Final = frozenset(
    {"endmenu", "endif", "endchoice", "help", "optional", "modules", "transitional"}
)
_WORD_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True, slots=True)
class CompletionItem:
    """`kind` is `symbol`, `keyword` or `constant`; `replace_span` is the word being typed."""

    label: str
    kind: str
    detail: str
    replace_span: Span
    sort_text: str
    insert_text: str


@dataclass(frozen=True, slots=True)
class CompletionResult:
    items: list[CompletionItem]
    is_incomplete: bool


def kconfig_completion(workspace: KconfigModel, data: bytes, offset: int) -> CompletionResult:
    offset = max(0, min(offset, len(data)))
    line_start, line_end = line_bounds(data, offset)
    before = data[line_start:offset].decode("utf-8", "replace")
    after = data[offset:line_end].decode("utf-8", "replace")
    typed_length = 0
    while typed_length < len(before) and before[len(before) - 1 - typed_length] in _WORD_CHARACTERS:
        typed_length += 1
    typed = before[len(before) - typed_length :]
    trailing = 0
    while trailing < len(after) and after[trailing] in _WORD_CHARACTERS:
        trailing += 1
    start = offset - len(typed.encode("utf-8"))
    replace_span = Span(start, offset + len(after[:trailing].encode("utf-8")))
    context = before[: len(before) - typed_length]
    if _inside_string_or_comment(context):
        return CompletionResult([], False)
    if not context.strip():
        return CompletionResult(_keyword_items(typed, replace_span, indented=bool(context)), False)
    if _wants_symbols(context):
        return _symbol_items(workspace, typed, replace_span, constants=_wants_constants(context))
    return CompletionResult([], False)


def config_prefix_completion(
    workspace: KconfigModel, data: bytes, offset: int, prefix: str = "CONFIG_"
) -> CompletionResult:
    """Completion after `CONFIG_` in C, Makefiles and config files: the symbol names.

    Only once `CONFIG_` is typed, so that ordinary C identifiers are left to
    the C language server; the whole identifier is replaced. A nested tree's
    names have its own `prefix` (Zephyr's sysbuild: `SB_CONFIG_`).
    """
    offset = max(0, min(offset, len(data)))
    start = offset
    while start > 0 and chr(data[start - 1]) in _WORD_CHARACTERS:
        start -= 1
    end = offset
    while end < len(data) and chr(data[end]) in _WORD_CHARACTERS:
        end += 1
    typed = data[start:offset].decode("ascii", "replace")
    if not typed.startswith(prefix):
        return CompletionResult([], False)
    symbols = _symbol_items(workspace, typed[len(prefix) :], Span(start, end), constants=False)
    items = [
        CompletionItem(
            prefix + item.label,
            item.kind,
            item.detail,
            item.replace_span,
            item.sort_text,
            prefix + item.insert_text,
        )
        for item in symbols.items
    ]
    return CompletionResult(items, symbols.is_incomplete)


def _wants_symbols(context: str) -> bool:
    words = context.split()
    first = words[0]
    if first == "depends":
        return len(words) >= 2 and words[1] == "on"
    if first == "visible":
        return len(words) >= 2 and words[1] == "if"
    if first in ("select", "imply"):
        return len(words) == 1 or (len(words) >= 3 and "if" in words[2:])
    if first in _EXPRESSION_KEYWORDS:
        return True
    if first in _TYPE_KEYWORDS:
        # `bool "Prompt" if <here>`: only after the prompt's closing quote.
        return "if" in _words_outside_strings(context)
    return False


def _wants_constants(context: str) -> bool:
    words = context.split()
    return words[0] in ("default", "def_bool", "def_tristate") and "if" not in words[1:]


def _symbol_items(
    workspace: KconfigModel, typed: str, replace_span: Span, *, constants: bool
) -> CompletionResult:
    needle = typed.upper()
    ranked: list[tuple[int, str]] = []
    for name in workspace.definitions:
        upper = name.upper()
        if not needle or upper.startswith(needle):
            ranked.append((0, name))
        elif needle in upper:
            ranked.append((1, name))
        elif _subsequence(needle, upper):
            ranked.append((2, name))
    ranked.sort()
    incomplete = len(ranked) > COMPLETION_LIMIT
    items: list[CompletionItem] = []
    if constants:
        for constant, detail in (("y", "yes"), ("m", "module"), ("n", "no")):
            if constant.startswith(typed):
                items.append(
                    CompletionItem(constant, "constant", detail, replace_span, f"0{constant}", constant)
                )
    for rank, name in ranked[:COMPLETION_LIMIT]:
        items.append(
            CompletionItem(
                name, "symbol", _symbol_detail(workspace, name), replace_span, f"{rank + 1}{name}", name
            )
        )
    return CompletionResult(items, incomplete)


def _symbol_detail(workspace: KconfigModel, name: str) -> str:
    definitions = workspace.definitions.get(name, [])
    for definition in definitions:
        type_name = definition.type_name or ""
        if definition.prompts:
            return f'{type_name} "{definition.prompts[0].text}"'.strip()
    for definition in definitions:
        if definition.type_name:
            return definition.type_name
    return ""


def _keyword_items(typed: str, replace_span: Span, *, indented: bool) -> list[CompletionItem]:
    groups = (_ATTRIBUTE_KEYWORDS, _ENTRY_KEYWORDS) if indented else (_ENTRY_KEYWORDS, _ATTRIBUTE_KEYWORDS)
    items: list[CompletionItem] = []
    seen: set[str] = set()
    for group_index, group in enumerate(groups):
        for keyword in group:
            if keyword in seen or not keyword.startswith(typed):
                continue
            seen.add(keyword)
            insert = keyword if keyword in _KEYWORDS_WITHOUT_ARGUMENTS else keyword + " "
            items.append(
                CompletionItem(keyword, "keyword", "", replace_span, f"{group_index}{len(items):03d}", insert)
            )
    return items


def _subsequence(needle: str, haystack: str) -> bool:
    position = 0
    for character in needle:
        position = haystack.find(character, position)
        if position < 0:
            return False
        position += 1
    return True


def _inside_string_or_comment(text: str) -> bool:
    comment, open_quote = quote_state(text)
    return comment >= 0 or bool(open_quote)


def _words_outside_strings(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    quote = ""
    for character in text:
        if quote:
            if character == quote:
                quote = ""
            continue
        if character in "\"'":
            quote = character
            continue
        if character.isspace():
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(character)
    if current:
        words.append("".join(current))
    return words
