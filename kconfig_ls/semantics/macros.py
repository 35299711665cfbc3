"""The Kconfig preprocessor: `$(VAR)`, `$(fn,args)`, `:=`, `=` and `+=`.

Kconfig expands macros while it reads, so the same text can mean different
things in different places (Linux's `arch/$(SRCARCH)/Kconfig`, Zephyr's
`config $(module)_LOG_LEVEL` templates). The model keeps a `MacroEnvironment`
while it walks the `source` graph and expands text with it.

Security: loading a tree runs none of its commands. `$(shell,...)` (and so
Linux's `success`, `failure`, `cc-option`, ... which are built on it) raise
`UnknownValue` unless the caller explicitly trusts the workspace; the model
turns that into an `Unknown` operand. `$(info,...)`, `$(warning-if,...)` and
`$(error-if,...)` are recorded as messages, never printed, never fatal.

Work budgets: a few lines of hostile text can ask for exponential work
(`A1 = $(A0)$(A0)` forty times) or exponential output. Every top-level
expansion may make at most `MAX_CALLS_PER_EXPANSION` calls and produce at
most `MAX_LENGTH` characters, and one environment (one load of a tree) at
most `MAX_CALLS_TOTAL` calls; over a budget the value is unknown
(`UnknownValue`) and a `MacroMessage` says why, so the caller can report it.
Messages are capped per file and each message's text is shortened. A NUL
byte (in the text or in an environment value) makes the value unknown too:
no path or message built from it ever reaches the operating system.

Zephyr's preprocessor functions (`scripts/kconfig/kconfigfunctions.py`,
which its kconfiglib loads): a call to a name the C tool would expand to
nothing (no builtin, variable or environment value of that name) is one of
them when it is `normalize_upper` or `substring` (computed here, they are
pure) or a devicetree, shield or arithmetic function (`dt_*`, ...): those
read the build's devicetree, so their value is unknown, never empty.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "MAX_CALLS_PER_EXPANSION",
    "MAX_CALLS_TOTAL",
    "MAX_LENGTH",
    "MAX_MESSAGES_PER_FILE",
    "MacroEnvironment",
    "MacroMessage",
    "MacroVariables",
    "UnknownValue",
    "split_computed_assignment",
]

_LOG = logging.getLogger(__name__)
_MAX_DEPTH: Final = 64
MAX_LENGTH: Final = 1 << 20
# Linux 6.12 makes about 1,000 calls in all (at most 16 in one expansion);
# one expansion of a 20,000-call line must still work.
MAX_CALLS_PER_EXPANSION: Final = 25_000
MAX_CALLS_TOTAL: Final = 100_000
MAX_MESSAGES_PER_FILE: Final = 100
_MAX_MESSAGE_LENGTH: Final = 2000
_SHELL_TIMEOUT_SECONDS: Final = 10


MacroVariables = tuple[tuple[str, str, bool, str | None], ...]
"""Macro variables as immutable data: (name, value, recursive, unknown reason) in definition order."""


class UnknownValue(Exception):
    """The text cannot be expanded without running a command (or at all)."""


@dataclass(frozen=True, slots=True)
class MacroMessage:
    """A message produced by `$(info)`, `$(warning-if)` or `$(error-if)`, or by a work budget.

    `kind` is "info", "warning" or "error"; `origin` is the builtin that
    produced the message, or "macro expansion" for the budget and
    consistency messages of the expander itself. `line` is the caller's
    line number when it passed one (0 otherwise).
    """

    kind: str
    text: str
    origin: str = ""
    line: int = 0

    def describe(self) -> str:
        """The message as a finding would show it, e.g. `$(warning-if): hello`."""
        origin = self.origin or {"info": "$(info)", "warning": "$(warning-if)"}.get(self.kind, "$(error-if)")
        return f"{origin}: {self.text}"


@dataclass(slots=True)
class _Variable:
    value: str
    recursive: bool  # `=` (expanded at each use) versus `:=` (expanded once)
    # A simple variable whose value needed a command (or broke a budget):
    # the reason, raised again at each use. Linux's `cc-option := ...` style
    # definitions must not poison the environment.
    unknown: str | None = None


@dataclass
class MacroEnvironment:
    """Variables defined so far, plus the process-independent environment.

    `environment` plays the role of the C tool's `getenv` fallback; it comes
    from settings, never from `os.environ` read here. `filename` and `line`
    are what `$(filename)` and `$(lineno)` expand to; callers that know the
    current file and line set them (see `execute`), the defaults keep the
    old answers ("" and "0").
    """

    environment: dict[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    variables: dict[str, _Variable] = field(default_factory=dict)
    messages: list[MacroMessage] = field(default_factory=list)
    filename: str = ""
    line: int = 0
    _calls_left: int = 0
    _total_calls_left: int = MAX_CALLS_TOTAL
    _messages_per_file: dict[str, int] = field(default_factory=dict)
    _expanding: list[str] = field(default_factory=list)
    # `variables_snapshot()` memo, dropped by every assignment: linking takes
    # a snapshot at each file's entry and after each `source` line (8,000 on
    # Linux, whose scripts/Kconfig.include defines ~100 variables), and the
    # variables rarely change between two of them.
    _snapshot: MacroVariables | None = field(default=None, repr=False, compare=False)

    def copy(self) -> MacroEnvironment:
        return MacroEnvironment(
            dict(self.environment),
            self.trust_commands,
            {name: _Variable(v.value, v.recursive, v.unknown) for name, v in self.variables.items()},
            [],
            self.filename,
            self.line,
        )

    def variables_snapshot(self) -> MacroVariables:
        """The variables as immutable data, to resume linking at this point later."""
        snapshot = self._snapshot
        if snapshot is None:
            snapshot = tuple((name, v.value, v.recursive, v.unknown) for name, v in self.variables.items())
            self._snapshot = snapshot
        return snapshot

    def restore(self, snapshot: MacroVariables) -> None:
        """Make the variables those of `snapshot` (see `variables_snapshot`)."""
        self.variables = {
            name: _Variable(value, recursive, unknown) for name, value, recursive, unknown in snapshot
        }
        self._snapshot = snapshot

    @classmethod
    def from_snapshot(
        cls, environment: dict[str, str], trust_commands: bool, snapshot: MacroVariables
    ) -> MacroEnvironment:
        """An environment whose variables are those of `snapshot` (see `variables_snapshot`)."""
        restored = cls(dict(environment), trust_commands)
        restored.restore(snapshot)
        return restored

    def execute(
        self, name_text: str, flavor: str, value_text: str, filename: str = "", line: int = 0
    ) -> None:
        """Run one preprocessor statement of `filename` at `line` (1-based).

        `flavor` is ":=", "=", "+=" or "call" (a line that is only a macro
        call). A "call" line that is really an assignment with a computed
        name (`$(X)$(Y) := 5`) is run as that assignment. Unknown values are
        swallowed, as the C tool would have run the command; messages stay in
        `messages`.
        """
        self.filename, self.line = filename, line
        try:
            if flavor == "call":
                assignment = split_computed_assignment(value_text)
                if assignment is None:
                    self.expand(value_text)
                else:
                    self.assign(*assignment)
            else:
                self.assign(name_text, flavor, value_text)
        except UnknownValue:
            pass

    def assign(self, name_text: str, flavor: str, value_text: str) -> None:
        """Apply `NAME := value`, `NAME = value` or `NAME += value`."""
        self._snapshot = None
        name = self.expand(name_text).strip()
        if flavor == ":=":
            self.variables[name] = self._simple(value_text)
        elif flavor == "=":
            self.variables[name] = _Variable(value_text, recursive=True)
        else:
            existing = self.variables.get(name)
            if existing is None:
                self.variables[name] = _Variable(value_text, recursive=True)
            elif existing.recursive:
                existing.value = f"{existing.value} {value_text}"
            elif existing.unknown is None:
                appended = self._simple(value_text)
                if appended.unknown is not None:
                    existing.unknown = appended.unknown
                elif len(existing.value) + len(appended.value) > MAX_LENGTH:
                    existing.unknown = self._over_budget(
                        f"the value of '{name}' is longer than {MAX_LENGTH} characters"
                    )
                else:
                    existing.value = f"{existing.value} {appended.value}"

    def expand(self, text: str) -> str:
        """Expand every `$(...)` in text; raise `UnknownValue` if impossible."""
        if "\x00" in text:
            raise UnknownValue(self._refuse_nul("the text"))
        if "$" not in text:
            return text
        self._calls_left = MAX_CALLS_PER_EXPANSION
        self._expanding.clear()
        result = self._expand(text, (), 0)
        if "\x00" in result:
            raise UnknownValue(self._refuse_nul("the expanded text"))
        return result

    def try_expand(self, text: str) -> str | None:
        try:
            return self.expand(text)
        except UnknownValue:
            return None

    def add_message(self, kind: str, text: str, origin: str = "") -> None:
        """Record a message, at most `MAX_MESSAGES_PER_FILE` per file, each shortened."""
        count = self._messages_per_file.get(self.filename, 0) + 1
        self._messages_per_file[self.filename] = count
        if count > MAX_MESSAGES_PER_FILE + 1:
            return
        if count == MAX_MESSAGES_PER_FILE + 1:
            kind, origin = "warning", "macro expansion"
            text = f"more than {MAX_MESSAGES_PER_FILE} macro messages in this file; the rest are not shown"
        elif len(text) > _MAX_MESSAGE_LENGTH:
            text = text[:_MAX_MESSAGE_LENGTH] + f"... ({len(text)} characters)"
        self.messages.append(MacroMessage(kind, text.replace("\x00", "\\0"), origin, self.line))

    # -- implementation ----------------------------------------------------------

    def _simple(self, text: str) -> _Variable:
        try:
            return _Variable(self.expand(text), recursive=False)
        except UnknownValue as error:
            return _Variable(text, recursive=False, unknown=str(error))

    def _over_budget(self, reason: str) -> str:
        self.add_message("warning", f"{reason}; the value is unknown", "macro expansion")
        return reason

    def _refuse_nul(self, what: str) -> str:
        reason = f"{what} holds a NUL byte; it is not expanded"
        self.add_message("warning", reason, "macro expansion")
        return reason

    def _expand(self, text: str, arguments: tuple[str, ...], depth: int) -> str:
        if depth > _MAX_DEPTH:
            raise UnknownValue(self._over_budget(f"macro nesting deeper than {_MAX_DEPTH}"))
        result: list[str] = []
        total = 0  # the running length of result (never re-summed)
        index = 0
        length = len(text)
        while index < length:
            dollar = text.find("$", index)
            if dollar < 0:
                piece = text[index:]
                index = length
            elif not text.startswith("$(", dollar):
                piece = text[index : dollar + 1]
                index = dollar + 1
            else:
                end = _matching_parenthesis(text, dollar + 1)
                if end < 0:
                    raise UnknownValue("unterminated '$('")
                result.append(text[index:dollar])
                total += dollar - index
                piece = self._call(text[dollar + 2 : end], arguments, depth)
                index = end + 1
            result.append(piece)
            total += len(piece)
            if total > MAX_LENGTH:
                raise UnknownValue(self._over_budget(f"macro expansion longer than {MAX_LENGTH} characters"))
        return "".join(result)

    def _call(self, body: str, arguments: tuple[str, ...], depth: int) -> str:
        self._calls_left -= 1
        self._total_calls_left -= 1
        if self._calls_left < 0:
            raise UnknownValue(
                self._over_budget(f"macro expansion needs more than {MAX_CALLS_PER_EXPANSION} calls")
            )
        if self._total_calls_left < 0:
            if self._total_calls_left == -1:
                self._over_budget(f"the tree's macros need more than {MAX_CALLS_TOTAL} calls in all")
            raise UnknownValue(f"more than {MAX_CALLS_TOTAL} macro calls")
        pieces = _split_arguments(body)
        name = self._expand(pieces[0], arguments, depth + 1).strip()
        raw_arguments = pieces[1:]
        if name.isdigit():
            position = int(name)
            return arguments[position - 1] if 0 < position <= len(arguments) else ""
        expanded_arguments = tuple(self._expand(argument, arguments, depth + 1) for argument in raw_arguments)
        if name in _BUILTINS:
            return _BUILTINS[name](self, expanded_arguments)
        variable = self.variables.get(name)
        if variable is not None:
            if variable.unknown is not None:
                raise UnknownValue(variable.unknown)
            if not variable.recursive and not expanded_arguments:
                return variable.value  # a simple variable is expanded once, when assigned
            if not expanded_arguments and name in self._expanding:
                message = f"recursive variable '{name}' references itself (eventually)"
                self.add_message("error", message, "macro expansion")
                raise UnknownValue(message)
            self._expanding.append(name)
            try:
                return self._expand(variable.value, expanded_arguments, depth + 1)
            finally:
                self._expanding.pop()
        if name in self.environment:
            value = self.environment[name]
            if "\x00" in value:
                raise UnknownValue(self._refuse_nul(f"environment variable '{name}'"))
            return value
        if name in _ZEPHYR_FUNCTIONS:
            return _ZEPHYR_FUNCTIONS[name](expanded_arguments)
        if name.startswith("dt_") or name in _ZEPHYR_UNKNOWN_FUNCTIONS:
            raise UnknownValue(f"$({name},...) reads the build's devicetree or hardware model")
        return ""


def split_computed_assignment(text: str) -> tuple[str, str, str] | None:
    """`$(X)$(Y) := 5` -> ("$(X)$(Y)", ":=", "5"); None for a plain macro call line.

    The name side may hold macro references (the C tool expands it before
    assigning); the operator is the first `:=`, `+=` or `=` outside `$(...)`.
    """
    depth = 0
    for index, character in enumerate(text):
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif depth == 0 and character == "=":
            if index > 0 and text[index - 1] in ":+":
                flavor, name_end = text[index - 1] + "=", index - 1
            else:
                flavor, name_end = "=", index
            name = text[:name_end].strip()
            if not name or any(c.isspace() for c in name):
                return None
            return name, flavor, text[index + 1 :].strip()
        elif (
            depth == 0
            and character.isspace()
            and text[:index].strip()
            and not _assignment_follows(text, index)
        ):
            return None
    return None


def _assignment_follows(text: str, index: int) -> bool:
    rest = text[index:].lstrip()
    return rest.startswith((":=", "+=", "="))


def _builtin_shell(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    if not environment.trust_commands:
        raise UnknownValue("$(shell,...) is not run in an untrusted workspace")
    command = arguments[0] if arguments else ""
    try:
        completed = subprocess.run(
            command,
            shell=True,
            capture_output=True,
            timeout=_SHELL_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        _LOG.warning("$(shell,%s) failed: %s", command, error)
        raise UnknownValue(str(error)) from error
    output = completed.stdout.decode("utf-8", "replace")
    return " ".join(output.replace("\r", "").split("\n")).strip()


def _builtin_info(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    environment.add_message("info", arguments[0] if arguments else "")
    return ""


def _builtin_warning_if(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    if len(arguments) >= 2 and arguments[0] == "y":
        environment.add_message("warning", arguments[1])
    return ""


def _builtin_error_if(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    if len(arguments) >= 2 and arguments[0] == "y":
        environment.add_message("error", arguments[1])
    return ""


_Builtin = Callable[[MacroEnvironment, tuple[str, ...]], str]
_BUILTINS: Final[dict[str, _Builtin]] = {
    "shell": _builtin_shell,
    "info": _builtin_info,
    "warning-if": _builtin_warning_if,
    "error-if": _builtin_error_if,
    "filename": lambda environment, arguments: environment.filename,
    "lineno": lambda environment, arguments: str(environment.line),
}


def _zephyr_normalize_upper(arguments: tuple[str, ...]) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", arguments[0] if arguments else "").upper()


def _zephyr_substring(arguments: tuple[str, ...]) -> str:
    text = arguments[0] if arguments else ""
    try:
        start = int(arguments[1]) if len(arguments) > 1 else 0
        stop = int(arguments[2]) if len(arguments) > 2 else None
    except ValueError as error:
        raise UnknownValue(f"$(substring,...) with a bound that is not a number: {error}") from error
    return text[start:stop]


_ZEPHYR_FUNCTIONS: Final[dict[str, Callable[[tuple[str, ...]], str]]] = {
    "normalize_upper": _zephyr_normalize_upper,
    "substring": _zephyr_substring,
}
# `kconfig_ls_board_selects` is no Zephyr function: the stand-in for "some board" that
# `settings.ecosystem` generates when no board is chosen (`def_bool $(kconfig_ls_board_selects)`
# for each symbol a board selects) calls it, so those symbols are unknown rather than dead.
_ZEPHYR_UNKNOWN_FUNCTIONS: Final = frozenset(
    {
        "shields_list_contains",
        "add",
        "sub",
        "mul",
        "div",
        "mod",
        "max",
        "min",
        "inc",
        "dec",
        "kconfig_ls_board_selects",
    }
)


def _matching_parenthesis(text: str, open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(text)):
        character = text[index]
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _split_arguments(body: str) -> list[str]:
    """Split a macro call body at top-level commas."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for index, character in enumerate(body):
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "," and depth == 0:
            pieces.append(body[start:index])
            start = index + 1
    pieces.append(body[start:])
    return pieces
