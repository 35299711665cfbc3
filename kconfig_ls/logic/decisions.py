"""The vocabulary of an evaluation: probe policies and the decision behind each value.

Shared by `calculation` (which decides) and `explain` (which turns a
decision into reasons); kept apart so that neither grows past its subject.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

__all__ = ["PLACEHOLDER_VALUE", "Decision", "ProbePolicy"]

PLACEHOLDER_VALUE: Final = "KCONFIG_LS_UNKNOWN"
"""A probe's string value under `ProbePolicy.PLACEHOLDER` (kconfiglib's placeholder, unnumbered)."""


class ProbePolicy(enum.Enum):
    """What a `$(shell,...)` probe (an `Unknown` operand) is worth."""

    UNKNOWN = "unknown"
    """Unknown, and so is everything it decides (the default: honest)."""
    FROM_FILE = "from-file"
    """Unknown, but a symbol whose value is unknown takes the configuration file's value if it has one."""
    PLACEHOLDER = "placeholder"
    """As kconfiglib without commands: `n`, and the string `PLACEHOLDER_VALUE` (for oracle tests)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """How a symbol got its value: the branch of `sym_calc_value` taken.

    `kind` is one of `user` (its user value; `limited` when the visibility
    lowered it), `default` (`index` into its defaults), `no-default`,
    `selected`/`implied` (raised above what user value or defaults gave),
    `choice-user`, `choice-default`, `choice-first`, `choice-other` (another
    member is selected), `choice-m` (a member of a choice in `m` mode),
    `range` (an int or hex value clamped, or a user value outside the range),
    `transitional`, `undefined`, `unknown` (a probe decides it) and `file`
    (unknown, taken from the configuration file).
    """

    kind: str
    index: int = -1
    limited: bool = False


DECISION_USER: Final = Decision("user")
DECISION_USER_LIMITED: Final = Decision("user", limited=True)
DECISION_NO_DEFAULT: Final = Decision("no-default")
DECISION_SELECTED: Final = Decision("selected")
DECISION_IMPLIED: Final = Decision("implied")
DECISION_UNKNOWN: Final = Decision("unknown")
DECISION_FROM_FILE: Final = Decision("file")
DECISION_UNDEFINED: Final = Decision("undefined")
DECISION_TRANSITIONAL: Final = Decision("transitional")
DECISION_CHOICE_USER: Final = Decision("choice-user")
DECISION_CHOICE_FIRST: Final = Decision("choice-first")
DECISION_CHOICE_OTHER: Final = Decision("choice-other")
DECISION_CHOICE_M: Final = Decision("choice-m")
DECISION_RANGE: Final = Decision("range")
DECISION_DEFAULTS: Final = tuple(Decision("default", index) for index in range(64))
DECISION_CHOICE_DEFAULTS: Final = tuple(Decision("choice-default", index) for index in range(64))
