"""The schedule: RFC 5545 rules expanded in local time (DST keeps 18:30 local), generation that
is idempotent, and the facilitator's changes (move, cancel, one-off)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from chapters.models import Membership
from meetings import services
from meetings.errors import MeetingError, MeetingLocked, MeetingPermissionDenied
from meetings.models import Meeting, MeetingSchedule
from meetings.recurrence import occurrences

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local_times(starts, tz):
    return [start.astimezone(tz) for start in starts]


@pytest.mark.parametrize(
    ("tz", "spring", "autumn"),
    [
        # Europe changes on the last Sundays of March and October 2026.
        (PARIS, date(2026, 3, 29), date(2026, 10, 25)),
        # The US on the second Sunday of March and the first Sunday of November 2026.
        (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    ],
)
def test_weekly_meeting_keeps_local_time_across_both_dst_changes(tz, spring, autumn):
    # A weekly Tuesday 18:30 from January to December crosses both changes.
    starts = occurrences(
        rule="FREQ=WEEKLY;INTERVAL=1;BYDAY=TU",
        start_date=date(2026, 1, 1),
        start_time=time(18, 30),
        tz=tz,
        after=utc(2026, 1, 1),
        before=utc(2027, 1, 1),
    )
    assert len(starts) == 52
    local = local_times(starts, tz)
    assert {(t.hour, t.minute) for t in local} == {(18, 30)}
    winter_offset = local[0].utcoffset()
    summer = [t for t in local if spring < t.date() < autumn]
    winter = [t for t in local if t.date() < spring or t.date() > autumn]
    assert summer and winter
    assert {t.utcoffset() for t in summer} == {winter_offset + timedelta(hours=1)}
    assert {t.utcoffset() for t in winter} == {winter_offset}
    # So the UTC hour moves by one across each change.
    assert len({s.hour for s in starts}) == 2


def test_first_tuesday_of_the_month_in_paris():
    starts = occurrences(
        rule="FREQ=MONTHLY;BYDAY=1TU",
        start_date=date(2026, 1, 1),
        start_time=time(18, 30),
        tz=PARIS,
        after=utc(2026, 1, 1),
        before=utc(2026, 12, 31),
    )
    local = local_times(starts, PARIS)
    assert [t.date() for t in local][:5] == [
        date(2026, 1, 6),
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 4, 7),
        date(2026, 5, 5),
    ]
    # 18:30 in Paris is 17:30 UTC in winter, 16:30 UTC in summer.
    assert starts[2] == utc(2026, 3, 3, 17, 30)
    assert starts[3] == utc(2026, 4, 7, 16, 30)
    assert starts[10] == utc(2026, 11, 3, 17, 30)


def test_last_thursday_and_last_day_and_every_other_week():
    last_thursday = occurrences(
        rule="FREQ=MONTHLY;BYDAY=-1TH",
        start_date=date(2026, 1, 1),
        start_time=time(8, 0),
        tz=NEW_YORK,
        after=utc(2026, 1, 1),
        before=utc(2026, 4, 1),
    )
    assert [t.astimezone(NEW_YORK).date() for t in last_thursday] == [
        date(2026, 1, 29),
        date(2026, 2, 26),
        date(2026, 3, 26),
    ]
    last_day = occurrences(
        rule="FREQ=MONTHLY;BYMONTHDAY=-1",
        start_date=date(2026, 1, 1),
        start_time=time(12, 0),
        tz=PARIS,
        after=utc(2026, 1, 1),
        before=utc(2026, 4, 1),
    )
    assert [t.astimezone(PARIS).day for t in last_day] == [31, 28, 31]
    biweekly = occurrences(
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        start_date=date(2026, 1, 5),
        start_time=time(9, 0),
        tz=PARIS,
        after=utc(2026, 1, 1),
        before=utc(2026, 2, 10),
    )
    assert [t.astimezone(PARIS).day for t in biweekly] == [5, 19, 2]


def test_a_time_skipped_by_the_spring_change_moves_forward():
    starts = occurrences(
        rule="FREQ=WEEKLY;INTERVAL=1;BYDAY=SU",
        start_date=date(2026, 3, 1),
        start_time=time(2, 30),
        tz=NEW_YORK,
        after=utc(2026, 3, 7),
        before=utc(2026, 3, 9),
    )
    assert [t.astimezone(NEW_YORK).strftime("%H:%M") for t in starts] == ["03:30"]


def _schedule(world, **overrides):
    values = {
        "frequency": MeetingSchedule.Frequency.MONTHLY_WEEKDAY,
        "weekday": 1,
        "week_position": 1,
        "day_of_month": None,
        "start_time": time(18, 30),
        "duration_minutes": 120,
        "starts_on": timezone.localdate(),
        "location": "Station F",
    }
    values.update(overrides)
    return services.schedule_save(chapter=world.chapter, actor=world.facilitator, **values)


def test_schedule_generates_three_months_ahead_idempotently(world):
    Meeting.objects.filter(chapter=world.chapter).delete()
    schedule = _schedule(world)
    assert schedule.rrule == "FREQ=MONTHLY;BYDAY=1TU"
    meetings = list(Meeting.objects.filter(chapter=world.chapter))
    assert 3 <= len(meetings) <= 4
    for meeting in meetings:
        local = meeting.starts_at.astimezone(PARIS)
        assert (local.weekday(), local.hour, local.minute) == (1, 18, 30)
        assert local.day <= 7
        assert meeting.location == "Station F" and meeting.schedule == schedule

    assert services.meetings_generate(chapter=world.chapter) == 0
    assert services.meetings_generate_all() == 0
    assert Meeting.objects.filter(chapter=world.chapter).count() == len(meetings)


def test_the_database_refuses_a_second_meeting_for_one_occurrence(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            chapter=world.chapter,
            occurrence_start=world.upcoming.occurrence_start,
            starts_at=world.upcoming.starts_at,
        )


def test_moved_and_cancelled_meetings_are_not_generated_again(world):
    Meeting.objects.filter(chapter=world.chapter).delete()
    _schedule(world)
    first, second = Meeting.objects.filter(chapter=world.chapter).order_by("starts_at")[:2]
    new_start = first.starts_at + timedelta(days=1)
    services.meeting_move(
        meeting=first,
        actor=world.facilitator,
        starts_at=new_start,
        duration_minutes=90,
        location="Elsewhere",
    )
    services.meeting_cancel(meeting=second, actor=world.facilitator, reason="Holiday")
    count = Meeting.objects.filter(chapter=world.chapter).count()

    assert services.meetings_generate(chapter=world.chapter) == 0
    assert Meeting.objects.filter(chapter=world.chapter).count() == count
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.starts_at == new_start and first.is_moved and first.sequence == 1
    assert second.status == Meeting.Status.CANCELLED and second.sequence == 1


def test_changing_the_schedule_replaces_untouched_future_meetings_only(world):
    Meeting.objects.filter(chapter=world.chapter).delete()
    _schedule(world)
    prepared = Meeting.objects.filter(chapter=world.chapter).order_by("starts_at").first()
    services.share_save(meeting=prepared, user=world.members[0], success="S", challenge="C")

    _schedule(world, week_position=-1, weekday=3)  # last Thursday

    remaining = Meeting.objects.filter(chapter=world.chapter).exclude(pk=prepared.pk)
    assert remaining.exists()
    for meeting in remaining:
        local = meeting.starts_at.astimezone(PARIS)
        assert local.weekday() == 3 and local.day > 21
    assert Meeting.objects.filter(pk=prepared.pk).exists()  # kept: someone prepared for it


def test_only_facilitators_schedule_and_bad_values_are_refused(world):
    with pytest.raises(MeetingPermissionDenied):
        services.schedule_save(
            chapter=world.chapter,
            actor=world.members[0],
            frequency="weekly",
            weekday=0,
            week_position=1,
            day_of_month=None,
            start_time=time(9),
            duration_minutes=60,
            starts_on=timezone.localdate(),
        )
    with pytest.raises(MeetingError) as error:
        _schedule(world, frequency=MeetingSchedule.Frequency.MONTHLY_DAY, day_of_month=31)
    assert error.value.field == "day_of_month"
    with pytest.raises(MeetingError):
        _schedule(world, duration_minutes=5)
    assert not MeetingSchedule.objects.filter(chapter=world.chapter).exists()


def test_one_off_meetings(world):
    starts_at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    meeting = services.meeting_add_one_off(
        chapter=world.chapter,
        actor=world.facilitator,
        starts_at=starts_at,
        duration_minutes=60,
        video_url="https://meet.example.org/abc",
    )
    assert meeting.is_one_off and meeting.starts_at == starts_at
    with pytest.raises(MeetingError, match="already has a meeting"):
        services.meeting_add_one_off(
            chapter=world.chapter, actor=world.facilitator, starts_at=starts_at, duration_minutes=60
        )
    with pytest.raises(MeetingError, match="future"):
        services.meeting_add_one_off(
            chapter=world.chapter,
            actor=world.facilitator,
            starts_at=timezone.now() - timedelta(hours=1),
            duration_minutes=60,
        )
    with pytest.raises(MeetingPermissionDenied):
        services.meeting_add_one_off(
            chapter=world.chapter,
            actor=world.members[0],
            starts_at=starts_at + timedelta(days=1),
            duration_minutes=60,
        )


def test_members_are_told_when_a_meeting_moves(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_move(
            meeting=world.upcoming,
            actor=world.facilitator,
            starts_at=world.upcoming.starts_at + timedelta(hours=1),
            duration_minutes=120,
            location="Station F",
        )
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted(u.email for u in world.everyone_in_chapter)
    assert all("Meeting moved" in message.subject for message in mailoutbox)


def test_closed_meetings_cannot_be_moved_or_cancelled(world):
    Meeting.objects.filter(pk=world.started.pk).update(
        status=Meeting.Status.CLOSED, closed_at=timezone.now()
    )
    with pytest.raises(MeetingLocked):
        services.meeting_cancel(meeting=world.started, actor=world.facilitator)


def test_no_meetings_for_closed_chapters(world):
    _schedule(world)
    world.chapter.status = "closed"
    world.chapter.save()
    Meeting.objects.filter(chapter=world.chapter, starts_at__gt=timezone.now()).delete()
    assert services.meetings_generate(chapter=world.chapter) == 0
    assert Membership.objects.filter(chapter=world.chapter).exists()
