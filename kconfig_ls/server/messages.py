"""Settings problems as pop-ups: one message per change at most, never the same one twice.

An editor may send `workspace/didChangeConfiguration` hundreds of times
(a settings sync, a script, every keystroke in a settings UI); each change
with the same bad value used to raise its pop-ups again (420 for 200
changes). `SettingsProblemMessages` turns the problems of one change into
at most one message: only problems not already shown (a problem shown once
stays quiet until it is fixed, and may then come back), several problems
joined into one text, and no second pop-up within `quiet_seconds` of the
last one (what it held back is shown with the next change after that).
The log still gets every problem; this is only about interrupting the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Final

__all__ = ["SettingsProblemMessages"]

_SHOWN_AT_MOST: Final = 3


class SettingsProblemMessages:
    def __init__(self, quiet_seconds: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._quiet_seconds = quiet_seconds
        self._clock = clock
        self._shown: set[str] = set()
        self._last_shown_at: float | None = None

    def message_for(self, problems: Sequence[str]) -> str | None:
        """The one pop-up text for this change's problems, or None to stay quiet."""
        current = list(dict.fromkeys(problems))
        self._shown &= set(current)  # fixed problems may be shown again if they come back
        new = [problem for problem in current if problem not in self._shown]
        if not new:
            return None
        now = self._clock()
        if self._last_shown_at is not None and now - self._last_shown_at < self._quiet_seconds:
            return None
        self._last_shown_at = now
        self._shown.update(new)
        if len(new) == 1:
            return f"kconfig-ls: {new[0]}"
        listed = "; ".join(new[:_SHOWN_AT_MOST])
        more = len(new) - _SHOWN_AT_MOST
        suffix = f"; and {more} more (see the log)" if more > 0 else ""
        return f"kconfig-ls: {len(new)} settings problems: {listed}{suffix}"
