"""Data for election tests: committees with seats, elections in any state (written directly, so a
test can start anywhere in the life cycle), and ballots cast through the real service."""

import datetime as dt
import itertools

from django.utils import timezone

from governance.elections import services
from governance.elections.models import Candidate, Election, Elector, Method
from governance.models import Committee, CommitteeMembership, Level
from network.models import Country, Metro, Region
from tests.factories import UserFactory

_sequence = itertools.count(1)


def metro(name: str | None = None, time_zone: str = "Europe/Paris") -> Metro:
    n = next(_sequence)
    country, _ = Country.objects.get_or_create(code="ZE", defaults={"name": "Electland"})
    region, _ = Region.objects.get_or_create(country=country, name="Ballot region")
    return Metro.objects.create(region=region, name=name or f"Vote metro {n}", time_zone=time_zone)


def board() -> Committee:
    committee = Committee.objects.filter(level=Level.BOARD).first()
    return committee or Committee.objects.create(level=Level.BOARD)


def metro_committee() -> Committee:
    return Committee.objects.create(level=Level.METRO, metro=metro())


def seat(user, committee: Committee, role: str = CommitteeMembership.Role.MEMBER):
    for attribute in ("_committee_seats", "_election_officer_of"):
        if hasattr(user, attribute):
            delattr(user, attribute)
    return CommitteeMembership.objects.create(
        committee=committee,
        user=user,
        role=role,
        term_start=timezone.localdate() - dt.timedelta(days=30),
    )


def committee_member(committee: Committee | None = None, **kwargs):
    user = UserFactory(**kwargs)
    seat(user, committee or metro_committee())
    return user


def board_member(**kwargs):
    user = UserFactory(**kwargs)
    seat(user, board())
    return user


def election(
    *,
    state: str = Election.State.SETUP,
    created_by=None,
    method: str = Method.MEEK,
    seats: int = 1,
    quorum_percent=None,
    **fields,
) -> Election:
    """An election whose windows match `state` relative to now."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    windows = {
        Election.State.SETUP: now + day,
        Election.State.NOMINATIONS: now - day,
        Election.State.VOTING: now - 3 * day,
        Election.State.CLOSED: now - 6 * day,
    }
    start = windows.get(state, now - 10 * day)
    defaults = {
        "title": "Board election",
        "seats": seats,
        "method": method,
        "quorum_percent": quorum_percent,
        "nominations_open": start,
        "nominations_close": start + day + day,
        "voting_open": start + 2 * day,
        "voting_close": start + 5 * day,
        "term_start": (start + 10 * day).date(),
        "term_end": (start + 375 * day).date(),
        "state": state,
        "created_by": created_by or UserFactory(),
    }
    defaults.update(fields)
    return Election.objects.create(**defaults)


def standing(election: Election, *users) -> list[Candidate]:
    return [
        Candidate.objects.create(
            election=election, user=user, nominated_by=user, status=Candidate.Status.ACCEPTED
        )
        for user in users
    ]


def voting_election(*, candidates: int = 3, electors: int = 3, **kwargs):
    """An election open for voting: candidates numbered 1…n by name, a roll of `electors`
    committee members. Returns (election, candidates, elector users)."""
    committee = metro_committee()
    people = [
        committee_member(committee, name=f"Candidate {chr(65 + i)}") for i in range(candidates)
    ]
    voters = [committee_member(committee) for _ in range(electors)]
    record = election(state=Election.State.NOMINATIONS, **kwargs)
    Election.objects.filter(pk=record.pk).update(
        voting_open=timezone.now() - dt.timedelta(minutes=5),
        nominations_close=timezone.now() - dt.timedelta(minutes=10),
    )
    record.refresh_from_db()
    standing(record, *people)
    services.election_open_voting(election=record)
    record.refresh_from_db()
    Elector.objects.filter(election=record).exclude(user__in=voters).delete()
    Election.objects.filter(pk=record.pk).update(electorate_size=len(voters))
    record.refresh_from_db()
    ordered = list(record.candidates.order_by("number"))
    return record, ordered, voters
