"""Reads of meetings, with the confidentiality rule built in.

Everything about a chapter's meetings — and above all shares, stories, follow-ups and minutes —
is for the chapter's *current* members. Organisation admins, committees, the board and
superusers get no more than anybody else here: the same 404. Upward reports use
`meeting_stats_for_chapter` / `meeting_health_parts`, which return counts and rates only."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from chapters import selectors as chapter_selectors
from chapters.models import Chapter, Membership
from core.models import User

from .models import (
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSchedule,
    ReminderPreference,
    Rsvp,
    Share,
    Story,
)

is_chapter_member = chapter_selectors.is_chapter_member
is_facilitator = chapter_selectors.is_facilitator


# --- Access -------------------------------------------------------------------------------------


def member_chapter_ids(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(chapter_selectors.current_memberships_of(user).values_list("chapter_id", flat=True))


def get_member_chapter_for(user: User, pk: int) -> Chapter:
    """A chapter the user currently belongs to, else 404 (admins included: meetings are the
    members')."""
    chapter = (
        chapter_selectors.chapters_of(user).select_related("metro").filter(pk=pk).first()
        if user.is_authenticated
        else None
    )
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings of the chapters the user currently belongs to."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        chapter__memberships__user=user, chapter__memberships__left_at__isnull=True
    ).select_related("chapter__metro")


def get_meeting_for(user: User, pk: int) -> Meeting:
    """The meeting, or 404 — the same whether it does not exist or the user is not a current
    member of its chapter."""
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def can_see_others_shares(meeting: Meeting) -> bool:
    """Members see each other's shares once the meeting starts; before, each prepares their own
    and the facilitator sees only who has prepared."""
    return meeting.has_started or meeting.is_closed


# --- Lists --------------------------------------------------------------------------------------


def schedule_of(chapter: Chapter) -> MeetingSchedule | None:
    return MeetingSchedule.objects.filter(chapter=chapter).first()


def meetings_of_chapter(chapter: Chapter) -> QuerySet[Meeting]:
    return Meeting.objects.filter(chapter=chapter).select_related("chapter__metro")


def upcoming_meetings_of_chapter(chapter: Chapter, *, now: datetime | None = None):
    now = now or timezone.now()
    return (
        meetings_of_chapter(chapter)
        .filter(status__in=[Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED])
        .filter(starts_at__gte=now - timedelta(hours=12))
        .order_by("starts_at", "pk")
    )


def past_meetings_of_chapter(chapter: Chapter, *, now: datetime | None = None):
    """Held (closed) meetings, and scheduled ones that have started but are not closed yet."""
    now = now or timezone.now()
    return (
        meetings_of_chapter(chapter)
        .filter(
            Q(status=Meeting.Status.CLOSED)
            | Q(status=Meeting.Status.SCHEDULED, starts_at__lt=now - timedelta(hours=12))
        )
        .annotate(
            share_count=Count("shares", distinct=True),
            present_count=Count(
                "attendances",
                filter=Q(attendances__status__in=Attendance.ATTENDED),
                distinct=True,
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def next_meeting_of(chapter: Chapter) -> Meeting | None:
    """The chapter's next scheduled meeting (times are not confidential)."""
    return (
        Meeting.objects.filter(
            chapter=chapter,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now() - timedelta(hours=3),
        )
        .select_related("chapter__metro")
        .order_by("starts_at", "pk")
        .first()
    )


def upcoming_meetings_of(user: User, *, limit: int = 20) -> list[Meeting]:
    """The user's next meetings across their chapters, in one query: each with the user's own
    RSVP (`my_rsvp`), whether they have prepared their share (`i_prepared`) and how many
    members have (`prepared_count`)."""
    if not user.is_authenticated:
        return []
    own_rsvp = Rsvp.objects.filter(meeting=OuterRef("pk"), user=user).values("answer")[:1]
    shares = Share.objects.filter(meeting=OuterRef("pk"))
    prepared = shares.order_by().values("meeting").annotate(n=Count("pk")).values("n")
    return list(
        meetings_visible_to(user)
        .filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now() - timedelta(hours=3))
        .annotate(
            my_rsvp=Subquery(own_rsvp),
            i_prepared=Exists(shares.filter(author=user)),
            prepared_count=Coalesce(Subquery(prepared, output_field=IntegerField()), 0),
        )
        .order_by("starts_at", "pk")[:limit]
    )


# --- The meeting page ---------------------------------------------------------------------------


@dataclass
class MemberRow:
    membership: Membership
    rsvp: Rsvp | None = None
    attendance: Attendance | None = None
    share: Share | None = None
    previous_share: Share | None = None

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def has_prepared(self) -> bool:
        return self.share is not None


@dataclass
class MeetingView:
    """What the meeting page shows to one member, fetched in a constant number of queries."""

    meeting: Meeting
    viewer: User
    is_facilitator: bool
    rows: list[MemberRow]
    previous_meeting: Meeting | None
    shows_shares: bool
    my_share: Share | None = None
    my_rsvp: Rsvp | None = None
    my_previous_share: Share | None = None
    rsvp_counts: dict = field(default_factory=dict)

    @property
    def shares(self) -> list[Share]:
        """Others' shares are only in here once they may be seen."""
        return [
            row.share
            for row in self.rows
            if row.share is not None and (self.shows_shares or row.user.pk == self.viewer.pk)
        ]

    @property
    def prepared_count(self) -> int:
        return sum(1 for row in self.rows if row.has_prepared)

    @property
    def follow_up_rows(self) -> list[MemberRow]:
        return [row for row in self.rows if row.previous_share is not None]


def previous_closed_meeting(meeting: Meeting) -> Meeting | None:
    """The chapter's meeting just before this one (cancelled ones skipped), when it was held and
    closed: its challenges are followed up here. None when another meeting comes in between, so
    follow-ups belong to the next meeting only."""
    before = (
        Meeting.objects.filter(chapter_id=meeting.chapter_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at", "-pk")
        .first()
    )
    return before if before is not None and before.is_closed else None


def previous_share_of(meeting: Meeting, user: User) -> Share | None:
    """The user's share at the chapter's last held meeting before this one: the challenge whose
    follow-up is told at this meeting."""
    previous = previous_closed_meeting(meeting)
    if previous is None:
        return None
    return Share.objects.filter(meeting=previous, author=user).first()


def _stories_prefetch() -> Prefetch:
    return Prefetch(
        "stories", queryset=Story.objects.select_related("author").order_by("created", "pk")
    )


def meeting_view_for(meeting: Meeting, user: User) -> MeetingView:
    """Members with their RSVP, attendance and share (with stories), and last meeting's
    challenges with their follow-ups. Seven queries whatever the number of members and shares.
    The caller got `meeting` from `get_meeting_for`, so the user is a current member."""
    members = list(
        Membership.objects.filter(chapter_id=meeting.chapter_id, left_at__isnull=True)
        .select_related("user", "sector")
        .order_by("-role", "user__name", "pk")
    )
    rsvps = {r.user_id: r for r in Rsvp.objects.filter(meeting=meeting)}
    attendance = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    shows = can_see_others_shares(meeting)
    if shows:
        shares = {
            s.author_id: s
            for s in Share.objects.filter(meeting=meeting)
            .select_related("author")
            .prefetch_related(_stories_prefetch())
        }
    else:
        # Before the meeting: who has prepared, not what they wrote — others' text is not
        # even read from the database.
        shares = {
            s.author_id: s
            for s in Share.objects.filter(meeting=meeting)
            .exclude(author=user)
            .defer("success", "challenge")
        }
        for share in shares.values():
            share.success = share.challenge = ""
        own = Share.objects.filter(meeting=meeting, author=user).first()
        if own is not None:
            shares[user.pk] = own
    previous = previous_closed_meeting(meeting)
    previous_shares = {}
    if previous is not None:
        previous_shares = {
            s.author_id: s
            for s in Share.objects.filter(meeting=previous).select_related("author", "follow_up")
        }
    rows = [
        MemberRow(
            membership=m,
            rsvp=rsvps.get(m.user_id),
            attendance=attendance.get(m.user_id),
            share=shares.get(m.user_id),
            previous_share=previous_shares.get(m.user_id),
        )
        for m in members
    ]
    counts = {answer: 0 for answer in Rsvp.Answer.values}
    for rsvp in rsvps.values():
        counts[rsvp.answer] += 1
    return MeetingView(
        meeting=meeting,
        viewer=user,
        is_facilitator=is_facilitator(user, meeting.chapter),
        rows=rows,
        previous_meeting=previous,
        shows_shares=shows,
        my_share=shares.get(user.pk),
        my_rsvp=rsvps.get(user.pk),
        my_previous_share=previous_shares.get(user.pk),
        rsvp_counts=counts,
    )


def shares_visible_to(user: User, meeting: Meeting) -> QuerySet[Share]:
    """For the API: the meeting's shares the user may read (their own before the meeting)."""
    queryset = (
        Share.objects.filter(meeting=meeting)
        .select_related("author")
        .prefetch_related(_stories_prefetch())
    )
    if not can_see_others_shares(meeting):
        queryset = queryset.filter(author=user)
    return queryset.order_by("created", "pk")


def get_share_for(user: User, meeting: Meeting, pk: int) -> Share:
    share = shares_visible_to(user, meeting).filter(pk=pk).first()
    if share is None:
        raise Http404("No such share.")
    return share


def get_story_for(user: User, meeting: Meeting, pk: int) -> Story:
    story = (
        Story.objects.select_related("share", "author")
        .filter(pk=pk, share__meeting=meeting)
        .first()
    )
    if story is None or not can_see_others_shares(meeting):
        raise Http404("No such story.")
    return story


# --- Attendance history -------------------------------------------------------------------------


def attendance_history_of_chapter(chapter: Chapter, *, limit: int = 12) -> dict:
    """The last `limit` held meetings by current members, with each member's attendance rate.
    Three queries."""
    meetings = list(
        Meeting.objects.filter(chapter=chapter, status=Meeting.Status.CLOSED)
        .select_related("chapter__metro")
        .order_by("-starts_at", "-pk")[:limit]
    )
    meetings.reverse()
    members = list(chapter_selectors.chapter_members(chapter).select_related("user"))
    marks = {(a.meeting_id, a.user_id): a for a in Attendance.objects.filter(meeting__in=meetings)}
    rows = []
    for membership in members:
        cells = [marks.get((m.pk, membership.user_id)) for m in meetings]
        recorded = [c for c in cells if c is not None]
        attended = sum(1 for c in recorded if c.attended)
        rows.append(
            {
                "membership": membership,
                "cells": cells,
                "attended": attended,
                "recorded": len(recorded),
                "rate": round(100 * attended / len(recorded)) if recorded else None,
            }
        )
    return {"meetings": meetings, "rows": rows}


def attendance_history_of_member(chapter: Chapter, user: User) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(meeting__chapter=chapter, user=user)
        .select_related("meeting__chapter__metro")
        .order_by("-meeting__starts_at")
    )


# --- Upward reports: counts and rates only ------------------------------------------------------


def meeting_stats_for_chapter(chapter: Chapter, *, months: int = 12) -> dict:
    """Aggregates for chapter health and admin dashboards over the last `months` months: counts
    and rates, never any text. Three queries."""
    since = timezone.now() - timedelta(days=round(months * 30.44))
    held = Meeting.objects.filter(
        chapter=chapter, status=Meeting.Status.CLOSED, starts_at__gte=since
    )
    totals = held.aggregate(meetings_held=Count("pk"), last_held_at=Max("starts_at"))
    marks = Attendance.objects.filter(meeting__in=held).aggregate(
        recorded=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED))
    )
    shares = Share.objects.filter(meeting__in=held).count()
    meetings_held = totals["meetings_held"] or 0
    recorded = marks["recorded"] or 0
    attended = marks["attended"] or 0
    return {
        "months": months,
        "meetings_held": meetings_held,
        "last_held_at": totals["last_held_at"],
        "attendance_recorded": recorded,
        "attended": attended,
        "attendance_rate": round(attended / recorded, 3) if recorded else None,
        "shares_recorded": shares,
        "share_rate": round(min(shares / attended, 1.0), 3) if attended else None,
        "regularity": round(min(meetings_held / months, 1.0), 3) if months else None,
    }


def meeting_health_parts(chapter: Chapter) -> dict:
    """The meeting parts of a chapter's health, each a number between 0 and 1 (or None when
    there is nothing to measure yet), over the last six months:

    * attendance_rate — attended (present or late) / attendance recorded at held meetings;
    * regularity — held meetings / months (capped at 1: monthly is the format);
    * shares_recorded — shares / attendees at held meetings."""
    stats = meeting_stats_for_chapter(chapter, months=6)
    return {
        "attendance_rate": stats["attendance_rate"],
        "regularity": stats["regularity"],
        "shares_recorded": stats["share_rate"],
        "meetings_held": stats["meetings_held"],
        "last_held_at": stats["last_held_at"],
    }


# --- Preferences and calendars ------------------------------------------------------------------


def reminder_preference_of(user: User) -> ReminderPreference:
    """The member's preferences (an unsaved all-on row when they never changed them)."""
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(user=user)


def calendar_feeds_of(user: User) -> QuerySet[CalendarFeed]:
    return (
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("chapter")
        .order_by("chapter__name", "pk")
    )


def get_calendar_feed_for(user: User, pk: int) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user, pk=pk, revoked_at__isnull=True).first()
    if feed is None:
        raise Http404("No such calendar link.")
    return feed


def feed_meetings(feed: CalendarFeed, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """The meetings a live feed lists: its owner's current chapters (or the one chapter), from
    three months back on. Cancelled meetings stay in, marked cancelled, so calendars drop them."""
    now = now or timezone.now()
    queryset = meetings_visible_to(feed.user).filter(starts_at__gte=now - timedelta(days=92))
    if feed.chapter_id is not None:
        queryset = queryset.filter(chapter_id=feed.chapter_id)
    return queryset.order_by("starts_at", "pk")
