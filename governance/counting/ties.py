"""Reproducible tie-breaking: look back at earlier rounds, then draw lots with a seeded RNG.

Look-back (Scottish Local Government Elections Order 2007, rules 49(2) and 51(2)(a)): among the
tied candidates, regard the votes at the end of the most recent preceding round at which they
had unequal votes; the lowest (for exclusion) or highest (for surplus order) is chosen. With
three or more tied candidates the set is narrowed round by round, going further back, until one
remains. If the candidates were equal at every earlier round the choice is made by lot
(rules 49(3), 51(2)(b)).

The lot is ``random.Random(seed).choice(sorted(candidates))`` (``sample`` when several seats
are drawn), with one generator per count, seeded from the value the caller passes - the election
id - so the same ballots and seed always give the same draws. Every tie is recorded as a
:class:`~governance.counting.result.Tie`.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from governance.counting.result import Tie

LOOK_BACK = "look_back"
LOT = "lot"


class TieBreaker:
    """Breaks and records the ties of one count."""

    def __init__(self, seed: int | str) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int | str):
            raise TypeError(f"seed must be an int or a str (e.g. the election id), not {seed!r}")
        self.seed = seed
        self._random = random.Random(seed)
        self.ties: list[Tie] = []

    def choose(
        self,
        tied: Collection[int],
        *,
        history: Sequence[Sequence[int]],
        lowest: bool,
        round_number: int,
        purpose: str,
    ) -> int:
        """Choose one candidate among ``tied``.

        ``history[i]`` holds every candidate's votes at the end of round ``i + 1``; only rounds
        before the current one should be passed. ``lowest`` picks the candidate with the fewest
        votes at the deciding round (exclusion), otherwise the most (surplus order).
        """
        remaining = sorted(tied)
        if len(remaining) == 1:
            return remaining[0]
        for index in range(len(history) - 1, -1, -1):
            votes = history[index]
            values = [votes[candidate] for candidate in remaining]
            extreme = min(values) if lowest else max(values)
            narrowed = [c for c, value in zip(remaining, values, strict=True) if value == extreme]
            if len(narrowed) == 1:
                self.ties.append(
                    Tie(
                        round=round_number,
                        purpose=purpose,
                        candidates=tuple(sorted(tied)),
                        chosen=(narrowed[0],),
                        resolution=LOOK_BACK,
                        decided_by_round=index + 1,
                    )
                )
                return narrowed[0]
            remaining = narrowed
        chosen = self._random.choice(remaining)
        self.ties.append(
            Tie(
                round=round_number,
                purpose=purpose,
                candidates=tuple(sorted(tied)),
                chosen=(chosen,),
                resolution=LOT,
            )
        )
        return chosen

    def draw(
        self, tied: Collection[int], count: int, *, round_number: int, purpose: str
    ) -> list[int]:
        """Draw ``count`` of ``tied`` by lot (no earlier rounds to look back at)."""
        ordered = sorted(tied)
        if count >= len(ordered):
            return ordered
        chosen = self._random.sample(ordered, count)
        self.ties.append(
            Tie(
                round=round_number,
                purpose=purpose,
                candidates=tuple(ordered),
                chosen=tuple(chosen),
                resolution=LOT,
            )
        )
        return chosen
