"""Monthly meetings of a chapter: the schedule, each meeting, RSVPs, attendance, shares (one
success and one challenge per member), stories that answer challenges, follow-ups, reminders
and calendar feeds.

Confidential (rule 1 of the domain): `Share.success`, `Share.challenge`, `Story.text`,
`FollowUp.text` and `Meeting.minutes`. They are read only through `meetings.selectors`, which
show them to the chapter's current members and nobody else; no model here is registered in the
Django admin, no `__str__` returns their text, and services never log or audit it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter
from core.models import ChoiceLabels

TEXT_MAX = 4000


class MeetingSchedule(ChoiceLabels, models.Model):
    """A chapter's recurrence: an RFC 5545 rule built from these fields (see `rrule`), evaluated
    in the metro's local time, so that daylight-saving changes keep "18:30 local"."""

    class Frequency(models.TextChoices):
        MONTHLY_WEEKDAY = "monthly_weekday", _("Monthly, on a weekday (e.g. first Tuesday)")
        MONTHLY_DAY = "monthly_day", _("Monthly, on a day of the month (e.g. the 15th)")
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every other week")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Position(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    chapter = models.OneToOneField(
        Chapter, on_delete=models.CASCADE, related_name="meeting_schedule"
    )
    frequency = models.CharField(
        _("repeats"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY_WEEKDAY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    week_position = models.SmallIntegerField(
        _("which one in the month"), choices=Position.choices, default=Position.FIRST
    )
    day_of_month = models.SmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        help_text=_("1 to 28, or -1 for the last day of the month."),
    )
    start_time = models.TimeField(_("starts at (local time)"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    starts_on = models.DateField(
        _("first possible date"), help_text=_("No meeting is generated before this date.")
    )
    location = models.CharField(_("venue"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    is_active = models.BooleanField(_("generate meetings"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="meetings_schedule_weekday"
            ),
            models.CheckConstraint(
                condition=Q(week_position__in=[1, 2, 3, 4, -1]),
                name="meetings_schedule_week_position",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="monthly_day")
                | Q(day_of_month__gte=1, day_of_month__lte=28)
                | Q(day_of_month=-1),
                name="meetings_schedule_day_of_month",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=720),
                name="meetings_schedule_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"Schedule of {self.chapter}: {self.rrule}"

    @property
    def rrule(self) -> str:
        """The RFC 5545 RRULE value (without DTSTART)."""
        day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[self.weekday]
        if self.frequency == self.Frequency.MONTHLY_WEEKDAY:
            return f"FREQ=MONTHLY;BYDAY={self.week_position}{day}"
        if self.frequency == self.Frequency.MONTHLY_DAY:
            return f"FREQ=MONTHLY;BYMONTHDAY={self.day_of_month}"
        interval = 2 if self.frequency == self.Frequency.BIWEEKLY else 1
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}"


class Meeting(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Held and closed")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="meetings")
    schedule = models.ForeignKey(
        MeetingSchedule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text=_("Empty for a one-off meeting."),
    )
    # The start the schedule generated (or the one-off's first start). Never changes when the
    # meeting is moved, so generating again finds it: the idempotency key with the chapter.
    occurrence_start = models.DateTimeField()
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    location = models.CharField(_("venue"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Confidential: the facilitator's notes, members only.
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("iCalendar SEQUENCE: bumped on every move or cancellation.")
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "occurrence_start"],
                name="meetings_one_meeting_per_occurrence",
                violation_error_message="The chapter already has a meeting starting then.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=720),
                name="meetings_meeting_duration",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="meetings_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["chapter", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"Meeting #{self.pk} of chapter #{self.chapter_id}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_open(self) -> bool:
        """Open meetings take RSVPs, shares, stories, follow-ups and attendance."""
        return self.status == self.Status.SCHEDULED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_one_off(self) -> bool:
        return self.schedule_id is None

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.occurrence_start


class Rsvp(ChoiceLabels, models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes, I'll be there")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No, I can't come")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_one_rsvp_per_member")
        ]

    def __str__(self) -> str:
        return f"RSVP #{self.pk}: {self.answer}"


class Attendance(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    ATTENDED = (Status.PRESENT, Status.LATE)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="meetings_one_attendance_per_member"
            )
        ]
        indexes = [models.Index(fields=["user", "meeting"])]

    def __str__(self) -> str:
        return f"Attendance #{self.pk}: {self.status}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


class Share(models.Model):
    """A member's one success and one challenge for one meeting. Confidential."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shares")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    success = models.TextField(_("your success"), max_length=TEXT_MAX)
    challenge = models.TextField(_("your challenge"), max_length=TEXT_MAX)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"],
                name="meetings_one_share_per_member_per_meeting",
                violation_error_message="You have already recorded your share for this meeting.",
            ),
            models.CheckConstraint(
                condition=~Q(success="") & ~Q(challenge=""),
                name="meetings_share_success_and_challenge",
            ),
        ]
        indexes = [models.Index(fields=["author", "meeting"])]

    def __str__(self) -> str:
        return f"Share #{self.pk}"


class Story(models.Model):
    """An answer to a share's challenge: how a similar issue was handled elsewhere. Confidential."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="stories")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("your story"), max_length=TEXT_MAX)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.UniqueConstraint(
                fields=["share", "author"],
                name="meetings_one_story_per_member_per_challenge",
                violation_error_message="You have already told a story for this challenge.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="meetings_story_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Story #{self.pk}"


class FollowUp(models.Model):
    """What became of a challenge, recorded at the chapter's next meeting. Confidential."""

    share = models.OneToOneField(Share, on_delete=models.CASCADE, related_name="follow_up")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        help_text=_("The meeting at which it was told."),
    )
    text = models.TextField(_("what happened since"), max_length=TEXT_MAX)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="meetings_follow_up_not_empty")
        ]

    def __str__(self) -> str:
        return f"Follow-up #{self.pk}"


class ReminderKind(models.TextChoices):
    PREPARE = "prepare", _("A week before: prepare your success and challenge")
    UPCOMING = "upcoming", _("The day before: the meeting and your RSVP")
    AFTER = "after", _("The day after: follow-ups, and minutes for facilitators")


class ReminderSent(ChoiceLabels, models.Model):
    """One reminder of one kind for one member and meeting: the unique constraint makes a sweep
    that runs twice send nothing twice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    created = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(
        default=False, help_text=_("Not sent: the meeting or membership changed in between.")
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "kind"], name="meetings_one_reminder_per_kind"
            )
        ]
        indexes = [models.Index(fields=["delivered_at", "created"])]

    def __str__(self) -> str:
        return f"Reminder #{self.pk} ({self.kind})"


class ReminderPreference(models.Model):
    """Which reminders a member wants; no row means all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_reminders"
    )
    prepare = models.BooleanField(_("a week before: prepare your share"), default=True)
    upcoming = models.BooleanField(_("the day before: the meeting and your RSVP"), default=True)
    after = models.BooleanField(_("the day after: follow-ups and minutes"), default=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return f"Reminder preferences of user #{self.user_id}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind))


class CalendarFeed(models.Model):
    """A secret calendar subscription link: a chapter's meetings (chapter set) or all of the
    member's meetings (chapter empty). Only a SHA-256 hash of the secret is stored; the feed
    answers only while its owner is a current member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feeds"
    )
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "chapter"],
                condition=Q(revoked_at__isnull=True),
                nulls_distinct=False,
                name="meetings_one_live_feed_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
