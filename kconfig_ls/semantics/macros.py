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
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

__all__ = ["MacroEnvironment", "MacroMessage", "MacroVariables", "UnknownValue"]

_LOG = logging.getLogger(__name__)
_MAX_DEPTH: Final = 64
_MAX_LENGTH: Final = 1 << 20
_SHELL_TIMEOUT_SECONDS: Final = 10


MacroVariables = tuple[tuple[str, str, bool], ...]
"""Macro variables as immutable data: (name, value, recursive) in definition order."""


class UnknownValue(Exception):
    """The text cannot be expanded without running a command (or at all)."""


@dataclass(frozen=True, slots=True)
class MacroMessage:
    """A message produced by `$(info)`, `$(warning-if)` or `$(error-if)`."""

    kind: str  # "info", "warning" or "error"
    text: str


@dataclass(slots=True)
class _Variable:
    value: str
    recursive: bool  # `=` (expanded at each use) versus `:=` (expanded once)


@dataclass
class MacroEnvironment:
    """Variables defined so far, plus the process-independent environment.

    `environment` plays the role of the C tool's `getenv` fallback; it comes
    from settings, never from `os.environ` read here.
    """

    environment: dict[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    variables: dict[str, _Variable] = field(default_factory=dict)
    messages: list[MacroMessage] = field(default_factory=list)

    def copy(self) -> MacroEnvironment:
        return MacroEnvironment(dict(self.environment), self.trust_commands, dict(self.variables), [])

    def variables_snapshot(self) -> MacroVariables:
        """The variables as immutable data, to resume linking at this point later."""
        return tuple((name, variable.value, variable.recursive) for name, variable in self.variables.items())

    @classmethod
    def from_snapshot(
        cls, environment: dict[str, str], trust_commands: bool, snapshot: MacroVariables
    ) -> MacroEnvironment:
        """An environment whose variables are those of `snapshot` (see `variables_snapshot`)."""
        variables = {name: _Variable(value, recursive) for name, value, recursive in snapshot}
        return cls(dict(environment), trust_commands, variables, [])

    def assign(self, name_text: str, flavor: str, value_text: str) -> None:
        """Apply `NAME := value`, `NAME = value` or `NAME += value`."""
        name = self.expand(name_text)
        if flavor == ":=":
            self.variables[name] = _Variable(self._expand_or_keep(value_text), recursive=False)
        elif flavor == "=":
            self.variables[name] = _Variable(value_text, recursive=True)
        else:
            existing = self.variables.get(name)
            if existing is None:
                self.variables[name] = _Variable(value_text, recursive=True)
            elif existing.recursive:
                existing.value = f"{existing.value} {value_text}"
            else:
                existing.value = f"{existing.value} {self._expand_or_keep(value_text)}"

    def expand(self, text: str) -> str:
        """Expand every `$(...)` in text; raise `UnknownValue` if impossible."""
        if "$" not in text:
            return text
        return self._expand(text, (), 0)

    def try_expand(self, text: str) -> str | None:
        try:
            return self.expand(text)
        except UnknownValue:
            return None

    # -- implementation ----------------------------------------------------------

    def _expand_or_keep(self, text: str) -> str:
        """Simple (`:=`) assignments of unknown values keep their text.

        Linux's `cc-option := ...` style definitions must not poison the
        environment: the unknown is discovered again where it is used.
        """
        try:
            return self.expand(text)
        except UnknownValue:
            return _UNKNOWN_MARK + text

    def _expand(self, text: str, arguments: tuple[str, ...], depth: int) -> str:
        if depth > _MAX_DEPTH:
            raise UnknownValue("macro recursion too deep")
        if text.startswith(_UNKNOWN_MARK):
            raise UnknownValue(text[len(_UNKNOWN_MARK) :])
        result: list[str] = []
        index = 0
        length = len(text)
        while index < length:
            dollar = text.find("$", index)
            if dollar < 0:
                result.append(text[index:])
                break
            result.append(text[index:dollar])
            if not text.startswith("$(", dollar):
                result.append("$")
                index = dollar + 1
                continue
            end = _matching_parenthesis(text, dollar + 1)
            if end < 0:
                raise UnknownValue("unterminated '$('")
            result.append(self._call(text[dollar + 2 : end], arguments, depth))
            index = end + 1
            if sum(len(part) for part in result) > _MAX_LENGTH:
                raise UnknownValue("macro expansion too long")
        return "".join(result)

    def _call(self, body: str, arguments: tuple[str, ...], depth: int) -> str:
        pieces = _split_arguments(body)
        name = self._expand(pieces[0], arguments, depth + 1).strip()
        raw_arguments = pieces[1:]
        if name.isdigit():
            position = int(name)
            return arguments[position - 1] if 0 < position <= len(arguments) else ""
        if name in _BUILTINS:
            expanded = tuple(self._expand(argument, arguments, depth + 1) for argument in raw_arguments)
            return _BUILTINS[name](self, expanded)
        expanded_arguments = tuple(self._expand(argument, arguments, depth + 1) for argument in raw_arguments)
        variable = self.variables.get(name)
        if variable is not None:
            if variable.recursive or expanded_arguments:
                return self._expand(variable.value, expanded_arguments, depth + 1)
            return self._expand(variable.value, (), depth + 1)
        if name in self.environment:
            return self.environment[name]
        return ""


_UNKNOWN_MARK: Final = "\x00unknown\x00"


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
    except (OSError, subprocess.TimeoutExpired) as error:
        _LOG.warning("$(shell,%s) failed: %s", command, error)
        raise UnknownValue(str(error)) from error
    output = completed.stdout.decode("utf-8", "replace")
    return " ".join(output.replace("\r", "").split("\n")).strip()


def _builtin_info(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    environment.messages.append(MacroMessage("info", arguments[0] if arguments else ""))
    return ""


def _builtin_warning_if(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    if len(arguments) >= 2 and arguments[0] == "y":
        environment.messages.append(MacroMessage("warning", arguments[1]))
    return ""


def _builtin_error_if(environment: MacroEnvironment, arguments: tuple[str, ...]) -> str:
    if len(arguments) >= 2 and arguments[0] == "y":
        environment.messages.append(MacroMessage("error", arguments[1]))
    return ""


_Builtin = Callable[[MacroEnvironment, tuple[str, ...]], str]
_BUILTINS: Final[dict[str, _Builtin]] = {
    "shell": _builtin_shell,
    "info": _builtin_info,
    "warning-if": _builtin_warning_if,
    "error-if": _builtin_error_if,
    "filename": lambda environment, arguments: "",
    "lineno": lambda environment, arguments: "0",
}


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
