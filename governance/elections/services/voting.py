"""Casting a secret ballot, and re-mixing the stored ballots.

One transaction writes the VoterRecord (who voted; unique per election and person, so the
database refuses a second ballot even from concurrent requests) and the anonymous Ballot. The
receipt code is returned to the voter and never stored.

A database row carries traces of when it was written that no column shows: PostgreSQL's
physical order (ctid) and the id of the transaction that wrote it (xmin) — shared by the ballot
and the voter record of one vote. `ballots_mix` rewrites an election's ballots in a random order
in one transaction, which gives them all the same xmin and a shuffled physical order; the
periodic task runs it while voting is open and once more when voting closes. See
docs/elections.md, "Secrecy model", for what remains.
"""

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import User

from .. import ballots as ballot_crypto
from ..errors import AlreadyVoted, ElectionError, ElectionPermissionDenied, ElectionStateConflict
from ..models import Ballot, Candidate, Election, Elector, Method, VoterRecord


@dataclass(frozen=True)
class CastReceipt:
    """What the voter takes home: shown once, stored nowhere."""

    election_id: int
    code: str
    ballot_hash: str
    choices: tuple[int, ...]


def _lock_for_voting(election: Election) -> Election:
    """The election row FOR SHARE: votes run side by side, but closing or re-mixing (FOR UPDATE)
    waits for every vote in flight and no vote starts while they run."""
    table = Election._meta.db_table
    rows = list(
        Election.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [election.pk])  # noqa: S608
    )
    if not rows:
        raise ElectionStateConflict("This election no longer exists.")
    return rows[0]


def ballot_choices_check(election: Election, choices: Sequence[int]) -> tuple[int, ...]:
    """Validate a ballot's candidate numbers for the election's method; returns them in
    canonical order (preference order for STV, ascending for ticks)."""
    if isinstance(choices, str | bytes) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in choices
    ):
        raise ElectionError("A ballot is a list of candidate numbers.", field="choices")
    standing = set(
        Candidate.objects.filter(
            election=election, status=Candidate.Status.ACCEPTED, number__isnull=False
        ).values_list("number", flat=True)
    )
    if not choices:
        raise ElectionError(
            "Rank at least one candidate."
            if election.is_ranked
            else "Tick at least one candidate.",
            field="choices",
        )
    unknown = [n for n in choices if n not in standing]
    if unknown:
        raise ElectionError(
            f"Not a candidate standing in this election: {', '.join(map(str, unknown))}.",
            field="choices",
        )
    if len(set(choices)) != len(choices):
        raise ElectionError("Each candidate can appear once on a ballot.", field="choices")
    if election.is_ranked:
        return tuple(choices)
    maximum = election.seats if election.method == Method.PLURALITY else None
    return tuple(ballot_crypto.ticks_checked(ticked=list(choices), maximum=maximum))


def ballot_cast(*, election: Election, voter: User, choices: Sequence[int]) -> CastReceipt:
    """Cast `voter`'s ballot. Raises AlreadyVoted on a second attempt, however concurrent."""
    with transaction.atomic():
        election = _lock_for_voting(election)
        now = timezone.now()
        if election.state != Election.State.VOTING or not election.voting_is_open(now):
            raise ElectionStateConflict("Voting is not open in this election.")
        if not Elector.objects.filter(election=election, user=voter).exists():
            raise ElectionPermissionDenied("You are not on the electoral roll of this election.")
        if VoterRecord.objects.filter(election=election, user=voter).exists():
            raise AlreadyVoted("You have already voted in this election.")
        canonical = ballot_choices_check(election, choices)
        code = ballot_crypto.receipt_code_new()
        try:
            with transaction.atomic():
                VoterRecord.objects.create(election=election, user=voter)
        except IntegrityError as error:
            raise AlreadyVoted("You have already voted in this election.") from error
        digest = ballot_crypto.ballot_hash(
            code=code, election_id=election.pk, method=election.method, choices=canonical
        )
        Ballot.objects.create(
            election=election,
            choices=list(canonical),
            receipt_digest=ballot_crypto.receipt_digest(code),
            ballot_hash=digest,
        )
    return CastReceipt(election_id=election.pk, code=code, ballot_hash=digest, choices=canonical)


@transaction.atomic
def ballots_mix(*, election: Election) -> int:
    """Rewrite the election's ballots in a random order (new ids, one transaction)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    rows = list(
        Ballot.objects.filter(election=election).values_list(
            "choices", "receipt_digest", "ballot_hash"
        )
    )
    Ballot.objects.filter(election=election).delete()
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.bulk_create(
        [
            Ballot(
                id=uuid.uuid4(),
                election=election,
                choices=choices,
                receipt_digest=receipt,
                ballot_hash=ballot_hash,
            )
            for choices, receipt, ballot_hash in rows
        ],
        batch_size=2000,
    )
    Election.objects.filter(pk=election.pk).update(mixed_ballot_count=len(rows))
    return len(rows)
