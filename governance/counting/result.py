"""The outcome of a count: rounds, ties and the elected candidates, as plain data.

Counters work in fixed-point integers (votes x 10**decimal_places); everything stored here is
converted to :class:`decimal.Decimal`, so values are exact. :meth:`CountResult.to_dict` turns
Decimals into strings ("18.80000") so the JSON a web app stores is lossless; the numbers parse
with ``Decimal``/``parseFloat`` for tables and charts. :meth:`CountResult.from_dict` reverses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

RESULT_FORMAT_VERSION = 1

# Candidate status in a round (and at the end of the count).
HOPEFUL = "hopeful"
ELECTED = "elected"
EXCLUDED = "excluded"
WITHDRAWN = "withdrawn"
NOT_ELECTED = "not_elected"  # final status only: still hopeful when the seats were filled


def fixed_to_decimal(value: int, decimal_places: int) -> Decimal:
    """Exact Decimal for a fixed-point integer scaled by ``10**decimal_places``."""
    return Decimal(value).scaleb(-decimal_places) if decimal_places else Decimal(value)


def _text(value: Decimal) -> str:
    # Fixed notation always: str(Decimal("1E-9")) would be "1E-9".
    return format(value, "f")


@dataclass(frozen=True)
class Tie:
    """A tie the rules had to break, and how it was broken.

    ``purpose`` is "exclusion" (who is excluded), "surplus_order" (whose surplus is transferred
    first) or "election" (who takes the last seats, approval/plurality). ``resolution`` is
    "look_back" - decided by the votes at an earlier round, ``decided_by_round`` - or "lot":
    drawn with the count's seeded ``random.Random``.
    """

    round: int
    purpose: str
    candidates: tuple[int, ...]
    chosen: tuple[int, ...]
    resolution: str
    decided_by_round: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "purpose": self.purpose,
            "candidates": list(self.candidates),
            "chosen": list(self.chosen),
            "resolution": self.resolution,
            "decided_by_round": self.decided_by_round,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tie:
        return cls(
            round=data["round"],
            purpose=data["purpose"],
            candidates=tuple(data["candidates"]),
            chosen=tuple(data["chosen"]),
            resolution=data["resolution"],
            decided_by_round=data.get("decided_by_round"),
        )


@dataclass(frozen=True)
class Round:
    """One round (STV "stage") of a count. Lists are indexed by candidate.

    - ``action``: "first_preferences", "surplus" or "exclusion" (Scottish STV stages),
      "iteration" (a Meek round: keep values iterated to convergence), or "count"
      (approval / plurality at large, single round).
    - ``subject``: the candidate whose surplus is transferred or who is excluded at this stage.
    - ``quota``: the quota in force (None for approval and plurality at large).
    - ``votes``: each candidate's votes at the end of the round.
    - ``transfers``: the change of each candidate's votes since the previous round.
    - ``exhausted``: total value of non-transferable (exhausted) papers so far;
      ``rounding_loss``: value lost so far by truncating transfer values (Scottish STV).
      For every STV round: sum(votes) + exhausted + rounding_loss == valid ballots.
    - ``elected`` / ``excluded``: candidates elected / excluded at this round, in order.
    - ``status``: every candidate's status at the end of the round.
    - Meek only: ``surplus`` (total surplus when the iteration stopped), ``keep_values``,
      ``iterations``.
    """

    number: int
    action: str
    subject: int | None
    quota: Decimal | None
    votes: tuple[Decimal, ...]
    transfers: tuple[Decimal, ...]
    exhausted: Decimal
    rounding_loss: Decimal
    elected: tuple[int, ...]
    excluded: tuple[int, ...]
    status: tuple[str, ...]
    note: str = ""
    surplus: Decimal | None = None
    keep_values: tuple[Decimal, ...] | None = None
    iterations: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "action": self.action,
            "subject": self.subject,
            "quota": None if self.quota is None else _text(self.quota),
            "votes": [_text(value) for value in self.votes],
            "transfers": [_text(value) for value in self.transfers],
            "exhausted": _text(self.exhausted),
            "rounding_loss": _text(self.rounding_loss),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "status": list(self.status),
            "note": self.note,
            "surplus": None if self.surplus is None else _text(self.surplus),
            "keep_values": (
                None if self.keep_values is None else [_text(v) for v in self.keep_values]
            ),
            "iterations": self.iterations,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Round:
        keep_values = data.get("keep_values")
        surplus = data.get("surplus")
        quota = data.get("quota")
        return cls(
            number=data["number"],
            action=data["action"],
            subject=data.get("subject"),
            quota=None if quota is None else Decimal(quota),
            votes=tuple(Decimal(v) for v in data["votes"]),
            transfers=tuple(Decimal(v) for v in data["transfers"]),
            exhausted=Decimal(data["exhausted"]),
            rounding_loss=Decimal(data["rounding_loss"]),
            elected=tuple(data["elected"]),
            excluded=tuple(data["excluded"]),
            status=tuple(data["status"]),
            note=data.get("note", ""),
            surplus=None if surplus is None else Decimal(surplus),
            keep_values=None if keep_values is None else tuple(Decimal(v) for v in keep_values),
            iterations=data.get("iterations"),
        )


@dataclass(frozen=True)
class CountResult:
    """The full, reproducible record of a count.

    ``elected`` lists candidate indices in order of election (candidates elected in the same
    round are listed by votes, highest first, then by candidate index). ``seed`` is the value
    the caller passed to seed the lot; re-running with the same ballots and seed gives the same
    result. ``complete`` is False only when there were fewer standing candidates than seats.
    """

    method: str
    rules: str
    seed: int | str
    title: str
    candidates: tuple[str, ...]
    seats: int
    withdrawn: tuple[int, ...]
    elected: tuple[int, ...]
    rounds: tuple[Round, ...]
    ties: tuple[Tie, ...]
    total_ballots: int
    invalid_ballots: int
    unique_rankings: int
    decimal_places: int

    @property
    def elected_names(self) -> list[str]:
        return [self.candidates[index] for index in self.elected]

    @property
    def complete(self) -> bool:
        return len(self.elected) == self.seats

    @property
    def final_status(self) -> tuple[str, ...]:
        """Each candidate's status at the end: elected, excluded, withdrawn or not_elected."""
        if not self.rounds:
            return tuple(NOT_ELECTED for _ in self.candidates)
        return tuple(
            NOT_ELECTED if status == HOPEFUL else status for status in self.rounds[-1].status
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (exact decimal strings); inverse of :meth:`from_dict`."""
        return {
            "format": RESULT_FORMAT_VERSION,
            "method": self.method,
            "rules": self.rules,
            "seed": self.seed,
            "title": self.title,
            "candidates": list(self.candidates),
            "seats": self.seats,
            "withdrawn": list(self.withdrawn),
            "elected": list(self.elected),
            "elected_names": self.elected_names,
            "final_status": list(self.final_status),
            "complete": self.complete,
            "total_ballots": self.total_ballots,
            "invalid_ballots": self.invalid_ballots,
            "unique_rankings": self.unique_rankings,
            "decimal_places": self.decimal_places,
            "rounds": [round_.to_dict() for round_ in self.rounds],
            "ties": [tie.to_dict() for tie in self.ties],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CountResult:
        if data.get("format") != RESULT_FORMAT_VERSION:
            raise ValueError(f"unsupported result format: {data.get('format')!r}")
        return cls(
            method=data["method"],
            rules=data["rules"],
            seed=data["seed"],
            title=data["title"],
            candidates=tuple(data["candidates"]),
            seats=data["seats"],
            withdrawn=tuple(data["withdrawn"]),
            elected=tuple(data["elected"]),
            rounds=tuple(Round.from_dict(item) for item in data["rounds"]),
            ties=tuple(Tie.from_dict(item) for item in data["ties"]),
            total_ballots=data["total_ballots"],
            invalid_ballots=data["invalid_ballots"],
            unique_rankings=data["unique_rankings"],
            decimal_places=data["decimal_places"],
        )
