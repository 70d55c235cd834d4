"""Races the apps' own suites do not run (theirs: tests/chapters/test_races.py — the last seat,
the last place, one invitation accepted twice; tests/apps_marketplace/test_races.py —
capacity, one registration per email, sponsorship slots; tests/elections/test_voting.py — one
ballot per voter under concurrent submissions). Here: two committee members acting on one
escalation at once, one member saving a share from two tabs, and two outbox flushes at once.
Real database connections, one per thread, in an organisation the test creates and drops."""

import threading

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from core.errors import ApplicationError
from tests.factories import UserFactory
from tests.races import run_together

THREADS = 8


def _chapter_with_committee():
    import datetime as dt

    from django.utils import timezone

    from chapters.models import Chapter, Membership
    from governance.models import Committee, CommitteeMembership, Level
    from network.models import Country, Metro, Region, Sector

    country = Country.objects.create(name="France", code="FR")
    region = Region.objects.create(country=country, name="Rhône")
    lyon = Metro.objects.create(region=region, name="Lyon", time_zone="Europe/Paris")
    chapter = Chapter.objects.create(name="Lyon Makers", metro=lyon, status="active")
    raiser = UserFactory(email="raiser@race.test")
    Membership.objects.create(
        chapter=chapter, user=raiser, sector=Sector.objects.create(name="Food")
    )
    committee = Committee.objects.create(level=Level.METRO, metro=lyon)
    members = [UserFactory(email=f"committee{n}@race.test") for n in range(THREADS)]
    for member in members:
        CommitteeMembership.objects.create(
            committee=committee,
            user=member,
            term_start=timezone.localdate() - dt.timedelta(days=1),
        )
    return chapter, raiser, members


@pytest.mark.slow
def test_an_escalation_is_acknowledged_once_when_its_committee_acts_at_once(
    race_organization, django_db_blocker
):
    from core.models import Notification
    from governance.models import Escalation, EscalationEvent
    from governance.services.escalations import escalation_acknowledge, escalation_raise

    schema = race_organization.schema_name
    with django_db_blocker.unblock():
        with schema_context(schema):
            chapter, raiser, members = _chapter_with_committee()
            escalation = escalation_raise(
                chapter=chapter,
                user=raiser,
                category=Escalation.Category.CONDUCT,
                title="One question",
                description="Asked once.",
            )
            notified_before = Notification.objects.filter(user=raiser).count()

        results, errors = run_together(
            schema,
            lambda n: escalation_acknowledge(escalation=escalation, actor=members[n]).status,
        )

        assert results == ["acknowledged"]
        assert len(errors) == THREADS - 1
        assert all(isinstance(error, ApplicationError) for error in errors), errors
        with schema_context(schema):
            events = EscalationEvent.objects.filter(
                escalation=escalation, kind=EscalationEvent.Kind.ACKNOWLEDGED
            )
            assert events.count() == 1
            assert Notification.objects.filter(user=raiser).count() == notified_before + 1


@pytest.mark.slow
def test_one_member_saving_a_share_from_two_tabs_makes_one_share(
    race_organization, django_db_blocker
):
    import datetime as dt

    from django.utils import timezone

    from meetings.models import Meeting, Share
    from meetings.services.participation import share_save

    schema = race_organization.schema_name
    with django_db_blocker.unblock():
        with schema_context(schema):
            chapter, member, _ = _chapter_with_committee()
            start = timezone.now() + dt.timedelta(days=3)
            meeting = Meeting.objects.create(
                chapter=chapter, occurrence_start=start, starts_at=start
            )

        results, errors = run_together(
            schema,
            lambda n: (
                share_save(
                    meeting=meeting, user=member, success=f"Win {n}", challenge=f"Pain {n}"
                ).pk
            ),
        )

        assert errors == []
        assert len(set(results)) == 1
        with schema_context(schema):
            (share,) = Share.objects.filter(meeting=meeting, author=member)
            assert share.success.startswith("Win ")


@pytest.mark.slow
def test_two_outbox_flushes_at_once_send_each_task_once(django_db_setup, django_db_blocker):
    """Tasks kept while the broker was down are sent exactly once, however many flushes run."""
    from config.celery import app
    from core.models import OutboxTask
    from core.tasks import outbox_flush

    sent = []
    lock = threading.Lock()
    original = type(app).send_task

    def record(self, name, args=None, kwargs=None, **options):
        with lock:
            sent.append(kwargs["n"])

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        OutboxTask.objects.filter(task_name="trust.race").delete()
        OutboxTask.objects.bulk_create(
            [
                OutboxTask(schema_name="alpha", task_name="trust.race", kwargs={"n": n})
                for n in range(60)
            ]
        )
        type(app).send_task = record
        try:
            results, errors = run_together("public", lambda n: outbox_flush(batch=20), count=4)
        finally:
            type(app).send_task = original
        assert errors == []
        assert sorted(sent) == list(range(60))
        assert sum(results) == 60
        assert not OutboxTask.objects.filter(task_name="trust.race").exists()
