"""Election counting engine: pure Python, no Django.

Methods (see each module's docstring for the exact rules):

- ``meek`` (default) - Meek STV, Hill-Wichmann-Woodall Algorithm 123 with the PRF reference
  rule's 9-decimal fixed-point arithmetic (:mod:`.meek`).
- ``scottish`` - Scottish STV, Scottish Local Government Elections Order 2007 rules 45-52, exact
  5-decimal fixed point (:mod:`.scottish`).
- ``approval`` and ``plurality_at_large`` (:mod:`.plurality`).

Typical use from the web layer::

    from governance.counting import Ballot, Election, count_election

    election = Election(candidates=("Ann", "Bob", "Cy"), seats=2,
                        ballots=[Ballot(1, (0, 2)), Ballot(3, (1,))])
    result = count_election(election, "scottish", seed=str(election_pk))
    store(result.to_dict())   # JSON-serialisable, exact decimal strings

Ties that the rules cannot break by looking back at earlier rounds are decided by a
``random.Random`` seeded with ``seed`` (pass the election id); the result records every tie.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from governance.counting.blt import BltError, load_blt, parse_blt, write_blt
from governance.counting.meek import count_meek
from governance.counting.model import (
    Ballot,
    Election,
    GroupedBallots,
    InvalidElectionError,
    group_ballots,
)
from governance.counting.plurality import count_approval, count_plurality_at_large
from governance.counting.result import CountResult, Round, Tie
from governance.counting.scottish import count_scottish


class Method(StrEnum):
    """Counting methods; the values are what :func:`count_election` accepts."""

    MEEK = "meek"
    SCOTTISH = "scottish"
    APPROVAL = "approval"
    PLURALITY_AT_LARGE = "plurality_at_large"


def count_election(
    election: Election, method: Method | str = Method.MEEK, *, seed: int | str, **options: Any
) -> CountResult:
    """Count ``election`` by ``method``; ``seed`` seeds the lot (use the election id).

    ``options`` are passed to the method's counter (Meek accepts ``decimal_places`` and
    ``tolerance``). Raises ``ValueError`` for an unknown method and
    :class:`InvalidElectionError` for invalid ballots.
    """
    try:
        chosen = Method(method)
    except ValueError:
        known = ", ".join(m.value for m in Method)
        raise ValueError(f"unknown counting method {method!r}; use one of {known}") from None
    if chosen is Method.MEEK:
        return count_meek(election, seed=seed, **options)
    if options:
        raise TypeError(f"{chosen.value} takes no options, got {sorted(options)}")
    if chosen is Method.SCOTTISH:
        return count_scottish(election, seed=seed)
    if chosen is Method.APPROVAL:
        return count_approval(election, seed=seed)
    return count_plurality_at_large(election, seed=seed)


__all__ = [
    "Ballot",
    "BltError",
    "CountResult",
    "Election",
    "GroupedBallots",
    "InvalidElectionError",
    "Method",
    "Round",
    "Tie",
    "count_approval",
    "count_election",
    "count_meek",
    "count_plurality_at_large",
    "count_scottish",
    "group_ballots",
    "load_blt",
    "parse_blt",
    "write_blt",
]
