"""Lexical helpers of the Kconfig parser: keywords, quotes, comments, `if` splitting.

These are pure functions of one line's text, shared by the parser, the help
text reader and (for `quote_state`) completion.
"""

from __future__ import annotations

import difflib
import re
from typing import Final

from kconfig_ls.syntax.expression import ExpressionSyntaxError, parse_expression

TYPE_KEYWORDS: Final = frozenset({"bool", "boolean", "tristate", "int", "hex", "string"})
DEF_TYPE_KEYWORDS: Final = {
    "def_bool": "bool",
    "def_tristate": "tristate",
    "def_int": "int",
    "def_hex": "hex",
    "def_string": "string",
}
ENTRY_KEYWORDS: Final = frozenset(
    {
        "config",
        "menuconfig",
        "configdefault",
        "choice",
        "endchoice",
        "comment",
        "menu",
        "endmenu",
        "if",
        "endif",
        "source",
        "rsource",
        "osource",
        "orsource",
        "mainmenu",
    }
)
ATTRIBUTE_KEYWORDS: Final = frozenset(
    {
        "bool",
        "boolean",
        "tristate",
        "int",
        "hex",
        "string",
        "def_bool",
        "def_tristate",
        "def_int",
        "def_hex",
        "def_string",
        "prompt",
        "depends",
        "select",
        "imply",
        "default",
        "range",
        "visible",
        "help",
        "---help---",
        "option",
        "optional",
        "modules",
        "transitional",
    }
)
ALL_KEYWORDS: Final = sorted(ENTRY_KEYWORDS | ATTRIBUTE_KEYWORDS)
SYMBOL_NAME: Final = re.compile(r"[A-Za-z0-9_]+|(?:[A-Za-z0-9_]*\$\([^)]*\)[A-Za-z0-9_]*)+")

NO_ARGUMENT_KEYWORDS: Final = frozenset(
    {"endchoice", "endmenu", "endif", "help", "---help---", "modules", "optional", "transitional"}
)
QUOTED_ARGUMENT_KEYWORDS: Final = frozenset(
    {"prompt", "menu", "comment", "mainmenu", "source", "rsource", "osource", "orsource"}
)
VALUE_KEYWORDS: Final = frozenset({"default", "def_bool", "def_tristate", "def_int", "def_hex", "def_string"})
KEYWORDS: Final = ENTRY_KEYWORDS | ATTRIBUTE_KEYWORDS
# A keyword glued to what follows it: `if(A)`, `bool"prompt"`, `default!A`.
_GLUED_KEYWORD: Final = re.compile(r"[a-z_]+(?=[(\"'!])")


def split_keyword(stripped: str) -> tuple[str, str]:
    """A statement's keyword and the rest (stripped), for a line without its indentation.

    The C tools' lexer ends a keyword at the first character that cannot be
    part of a word, so `if(A)` (ESP-IDF components/esp_coex/Kconfig:8) and
    `bool"prompt"` (Buildroot package/linux-tools/Config.in:151) are `if` and
    `bool` followed by their argument.
    """
    parts = stripped.split(None, 1)
    if not parts:
        return "", ""
    keyword = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    if keyword not in KEYWORDS:
        glued = _GLUED_KEYWORD.match(keyword)
        if glued is not None and glued.group() in KEYWORDS:
            keyword = glued.group()
            rest = stripped[len(keyword) :].strip()
    return keyword, rest


def starts_with_word(text: str, word: str) -> bool:
    """Whether `text` starts with the keyword `word` (`on`, `if`) followed by no word character."""
    if not text.startswith(word):
        return False
    following = text[len(word) : len(word) + 1]
    return not following or not (following.isalnum() or following == "_")


def is_keyword_line(line: str) -> bool:
    """Whether a line is a well-formed Kconfig statement, not prose that starts with a keyword.

    It ends a help text indented no deeper than `help`. Help prose such as
    "if you have a Xin-Mo Dual Arcade controller." or "modules also allow ..."
    (Linux drivers/hid/Kconfig:1281, net/netfilter/Kconfig:907) must stay
    help, as it does for the C tools; found by the kconfiglib agreement test.
    """
    keyword, rest = split_keyword(line.strip())
    if keyword not in KEYWORDS:
        return False
    if "#" in rest:
        rest = strip_comment(rest)
    rest = rest.strip()
    if keyword in NO_ARGUMENT_KEYWORDS:
        return not rest
    if keyword in QUOTED_ARGUMENT_KEYWORDS:
        return rest[:1] in ('"', "'")
    if keyword in TYPE_KEYWORDS:
        return not rest or rest[:1] in ('"', "'")
    if keyword in ("config", "menuconfig", "configdefault"):
        return SYMBOL_NAME.fullmatch(rest) is not None
    if keyword == "choice":
        return not rest or SYMBOL_NAME.fullmatch(rest) is not None
    if keyword in ("select", "imply"):
        target = without_condition(rest)
        return target is not None and SYMBOL_NAME.fullmatch(target) is not None
    if keyword == "if":
        return parses(rest)
    if keyword == "depends":
        return starts_with_word(rest, "on") and parses(rest[2:])
    if keyword == "visible":
        return starts_with_word(rest, "if") and parses(rest[2:])
    if keyword in VALUE_KEYWORDS:
        value = without_condition(rest)
        return value is not None and parses(value)
    if keyword == "range":
        bounds = without_condition(rest)
        return bounds is not None and len(bounds.split()) == 2
    if keyword == "option":
        return rest.split("=", 1)[0].strip() in ("env", "defconfig_list", "modules", "allnoconfig_y")
    return True


def looks_half_typed(line: str) -> bool:
    """A lone word that starts a keyword (`sel`, `depen`): typing, not prose."""
    words = line.split()
    return len(words) == 1 and any(k.startswith(words[0]) for k in ALL_KEYWORDS)


def parses(text: str) -> bool:
    if not text.strip():
        return False
    try:
        parse_expression(text)
    except ExpressionSyntaxError:
        return False
    return True


def without_condition(text: str) -> str | None:
    """`X if COND` -> `X` when COND parses; None when it does not."""
    head, separator, condition = text.partition(" if ")
    if separator and not parses(condition):
        return None
    return head.strip()


def line_indentation(line: str) -> int:
    """Columns of leading white space, tabs to the next multiple of 8."""
    content = line.lstrip()
    leading = line[: len(line) - len(content)]
    return len(leading) if "\t" not in leading else len(leading.expandtabs(8))


DOUBLE_QUOTED: Final = re.compile(r'"(?:[^"\\]|\\.)*"')
SINGLE_QUOTED: Final = re.compile(r"'(?:[^'\\]|\\.)*'")


def string_end(text: str, start: int) -> int:
    """Offset just past the closing quote of the string at `start`, or -1."""
    match = (DOUBLE_QUOTED if text[start] == '"' else SINGLE_QUOTED).match(text, start)
    return match.end() if match is not None else -1


def quote_state(text: str) -> tuple[int, str]:
    """(offset of the first `#` outside quotes or -1, the quote still open at the end or "")."""
    quote = ""
    index = 0
    while index < len(text):
        character = text[index]
        if quote:
            if character == "\\":
                index += 1
            elif character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
        elif character == "#":
            return index, ""
        index += 1
    return -1, quote


# The text before the first `#` outside quotes, as `quote_state` scans it (a backslash
# escapes inside quotes only): one C-level match instead of a Python loop per character.
_BEFORE_COMMENT: Final = re.compile(r"""(?:[^"'#]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*""")


def strip_comment(line: str) -> str:
    """The line without a trailing `# comment` (a `#` inside quotes is text)."""
    if "#" not in line:
        return line
    end = _BEFORE_COMMENT.match(line).end()  # type: ignore[union-attr]  # `*` always matches
    return line[:end].rstrip() if end < len(line) and line[end] == "#" else line


def unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", r"\1", body)


def find_if(text: str) -> int:
    """Offset of the top-level `if` keyword in `VALUE if COND`, or -1.

    Quoted strings are skipped, so `default "a if b"` has no condition.
    """
    if "if" not in text:
        return -1
    index = 0
    length = len(text)
    while index < length:
        character = text[index]
        if character in "\"'":
            end = string_end(text, index)
            if end < 0:
                return -1
            index = end
            continue
        if (
            character == "i"
            and text.startswith("if", index)
            and (index == 0 or text[index - 1] in " \t)\"'")
            and (index + 2 == length or text[index + 2] in " \t(!\"'")
        ):
            return index
        index += 1
    return -1


def closest_keyword(word: str) -> str | None:
    if not word or len(word) > 20:
        return None
    matches = difflib.get_close_matches(word, ALL_KEYWORDS, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    prefixed = [keyword for keyword in ALL_KEYWORDS if keyword.startswith(word)]
    return prefixed[0] if len(prefixed) == 1 else None
