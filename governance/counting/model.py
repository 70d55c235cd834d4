"""Election input: ballots, the election description, and grouping of identical ballots.

Candidates are identified by their 0-based index into ``Election.candidates`` (the BLT format's
1-based numbers are converted by :mod:`governance.counting.blt`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class InvalidElectionError(ValueError):
    """The election or one of its ballots cannot be counted (bad index, duplicate, weight…)."""


class Ballot(NamedTuple):
    """``weight`` identical ballot papers ranking ``ranking`` (candidate indices, first
    preference first). For approval and plurality at large the ranking is the set of ticked
    candidates and its order is ignored."""

    weight: int
    ranking: tuple[int, ...]


@dataclass(frozen=True)
class Election:
    """Everything a count needs: candidate names, seats, ballots and withdrawn candidates.

    Withdrawn candidates stay on the ballots (voters may have ranked them) but are skipped by
    every method, exactly as if they had been excluded before the first stage.
    """

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    title: str = ""

    def __post_init__(self) -> None:
        # Accept any sequences from the caller but store immutable, comparable values.
        object.__setattr__(self, "candidates", tuple(self.candidates))
        object.__setattr__(self, "ballots", tuple(self.ballots))
        object.__setattr__(self, "withdrawn", frozenset(self.withdrawn))
        if not self.candidates:
            raise InvalidElectionError("an election needs at least one candidate")
        if self.seats < 1:
            raise InvalidElectionError(f"seats must be at least 1, got {self.seats}")
        for index in self.withdrawn:
            if not 0 <= index < len(self.candidates):
                raise InvalidElectionError(f"withdrawn candidate index {index} is out of range")


class GroupedBallots(NamedTuple):
    """Identical rankings merged: ``rankings[i]`` was cast ``weights[i]`` times."""

    rankings: list[tuple[int, ...]]
    weights: list[int]
    total_weight: int


def group_ballots(
    ballots: Iterable[Ballot | tuple[int, Sequence[int]]],
    candidate_count: int,
    *,
    ordered: bool = True,
) -> GroupedBallots:
    """Validate ballots and merge identical ones, summing their weights.

    Grouping is what makes counting 100,000 ballots fast: every method works per distinct
    ranking, never per paper. With ``ordered=False`` (approval, plurality) rankings are treated
    as sets and normalised to ascending order before grouping.

    Raises :class:`InvalidElectionError` for a negative or non-integer weight, a candidate index
    out of range, or a candidate appearing twice on one ballot. Zero-weight ballots are dropped.
    """
    totals: dict[tuple[int, ...], int] = {}
    get = totals.get
    for weight, ranking in ballots:
        if weight.__class__ is not int:
            if isinstance(weight, bool) or not isinstance(weight, int):
                raise InvalidElectionError(f"ballot weight must be an int: {weight!r}")
            weight = int(weight)
        if weight < 0:
            raise InvalidElectionError(f"ballot weight must not be negative: {weight}")
        if ranking.__class__ is not tuple:
            ranking = tuple(ranking)
        if not ordered:
            ranking = tuple(sorted(ranking))
        totals[ranking] = get(ranking, 0) + weight

    allowed = frozenset(range(candidate_count))
    rankings: list[tuple[int, ...]] = []
    weights: list[int] = []
    total = 0
    for ranking, weight in totals.items():
        marks = set(ranking)
        if len(marks) != len(ranking) or not marks <= allowed:
            _raise_for_bad_ranking(ranking, candidate_count)
        if weight:
            rankings.append(ranking)
            weights.append(weight)
            total += weight
    return GroupedBallots(rankings, weights, total)


def _raise_for_bad_ranking(ranking: tuple[int, ...], candidate_count: int) -> None:
    seen: set[int] = set()
    for mark in ranking:
        if not isinstance(mark, int) or isinstance(mark, bool):
            raise InvalidElectionError(f"candidate index must be an int: {mark!r} in {ranking}")
        if not 0 <= mark < candidate_count:
            raise InvalidElectionError(
                f"candidate index {mark} out of range 0..{candidate_count - 1} in {ranking}"
            )
        if mark in seen:
            raise InvalidElectionError(f"candidate {mark} appears twice in {ranking}")
        seen.add(mark)
    raise InvalidElectionError(f"invalid ranking {ranking}")  # pragma: no cover - defensive
