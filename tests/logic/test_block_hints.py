"""The pure helpers of the block analysis's sampling: which questions one model is steered to."""

from __future__ import annotations

from kconfig_ls.logic.block_hints import consistent_choice


def test_consistent_choice_takes_questions_whose_hints_agree_in_one_world() -> None:
    world, other_world = 2, 3
    hints = {
        10: (5,),  # wants symbol 5 on
        11: (-5,),  # wants it off: disagrees with 10, which comes first
        12: (6, -7),
        13: (other_world, 8),  # only in the other world
        14: (7,),  # disagrees with 12's -7
        15: (),
        -15: (),  # the negation of a chosen question
    }
    chosen, phases = consistent_choice(hints, [10, 11, 12, 13, 14, 15, -15], world, {other_world})
    assert chosen == [10, 12, 15]
    assert phases == {world, 10, 5, 12, 6, -7, 15}


def test_consistent_choice_follows_the_given_order() -> None:
    chosen, _ = consistent_choice({10: (5,), 11: (-5,)}, [11, 10], 2, set())
    assert chosen == [11]
