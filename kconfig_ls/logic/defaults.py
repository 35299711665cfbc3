"""What a symbol would be without its own assignment, and whether a minimal defconfig needs the line.

`make savedefconfig` (kconfiglib's `write_min_config`) writes a symbol only
when the user could change it and its value differs from its default. This
module answers the same question for one assigned symbol of an evaluated
configuration, following kconfiglib's `write_min_config` and
`Symbol._str_default` step by step:

- a symbol outside a choice whose visibility does not exceed its reverse
  dependency cannot be changed (a `select` holds it): not needed;
- a symbol whose value equals its default (the first active default, raised
  by `select` and `imply`, `m` promoted for bool; the first active default
  for int, hex and string) is not needed;
- a bool member of a non-optional choice that is `y` and is the member the
  choice would select by itself (its defaults, else the first visible
  member) is not needed.

The configuration-file rule `config-redundant-default` reports the
assignments this says are not needed.
"""

from __future__ import annotations

from typing import Final

from kconfig_ls.logic.configuration import Configuration
from kconfig_ls.syntax.expression import Symbol

__all__ = ["default_value", "default_selection", "why_not_needed"]

_NAMES: Final = ("n", "m", "y")


def default_value(configuration: Configuration, name: str) -> str | None:
    """The value the symbol would have with no user value (kconfiglib's `_str_default`); None if unknown."""
    symbol = configuration.table.get(name)
    if symbol is None:
        return name
    if symbol.type in ("bool", "tristate"):
        value: int | None = 0
        if symbol.choice is None:
            for default in symbol.defaults:
                condition = configuration.condition(default.condition)
                if condition is None:
                    return None
                if condition:
                    default_tristate = configuration.expression_value(default.value)
                    value = None if default_tristate is None else min(default_tristate, condition)
                    break
            selected = configuration.condition(symbol.reverse_dependency)
            implied = configuration.condition(symbol.weak_reverse_dependency)
            if value is None or selected is None or implied is None:
                return None
            value = max(selected, implied, value)
            if value == 1 and _is_bool(configuration, name):
                value = 2
        return None if value is None else _NAMES[value]
    if symbol.type is None:
        return ""
    for default in symbol.defaults:
        condition = configuration.condition(default.condition)
        if condition is None:
            return None
        if condition:
            return configuration.string_of(default.value)
    return ""


def default_selection(configuration: Configuration, key: str) -> str | None:
    """The member a choice selects by itself (`_selection_from_defaults`), or None."""
    choice = configuration.table.choices.get(key)
    if choice is None:
        return None
    for default in choice.defaults:
        if (
            isinstance(default.value, Symbol)
            and configuration.condition(default.condition)
            and configuration.visibility(default.value.name)
        ):
            return default.value.name
    for member in choice.members:
        if configuration.visibility(member):
            return member
    return None


def why_not_needed(configuration: Configuration, name: str) -> str | None:
    """Why a minimal defconfig would skip this symbol (`select`, `default`, `choice`); None if needed."""
    symbol = configuration.table.get(name)
    if symbol is None:
        return None
    value = configuration.value(name)
    if value is None:
        return None
    if symbol.choice is None and symbol.type in ("bool", "tristate"):
        visibility = configuration.visibility(name)
        selected = configuration.condition(symbol.reverse_dependency)
        if visibility is not None and selected is not None and visibility <= selected:
            return "select"
    if value == default_value(configuration, name):
        return "default"
    if symbol.choice is not None:
        choice = configuration.table.choices.get(symbol.choice)
        if (
            choice is not None
            and not choice.optional
            and symbol.type == "bool"
            and value == "y"
            and default_selection(configuration, symbol.choice) == name
        ):
            return "choice"
    return None


def _is_bool(configuration: Configuration, name: str) -> bool:
    """`sym->type` is bool: declared bool, or tristate without modules or in a `y`-mode choice."""
    symbol = configuration.table.get(name)
    if symbol is None or symbol.type == "bool":
        return True
    if symbol.type != "tristate":
        return False
    if symbol.choice is not None and configuration.choice_modes.get(symbol.choice) == 2:
        return True
    modules = configuration.table.modules_symbol or "MODULES"
    return configuration.tristate(modules) == 0
