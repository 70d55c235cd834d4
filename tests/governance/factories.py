"""Data for governance tests: a small network, chapters with members, committees with seats."""

import factory

from chapters.models import Chapter, Membership
from governance.models import Committee, CommitteeMembership, Level
from network.models import Country, Metro, Region
from tests.factories import UserFactory
from tests.network.factories import CountryFactory, MetroFactory, RegionFactory, SectorFactory


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    name = factory.Sequence(lambda n: f"Chapter {n}")
    metro = factory.SubFactory(MetroFactory)
    status = Chapter.Status.ACTIVE


def join(chapter: Chapter, user=None, *, role: str = Membership.Role.MEMBER) -> Membership:
    """Seat a user in a chapter directly (the chapters app's rules are not under test here)."""
    return Membership.objects.create(
        chapter=chapter, user=user or UserFactory(), sector=SectorFactory(), role=role
    )


def committee_for(
    place=None,
    *,
    level: str | None = None,
    members: int = 0,
    chair=None,
    status: str = Committee.Status.ACTIVE,
) -> Committee:
    """A committee for a Metro/Region/Country (or the board when place is None) with `members`
    fresh seats and an optional chair."""
    if place is None:
        committee = Committee.objects.get(level=Level.BOARD)
    else:
        level = (
            level or {Metro: Level.METRO, Region: Level.REGION, Country: Level.COUNTRY}[type(place)]
        )
        committee = Committee.objects.create(level=level, status=status, **{level: place})
    if chair is not None:
        seat(committee, chair, role=CommitteeMembership.Role.CHAIR)
    for _ in range(members):
        seat(committee, UserFactory())
    return committee


def seat(committee: Committee, user, *, role: str = CommitteeMembership.Role.MEMBER):
    import datetime

    from django.utils import timezone

    return CommitteeMembership.objects.create(
        committee=committee,
        user=user,
        role=role,
        term_start=timezone.localdate() - datetime.timedelta(days=30),
    )


__all__ = [
    "ChapterFactory",
    "CountryFactory",
    "MetroFactory",
    "RegionFactory",
    "SectorFactory",
    "committee_for",
    "join",
    "seat",
]
