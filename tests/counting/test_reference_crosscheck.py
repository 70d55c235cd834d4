"""Cross-check Scottish STV against the published `stvpoll` package (skipped if it is not
installed: `.venv/bin/pip install stvpoll`).

stvpoll's ScottishSTV matches the Order on elections where at most one candidate reaches the
quota at any stage that is followed by transfers; it differs when several do (it transfers
their surpluses as one batch and lets papers pass to an elected candidate whose own surplus
is still to be transferred, which rule 48 forbids), and it rounds transfer values where the
Order truncates. Those elections, and ties decided by lot, are not compared.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from governance.counting import CountResult, Election, count_scottish
from governance.counting.synthetic import generate_ballots

stvpoll_scottish = pytest.importorskip("stvpoll.scottish_stv")
stvpoll_types = pytest.importorskip("stvpoll.types")


def reference_elected(election: Election) -> tuple[set[int], bool]:
    """stvpoll's elected set, and whether it drew lots."""
    grouped = Counter()
    for ballot in election.ballots:
        grouped[ballot.ranking] += ballot.weight
    result = stvpoll_scottish.calculate_scottish_stv(
        tuple(range(len(election.candidates))),
        dict(grouped),
        election.seats,
        random_shuffle=False,
    )
    random_tiebreak = stvpoll_types.SelectionMethod.TiebreakRandom
    drew_lots = any(r.selection_method == random_tiebreak for r in result.rounds)
    return set(result), drew_lots


def rules_coincide(result: CountResult) -> bool:
    several_reach_quota = any(
        sum(1 for c in round_.elected if round_.votes[c] >= round_.quota) > 1
        for round_ in result.rounds[:-1]
    )
    drew_lots = any(tie.resolution == "lot" for tie in result.ties)
    return not several_reach_quota and not drew_lots


def test_elected_sets_agree_on_random_small_elections():
    rng = random.Random(20240611)
    compared = 0
    for number in range(80):
        candidate_count = rng.randint(3, 9)
        seats = rng.randint(1, min(4, candidate_count))
        ballots = generate_ballots(
            rng.randint(10, 400), candidate_count, seed=number, factions=rng.randint(1, 4)
        )
        election = Election(
            candidates=tuple(f"C{i}" for i in range(candidate_count)),
            seats=seats,
            ballots=tuple(ballots),
        )
        ours = count_scottish(election, seed=number)
        theirs, reference_drew_lots = reference_elected(election)
        if not rules_coincide(ours) or reference_drew_lots:
            continue
        compared += 1
        assert set(ours.elected) == theirs, f"election {number}"
    assert compared >= 40, compared


@pytest.mark.slow
def test_elected_sets_agree_on_the_benchmark_ballots():
    # The ballots of scripts/bench_counting.py (100,000 ballots, 15 candidates, 7 seats).
    election = Election(
        candidates=tuple(f"Candidate {i + 1}" for i in range(15)),
        seats=7,
        ballots=tuple(generate_ballots(100_000, 15, seed=2024)),
    )
    ours = count_scottish(election, seed=1)
    theirs, _ = reference_elected(election)
    assert len(ours.elected) == 7
    assert set(ours.elected) == theirs
