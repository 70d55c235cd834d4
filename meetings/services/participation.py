"""What members and facilitators record about a meeting: RSVPs, attendance, shares, stories,
follow-ups, minutes — and closing, which locks all of it.

Confidential text (shares, stories, follow-ups, minutes) goes into its row and nowhere else:
audit entries carry ids and counts, and nothing here logs."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chapters.models import Chapter, Membership
from chapters.services import chapter_record_meeting
from core.models import User
from core.services import audit_record, notification_create

from .. import selectors
from ..advice import reads_as_advice
from ..errors import MeetingError, MeetingLocked, MeetingPermissionDenied
from ..models import TEXT_MAX, Attendance, FollowUp, Meeting, Rsvp, Share, Story
from .notify import local_when, meeting_url
from .schedule import lock_meeting, require_facilitator, require_open


def require_member(user: User, meeting: Meeting) -> None:
    if not selectors.is_chapter_member(user, meeting.chapter):
        raise MeetingPermissionDenied(
            _("Only the chapter's members can take part in its meetings.")
        )


def _clean_text(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MeetingError(_("Write your %(label)s.") % {"label": label}, field=field)
    if len(value) > TEXT_MAX:
        raise MeetingError(
            _("Keep your %(label)s under %(max)s characters (it has %(count)s).")
            % {"label": label, "max": TEXT_MAX, "count": len(value)},
            field=field,
        )
    return value


@transaction.atomic
def rsvp_set(*, meeting: Meeting, user: User, answer: str) -> Rsvp:
    meeting = lock_meeting(meeting)
    require_member(user, meeting)
    require_open(meeting)
    if answer not in Rsvp.Answer.values:
        raise MeetingError(_("Answer yes, maybe or no."), field="answer")
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=meeting, user=user, defaults={"answer": answer, "answered_at": timezone.now()}
    )
    audit_record(actor=user, action="meetings.rsvp", target=meeting, data={"answer": answer})
    return rsvp


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, actor: User, statuses: dict[int, str]
) -> list[Attendance]:
    """Record present / late / excused / absent for members (user id → status); an empty status
    clears the entry. Only current members of the chapter can be marked."""
    meeting = lock_meeting(meeting)
    require_facilitator(actor, meeting.chapter, _("record attendance"))
    require_open(meeting)
    members = set(
        Membership.objects.filter(chapter_id=meeting.chapter_id, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    unknown = set(statuses) - members
    if unknown:
        raise MeetingError(_("Attendance can only be recorded for the chapter's current members."))
    invalid = {status for status in statuses.values() if status} - set(Attendance.Status.values)
    if invalid:
        raise MeetingError(_("Choose present, late, excused or absent."), field="status")
    recorded = []
    now = timezone.now()
    for user_id, status in statuses.items():
        if not status:
            Attendance.objects.filter(meeting=meeting, user_id=user_id).delete()
            continue
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            user_id=user_id,
            defaults={"status": status, "recorded_by": actor, "recorded_at": now},
        )
        recorded.append(attendance)
    audit_record(
        actor=actor,
        action="meetings.attendance",
        target=meeting,
        data={"recorded": len(recorded), "cleared": len(statuses) - len(recorded)},
    )
    return recorded


@transaction.atomic
def share_save(*, meeting: Meeting, user: User, success: str, challenge: str) -> Share:
    """Record or edit the member's one success and one challenge (the unique constraint on
    meeting + author makes it exactly one), until the meeting closes."""
    meeting = lock_meeting(meeting)
    require_member(user, meeting)
    require_open(meeting)
    mark = Attendance.objects.filter(meeting=meeting, user=user).first()
    if mark is not None and not mark.attended:
        raise MeetingError(
            _(
                "You are recorded as not attending this meeting, so there is no share to "
                "record. Ask the facilitator if that is wrong."
            )
        )
    success = _clean_text(success, field="success", label=_("success"))
    challenge = _clean_text(challenge, field="challenge", label=_("challenge"))
    share, created = Share.objects.update_or_create(
        meeting=meeting, author=user, defaults={"success": success, "challenge": challenge}
    )
    audit_record(
        actor=user,
        action="meetings.share.create" if created else "meetings.share.update",
        target=share,
        data={"meeting": meeting.pk},
    )
    return share


@transaction.atomic
def story_save(*, share: Share, user: User, text: str) -> tuple[Story, bool]:
    """Answer a challenge with a story. Returns the story and whether it reads as advice: a hint
    the form shows, never a refusal."""
    meeting = lock_meeting(share.meeting)
    require_member(user, meeting)
    require_open(meeting)
    if share.author_id == user.pk:
        raise MeetingError(_("Stories answer the others' challenges, not your own."))
    if not selectors.can_see_others_shares(meeting):
        raise MeetingError(_("Stories are told once the meeting has started."))
    text = _clean_text(text, field="text", label=_("story"))
    story, created = Story.objects.update_or_create(
        share=share, author=user, defaults={"text": text}
    )
    audit_record(
        actor=user,
        action="meetings.story.create" if created else "meetings.story.update",
        target=story,
        data={"share": share.pk, "meeting": meeting.pk},
    )
    return story, reads_as_advice(text)


@transaction.atomic
def story_delete(*, story: Story, user: User) -> None:
    meeting = lock_meeting(story.share.meeting)
    require_open(meeting)
    if story.author_id != user.pk:
        raise MeetingPermissionDenied(_("Only the storyteller can withdraw a story."))
    audit_record(
        actor=user, action="meetings.story.delete", target=story, data={"share": story.share_id}
    )
    story.delete()


@transaction.atomic
def follow_up_save(*, meeting: Meeting, user: User, text: str) -> FollowUp:
    """Record what became of the member's challenge from the chapter's last held meeting."""
    meeting = lock_meeting(meeting)
    require_member(user, meeting)
    require_open(meeting)
    previous = selectors.previous_share_of(meeting, user)
    if previous is None:
        raise MeetingError(_("You had no challenge at the chapter's last meeting to follow up."))
    text = _clean_text(text, field="text", label=_("follow-up"))
    follow_up = FollowUp.objects.select_for_update().filter(share=previous).first()
    if follow_up is None:
        follow_up = FollowUp.objects.create(share=previous, meeting=meeting, text=text)
        action = "meetings.follow_up.create"
    else:
        if (
            follow_up.meeting_id != meeting.pk
            and Meeting.objects.filter(
                pk=follow_up.meeting_id, status=Meeting.Status.CLOSED
            ).exists()
        ):
            raise MeetingLocked(_("That follow-up was told at a meeting that is now closed."))
        follow_up.meeting = meeting
        follow_up.text = text
        follow_up.save(update_fields=["meeting", "text", "modified"])
        action = "meetings.follow_up.update"
    audit_record(actor=user, action=action, target=follow_up, data={"meeting": meeting.pk})
    return follow_up


def _clean_minutes(minutes: str) -> str:
    minutes = (minutes or "").strip()
    if len(minutes) > 20000:
        raise MeetingError(_("Keep the minutes under 20,000 characters."), field="minutes")
    return minutes


@transaction.atomic
def minutes_save(*, meeting: Meeting, actor: User, minutes: str) -> Meeting:
    """Save the facilitator's notes while the meeting runs (a draft until it closes)."""
    meeting = lock_meeting(meeting)
    require_facilitator(actor, meeting.chapter, _("write the minutes"))
    require_open(meeting)
    meeting.minutes = _clean_minutes(minutes)
    meeting.save(update_fields=["minutes", "modified"])
    audit_record(actor=actor, action="meetings.minutes.save", target=meeting)
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, actor: User, minutes: str) -> Meeting:
    """Close a meeting that took place: save the minutes, mark members without an attendance
    entry absent, lock the record, and tell chapters a meeting was held (activation, dormancy)."""
    meeting = lock_meeting(meeting)
    require_facilitator(actor, meeting.chapter, _("close a meeting"))
    require_open(meeting)
    if not meeting.has_started:
        raise MeetingError(_("A meeting can be closed once it has started."))
    attended = Attendance.objects.filter(meeting=meeting, status__in=Attendance.ATTENDED)
    if not attended.exists():
        raise MeetingError(
            _("Record who was there before closing the meeting: nobody is marked present yet.")
        )
    now = timezone.now()
    unmarked = Membership.objects.filter(
        chapter_id=meeting.chapter_id, left_at__isnull=True
    ).exclude(user_id__in=Attendance.objects.filter(meeting=meeting).values("user_id"))
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                user_id=m.user_id,
                status=Attendance.Status.ABSENT,
                recorded_by=actor,
                recorded_at=now,
            )
            for m in unmarked
        ]
    )
    meeting.minutes = _clean_minutes(minutes)
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = now
    meeting.closed_by = actor
    meeting.save(update_fields=["minutes", "status", "closed_at", "closed_by", "modified"])
    audit_record(
        actor=actor,
        action="meetings.meeting.close",
        target=meeting,
        data={"attended": attended.count(), "shares": meeting.shares.count()},
    )
    record_held_meeting(chapter=meeting.chapter, held_at=meeting.starts_at)
    for user in User.objects.filter(
        pk__in=selectors.chapter_selectors.chapter_member_user_ids(meeting.chapter)
    ).exclude(pk=actor.pk):
        with translation.override(user.language or "en"):
            notification_create(
                user=user,
                title=_("%(chapter)s: the meeting is closed") % {"chapter": meeting.chapter.name},
                body=_("The minutes of %(when)s are in.") % {"when": local_when(meeting)},
                url=meeting_url(meeting),
            )
    return meeting


def record_held_meeting(*, chapter: Chapter, held_at) -> Chapter:
    """Tell chapters that a meeting was held: it keeps `last_meeting_at`, activates a forming
    chapter that has reached its size, and wakes a dormant one."""
    return chapter_record_meeting(chapter=chapter, held_at=held_at)
