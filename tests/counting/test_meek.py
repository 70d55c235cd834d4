"""Meek STV (Algorithm 123 with 9-decimal fixed point) on hand-checked examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from governance.counting import count_meek
from governance.counting.synthetic import generate_ballots
from tests.counting.helpers import assert_votes_conserved, election, votes

CASTOR, POLLUX, HELEN = range(3)


def test_keep_values_and_quota_worked_by_hand():
    # 5 Castor>Pollux, 1 Pollux, 3 Helen; 2 seats.
    result = count_meek(
        election(
            ("Castor", "Pollux", "Helen"),
            2,
            [(5, (CASTOR, POLLUX)), (1, (POLLUX,)), (3, (HELEN,))],
        ),
        seed=1,
    )
    # Round 1: quota = 9 / 3 = 3.000000000 truncated, + 0.000000001; Castor 5 is elected.
    first = result.rounds[0]
    assert first.quota == Decimal("3.000000001")
    assert votes(result, 1) == ["5.000000000", "1.000000000", "3.000000000"]
    assert first.elected == (CASTOR,)
    # Round 2: Castor's keep value = 1 x 3.000000001 / 5 = 0.6000000002 -> rounded up to
    # 0.600000001. Castor keeps 5 x 0.600000001 = 3.000000005; Pollux gets
    # 1 + 5 x 0.399999999 = 2.999999995. Surplus 3.000000005 - 3.000000001 = 0.000000004
    # is below omega (0.000001), so the iteration has converged and Pollux, lowest, is
    # excluded; Helen then fills the remaining seat.
    second = result.rounds[1]
    assert second.keep_values[CASTOR] == Decimal("0.600000001")
    assert votes(result, 2) == ["3.000000005", "2.999999995", "3.000000000"]
    assert second.surplus == Decimal("0.000000004")
    assert second.excluded == (POLLUX,)
    assert second.elected == (HELEN,)
    assert result.elected == (CASTOR, HELEN)
    assert result.final_status == ("elected", "excluded", "elected")
    assert result.ties == ()
    assert_votes_conserved(result)


def test_food_election():
    orange, pear, chocolate, strawberry, bonbon = range(5)
    result = count_meek(
        election(
            ("Orange", "Pear", "Chocolate", "Strawberry", "Bonbon"),
            3,
            [
                (4, (orange,)),
                (2, (pear, orange)),
                (8, (chocolate, strawberry)),
                (4, (chocolate, bonbon)),
                (1, (strawberry,)),
                (1, (bonbon,)),
            ],
        ),
        seed=1,
    )
    # Quota 20/4 + 0.000000001. Round 1: Chocolate (12) elected.
    assert result.rounds[0].elected == (chocolate,)
    # Round 2, second iteration: Chocolate's keep value 5.000000001 / 12 rounded up =
    # 0.416666667, so each Chocolate ballot passes on 0.583333333:
    # Strawberry 1 + 8 x 0.583333333 = 5.666666664 >= quota; Bonbon 1 + 4 x 0.583333333.
    assert votes(result, 2) == [
        "4.000000000",
        "2.000000000",
        "5.000000004",
        "5.666666664",
        "3.333333332",
    ]
    assert result.rounds[1].iterations == 2
    assert result.rounds[1].elected == (strawberry,)
    # Strawberry's ballots have no further preference, so votes are exhausted and the
    # quota falls below 5; Pear is excluded and Orange reaches the lower quota.
    third = result.rounds[2]
    assert third.quota < Decimal(5)
    assert third.exhausted > 0
    assert third.excluded == (pear,)
    assert result.elected == (chocolate, strawberry, orange)
    assert_votes_conserved(result)


def test_exclusion_tie_broken_by_looking_back():
    a, b, c, d = range(4)
    result = count_meek(
        election("ABCD", 1, [(4, (a,)), (3, (b,)), (2, (c, b)), (1, (d, c, b))]), seed=1
    )
    # Round 1: A 4, B 3, C 2, D 1 -> D excluded. Round 2: B and C tied on 3; in round 1 C
    # had fewer, so C is excluded and B (3 + 2 + 1 = 6) passes the quota 5.000000001.
    (tie,) = result.ties
    assert (tie.candidates, tie.chosen, tie.resolution) == ((b, c), (c,), "look_back")
    assert tie.round == 2
    assert tie.decided_by_round == 1
    assert result.elected == (b,)


def test_tie_without_history_is_decided_by_seeded_lot_and_reproducible():
    tied = election("AB", 1, [(3, (0,)), (3, (1,))])
    results = [count_meek(tied, seed=seed) for seed in range(20)]
    assert all(r.ties[0].resolution == "lot" for r in results)
    assert {r.elected for r in results} == {(0,), (1,)}
    assert count_meek(tied, seed=3) == count_meek(tied, seed=3)


def test_withdrawn_candidate_has_keep_value_zero_from_the_start():
    a, b, c = range(3)
    result = count_meek(
        election("ABC", 1, [(4, (a, b)), (3, (b,)), (2, (c,))], withdrawn=frozenset({a})),
        seed=1,
    )
    first = result.rounds[0]
    assert first.keep_values[a] == 0
    assert first.status[a] == "withdrawn"
    # A's ballots count for B from the first round: B 7 >= 9/2 + 0.000000001.
    assert votes(result, 1) == ["0.000000000", "7.000000000", "2.000000000"]
    assert result.elected == (b,)


def test_fewer_candidates_than_seats_elects_everyone():
    result = count_meek(election("AB", 3, [(2, (0,)), (1, (1, 0))]), seed=1)
    assert set(result.elected) == {0, 1}
    assert not result.complete
    assert result.final_status == ("elected", "elected")


def test_votes_are_conserved_on_a_realistic_election():
    ballots = generate_ballots(3000, 10, seed=5)
    result = count_meek(election("ABCDEFGHIJ", 4, [(b.weight, b.ranking) for b in ballots]), seed=1)
    assert len(result.elected) == 4
    assert all(r.surplus is not None for r in result.rounds)
    assert_votes_conserved(result)


def test_tolerance_and_precision_are_configurable():
    ballots = [(b.weight, b.ranking) for b in generate_ballots(500, 6, seed=2)]
    coarse = count_meek(
        election("ABCDEF", 3, ballots), seed=1, decimal_places=6, tolerance=Decimal("0.001")
    )
    assert coarse.decimal_places == 6
    assert len(coarse.elected) == 3
    with pytest.raises(ValueError):
        count_meek(election("AB", 1, []), seed=1, decimal_places=0)
