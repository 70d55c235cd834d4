"""Ballot validation and grouping, tie-breaking, the result's JSON form, the dispatcher."""

from __future__ import annotations

import json

import pytest

from governance.counting import (
    Ballot,
    CountResult,
    Election,
    InvalidElectionError,
    Method,
    count_election,
    group_ballots,
)
from governance.counting.ballot_tree import BallotTree
from governance.counting.ties import TieBreaker
from tests.counting.helpers import election


def test_identical_ballots_are_grouped_with_weights_summed():
    grouped = group_ballots(
        [Ballot(1, (0, 1)), Ballot(2, (1,)), Ballot(3, (0, 1)), (1, [1]), Ballot(0, (2,))], 3
    )
    assert dict(zip(grouped.rankings, grouped.weights, strict=True)) == {(0, 1): 4, (1,): 3}
    assert grouped.total_weight == 7


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        (Ballot(-1, (0,)), "negative"),
        (Ballot(1.5, (0,)), "must be an int"),  # type: ignore[arg-type]
        (Ballot(True, (0,)), "must be an int"),
        (Ballot(1, (3,)), "out of range"),
        (Ballot(1, (-1,)), "out of range"),
        (Ballot(1, (0, 1, 0)), "twice"),
        (Ballot(1, ("0",)), "must be an int"),  # type: ignore[arg-type]
    ],
)
def test_invalid_ballots_are_rejected(ballot, message):
    with pytest.raises(InvalidElectionError, match=message):
        group_ballots([ballot], 3)


def test_invalid_elections_are_rejected():
    with pytest.raises(InvalidElectionError):
        Election(candidates=(), seats=1, ballots=())
    with pytest.raises(InvalidElectionError):
        Election(candidates=("A",), seats=0, ballots=())
    with pytest.raises(InvalidElectionError):
        Election(candidates=("A",), seats=1, ballots=(), withdrawn=frozenset({1}))


def test_ballot_tree_splits_nodes_by_next_preference():
    grouped = group_ballots(
        [Ballot(1, (0,)), Ballot(2, (0, 1)), Ballot(3, (0, 2, 1)), Ballot(4, (1, 0))], 3
    )
    tree = BallotTree(grouped, 3)
    ending, children = tree.children(0, tree.size, 0)
    assert ending == 0
    assert [(c, tree.weight(lo, hi)) for c, lo, hi in children] == [(0, 6), (1, 4)]
    _, lo, hi = children[0]
    ending, grandchildren = tree.children(lo, hi, 1)
    assert ending == 1  # the ballot ranking only candidate 0
    assert [(c, tree.weight(g_lo, g_hi)) for c, g_lo, g_hi in grandchildren] == [(1, 2), (2, 3)]


def test_tie_breaker_narrows_three_way_ties_going_back():
    ties = TieBreaker(seed=1)
    history = [[5, 1, 1, 9], [5, 2, 2, 3], [4, 4, 4, 4]]
    # Round 3: all equal. Round 2: 1 and 2 lowest (2), 3 higher -> narrowed to {1, 2}.
    # Round 1: 1 and 2 still equal, 0 is out already -> no earlier round: lot between 1, 2.
    chosen = ties.choose([0, 1, 2], history=history, lowest=True, round_number=4, purpose="x")
    assert chosen in (1, 2)
    assert ties.ties[0].resolution == "lot"
    assert ties.ties[0].candidates == (0, 1, 2)
    # Highest at the most recent differing round decides surplus order.
    assert ties.choose([1, 3], history=history, lowest=False, round_number=4, purpose="y") == 3
    assert ties.ties[1].decided_by_round == 2


def test_tie_breaker_is_reproducible_for_a_seed():
    draws = [TieBreaker(seed="election-9").draw(range(10), 3, round_number=1, purpose="e")]
    draws.append(TieBreaker(seed="election-9").draw(range(10), 3, round_number=1, purpose="e"))
    assert draws[0] == draws[1]
    with pytest.raises(TypeError):
        TieBreaker(seed=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", list(Method))
def test_results_serialise_to_json_and_back(method):
    tied = election("ABCD", 2, [(3, (0, 1)), (3, (1, 0)), (2, (2, 3)), (2, (3, 2)), (1, ())])
    result = count_election(tied, method, seed="e-1")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["method"] == method.value
    assert data["seed"] == "e-1"
    assert data["elected_names"] == result.elected_names
    assert len(data["rounds"]) == len(result.rounds)
    assert all(isinstance(value, str) for value in data["rounds"][0]["votes"])
    assert CountResult.from_dict(data) == result


def test_count_election_dispatches_and_validates_the_method():
    plain = election("AB", 1, [(2, (0,)), (1, (1,))])
    assert count_election(plain, seed=1).method == "meek"
    assert count_election(plain, "scottish", seed=1).method == "scottish"
    with pytest.raises(ValueError, match="unknown counting method"):
        count_election(plain, "borda", seed=1)
    with pytest.raises(TypeError):
        count_election(plain, "scottish", seed=1, tolerance=1)
