"""Shared helpers for the counting tests (no database, no Django)."""

from __future__ import annotations

from decimal import Decimal

from governance.counting import Ballot, CountResult, Election


def election(
    candidates: str | tuple[str, ...],
    seats: int,
    ballots: list[tuple[int, tuple[int, ...]]],
    withdrawn: frozenset[int] = frozenset(),
) -> Election:
    """An election from (weight, ranking) pairs; a string of candidates names one per letter."""
    return Election(
        candidates=tuple(candidates),
        seats=seats,
        ballots=tuple(Ballot(weight, ranking) for weight, ranking in ballots),
        withdrawn=withdrawn,
    )


def votes(result: CountResult, round_number: int) -> list[str]:
    """The votes of every candidate at a round, as fixed-notation strings."""
    return [format(value, "f") for value in result.rounds[round_number - 1].votes]


def assert_votes_conserved(result: CountResult) -> None:
    """Every STV round accounts for every valid ballot exactly."""
    valid = Decimal(result.total_ballots - result.invalid_ballots)
    for round_ in result.rounds:
        total = sum(round_.votes) + round_.exhausted + round_.rounding_loss
        assert total == valid, f"round {round_.number}: {total} != {valid}"
