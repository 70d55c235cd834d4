"""Scottish STV (Scottish Local Government Elections Order 2007) on hand-checked examples."""

from __future__ import annotations

from decimal import Decimal

from governance.counting import count_scottish
from governance.counting.synthetic import generate_ballots
from tests.counting.helpers import assert_votes_conserved, election, votes

ORANGE, PEAR, CHOCOLATE, STRAWBERRY, BONBON = range(5)


def food_election():
    """The "food election" of Wikipedia's Single transferable vote article: 20 voters,
    3 seats."""
    return election(
        ("Orange", "Pear", "Chocolate", "Strawberry", "Bonbon"),
        3,
        [
            (4, (ORANGE,)),
            (2, (PEAR, ORANGE)),
            (8, (CHOCOLATE, STRAWBERRY)),
            (4, (CHOCOLATE, BONBON)),
            (1, (STRAWBERRY,)),
            (1, (BONBON,)),
        ],
    )


def test_food_election_stage_by_stage():
    result = count_scottish(food_election(), seed="food")

    # Quota = floor(20 / (3 + 1)) + 1 = 6. Stage 1: Chocolate 12 >= 6 is elected.
    assert result.rounds[0].quota == Decimal("6")
    assert votes(result, 1) == ["4.00000", "2.00000", "12.00000", "1.00000", "1.00000"]
    assert result.rounds[0].elected == (CHOCOLATE,)
    # Stage 2: surplus 6 at 6 x 1 / 12 = 0.5 per paper: Strawberry 1 + 8 x 0.5 = 5,
    # Bonbon 1 + 4 x 0.5 = 3; Chocolate keeps the quota.
    assert result.rounds[1].action == "surplus"
    assert result.rounds[1].subject == CHOCOLATE
    assert votes(result, 2) == ["4.00000", "2.00000", "6.00000", "5.00000", "3.00000"]
    assert result.rounds[1].transfers[CHOCOLATE] == Decimal("-6")
    assert result.rounds[1].transfers[STRAWBERRY] == Decimal("4")
    # Stage 3: Pear (2) is excluded; Orange 4 + 2 = 6 reaches the quota.
    assert result.rounds[2].excluded == (PEAR,)
    assert votes(result, 3)[ORANGE] == "6.00000"
    assert result.rounds[2].elected == (ORANGE,)
    # Stage 4: Orange has no surplus, so Bonbon (3) is excluded; all of Bonbon's papers
    # (1 at value 1, 4 at 0.5) have no further preference: 3 votes exhausted. Strawberry
    # is then the only continuing candidate for the last vacancy (rule 52).
    assert result.rounds[3].excluded == (BONBON,)
    assert result.rounds[3].exhausted == Decimal("3")
    assert result.rounds[3].elected == (STRAWBERRY,)
    assert result.elected == (CHOCOLATE, ORANGE, STRAWBERRY)
    assert result.elected_names == ["Chocolate", "Orange", "Strawberry"]
    assert len(result.rounds) == 4
    assert result.ties == ()
    assert_votes_conserved(result)


def test_transfer_values_are_truncated_to_five_places():
    a, b, c, d = range(4)
    result = count_scottish(
        election("ABCD", 2, [(6, (a, b)), (5, (a, c)), (3, (b,)), (2, (c, d)), (4, (d,))]),
        seed=1,
    )
    # Quota = floor(20 / 3) + 1 = 7; A has 11 and a surplus of 4.
    # Transfer value = 4 x 1 / 11 = 0.363636... -> 0.36363 (remainder ignored):
    # B = 3 + 6 x 0.36363 = 5.18178, C = 2 + 5 x 0.36363 = 3.81815,
    # lost to truncation: 4 - 11 x 0.36363 = 0.00007.
    assert votes(result, 2) == ["7.00000", "5.18178", "3.81815", "4.00000"]
    assert result.rounds[1].rounding_loss == Decimal("0.00007")
    # C excluded: 2 papers C>D go to D at 1 (D = 6); 5 papers A>C at 0.36363 are exhausted.
    assert result.rounds[2].excluded == (c,)
    assert votes(result, 3) == ["7.00000", "5.18178", "0.00000", "6.00000"]
    assert result.rounds[2].exhausted == Decimal("1.81815")
    # B excluded: 3 + 2.18178 exhausted; D fills the last vacancy.
    assert result.elected == (a, d)
    assert result.rounds[-1].exhausted == Decimal("6.99993")
    assert_votes_conserved(result)


def test_surplus_from_transfers_moves_all_papers_at_weighted_values():
    """Rule 48: a surplus arising from transfers is transferred from *all* the candidate's
    papers, each at surplus x its value when received / total (not just the last parcel)."""
    a, b, c, d, e = range(5)
    result = count_scottish(
        election(
            "ABCDE",
            3,
            [(10, (a, b, c)), (4, (b, d)), (3, (c,)), (2, (d,)), (1, (e,))],
        ),
        seed=1,
    )
    # Quota = floor(20 / 4) + 1 = 6. A: 10, surplus 4 at 4/10 = 0.4: B = 4 + 10 x 0.4 = 8.
    assert votes(result, 2) == ["6.00000", "8.00000", "3.00000", "2.00000", "1.00000"]
    assert result.rounds[1].elected == (b,)
    # B's surplus 2 from 8 votes: the 4 B>D papers (value 1) move at 2 x 1 / 8 = 0.25 and
    # the 10 A>B>C papers (value 0.4) at 2 x 0.4 / 8 = 0.1: D = 2 + 1, C = 3 + 1.
    # (Last-parcel rules would give C 3 + 2 and D nothing.)
    assert votes(result, 3) == ["6.00000", "6.00000", "4.00000", "3.00000", "1.00000"]
    assert result.rounds[2].rounding_loss == Decimal("0")
    # E (1) then D (3) are excluded and exhausted; C takes the last seat.
    assert [r.excluded for r in result.rounds[3:]] == [(e,), (d,)]
    assert result.elected == (a, b, c)
    assert result.rounds[-1].exhausted == Decimal("4")
    assert_votes_conserved(result)


def test_largest_surplus_is_transferred_first():
    a, b, c, d = range(4)
    result = count_scottish(
        election("ABCD", 3, [(9, (b, c)), (12, (a, d)), (3, (c,)), (1, (d,))]), seed=1
    )
    # Quota = floor(25 / 4) + 1 = 7; A (12) and B (9) are elected at stage 1, listed by votes.
    assert result.rounds[0].elected == (a, b)
    # A's surplus (5) is larger than B's (2), so it goes first (rule 49(1)).
    assert [r.subject for r in result.rounds[1:3]] == [a, b]


def test_exclusion_tie_broken_by_looking_back():
    a, b, c, d = range(4)
    result = count_scottish(
        election("ABCD", 1, [(4, (a,)), (3, (b,)), (2, (c, b)), (1, (d, c, b))]), seed=1
    )
    # Quota = floor(10 / 2) + 1 = 6. Stage 1: A 4, B 3, C 2, D 1 -> D excluded, C = 3.
    # Stage 3: B and C are tied on 3; at stage 1 C had fewer (2 < 3), so C is excluded
    # (rule 51(2)(a)) and its 3 papers elect B with 6 votes.
    (tie,) = result.ties
    assert tie.purpose == "exclusion"
    assert tie.candidates == (b, c)
    assert tie.chosen == (c,)
    assert tie.resolution == "look_back"
    assert tie.decided_by_round == 1
    assert result.elected == (b,)


def lot_election():
    return election("AB", 1, [(3, (0,)), (3, (1,))])


def test_tie_at_every_stage_is_decided_by_seeded_lot():
    result = count_scottish(lot_election(), seed="election-42")
    (tie,) = result.ties
    assert tie.resolution == "lot"
    assert tie.candidates == (0, 1)
    assert tie.purpose == "exclusion"
    # The other candidate fills the vacancy.
    assert result.elected == (1 - tie.chosen[0],)
    assert result.seed == "election-42"


def test_same_seed_gives_the_same_result():
    first = count_scottish(lot_election(), seed=7)
    again = count_scottish(lot_election(), seed=7)
    assert first == again
    assert first.to_dict() == again.to_dict()


def test_different_seeds_can_break_the_tie_either_way():
    winners = {count_scottish(lot_election(), seed=seed).elected for seed in range(20)}
    assert winners == {(0,), (1,)}


def test_withdrawn_candidate_is_skipped_and_ballots_only_for_them_are_invalid():
    a, b, c = range(3)
    result = count_scottish(
        election(
            "ABC",
            1,
            [(4, (a, b)), (3, (b,)), (2, (c, b)), (1, (a,))],
            withdrawn=frozenset({a}),
        ),
        seed=1,
    )
    # A is skipped: the 4 A>B papers count for B at stage 1; the ballot ranking only A is
    # invalid. Quota = floor(9 / 2) + 1 = 5; B has 7.
    assert result.invalid_ballots == 1
    assert result.total_ballots == 10
    assert votes(result, 1) == ["0.00000", "7.00000", "2.00000"]
    assert result.elected == (b,)
    assert result.final_status == ("withdrawn", "elected", "not_elected")
    assert_votes_conserved(result)


def test_fewer_candidates_than_seats_elects_everyone():
    result = count_scottish(election("AB", 3, [(2, (0,)), (1, (1, 0))]), seed=1)
    assert set(result.elected) == {0, 1}
    assert not result.complete


def test_no_ballots_still_fills_the_seats_by_lot():
    result = count_scottish(election("ABC", 1, []), seed=1)
    assert len(result.elected) == 1
    assert all(tie.resolution == "lot" for tie in result.ties)
    assert len(result.ties) == 2


def test_votes_are_conserved_on_a_realistic_election():
    ballots = generate_ballots(3000, 10, seed=11)
    result = count_scottish(
        election("ABCDEFGHIJ", 4, [(b.weight, b.ranking) for b in ballots]), seed=1
    )
    assert len(result.elected) == 4
    assert_votes_conserved(result)
