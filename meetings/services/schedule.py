"""The schedule and the meetings it generates; moving, cancelling and one-off meetings."""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from chapters.models import Chapter
from core.models import User
from core.services import audit_record

from .. import selectors
from ..errors import MeetingError, MeetingLocked, MeetingPermissionDenied
from ..models import FollowUp, Meeting, MeetingSchedule, Share
from ..recurrence import occurrences
from .notify import notify_meeting_changed

MONTHS_AHEAD = 3
TIMING_FIELDS = (
    "frequency",
    "weekday",
    "week_position",
    "day_of_month",
    "start_time",
    "duration_minutes",
    "starts_on",
    "is_active",
)


def require_facilitator(actor: User, chapter: Chapter, what: str) -> None:
    if not selectors.is_facilitator(actor, chapter):
        raise MeetingPermissionDenied(
            gettext("Only the chapter's facilitators can %(what)s.") % {"what": what}
        )


def lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting's row for the rest of the transaction: every change to a meeting's record
    goes through it, so nothing slips in while the meeting is being closed."""
    return Meeting.objects.select_for_update().select_related("chapter__metro").get(pk=meeting.pk)


def require_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise MeetingLocked(gettext("This meeting is closed; its record can no longer change."))
    if meeting.is_cancelled:
        raise MeetingLocked(gettext("This meeting was cancelled."))


def _check_timing(*, frequency: str, day_of_month: int | None, duration_minutes: int) -> None:
    if frequency not in MeetingSchedule.Frequency.values:
        raise MeetingError(gettext("Choose how the meeting repeats."), field="frequency")
    if frequency == MeetingSchedule.Frequency.MONTHLY_DAY and not (
        day_of_month == -1 or (day_of_month is not None and 1 <= day_of_month <= 28)
    ):
        raise MeetingError(
            gettext(
                "Choose a day from 1 to 28, or the last day of the month (so that every "
                "month has one)."
            ),
            field="day_of_month",
        )
    if not 15 <= duration_minutes <= 720:
        raise MeetingError(
            gettext("A meeting lasts between 15 minutes and 12 hours."), field="duration_minutes"
        )


@transaction.atomic
def schedule_save(
    *,
    chapter: Chapter,
    actor: User,
    frequency: str,
    weekday: int,
    week_position: int,
    day_of_month: int | None,
    start_time: time,
    duration_minutes: int,
    starts_on: date,
    location: str = "",
    video_url: str = "",
    is_active: bool = True,
) -> MeetingSchedule:
    """Create or change the chapter's schedule, then regenerate: future meetings the old rule
    made and nobody has touched (not moved, no shares or follow-ups yet) are replaced."""
    require_facilitator(actor, chapter, gettext("change the meeting schedule"))
    _check_timing(frequency=frequency, day_of_month=day_of_month, duration_minutes=duration_minutes)
    schedule = MeetingSchedule.objects.select_for_update().filter(chapter=chapter).first()
    old = None
    if schedule is None:
        schedule = MeetingSchedule(chapter=chapter)
    else:
        old = {
            field: getattr(schedule, field) for field in (*TIMING_FIELDS, "location", "video_url")
        }
    values = {
        "frequency": frequency,
        "weekday": weekday,
        "week_position": week_position,
        "day_of_month": day_of_month
        if frequency == MeetingSchedule.Frequency.MONTHLY_DAY
        else None,
        "start_time": start_time.replace(second=0, microsecond=0),
        "duration_minutes": duration_minutes,
        "starts_on": starts_on,
        "location": location.strip(),
        "video_url": video_url.strip(),
        "is_active": is_active,
    }
    for field, value in values.items():
        setattr(schedule, field, value)
    schedule.updated_by = actor
    schedule.full_clean(exclude=["chapter"])
    schedule.save()

    removed = 0
    now = timezone.now()
    untouched = _untouched_future(schedule, now)
    if old is not None and any(old[field] != getattr(schedule, field) for field in TIMING_FIELDS):
        removed, _ = Meeting.objects.filter(pk__in=untouched.values("pk")).delete()
    elif old is not None:
        untouched.filter(location=old["location"]).update(location=schedule.location)
        untouched.filter(video_url=old["video_url"]).update(video_url=schedule.video_url)
    created = meetings_generate(chapter=chapter, now=now)
    audit_record(
        actor=actor,
        action="meetings.schedule.save",
        target=chapter,
        data={"rrule": schedule.rrule, "created": created, "removed": removed},
    )
    return schedule


def _untouched_future(schedule: MeetingSchedule, now: datetime):
    shares = Share.objects.filter(meeting=OuterRef("pk"))
    follow_ups = FollowUp.objects.filter(meeting=OuterRef("pk"))
    return (
        Meeting.objects.filter(
            schedule=schedule,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at=F("occurrence_start"),
        )
        .exclude(Exists(shares))
        .exclude(Exists(follow_ups))
    )


def meetings_generate(*, chapter: Chapter, now: datetime | None = None) -> int:
    """Make the schedule's meetings up to MONTHS_AHEAD months ahead. Idempotent: the unique
    (chapter, occurrence_start) constraint skips those already made — also the ones since moved
    or cancelled — even when two runs race. Returns how many were made."""
    schedule = (
        MeetingSchedule.objects.select_related("chapter__metro").filter(chapter=chapter).first()
    )
    if schedule is None or not schedule.is_active or chapter.status == Chapter.Status.CLOSED:
        return 0
    now = now or timezone.now()
    tz = schedule.chapter.metro.tzinfo
    starts = occurrences(
        rule=schedule.rrule,
        start_date=schedule.starts_on,
        start_time=schedule.start_time,
        tz=tz,
        after=now,
        before=now + relativedelta(months=MONTHS_AHEAD),
    )
    if not starts:
        return 0
    existing = set(
        Meeting.objects.filter(chapter=chapter, occurrence_start__in=starts).values_list(
            "occurrence_start", flat=True
        )
    )
    missing = [
        Meeting(
            chapter=chapter,
            schedule=schedule,
            occurrence_start=start,
            starts_at=start,
            duration_minutes=schedule.duration_minutes,
            location=schedule.location,
            video_url=schedule.video_url,
        )
        for start in starts
        if start not in existing
    ]
    Meeting.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def meetings_generate_all(*, now: datetime | None = None) -> int:
    """Every chapter's schedule, for the organisation's periodic task."""
    made = 0
    for schedule in (
        MeetingSchedule.objects.filter(is_active=True)
        .select_related("chapter__metro")
        .exclude(chapter__status=Chapter.Status.CLOSED)
    ):
        made += meetings_generate(chapter=schedule.chapter, now=now)
    return made


def _check_start(starts_at: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise MeetingError(gettext("The start needs a time zone."), field="starts_at")
    if starts_at <= timezone.now():
        raise MeetingError(gettext("Choose a time in the future."), field="starts_at")
    if starts_at > timezone.now() + timedelta(days=730):
        raise MeetingError(gettext("Choose a time within the next two years."), field="starts_at")


@transaction.atomic
def meeting_add_one_off(
    *,
    chapter: Chapter,
    actor: User,
    starts_at: datetime,
    duration_minutes: int,
    location: str = "",
    video_url: str = "",
) -> Meeting:
    require_facilitator(actor, chapter, gettext("add a meeting"))
    _check_start(starts_at)
    _check_timing(
        frequency=MeetingSchedule.Frequency.WEEKLY,
        day_of_month=None,
        duration_minutes=duration_minutes,
    )
    meeting = Meeting(
        chapter=chapter,
        occurrence_start=starts_at,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        video_url=video_url.strip(),
    )
    meeting.full_clean(exclude=["chapter", "schedule"], validate_constraints=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:
        raise MeetingError(
            gettext("The chapter already has a meeting starting then."), field="starts_at"
        ) from error
    audit_record(actor=actor, action="meetings.meeting.add", target=meeting)
    notify_meeting_changed(meeting=meeting, change="added")
    return meeting


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    actor: User,
    starts_at: datetime,
    duration_minutes: int,
    location: str = "",
    video_url: str = "",
) -> Meeting:
    """Change a meeting's time or place. Its occurrence stays, so the schedule does not bring the
    old time back."""
    meeting = lock_meeting(meeting)
    require_facilitator(actor, meeting.chapter, gettext("move a meeting"))
    require_open(meeting)
    time_changed = starts_at != meeting.starts_at
    if time_changed:
        _check_start(starts_at)
    _check_timing(
        frequency=MeetingSchedule.Frequency.WEEKLY,
        day_of_month=None,
        duration_minutes=duration_minutes,
    )
    place_changed = (location.strip(), video_url.strip()) != (meeting.location, meeting.video_url)
    changed = time_changed or place_changed or duration_minutes != meeting.duration_minutes
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.location = location.strip()
    meeting.video_url = video_url.strip()
    meeting.full_clean(exclude=["chapter", "schedule"], validate_constraints=False)
    if changed:
        meeting.sequence += 1
    meeting.save()
    audit_record(
        actor=actor,
        action="meetings.meeting.move",
        target=meeting,
        data={"starts_at": meeting.starts_at.isoformat(), "time_changed": time_changed},
    )
    if time_changed or place_changed:
        notify_meeting_changed(meeting=meeting, change="moved")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, reason: str = "") -> Meeting:
    meeting = lock_meeting(meeting)
    require_facilitator(actor, meeting.chapter, gettext("cancel a meeting"))
    require_open(meeting)
    reason = reason.strip()
    if len(reason) > 300:
        raise MeetingError(gettext("Keep the reason under 300 characters."), field="reason")
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancel_reason", "sequence", "modified"])
    audit_record(actor=actor, action="meetings.meeting.cancel", target=meeting)
    notify_meeting_changed(meeting=meeting, change="cancelled")
    return meeting
