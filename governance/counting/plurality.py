"""Approval voting and plurality at large (block voting) for multi-seat elections.

Each ballot's ``ranking`` is the set of candidates the voter ticked; order is ignored.

- Approval: a voter may tick any number of candidates.
- Plurality at large: a voter may tick at most ``seats`` candidates; a ballot ticking more is
  invalid and the count refuses it with :class:`~.model.InvalidElectionError` (a
  ``ValueError``) - the web layer should never accept such a ballot.

Every tick gives the candidate the ballot's weight. The ``seats`` standing candidates with the
most votes are elected; a tie for the last seat(s) is broken by seeded lot (a single round has
no earlier round to look back at) and recorded. Ticks for withdrawn candidates are ignored; a
ballot with no tick for a standing candidate is counted as invalid.
"""

from __future__ import annotations

from decimal import Decimal

from governance.counting.model import Election, InvalidElectionError, group_ballots
from governance.counting.result import (
    ELECTED,
    HOPEFUL,
    WITHDRAWN,
    CountResult,
    Round,
)
from governance.counting.ties import TieBreaker

APPROVAL = "approval"
PLURALITY_AT_LARGE = "plurality_at_large"


def count_approval(election: Election, *, seed: int | str) -> CountResult:
    """Count ``election`` by approval voting (see the module docstring)."""
    return _count_ticks(election, seed=seed, method=APPROVAL, max_ticks=None)


def count_plurality_at_large(election: Election, *, seed: int | str) -> CountResult:
    """Count ``election`` by plurality at large: each voter ticks at most ``seats``
    candidates; raises :class:`~.model.InvalidElectionError` if a ballot ticks more."""
    return _count_ticks(election, seed=seed, method=PLURALITY_AT_LARGE, max_ticks=election.seats)


def _count_ticks(
    election: Election, *, seed: int | str, method: str, max_ticks: int | None
) -> CountResult:
    candidate_count = len(election.candidates)
    grouped = group_ballots(election.ballots, candidate_count, ordered=False)
    ties = TieBreaker(seed)
    withdrawn = election.withdrawn
    votes = [0] * candidate_count
    invalid = 0
    for ticks, weight in zip(grouped.rankings, grouped.weights, strict=True):
        if max_ticks is not None and len(ticks) > max_ticks:
            raise InvalidElectionError(
                f"a plurality-at-large ballot may tick at most {max_ticks} candidate(s); "
                f"ballot {ticks} ticks {len(ticks)}"
            )
        counted = False
        for candidate in ticks:
            if candidate not in withdrawn:
                votes[candidate] += weight
                counted = True
        if not counted:
            invalid += weight

    standing = [c for c in range(candidate_count) if c not in withdrawn]
    ordered = sorted(standing, key=lambda c: (-votes[c], c))
    seats = election.seats
    if len(ordered) <= seats:
        elected = ordered
    else:
        boundary = votes[ordered[seats - 1]]
        elected = [c for c in ordered if votes[c] > boundary]
        tied = [c for c in ordered if votes[c] == boundary]
        elected += ties.draw(tied, seats - len(elected), round_number=1, purpose="election")

    status = [
        WITHDRAWN if c in withdrawn else ELECTED if c in elected else HOPEFUL
        for c in range(candidate_count)
    ]
    round_ = Round(
        number=1,
        action="count",
        subject=None,
        quota=None,
        votes=tuple(Decimal(v) for v in votes),
        transfers=tuple(Decimal(0) for _ in votes),
        exhausted=Decimal(0),
        rounding_loss=Decimal(0),
        elected=tuple(elected),
        excluded=(),
        status=tuple(status),
        note=f"{grouped.total_weight - invalid} valid ballots counted",
    )
    rules = (
        "Approval voting: any number of ticks; the candidates with most votes are elected"
        if method == APPROVAL
        else "Plurality at large: at most one tick per seat; the candidates with most votes "
        "are elected"
    ) + "; ties for the last seat by seeded lot"
    return CountResult(
        method=method,
        rules=rules,
        seed=ties.seed,
        title=election.title,
        candidates=election.candidates,
        seats=seats,
        withdrawn=tuple(sorted(withdrawn)),
        elected=tuple(elected),
        rounds=(round_,),
        ties=tuple(ties.ties),
        total_ballots=grouped.total_weight,
        invalid_ballots=invalid,
        unique_rankings=len(grouped.rankings),
        decimal_places=0,
    )
