"""Data for the meetings tests: a metro, a chapter with a facilitator and members (one seat per
sector), and meetings at chosen times. Plain ORM rows, so these tests do not depend on the
chapters app's invitation flow."""

import itertools
from datetime import timedelta

from django.utils import timezone

from chapters.models import Chapter, Membership
from meetings.models import Meeting
from network.models import Country, Metro, Region, Sector
from tests.factories import UserFactory

_sequence = itertools.count(1)


def metro(time_zone: str = "Europe/Paris", name: str | None = None) -> Metro:
    n = next(_sequence)
    country, _ = Country.objects.get_or_create(code=f"Z{n % 10}", defaults={"name": f"Land {n}"})
    region = Region.objects.create(country=country, name=f"Region {n}")
    return Metro.objects.create(region=region, name=name or f"Metro {n}", time_zone=time_zone)


def sector() -> Sector:
    return Sector.objects.create(name=f"Sector {next(_sequence)}")


def chapter(
    *, in_metro: Metro | None = None, status: str = Chapter.Status.ACTIVE, name: str | None = None
) -> Chapter:
    return Chapter.objects.create(
        name=name or f"Chapter {next(_sequence)}", metro=in_metro or metro(), status=status
    )


def membership(
    chapter_: Chapter, *, user=None, role: str = Membership.Role.MEMBER, **user_fields
) -> Membership:
    user = user or UserFactory(**user_fields)
    return Membership.objects.create(chapter=chapter_, user=user, sector=sector(), role=role)


def meeting(chapter_: Chapter, *, starts_in: timedelta = timedelta(days=10), **fields) -> Meeting:
    starts_at = (timezone.now() + starts_in).replace(microsecond=0)
    return Meeting.objects.create(
        chapter=chapter_, occurrence_start=starts_at, starts_at=starts_at, **fields
    )
