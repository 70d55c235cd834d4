"""Races between real database connections: several people accept invitations for the last seat
of a sector (or the last place in a chapter) at the same instant. Each thread has its own
connection and works in a fresh organisation that the test creates and drops, because the
session's organisations live in a rolled-back transaction other connections cannot see."""

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from chapters import services
from chapters.errors import ChapterFull, SeatTaken
from chapters.models import Chapter, ChapterSettings, Invitation, Membership
from network.models import Entrepreneur
from tests.factories import UserFactory
from tests.races import run_together

from .factories import (
    ChapterFactory,
    EntrepreneurFactory,
    MetroFactory,
    SectorFactory,
    join,
    sent_invitation,
)

THREADS = 8


def _chapter_with_facilitator():
    metro = MetroFactory()
    chapter = ChapterFactory(metro=metro, status=Chapter.Status.ACTIVE, name="Race Chapter")
    join(
        chapter, EntrepreneurFactory(metro=metro, sector=SectorFactory(name="Food")), "facilitator"
    )
    return chapter


@pytest.mark.slow
def test_only_one_of_many_takes_the_last_seat_of_a_sector(race_organization, django_db_blocker):
    with django_db_blocker.unblock():
        with tenant_context(race_organization):
            chapter = _chapter_with_facilitator()
            media = SectorFactory(name="Media")
            racers = []
            for n in range(THREADS):
                user = UserFactory(email=f"racer{n}@example.org")
                EntrepreneurFactory(user=user, metro=chapter.metro, sector=media)
                invitation = sent_invitation(
                    chapter, email=user.email, sector=media, token=f"race-token-{n}"
                )
                racers.append((user, invitation))

        results, errors = run_together(
            race_organization,
            lambda n: (
                services.invitation_accept(
                    invitation=racers[n][1], user=racers[n][0], accept_agreement=True
                ).pk
            ),
        )

        assert len(results) == 1
        assert len(errors) == THREADS - 1
        assert all(isinstance(error, SeatTaken) for error in errors), errors
        assert "The Media seat in Race Chapter is already taken" in errors[0].message
        with tenant_context(race_organization):
            assert (
                Membership.objects.filter(
                    chapter=chapter, sector=media, left_at__isnull=True
                ).count()
                == 1
            )
            assert Invitation.objects.filter(status=Invitation.Status.ACCEPTED).count() == 1
            counts = Entrepreneur.objects.filter(sector=media).values_list(
                "active_chapter_count", flat=True
            )
            assert sorted(counts) == [0] * (THREADS - 1) + [1]


@pytest.mark.slow
def test_only_one_takes_the_last_place_in_a_chapter(race_organization, django_db_blocker):
    with django_db_blocker.unblock():
        with tenant_context(race_organization):
            rules = ChapterSettings.load()
            rules.min_size, rules.max_size = 2, 2
            rules.save()
            chapter = _chapter_with_facilitator()
            racers = []
            for n in range(THREADS):
                sector = SectorFactory(name=f"Distinct {n}")
                user = UserFactory(email=f"place{n}@example.org")
                EntrepreneurFactory(user=user, metro=chapter.metro, sector=sector)
                racers.append(
                    (
                        user,
                        sent_invitation(
                            chapter, email=user.email, sector=sector, token=f"place-token-{n}"
                        ),
                    )
                )

        results, errors = run_together(
            race_organization,
            lambda n: (
                services.invitation_accept(
                    invitation=racers[n][1], user=racers[n][0], accept_agreement=True
                ).pk
            ),
        )

        assert len(results) == 1
        assert all(isinstance(error, ChapterFull) for error in errors), errors
        with tenant_context(race_organization):
            assert Membership.objects.filter(chapter=chapter, left_at__isnull=True).count() == 2


@pytest.mark.slow
def test_one_invitation_accepted_twice_at_once_makes_one_membership(
    race_organization, django_db_blocker
):
    with django_db_blocker.unblock():
        with tenant_context(race_organization):
            chapter = _chapter_with_facilitator()
            media = SectorFactory(name="Media")
            user = UserFactory(email="double@example.org")
            EntrepreneurFactory(user=user, metro=chapter.metro, sector=media)
            invitation = sent_invitation(chapter, email=user.email, sector=media, token="double")

        results, errors = run_together(
            race_organization,
            lambda n: (
                services.invitation_accept(
                    invitation=invitation, user=user, accept_agreement=True
                ).pk
            ),
            count=4,
        )

        assert len(results) == 1
        assert [error.code for error in errors] == ["used"] * 3
        with tenant_context(race_organization):
            assert Membership.objects.filter(user=user).count() == 1
            assert Entrepreneur.objects.get(user=user).active_chapter_count == 1


def test_the_database_refuses_a_second_current_seat(chapter, sectors, person):
    """The partial unique index stands behind the row lock, for writers that skip the service."""
    rival = person("Fintech")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            chapter=chapter, user=rival.user, sector=sectors["Fintech"], seat_number=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            chapter=chapter, user=rival.user, sector=sectors["Fintech"], seat_number=3
        )
    # A seat that was left can be taken again.
    Membership.objects.filter(chapter=chapter, user=chapter.mia.user).update(
        left_at="2026-01-01T00:00Z"
    )
    Membership.objects.create(
        chapter=chapter, user=rival.user, sector=sectors["Fintech"], seat_number=1
    )
