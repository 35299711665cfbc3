"""kconfiglib, walled in: the one module that imports it.

Why kconfiglib at all: it implements Kconfig's evaluation semantics (tristate
values, defaults, select/imply, choices, visibility) the way the C tools do,
so it is our oracle in tests (`tests/linux/test_kconfiglib_agreement.py`)
and, later, an evaluator for `.config` files. Why only here: as a library it
is unsafe for an editor (see `shared/notes/measured-facts.md`), and every
one of its hazards is handled in this module:

- `$(shell,...)` runs a subprocess. Unless the caller trusts the tree, the
  shell function returns a *placeholder* instead: a symbol name that
  kconfiglib parses as an (undefined, so `n`) symbol, and that the converter
  below turns into an `Unknown` operand. A placeholder is never blank, which
  matters: Linux's `default $(cc-version)` would otherwise be a parse error
  ("macro expanded to blank string"), and it never reads as `y`, so
  `$(error-if,$(success,...),...)` does not fire.
- `$(info)`, `$(warning-if)` and `$(error-if)` are recorded as
  `KconfiglibMessage`s, never printed and never fatal. kconfiglib's warnings
  go to `KconfiglibTree.warnings`, not to stderr, and the load runs with
  stdout redirected to a buffer: a language server's stdout is JSON-RPC.
- Linux 5.13+ writes a bare `modules` attribute, which kconfiglib 14.1 does
  not know; it is rewritten to `option modules` while the file is read.
- kconfiglib reads `os.environ` (`srctree`, `KCONFIG_*`, and any `$(VAR)`).
  Macro variables come from the explicit `environment` argument only; the
  few variables kconfiglib reads directly are set for the duration of the
  load under a lock and restored afterwards. `KCONFIG_FUNCTIONS` is pointed
  at a module that does not exist, so that no `kconfigfunctions.py` on
  `sys.path` is imported (and run).

kconfiglib's expressions are converted to ours (`kconfig_ls.syntax.expression`)
by `KconfiglibTree`; see `_Converter` for the mapping, including choices.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import kconfiglib

from kconfig_ls.syntax.expression import (
    Compare,
    Constant,
    Expression,
    Symbol,
    Unknown,
    conjunction,
    disjunction,
    negation,
)

__all__ = [
    "PLACEHOLDER_PREFIX",
    "KconfiglibDefinition",
    "KconfiglibError",
    "KconfiglibLocation",
    "KconfiglibMessage",
    "KconfiglibPrompt",
    "KconfiglibReverse",
    "KconfiglibSymbol",
    "KconfiglibTree",
    "PreprocessorFunction",
    "load_with_kconfiglib",
    "unmet_select_pairs",
]

PLACEHOLDER_PREFIX: Final = "KCONFIG_LS_UNKNOWN_"
"""Start of the symbol name an untrusted `$(shell,...)` expands to."""

_PLACEHOLDER: Final = re.compile(PLACEHOLDER_PREFIX + r"([0-9]+)")
_NUMBER: Final = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|[0-9]+)")
_BARE_MODULES: Final = re.compile(r"^([ \t]+)modules([ \t]*(?:#.*)?)$")
_HELP_LINE: Final = re.compile(r"^[ \t]*(?:help|---help---)[ \t]*$")
_SHELL_TIMEOUT_SECONDS: Final = 120
# Variables kconfiglib reads from os.environ by itself; all are set or
# removed for the load. Everything else it would read is served from the
# explicit environment by `_SafeKconfig._fn_val`.
_DIRECTLY_READ_VARIABLES: Final = (
    "srctree",
    "CONFIG_",
    "KCONFIG_FUNCTIONS",
    "KCONFIG_WARN_UNDEF",
    "KCONFIG_STRICT",
    "KCONFIG_WARN_UNDEF_ASSIGN",
    "KCONFIG_CONFIG_HEADER",
    "KCONFIG_AUTOHEADER_HEADER",
)
_NO_FUNCTIONS_MODULE: Final = "kconfig_ls.semantics._no_kconfiglib_functions_module"
_ENVIRONMENT_LOCK: Final = threading.Lock()
PreprocessorFunction = Callable[[list[str]], str]
"""A project's own preprocessor function: expanded arguments in, value out."""
_ARITY: Final = {"shell": 1, "info": 1, "warning-if": 2, "error-if": 2}


class KconfiglibError(Exception):
    """kconfiglib could not load the tree (a syntax error anywhere, a missing file)."""


@dataclass(frozen=True, slots=True)
class KconfiglibLocation:
    """A place in a Kconfig file: absolute path, 1-based line."""

    path: str
    line: int


@dataclass(frozen=True, slots=True)
class KconfiglibReverse:
    """A `select`/`imply` edge as kconfiglib stores it.

    `condition` is the `if` condition *and* the selecting definition's
    dependencies (kconfiglib, like the C tools, propagates `depends on` and
    enclosing conditions into every property).
    """

    target: str
    condition: Expression
    location: KconfiglibLocation


@dataclass(frozen=True, slots=True)
class KconfiglibPrompt:
    """A prompt and when it is shown: its `if`, enclosing `visible if`, and the dependencies."""

    text: str
    condition: Expression
    location: KconfiglibLocation


@dataclass(frozen=True, slots=True)
class KconfiglibDefinition:
    """One definition site (kconfiglib's menu node) of a symbol."""

    location: KconfiglibLocation
    dependency: Expression
    prompt: KconfiglibPrompt | None


@dataclass(frozen=True, slots=True)
class KconfiglibSymbol:
    """What kconfiglib says about one defined symbol, in our expression types.

    `direct_dependency` is the OR over definition sites of each site's
    dependencies (kconfiglib's `direct_dep`); `choice` is the name of the
    enclosing choice, `"<choice>"` for an unnamed one, or None.
    """

    name: str
    type_name: str | None
    direct_dependency: Expression
    selects: tuple[KconfiglibReverse, ...]
    implies: tuple[KconfiglibReverse, ...]
    prompts: tuple[KconfiglibPrompt, ...]
    definitions: tuple[KconfiglibDefinition, ...]
    choice: str | None


@dataclass(frozen=True, slots=True)
class KconfiglibMessage:
    """`$(info)`, `$(warning-if)` or `$(error-if)` met while loading.

    `fired` is True when the condition was `y`, False when it was not, and
    None when it came from an unrun command (so nobody knows).
    """

    kind: str  # "info", "warning" or "error"
    text: str
    location: KconfiglibLocation
    fired: bool | None


@dataclass
class _LoadRecord:
    """What the preprocessor hooks record during one load."""

    root: str
    environment: Mapping[str, str]
    trust_commands: bool
    functions: Mapping[str, PreprocessorFunction | None] = field(default_factory=dict)
    messages: list[KconfiglibMessage] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    shell_seconds: float = 0.0


def load_with_kconfiglib(
    root: str,
    root_kconfig: str,
    environment: Mapping[str, str],
    trust_commands: bool = False,
    functions: Mapping[str, PreprocessorFunction | None] | None = None,
) -> KconfiglibTree:
    """Load a Kconfig tree with kconfiglib, without side effects.

    `root` is the tree's top folder (kconfiglib's `srctree`), `root_kconfig`
    the root file relative to it, `environment` the variables macros may read
    (`SRCARCH`, `CC`, ...; see `kconfig_ls.settings.project_file.linux_environment`).
    Commands run only when `trust_commands` is set, in `root`, with
    `environment` added to the process environment.

    `functions` stand for a project's `kconfigfunctions.py`, which is never
    imported from the tree (Zephyr's `normalize_upper`, `dt_*`): each takes
    the expanded arguments and returns the value; a name mapped to None is
    unknown (a placeholder, as an untrusted `$(shell,...)`).

    Raises `KconfiglibError` when kconfiglib rejects the tree.
    """
    root = os.path.abspath(root)
    record = _LoadRecord(root, dict(environment), trust_commands, dict(functions or {}))
    stdout = io.StringIO()
    started = time.perf_counter()
    with _kconfiglib_environment(root, environment), contextlib.redirect_stdout(stdout):
        try:
            kconfig = _SafeKconfig(record, root_kconfig)
        except kconfiglib.KconfigError as error:
            raise KconfiglibError(str(error).strip()) from error
        except OSError as error:
            raise KconfiglibError(f"cannot read {error.filename}: {error.strerror}") from error
    seconds = time.perf_counter() - started
    warnings = list(kconfig.warnings)
    if stdout.getvalue():
        warnings.append("kconfiglib wrote to stdout: " + stdout.getvalue().strip())
    return KconfiglibTree(kconfig, record, warnings, seconds)


class KconfiglibTree:
    """A tree loaded by kconfiglib, queried in our types.

    Symbols are converted on first use (the load itself stays as fast as
    kconfiglib's parse, which the benchmark measures). Not thread-safe:
    kconfiglib caches values inside its objects.
    """

    def __init__(self, kconfig: Any, record: _LoadRecord, warnings: list[str], seconds: float) -> None:
        self._kconfig = kconfig
        self._record = record
        self._converter = _Converter(kconfig, record.root)
        self._symbols: dict[str, KconfiglibSymbol] = {}
        self.root = record.root
        self.messages: list[KconfiglibMessage] = record.messages
        self.warnings: list[str] = warnings
        self.load_seconds = seconds
        """Wall time of kconfiglib's load, commands included."""
        self.shell_seconds = record.shell_seconds
        """Wall time spent in `$(shell,...)` (zero unless commands are trusted)."""
        self.shell_calls = len(record.commands)
        self.commands: list[str] = record.commands
        """Every `$(shell,...)` command met, run or not, in order."""

    # -- symbols ---------------------------------------------------------------------

    def symbol_names(self) -> list[str]:
        """Names of the symbols the tree defines, in definition order."""
        return [sym.name for sym in self._kconfig.unique_defined_syms]

    def symbol(self, name: str) -> KconfiglibSymbol | None:
        """A defined symbol, or None when the tree does not define it."""
        converted = self._symbols.get(name)
        if converted is not None:
            return converted
        sym = self._kconfig.syms.get(name)
        if sym is None or not sym.nodes:
            return None
        converted = self._converter.symbol(sym)
        self._symbols[name] = converted
        return converted

    def symbols(self) -> Iterator[KconfiglibSymbol]:
        for name in self.symbol_names():
            converted = self.symbol(name)
            if converted is not None:
                yield converted

    def convert(self, kconfiglib_expression: Any) -> Expression:
        """One kconfiglib expression (tuple, Symbol or Choice) in our types."""
        return self._converter.expression(kconfiglib_expression)

    # -- configurations --------------------------------------------------------------

    def load_config(self, path: str) -> list[str]:
        """Load a `.config` (replacing earlier values); return kconfiglib's warnings."""
        before = len(self._kconfig.warnings)
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            try:
                self._kconfig.load_config(path, replace=True)
            except kconfiglib.KconfigError as error:
                raise KconfiglibError(str(error).strip()) from error
        return list(self._kconfig.warnings[before:])

    def write_autoconf(self, path: str) -> None:
        """Write the `autoconf.h` of the loaded configuration (the header the C code includes)."""
        with contextlib.redirect_stdout(io.StringIO()):
            self._kconfig.write_autoconf(path)

    def randomise(self, seed: int, bias: float = 0.0) -> None:
        """Give every assignable symbol and choice a random user value, as `randconfig` does.

        Symbols are visited in definition order, each given one of the values
        it can take at that moment (`assignable`), so the result is a valid
        configuration. With probability `bias` a symbol takes its highest
        assignable value instead (like `KCONFIG_PROBABILITY`: deep symbols
        are reached only when their menus are on). Used as the reference for
        the logic layer's soundness.
        """
        import random

        generator = random.Random(seed)
        with contextlib.redirect_stdout(io.StringIO()):
            self._kconfig.unset_values()
            for sym in self._kconfig.unique_defined_syms:
                if sym.choice is None and sym.assignable:
                    values = sym.assignable
                    sym.set_value(values[-1] if generator.random() < bias else generator.choice(values))
            for choice in self._kconfig.unique_choices:
                if choice.assignable:
                    choice.set_value(generator.choice(choice.assignable))
                visible = [sym for sym in choice.syms if sym.visibility]
                if visible and choice.tri_value == 2:
                    generator.choice(visible).set_value(2)

    def evaluation_warnings(self) -> list[str]:
        """Compute every symbol's value; return the warnings that raised (unmet dependencies)."""
        before = len(self._kconfig.warnings)
        with contextlib.redirect_stdout(io.StringIO()):
            for sym in self._kconfig.unique_defined_syms:
                sym.str_value  # noqa: B018 (evaluating the property is the point)
        return list(self._kconfig.warnings[before:])

    def write_config(self, path: str) -> None:
        """Write the current values as a `.config` (kconfiglib's format, as the C tools')."""
        with contextlib.redirect_stdout(io.StringIO()):
            self._kconfig.write_config(path, header="")

    def value_of(self, name: str) -> str | None:
        """A symbol's value under the loaded configuration, as `.config` writes it.

        Undefined symbols have their own name as value, as in Kconfig (that
        is how `FOO = bar` works); names kconfiglib never met and command
        placeholders are unknown (None). Fits `kconfig_ls.logic.evaluate`.

        Without trusted commands, a prompt-less symbol computed from a probe
        (`CC_IS_GCC`, `def_bool $(success,...)`) gets `n` here, whatever the
        `.config` says: kconfiglib recomputes such symbols, and a placeholder
        is `n`. Take those values from the `.config` file itself.
        """
        sym = self._kconfig.syms.get(name)
        if sym is None or _PLACEHOLDER.search(name):
            return None
        with contextlib.redirect_stdout(io.StringIO()):
            return str(sym.str_value)


# --- the kconfiglib subclass --------------------------------------------------------


class _SafeKconfig(kconfiglib.Kconfig):  # type: ignore[misc]
    """kconfiglib's `Kconfig` with our preprocessor hooks and file shim.

    Overrides two private methods, `_fn_val` (macro calls and environment
    lookups) and `_open` (reading files), checked against kconfiglib 14.1.
    """

    def __init__(self, record: _LoadRecord, root_kconfig: str) -> None:
        # Set before parsing starts: the base constructor parses.
        self._kls_record = record
        super().__init__(root_kconfig, warn=True, warn_to_stderr=False, encoding="utf-8")

    def _fn_val(self, args: list[str]) -> str:
        name = args[0]
        if name in self.variables:
            return str(super()._fn_val(args))
        if name in _ARITY:
            if len(args) - 1 != _ARITY[name]:
                raise kconfiglib.KconfigError(
                    f"{self.filename}:{self.linenr}: bad number of arguments in call to {name}, "
                    f"expected {_ARITY[name]}, got {len(args) - 1}"
                )
            return self._kls_builtin(name, args[1:])
        if name in self._kls_record.functions:
            return self._kls_project_function(name, args[1:])
        if name in self._functions:
            return str(super()._fn_val(args))
        value = self._kls_record.environment.get(name)
        if value is None:
            return ""
        self.env_vars.add(name)
        return value

    def _kls_builtin(self, name: str, arguments: list[str]) -> str:
        record = self._kls_record
        location = KconfiglibLocation(
            os.path.normpath(os.path.join(record.root, self.filename or "")), int(self.linenr or 0)
        )
        if name == "shell":
            return self._kls_shell(arguments[0])
        if name == "info":
            record.messages.append(KconfiglibMessage("info", arguments[0], location, True))
            return ""
        condition, text = arguments
        fired = None if _PLACEHOLDER.search(condition) else condition == "y"
        record.messages.append(KconfiglibMessage(name.removesuffix("-if"), text, location, fired))
        return ""

    def _kls_project_function(self, name: str, arguments: list[str]) -> str:
        function = self._kls_record.functions[name]
        if function is not None:
            return function(arguments)
        record = self._kls_record
        record.commands.append("$(" + ",".join([name, *arguments]) + ")")
        return f"{PLACEHOLDER_PREFIX}{len(record.commands) - 1}"

    def _kls_shell(self, command: str) -> str:
        record = self._kls_record
        index = len(record.commands)
        record.commands.append(command)
        if not record.trust_commands:
            return f"{PLACEHOLDER_PREFIX}{index}"
        started = time.perf_counter()
        try:
            completed = subprocess.run(
                command,
                shell=True,
                cwd=record.root,
                env={**os.environ, **record.environment},
                capture_output=True,
                timeout=_SHELL_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            self._warn(f"'{command}' failed: {error}", self.filename, self.linenr)
            return f"{PLACEHOLDER_PREFIX}{index}"
        finally:
            record.shell_seconds += time.perf_counter() - started
        output = completed.stdout.decode("utf-8", "replace")
        if completed.stderr:
            errors = completed.stderr.decode("utf-8", "replace")
            self._warn(
                f"'{command}' wrote to stderr: {' '.join(errors.splitlines())}", self.filename, self.linenr
            )
        # As kconfiglib (and the C tools): newlines become spaces, trailing ones go.
        return "\n".join(output.splitlines()).rstrip("\n").replace("\n", " ")

    def _open(self, filename: str, mode: str) -> Any:
        if mode != "r" or not self._parsing_kconfigs:
            return super()._open(filename, mode)
        with open(filename, encoding=self._encoding) as handle:
            text = handle.read()
        return io.StringIO(_rewrite_bare_modules(text) if "modules" in text else text)


def _rewrite_bare_modules(text: str) -> str:
    """`modules` (Linux 5.13+) to `option modules`, outside help texts."""
    lines = text.split("\n")
    help_indent: int | None = None
    in_help = False
    changed = False
    for index, line in enumerate(lines):
        if in_help:
            if not line.strip():
                continue
            indent = len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())
            if help_indent is None:
                help_indent = indent
            if indent >= help_indent and indent > 0:
                continue
            in_help = False
        if _HELP_LINE.match(line):
            in_help, help_indent = True, None
            continue
        match = _BARE_MODULES.match(line)
        if match is not None:
            lines[index] = f"{match.group(1)}option modules{match.group(2)}"
            changed = True
    return "\n".join(lines) if changed else text


@contextlib.contextmanager
def _kconfiglib_environment(root: str, environment: Mapping[str, str]) -> Iterator[None]:
    """Set the variables kconfiglib reads itself; restore them afterwards.

    `os.environ` is process-wide, hence the lock: two loads (or a load and
    a command run elsewhere) must not see each other's values.
    """
    wanted: dict[str, str | None] = {name: environment.get(name) for name in _DIRECTLY_READ_VARIABLES}
    wanted["srctree"] = root
    wanted["KCONFIG_FUNCTIONS"] = _NO_FUNCTIONS_MODULE
    with _ENVIRONMENT_LOCK:
        saved = {name: os.environ.get(name) for name in wanted}
        try:
            for name, value in wanted.items():
                _set_variable(name, value)
            yield
        finally:
            for name, value in saved.items():
                _set_variable(name, value)


def _set_variable(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# --- conversion to our expressions --------------------------------------------------


class _Converter:
    """kconfiglib expressions to `kconfig_ls.syntax.expression` trees.

    Mapping:
    - `(AND, a, b)`, `(OR, a, b)`, `(NOT, a)`: `And`/`Or`/`Not`, flattened
      (kconfiglib nests them as binary trees; `y` in an AND and `n` in an
      OR are dropped, as our constructors do).
    - `(EQUAL, a, b)` and the other relations: `Compare`.
    - The `y`/`m`/`n` symbols and quoted strings: `Constant`. Unquoted numbers,
      which kconfiglib keeps as undefined symbols named `0x10`, also become
      `Constant`, as our parser makes them.
    - A command placeholder (or a constant containing one): `Unknown`.
    - A `Choice`: kconfiglib puts the choice itself into its members'
      dependencies (the choice's mode limits them). We have no choice
      operand, so a choice stands for its own direct dependency, which is
      what our model gives members (the choice's `depends on` and enclosing
      conditions). This ignores a tristate choice in `m` mode capping its
      members at `m`, and a choice prompt's own `if`.
    - kconfiglib rewrites a bare `m` in conditions to `m && MODULES`; that is
      kept (evaluate ours with `m_requires_modules=True` to compare).
    """

    def __init__(self, kconfig: Any, root: str) -> None:
        self._kconfig = kconfig
        self._root = root
        self._y = kconfig.y
        self._m = kconfig.m
        self._n = kconfig.n
        # Keyed by id(): kconfiglib shares sub-expressions between symbols
        # (every member of a menu has the menu's condition), and the tuples
        # live as long as the Kconfig object that this converter belongs to.
        self._cache: dict[int, Expression] = {}

    def expression(self, expr: Any) -> Expression:
        if expr.__class__ is tuple:
            key = id(expr)
            cached = self._cache.get(key)
            if cached is None:
                cached = self._tuple(expr)
                self._cache[key] = cached
            return cached
        if expr.__class__ is kconfiglib.Choice:
            key = id(expr)
            cached = self._cache.get(key)
            if cached is None:
                cached = self.expression(expr.direct_dep)
                self._cache[key] = cached
            return cached
        return self._operand(expr)

    def _tuple(self, expr: tuple[Any, ...]) -> Expression:
        operator = expr[0]
        if operator is kconfiglib.AND or operator is kconfiglib.OR:
            operands: list[Expression] = []
            stack = [expr[2], expr[1]]
            while stack:
                item = stack.pop()
                if item.__class__ is tuple and item[0] is operator and id(item) not in self._cache:
                    # Flattened by hand rather than recursively: kconfiglib
                    # nests `A || B || C ...` one level per operand. Converted
                    # sub-trees (a menu's condition, shared by its members)
                    # come from the cache and are flattened by `conjunction`.
                    stack.append(item[2])
                    stack.append(item[1])
                else:
                    operands.append(self.expression(item))
            return conjunction(*operands) if operator is kconfiglib.AND else disjunction(*operands)
        if operator is kconfiglib.NOT:
            return negation(self.expression(expr[1]))
        relation = kconfiglib.REL_TO_STR.get(operator)
        if relation is None:
            raise KconfiglibError(f"unknown kconfiglib expression {expr!r}")
        return Compare(relation, self._operand(expr[1]), self._operand(expr[2]))

    def _operand(self, sym: Any) -> Expression:
        name: str = sym.name
        if sym is self._y or sym is self._m or sym is self._n:
            return Constant(name)
        if _PLACEHOLDER.search(name):
            command = self._command_of(name)
            # An unknown project function is recorded as its call (`$(dt_compat_enabled,...)`).
            return Unknown(command if command.startswith("$(") else f"$(shell,{command})")
        if sym.is_constant:
            return Constant(name, quoted=True)
        if not sym.nodes and _NUMBER.fullmatch(name):
            return Constant(name)
        return Symbol(name)

    def _command_of(self, name: str) -> str:
        match = _PLACEHOLDER.search(name)
        commands: list[str] = self._kconfig._kls_record.commands
        if match is None or int(match.group(1)) >= len(commands):
            return "..."
        return commands[int(match.group(1))]

    def location(self, node: Any) -> KconfiglibLocation:
        return KconfiglibLocation(os.path.normpath(os.path.join(self._root, node.filename)), int(node.linenr))

    def symbol(self, sym: Any) -> KconfiglibSymbol:
        definitions: list[KconfiglibDefinition] = []
        prompts: list[KconfiglibPrompt] = []
        selects: list[KconfiglibReverse] = []
        implies: list[KconfiglibReverse] = []
        for node in sym.nodes:
            location = self.location(node)
            prompt = None
            if node.prompt:
                prompt = KconfiglibPrompt(node.prompt[0], self.expression(node.prompt[1]), location)
                prompts.append(prompt)
            definitions.append(KconfiglibDefinition(location, self.expression(node.dep), prompt))
            selects.extend(
                KconfiglibReverse(target.name, self.expression(condition), location)
                for target, condition in node.selects
            )
            implies.extend(
                KconfiglibReverse(target.name, self.expression(condition), location)
                for target, condition in node.implies
            )
        choice = None
        if sym.choice is not None:
            choice = sym.choice.name or "<choice>"
        type_name = kconfiglib.TYPE_TO_STR[sym.orig_type] if sym.orig_type else None
        return KconfiglibSymbol(
            name=sym.name,
            type_name=type_name,
            direct_dependency=self.expression(sym.direct_dep),
            selects=tuple(selects),
            implies=tuple(implies),
            prompts=tuple(prompts),
            definitions=tuple(definitions),
            choice=choice,
        )


_UNMET_TARGET: Final = re.compile(
    r"^(?:warning: )?(\w+) \(defined at .*?\) has direct dependencies .* but is currently being [ym]-selected"
)
_UNMET_SELECTOR: Final = re.compile(r"^ - (\w+) \(defined at", re.MULTILINE)


def unmet_select_pairs(warning: str) -> list[tuple[str, str]]:
    """(selector, target) pairs of one of kconfiglib's "selected with unmet dependencies" warnings."""
    match = _UNMET_TARGET.match(warning.splitlines()[0] if warning else "")
    if match is None:
        return []
    return [(selector, match.group(1)) for selector in _UNMET_SELECTOR.findall(warning)]
