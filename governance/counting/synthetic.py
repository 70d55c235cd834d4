"""Deterministic synthetic ballots for benchmarks, cross-checks and demo data.

Voters follow a Plackett-Luce model with factions: each candidate has a base popularity and
belongs to one of a few factions; a voter first picks a faction (by faction size), then ranks
a random-length prefix of the candidates, each next preference drawn with probability
proportional to popularity, boosted for candidates of the voter's faction. Ranking lengths
are skewed short, as in real STV elections (most voters rank a handful of candidates).
"""

from __future__ import annotations

import random
from itertools import accumulate

from governance.counting.model import Ballot

# Relative frequency of ranking lengths 1, 2, 3, ... (longer lengths use the last value).
_LENGTH_WEIGHTS = (14.0, 14.0, 17.0, 14.0, 10.0, 8.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.5)


def generate_ballots(
    ballot_count: int,
    candidate_count: int,
    *,
    seed: int = 2024,
    factions: int = 4,
    faction_boost: float = 6.0,
) -> list[Ballot]:
    """``ballot_count`` weight-1 ballots over ``candidate_count`` candidates; the same
    arguments always give the same ballots."""
    rng = random.Random(seed)
    faction_of = [candidate % factions for candidate in range(candidate_count)]
    faction_sizes = [rng.uniform(1.0, 4.0) for _ in range(factions)]
    popularity = [rng.uniform(0.5, 3.0) for _ in range(candidate_count)]
    lengths = list(range(1, candidate_count + 1))
    length_weights = [
        _LENGTH_WEIGHTS[min(length - 1, len(_LENGTH_WEIGHTS) - 1)] for length in lengths
    ]
    length_cumulative = list(accumulate(length_weights))
    faction_cumulative = list(accumulate(faction_sizes))
    boosted = [
        [p * (faction_boost if faction_of[c] == faction else 1.0) for c, p in enumerate(popularity)]
        for faction in range(factions)
    ]

    ballots: list[Ballot] = []
    for _ in range(ballot_count):
        faction = rng.choices(range(factions), cum_weights=faction_cumulative)[0]
        length = rng.choices(lengths, cum_weights=length_cumulative)[0]
        remaining = list(range(candidate_count))
        weights = list(boosted[faction])
        ranking: list[int] = []
        for _ in range(length):
            pick = rng.choices(range(len(remaining)), weights=weights)[0]
            ranking.append(remaining.pop(pick))
            weights.pop(pick)
        ballots.append(Ballot(1, tuple(ranking)))
    return ballots
