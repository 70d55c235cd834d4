"""Reminders: a week before (prepare your share), the day before (the meeting and your RSVP), the
day after (follow-ups; facilitators close the minutes).

A sweep (`reminders_queue_due`) writes one `ReminderSent` row per meeting, member and kind —
the unique constraint makes a second sweep write nothing — and delivery (`reminder_deliver`)
sends each row once, in the member's language and the metro's time."""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chapters.models import Membership
from core.hosts import absolute_url
from core.models import User
from core.services import audit_record

from ..models import Meeting, ReminderKind, ReminderPreference, ReminderSent, Rsvp, Share
from .notify import local_when, meeting_url, place_of, send_to_member

# When each kind is due, relative to the meeting: (from, until), as offsets from its start
# (prepare, upcoming) or its end (after).
WINDOWS = {
    ReminderKind.PREPARE: (timedelta(days=-7), timedelta(days=-1)),
    ReminderKind.UPCOMING: (timedelta(days=-1), timedelta(0)),
    ReminderKind.AFTER: (timedelta(hours=12), timedelta(days=4)),
}


def reminder_window(meeting: Meeting, kind: str) -> tuple[datetime, datetime]:
    begin, end = WINDOWS[kind]
    anchor = meeting.ends_at if kind == ReminderKind.AFTER else meeting.starts_at
    return anchor + begin, anchor + end


def reminder_applies(meeting: Meeting, kind: str) -> bool:
    if meeting.is_cancelled:
        return False
    if kind == ReminderKind.AFTER:
        return True
    return meeting.status == Meeting.Status.SCHEDULED


def _due_kinds(meeting: Meeting, now: datetime) -> list[str]:
    kinds = []
    for kind in ReminderKind.values:
        begin, end = reminder_window(meeting, kind)
        if begin <= now < end and reminder_applies(meeting, kind):
            kinds.append(kind)
    return kinds


@transaction.atomic
def reminders_queue_due(*, now: datetime | None = None) -> list[int]:
    """Write the reminders that are due and not yet written; return the ids of every reminder
    still waiting for delivery. A constant number of queries, however many meetings."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(
            starts_at__gte=now - timedelta(days=5), starts_at__lte=now + timedelta(days=7)
        ).exclude(status=Meeting.Status.CANCELLED)
    )
    due = {meeting.pk: _due_kinds(meeting, now) for meeting in meetings}
    due = {pk: kinds for pk, kinds in due.items() if kinds}
    if due:
        chapter_of = {m.pk: m.chapter_id for m in meetings}
        members: dict[int, list[int]] = {}
        for chapter_id, user_id in Membership.objects.filter(
            chapter_id__in={chapter_of[pk] for pk in due},
            left_at__isnull=True,
            user__is_active=True,
        ).values_list("chapter_id", "user_id"):
            members.setdefault(chapter_id, []).append(user_id)
        all_users = {user_id for ids in members.values() for user_id in ids}
        opted_out = {
            pref.user_id: {kind for kind in ReminderKind.values if not pref.wants(kind)}
            for pref in ReminderPreference.objects.filter(user_id__in=all_users)
        }
        written = set(
            ReminderSent.objects.filter(meeting_id__in=due).values_list(
                "meeting_id", "user_id", "kind"
            )
        )
        rows = [
            ReminderSent(meeting_id=meeting_id, user_id=user_id, kind=kind, created=now)
            for meeting_id, kinds in due.items()
            for user_id in members.get(chapter_of[meeting_id], [])
            for kind in kinds
            if kind not in opted_out.get(user_id, ()) and (meeting_id, user_id, kind) not in written
        ]
        # ignore_conflicts: a sweep racing this one may have written the same rows.
        ReminderSent.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        ReminderSent.objects.filter(
            delivered_at__isnull=True, skipped=False, created__gte=now - timedelta(days=2)
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def reminder_deliver(*, reminder_id: int, now: datetime | None = None) -> bool:
    """Send one reminder, once: the row is locked and marked delivered in the same transaction
    that queues its email. Returns False when it was sent before or is no longer relevant."""
    now = now or timezone.now()
    reminder = (
        ReminderSent.objects.select_for_update(of=("self",))
        .select_related("meeting__chapter__metro", "user")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.delivered_at is not None or reminder.skipped:
        return False
    meeting, user = reminder.meeting, reminder.user
    _begin, end = reminder_window(meeting, reminder.kind)
    preference = ReminderPreference.objects.filter(user=user).first()
    membership = Membership.objects.filter(
        chapter_id=meeting.chapter_id, user=user, left_at__isnull=True
    ).first()
    if (
        membership is None
        or not user.is_active
        or not reminder_applies(meeting, reminder.kind)
        or now >= end + timedelta(hours=12)
        or (preference is not None and not preference.wants(reminder.kind))
    ):
        reminder.skipped = True
        reminder.save(update_fields=["skipped"])
        return False
    with translation.override(user.language or "en"):
        subject, body, url = _render(reminder, membership)
    send_to_member(user=user, subject=subject, body=body, url=url)
    reminder.delivered_at = now
    reminder.save(update_fields=["delivered_at"])
    return True


def _render(reminder: ReminderSent, membership: Membership) -> tuple[str, str, str]:
    meeting, user = reminder.meeting, reminder.user
    values = {
        "chapter": meeting.chapter.name,
        "when": local_when(meeting),
        "where": place_of(meeting),
    }
    url = meeting_url(meeting)
    if reminder.kind == ReminderKind.PREPARE:
        subject = _("%(chapter)s meets in a week: prepare your success and challenge") % values
        lines = [
            _("Your chapter meets on %(when)s — %(where)s.") % values,
            _(
                "Take a moment to prepare your one success and one challenge; you can record "
                "them on the meeting page before the meeting."
            ),
        ]
    elif reminder.kind == ReminderKind.UPCOMING:
        subject = _("Tomorrow: %(chapter)s meets") % values
        rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
        lines = [
            _("Your chapter meets on %(when)s — %(where)s.") % values,
            _("Your answer: %(answer)s.") % {"answer": rsvp.get_answer_display()}
            if rsvp
            else _("You have not said yet whether you will come."),
        ]
        if not Share.objects.filter(meeting=meeting, author=user).exists():
            lines.append(_("Your success and challenge are not recorded yet."))
    else:
        subject = _("%(chapter)s: after the meeting") % values
        lines = [
            _("Thank you for the meeting of %(when)s.") % values,
            _(
                "At the next meeting you will be asked what happened with your challenge since. "
                "Note it while it is fresh."
            ),
        ]
        if membership.is_facilitator and not meeting.is_closed:
            lines.append(
                _("As a facilitator, close the meeting and save its minutes: %(url)s")
                % {"url": absolute_url(reverse("meetings:run", args=[meeting.pk]))}
            )
    lines.append("")
    lines.append(
        _("Choose which reminders you get: %(url)s")
        % {"url": absolute_url(reverse("meetings:preferences"))}
    )
    return subject, "\n".join(lines), url


@transaction.atomic
def reminder_preferences_update(
    *, user: User, prepare: bool, upcoming: bool, after: bool
) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"prepare": prepare, "upcoming": upcoming, "after": after}
    )
    audit_record(
        actor=user,
        action="meetings.reminders.preferences",
        target=preference,
        data={"prepare": prepare, "upcoming": upcoming, "after": after},
    )
    return preference
