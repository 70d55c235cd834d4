"""Approval voting and plurality at large."""

from __future__ import annotations

from decimal import Decimal

import pytest

from governance.counting import InvalidElectionError, count_approval, count_plurality_at_large
from tests.counting.helpers import election

A, B, C, D = range(4)


def test_approval_elects_the_most_approved():
    result = count_approval(
        election("ABCD", 2, [(3, (A, B)), (2, (B, C)), (4, (C, B, D)), (1, ())]), seed=1
    )
    # A 3, B 3 + 2 + 4 = 9, C 2 + 4 = 6, D 4.
    assert result.rounds[0].votes == tuple(Decimal(v) for v in (3, 9, 6, 4))
    assert result.elected == (B, C)
    assert result.invalid_ballots == 1
    assert result.ties == ()
    assert result.rounds[0].quota is None
    assert result.method == "approval"


def test_approval_tie_for_the_last_seat_is_drawn_by_lot_and_recorded():
    ballots = [(3, (A, B)), (2, (B, C)), (1, (C,))]  # A 3, B 5, C 3
    results = [count_approval(election("ABC", 2, ballots), seed=seed) for seed in range(20)]
    for result in results:
        (tie,) = result.ties
        assert tie.purpose == "election"
        assert tie.candidates == (A, C)
        assert tie.resolution == "lot"
        assert result.elected == (B, *tie.chosen)
    assert {r.elected for r in results} == {(B, A), (B, C)}
    assert count_approval(election("ABC", 2, ballots), seed=5) == results[5]


def test_ticks_for_withdrawn_candidates_are_ignored():
    result = count_approval(
        election("ABC", 1, [(5, (A,)), (3, (B, A)), (1, (C,))], withdrawn=frozenset({A})),
        seed=1,
    )
    assert result.elected == (B,)
    assert result.invalid_ballots == 5
    assert result.final_status[A] == "withdrawn"


def test_plurality_at_large_counts_up_to_seats_ticks():
    result = count_plurality_at_large(
        election("ABCD", 2, [(4, (A, B)), (3, (C,)), (2, (D, C)), (1, (B,))]), seed=1
    )
    # A 4, B 5, C 5, D 2.
    assert result.elected == (B, C)
    assert result.method == "plurality_at_large"


def test_plurality_at_large_rejects_a_ballot_ticking_more_than_seats():
    with pytest.raises(ValueError, match="at most 2"):
        count_plurality_at_large(election("ABCD", 2, [(1, (A, B)), (1, (A, B, C))]), seed=1)


def test_a_candidate_ticked_twice_is_rejected():
    with pytest.raises(InvalidElectionError, match="twice"):
        count_approval(election("ABC", 2, [(1, (A, A))]), seed=1)


def test_fewer_candidates_than_seats_elects_all_standing():
    result = count_plurality_at_large(election("AB", 3, [(1, (A,))]), seed=1)
    assert result.elected == (A, B)
    assert not result.complete
