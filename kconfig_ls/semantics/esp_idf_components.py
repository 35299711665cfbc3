"""ESP-IDF components that may be left out of a build: whose options a C guard cannot take as given.

ESP-IDF loads a component's `Kconfig` and `Kconfig.projbuild` only when the
component is in the build (`tools/cmake/kconfig.cmake` lists the build's
components in `kconfigs.in`); a project that names its components
(`set(COMPONENTS main)`, `MINIMAL_BUILD`) builds the common components
(`tools/cmake/build.cmake`: `requires_common`), the ones it names, and
their requirements (`REQUIRES`, `PRIV_REQUIRES`), nothing else. Our
ESP-IDF settings load every component (a default build), so in
`components/esp_system/port/soc/esp32c5/clk.c` the guard `#if
CONFIG_ESP_WIFI_ENABLED` looks always true on a Wi-Fi chip, while a
minimal build without `esp_wifi` compiles the file with the option
undefined.

`ComponentPresence` answers, for a file of `components/A/` and a symbol,
whether a build that compiles the file may lack every component that
defines the symbol: A's closure under requirements (with the common
components and theirs) is always present; any other component is not
known to be. Symbols defined outside `components/` (the root `Kconfig`,
an example's own) are always present. A requirement is read from A's
`CMakeLists.txt` as written, conditional or not (`REQUIRES`,
`PRIV_REQUIRES`, and the `set`/`list(APPEND)` lists of a variable they
name); `idf_component_optional_requires` is no requirement. Reading a
conditional requirement as unconditional errs towards "present", as the
analysis did before for every component.

The block rules (`kconfig_ls.logic.dead_blocks`) read such a test as "X and
the component is present", the presence a free boolean: the guard never
always holds (KLS206/208), and a test that can never hold still cannot
(KLS207). A file's block results are kept with its present components.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from kconfig_ls.semantics.definitions import SymbolDefinition
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["COMMON_COMPONENTS", "ComponentPresence", "component_requirements"]

COMMON_COMPONENTS: Final = (
    "cxx",
    "esp_libc",
    "newlib",
    "freertos",
    "esp_hw_support",
    "heap",
    "log",
    "soc",
    "hal",
    "esp_rom",
    "esp_common",
    "esp_system",
    "esp_stdio",
    "linux",
    "riscv",
    "xtensa",
)
"""`requires_common` of `tools/cmake/build.cmake` (both lists, older names, the architectures)."""

_COMMENT: Final = re.compile(r"#[^\n]*")
_REQUIREMENT: Final = re.compile(r"\b(?:PRIV_)?REQUIRES\b([^)]*?)(?=\b[A-Z][A-Z_]+\b|\))", re.S)
_LIST: Final = re.compile(r"\b(?:set|list)\s*\(\s*(?:APPEND\s+)?([A-Za-z_][A-Za-z0-9_]*)\b([^)]*)\)", re.S)
_TOKEN: Final = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z0-9_\-]+)")
_COMMON_LIST: Final = re.compile(r"set\s*\(\s*requires_common\b([^)]*)\)", re.S)


def component_requirements(text: str, components: Iterable[str]) -> frozenset[str]:
    """The components a `CMakeLists.txt` requires (see the module docstring), among `components`."""
    known = set(components)
    text = _COMMENT.sub("", text)
    lists: dict[str, list[str]] = {}
    for name, values in _LIST.findall(text):
        lists.setdefault(name, []).append(values)
    found: set[str] = set()
    seen_variables: set[str] = set()

    def add(values: str) -> None:
        for variable, word in _TOKEN.findall(values):
            if variable:
                if variable not in seen_variables:
                    seen_variables.add(variable)
                    for more in lists.get(variable, ()):
                        add(more)
            elif word in known:
                found.add(word)

    for values in _REQUIREMENT.findall(text):
        add(values)
    return frozenset(found)


class ComponentPresence:
    """Which symbols a file of one component cannot count on (see the module docstring)."""

    def __init__(self, root: str, definitions: Mapping[str, Sequence[SymbolDefinition]]) -> None:
        self.root = os.path.abspath(root)
        self._components_folder = os.path.join(self.root, "components") + os.sep
        self._definitions = definitions
        self._requirements: dict[str, frozenset[str]] = {}
        self._closures: dict[str, frozenset[str]] = {}
        self._defining: dict[str, frozenset[str] | None] = {}
        names = self._component_names()
        self._names = frozenset(names)
        self._common = self._closure_of(self._common_components(names))

    def component_of(self, path: str) -> str | None:
        """The component of the tree's `components/` that holds `path`, if any."""
        if not path.startswith(self._components_folder):
            return None
        name = path[len(self._components_folder) :].split(os.sep, 1)[0]
        return name if name in self._names else None

    def present_components(self, path: str) -> frozenset[str]:
        """The components every build compiling `path` has (empty for a file outside `components/`)."""
        component = self.component_of(path)
        if component is None:
            return frozenset()
        present = self._closures.get(component)
        if present is None:
            present = self._closures[component] = self._common | self._closure_of({component})
        return present

    def may_be_absent(self, path: str, symbol: str) -> bool:
        """Whether a build compiling `path` may lack every component that defines `symbol`."""
        return self.absent_components(path, symbol) is not None

    def absent_components(self, path: str, symbol: str) -> frozenset[str] | None:
        """The components defining `symbol` when a build compiling `path` may lack them all, else None.

        Two symbols of one component are present or absent together (ulp's
        `ULP_COPROC_ENABLED` and `ULP_COPROC_TYPE_FSM`): the block analysis
        gives them one presence.
        """
        if self.component_of(path) is None:
            return None
        defining = self._defining_components(symbol)
        if not defining or not self.present_components(path).isdisjoint(defining):
            return None
        return defining

    def _defining_components(self, symbol: str) -> frozenset[str] | None:
        """The components whose Kconfig files define `symbol`; None when one definition is outside them."""
        if symbol in self._defining:
            return self._defining[symbol]
        components: set[str] = set()
        result: frozenset[str] | None = None
        for definition in self._definitions.get(symbol, ()):
            component = self.component_of(definition.path)
            if component is None:
                break
            components.add(component)
        else:
            result = frozenset(components)
        self._defining[symbol] = result
        return result

    def _closure_of(self, start: Iterable[str]) -> frozenset[str]:
        closure: set[str] = set()
        stack = [name for name in start if name in self._names]
        while stack:
            name = stack.pop()
            if name in closure:
                continue
            closure.add(name)
            stack.extend(self._requirements_of(name) - closure)
        return frozenset(closure)

    def _requirements_of(self, component: str) -> frozenset[str]:
        requirements = self._requirements.get(component)
        if requirements is None:
            text = _read(os.path.join(self._components_folder, component, "CMakeLists.txt"))
            requirements = component_requirements(text, self._names)
            self._requirements[component] = requirements
        return requirements

    def _component_names(self) -> list[str]:
        try:
            names = sorted(os.listdir(self._components_folder))
        except OSError:
            return []
        folder = self._components_folder
        return [name for name in names if os.path.isfile(os.path.join(folder, name, "CMakeLists.txt"))]

    def _common_components(self, names: Sequence[str]) -> set[str]:
        text = _read(os.path.join(self.root, "tools", "cmake", "build.cmake"))
        common = {word for values in _COMMON_LIST.findall(_COMMENT.sub("", text)) for word in values.split()}
        return (common or set(COMMON_COMPONENTS)) & set(names)


def _read(path: str) -> str:
    try:
        return read_regular_file(path, 1 << 20).decode("utf-8", "replace")
    except OSError:
        return ""
