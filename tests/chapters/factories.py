"""Factories for chapter tests. Seats are taken through the real service (membership_start) so
the profile's chapter count and the agreement acceptance stay right."""

import datetime as dt

import factory
from django.db import transaction
from django.utils import timezone

from chapters.models import Chapter, Invitation
from chapters.selectors import hash_invitation_token
from chapters.services.membership import membership_start
from chapters.services.seats import lock_chapter
from network.models import Country, Entrepreneur, Metro, Region, Sector
from tests.factories import UserFactory


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Chapterland {n}")
    code = factory.Sequence(lambda n: chr(65 + (n // 26) % 26) + chr(65 + n % 26))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Chapter region {n}")


class MetroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metro

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Chapter metro {n}")
    time_zone = "Europe/Paris"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Chapter sector {n}")


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    user = factory.SubFactory(UserFactory)
    company = factory.Sequence(lambda n: f"Company {n}")
    metro = factory.SubFactory(MetroFactory)
    sector = factory.SubFactory(SectorFactory)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    name = factory.Sequence(lambda n: f"Chapter {n}")
    metro = factory.SubFactory(MetroFactory)
    status = Chapter.Status.FORMING


def join(chapter: Chapter, person: Entrepreneur, role: str = "member"):
    with transaction.atomic():
        return membership_start(
            chapter=lock_chapter(chapter), user=person.user, sector=person.sector, role=role
        )


def sent_invitation(
    chapter: Chapter,
    *,
    email: str,
    sector: Sector,
    token: str,
    by=None,
    days_valid: int = 14,
    window_days: int = 3,
    invitee=None,
) -> Invitation:
    """An invitation already sent with a known token (for tests of the link)."""
    now = timezone.now()
    return Invitation.objects.create(
        chapter=chapter,
        email=email,
        sector=sector,
        status=Invitation.Status.SENT,
        token_hash=hash_invitation_token(token),
        sent_at=now,
        sent_by=by,
        proposed_by=by,
        invitee=invitee,
        expires_at=now + dt.timedelta(days=days_valid),
        objection_window_ends_at=now + dt.timedelta(days=window_days),
    )
