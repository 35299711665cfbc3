"""Settings problems are coalesced: hundreds of changes with the same bad setting raise one pop-up."""

from __future__ import annotations

from kconfig_ls.server.messages import SettingsProblemMessages

_BAD = "setting 'arch' must be a string, not a number; ignored"
_OTHER = "setting 'rules' must be an object, not a list; ignored"


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_two_hundred_changes_with_the_same_bad_setting_raise_one_message() -> None:
    clock = _Clock()
    messages = SettingsProblemMessages(clock=clock)
    shown = []
    for _ in range(200):
        clock.now += 1.0
        shown.append(messages.message_for([_BAD, _BAD]))
    assert [m for m in shown if m is not None] == [f"kconfig-ls: {_BAD}"]


def test_the_problems_of_one_change_are_one_message() -> None:
    problems = [f"problem {n}" for n in range(5)]
    assert SettingsProblemMessages().message_for(problems) == (
        "kconfig-ls: 5 settings problems: problem 0; problem 1; problem 2; and 2 more (see the log)"
    )


def test_a_fixed_problem_can_come_back_but_not_in_a_burst() -> None:
    clock = _Clock()
    messages = SettingsProblemMessages(quiet_seconds=10, clock=clock)
    assert messages.message_for([_BAD]) is not None
    shown = 0
    for _ in range(100):  # flapping between good and bad, one change a second
        clock.now += 0.5
        messages.message_for([])
        clock.now += 0.5
        shown += messages.message_for([_BAD]) is not None
    assert shown == 10  # at most one every ten seconds


def test_a_new_problem_held_back_in_the_quiet_time_is_shown_with_a_later_change() -> None:
    clock = _Clock()
    messages = SettingsProblemMessages(quiet_seconds=10, clock=clock)
    assert messages.message_for([_BAD]) is not None
    clock.now = 1
    assert messages.message_for([_BAD, _OTHER]) is None
    clock.now = 11
    assert messages.message_for([_BAD, _OTHER]) == f"kconfig-ls: {_OTHER}"
