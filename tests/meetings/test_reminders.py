"""Reminders: due in their windows, once per meeting, member and kind however often the sweep
runs, retried when delivery fails, switchable per kind, in the member's language and the
metro's time."""

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from core.models import Notification
from meetings import services, tasks
from meetings.models import Meeting, ReminderKind, ReminderSent

from . import factories


def at_local(days: int, hour: int, minute: int, tz) -> datetime:
    """A start `days` from now at hour:minute in the metro's time zone."""
    local_day = timezone.localdate(timezone=tz) + timedelta(days=days)
    return datetime.combine(local_day, time(hour, minute), tzinfo=tz)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the organisation's periodic reminder task as beat would (deliveries run eagerly)."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.send_reminders()

    return run


@pytest.fixture
def only(world):
    """Keep just the meetings a test makes."""
    Meeting.objects.filter(chapter=world.chapter).delete()
    return world


def test_a_sweep_run_twice_sends_nothing_twice(only, sweep, mailoutbox):
    meeting = factories.meeting(only.chapter, starts_in=timedelta(days=6, hours=20))
    sweep()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in only.everyone_in_chapter)
    assert all("prepare your success and challenge" in m.subject for m in mailoutbox)
    sweep()
    sweep()
    assert len(mailoutbox) == 4
    rows = ReminderSent.objects.filter(meeting=meeting)
    assert rows.count() == 4 and not rows.filter(delivered_at__isnull=True).exists()
    # The queue step alone, run again, writes nothing new either.
    services.reminders_queue_due()
    assert ReminderSent.objects.count() == 4


def test_each_kind_in_its_window(only, sweep, mailoutbox):
    prepare = factories.meeting(only.chapter, starts_in=timedelta(days=6))
    upcoming = factories.meeting(only.chapter, starts_in=timedelta(hours=20))
    after = factories.meeting(only.chapter, starts_in=timedelta(days=-1, hours=-2))
    factories.meeting(only.chapter, starts_in=timedelta(days=12))  # too early for anything
    cancelled = factories.meeting(
        only.chapter, starts_in=timedelta(hours=10), status=Meeting.Status.CANCELLED
    )
    sweep()
    kinds = set(ReminderSent.objects.values_list("meeting_id", "kind").distinct())
    assert kinds == {
        (prepare.pk, ReminderKind.PREPARE),
        (upcoming.pk, ReminderKind.UPCOMING),
        (after.pk, ReminderKind.AFTER),
    }
    assert not ReminderSent.objects.filter(meeting=cancelled).exists()
    facilitator_after = [
        m
        for m in mailoutbox
        if m.to == [only.facilitator.email] and "after the meeting" in m.subject
    ]
    assert len(facilitator_after) == 1
    assert f"/meetings/{after.pk}/run/" in facilitator_after[0].body
    member_after = [
        m
        for m in mailoutbox
        if m.to == [only.members[0].email] and "after the meeting" in m.subject
    ]
    assert "/run/" not in member_after[0].body


def test_members_can_turn_each_kind_off(only, sweep, mailoutbox, client_for):
    marco = only.members[0]
    response = client_for(marco).post("/meetings/preferences/", {"upcoming": "on", "after": "on"})
    assert response.status_code == 302
    factories.meeting(only.chapter, starts_in=timedelta(days=6))
    factories.meeting(only.chapter, starts_in=timedelta(hours=20))
    sweep()
    to_marco = [m.subject for m in mailoutbox if m.to == [marco.email]]
    assert len(to_marco) == 1 and "Tomorrow" in to_marco[0]
    assert len([m for m in mailoutbox if m.to == [only.members[1].email]]) == 2


def test_reminders_speak_the_members_language_in_the_metros_time(only, sweep, mailoutbox):
    ines = only.members[1]
    ines.language = "fr"
    ines.save()
    paris = only.chapter.metro.tzinfo
    starts_at = at_local(6, 18, 30, paris)
    Meeting.objects.create(
        chapter=only.chapter, occurrence_start=starts_at, starts_at=starts_at, location="Station F"
    )
    sweep()
    french = next(m for m in mailoutbox if m.to == [ines.email])
    english = next(m for m in mailoutbox if m.to == [only.members[0].email])
    assert "préparez votre réussite et votre défi" in french.subject
    assert "18:30" in french.body and "18:30" in english.body  # Paris time, not UTC
    weekday_fr = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][
        starts_at.weekday()
    ]
    assert weekday_fr in french.body
    assert starts_at.strftime("%A") in english.body


def test_a_failed_delivery_is_retried_and_sent_once(
    only, django_capture_on_commit_callbacks, mailoutbox
):
    factories.meeting(only.chapter, starts_in=timedelta(hours=20))
    pending = services.reminders_queue_due()
    reminder = ReminderSent.objects.get(pk=pending[0])

    with (
        mock.patch(
            "meetings.services.reminders.send_to_member",
            side_effect=OSError("mail relay unreachable"),
        ),
        pytest.raises(Retry),
    ):
        tasks.deliver_reminder.delay(reminder.pk)  # eager: the retry surfaces as Retry
    reminder.refresh_from_db()
    assert reminder.delivered_at is None  # rolled back: the retry will send it
    assert not Notification.objects.filter(user=reminder.user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.deliver_reminder.delay(reminder.pk)  # the retry
        tasks.deliver_reminder.delay(reminder.pk)  # a duplicate message: nothing more
    assert [m.to for m in mailoutbox] == [[reminder.user.email]]
    reminder.refresh_from_db()
    assert reminder.delivered_at is not None
    assert Notification.objects.filter(user=reminder.user).count() == 1


def test_no_reminder_after_leaving_the_chapter(
    only, mailoutbox, django_capture_on_commit_callbacks
):
    factories.meeting(only.chapter, starts_in=timedelta(hours=20))
    pending = services.reminders_queue_due()
    only.chapter.memberships.filter(user=only.members[2]).update(left_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        for pk in pending:
            services.reminder_deliver(reminder_id=pk)
    assert only.members[2].email not in {m.to[0] for m in mailoutbox}
    assert ReminderSent.objects.get(user=only.members[2]).skipped


def test_reminders_never_carry_what_was_shared(only, sweep, mailoutbox):
    meeting = factories.meeting(only.chapter, starts_in=timedelta(hours=20))
    services.share_save(
        meeting=meeting, user=only.members[0], success="SECRET-S", challenge="SECRET-C"
    )
    sweep()
    assert mailoutbox
    assert not any("SECRET" in m.body or "SECRET" in m.subject for m in mailoutbox)


def test_the_beat_schedule_runs_both_tasks_through_the_dispatcher():
    from meetings.schedule import BEAT_SCHEDULE

    dispatched = {entry["args"][0] for entry in BEAT_SCHEDULE.values()}
    assert dispatched == {"meetings.tasks.generate_meetings", "meetings.tasks.send_reminders"}
    assert {e["task"] for e in BEAT_SCHEDULE.values()} == {
        "tenants.tasks.dispatch_to_organizations"
    }
    assert OSError in tasks.deliver_reminder.autoretry_for
