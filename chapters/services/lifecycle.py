"""A chapter's life: proposed (forming) → active → dormant → closed, each change recorded with
who, when and why."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import Text, lazy_interpolate, notify
from core.services import audit_record
from network.models import Entrepreneur, Metro

from .. import selectors
from ..errors import ChapterError, ChapterPermissionDenied
from ..models import (
    Chapter,
    ChapterSettings,
    ChapterStatusChange,
    Invitation,
    JoinRequest,
    Membership,
    Objection,
)
from .invitations import invitation_create, invitation_new
from .membership import _membership_end, membership_start
from .seats import check_roster, lock_chapter, require_manager

NAME_MAX = 120


def _status_set(
    *, chapter: Chapter, to_status: str, actor: User | None, reason: str
) -> ChapterStatusChange:
    now = timezone.now()
    change = ChapterStatusChange.objects.create(
        chapter=chapter,
        from_status=chapter.status if chapter.pk else "",
        to_status=to_status,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        reason=reason[:300],
        created=now,
    )
    chapter.status = to_status
    chapter.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to_status == Chapter.Status.ACTIVE and chapter.activated_at is None:
        chapter.activated_at = now
        fields.append("activated_at")
    if to_status == Chapter.Status.CLOSED:
        chapter.closed_at = now
        fields.append("closed_at")
    chapter.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"chapters.chapter.{to_status}",
        target=chapter,
        data={"from": change.from_status, "reason": reason[:300]},
    )
    return change


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) < 3:
        raise ChapterError(_("Give the chapter a name of at least 3 characters."), field="name")
    if len(name) > NAME_MAX:
        raise ChapterError(
            _("The name can be at most %(max)s characters.") % {"max": NAME_MAX}, field="name"
        )
    return name


def _create_forming(*, name: str, metro: Metro, description: str, actor: User) -> Chapter:
    chapter = Chapter.objects.create(
        name=name, metro=metro, description=description.strip(), created_by=actor
    )
    ChapterStatusChange.objects.create(
        chapter=chapter,
        from_status="",
        to_status=Chapter.Status.FORMING,
        changed_by=actor,
        reason="Proposed",
    )
    audit_record(
        actor=actor, action="chapters.chapter.propose", target=chapter, data={"metro": metro.pk}
    )
    return chapter


def _fresh(people: Sequence[Entrepreneur]) -> list[Entrepreneur]:
    """The people as the database has them now (a proposal may be minutes old)."""
    return list(
        Entrepreneur.objects.select_related("user", "sector")
        .filter(pk__in={person.pk for person in people})
        .order_by("pk")
    )


@transaction.atomic
def chapter_propose(
    *,
    user: User,
    name: str,
    invitees: Sequence[Entrepreneur],
    description: str = "",
    message: str = "",
    accept_agreement: bool,
) -> Chapter:
    """Start a chapter in the proposer's metro: it is forming, the proposer is its first member
    and facilitator, and every founding invitee gets an invitation."""
    name = _clean_name(name)
    proposer = selectors.entrepreneur_of(user)
    if proposer is None or proposer.metro_id is None or proposer.sector_id is None:
        raise ChapterError(
            _("Complete your profile with your metro and sector before you propose a chapter.")
        )
    if not proposer.is_active:
        raise ChapterPermissionDenied(_("Your profile is deactivated."))
    if not accept_agreement:
        raise ChapterError(
            _("Accept the collaboration agreement to found a chapter."), field="accept_agreement"
        )
    rules = ChapterSettings.load()
    invitees = _fresh(invitees)
    for invitee in invitees:
        if invitee.user_id == user.pk:
            raise ChapterError(
                _("You are the chapter's founder already; invite others."), field="invitees"
            )
        if invitee.metro_id != proposer.metro_id or not invitee.is_active:
            raise ChapterError(
                _("%(invitee)s is not an active member in %(metro)s.")
                % {"invitee": invitee, "metro": proposer.metro},
                field="invitees",
            )
        if invitee.sector_id is None:
            raise ChapterError(
                _("%(invitee)s has no sector on their profile yet.") % {"invitee": invitee},
                field="invitees",
            )
    check_roster(sectors=[proposer.sector, *[e.sector for e in invitees]], rules=rules)

    chapter = _create_forming(name=name, metro=proposer.metro, description=description, actor=user)
    chapter = lock_chapter(chapter)
    membership_start(
        chapter=chapter, user=user, sector=proposer.sector, role=Membership.Role.FACILITATOR
    )
    for invitee in invitees:
        invitation_create(
            chapter=chapter,
            actor=user,
            email=invitee.user.email,
            sector=invitee.sector,
            name=invitee.user.name,
            message=message,
        )
    return chapter


@transaction.atomic
def chapter_create_from_seed(
    *,
    actor: User,
    metro: Metro,
    roster: Sequence[Entrepreneur],
    name: str = "",
    message: str = "",
) -> Chapter:
    """Turn a seeding proposal into a forming chapter in one step: each person on the roster is
    invited. The first to accept becomes the chapter's facilitator."""
    if not selectors.can_seed_chapters(actor):
        raise ChapterPermissionDenied(
            _("Only facilitators and organisation admins can seed chapters.")
        )
    rules = ChapterSettings.load()
    roster = _fresh(roster)
    if len(roster) < rules.min_size:
        raise ChapterError(
            _("A founding roster needs at least %(min_size)s people; this one has %(count)s.")
            % {"min_size": rules.min_size, "count": len(roster)}
        )
    for person in roster:
        if person.metro_id != metro.pk or not person.is_active or person.sector_id is None:
            raise ChapterError(
                _("%(person)s is not an active member with a sector in %(metro)s.")
                % {"person": person, "metro": metro}
            )
        if person.active_chapter_count:
            raise ChapterError(
                _("%(person)s has joined a chapter since the proposal was made.")
                % {"person": person}
            )
    check_roster(sectors=[person.sector for person in roster], rules=rules)
    existing = Chapter.objects.filter(metro=metro).count()
    chapter = _create_forming(
        name=_clean_name(name or f"{metro.name} chapter {existing + 1}"),
        metro=metro,
        description="",
        actor=actor,
    )
    for person in roster:
        invitation_new(
            chapter=chapter,
            email=person.user.email,
            sector=person.sector,
            name=person.user.name,
            message=message,
            proposed_by=actor,
            send=True,
        )
    return chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, actor: User, name: str, description: str = "") -> Chapter:
    require_manager(actor, chapter, _("edit the chapter"))
    chapter.name = _clean_name(name)
    chapter.description = (description or "").strip()[:2000]
    chapter.save(update_fields=["name", "description"])
    audit_record(actor=actor, action="chapters.chapter.update", target=chapter)
    return chapter


def _size_and_facilitators(chapter: Chapter) -> tuple[int, int]:
    current = Membership.objects.filter(chapter=chapter, left_at__isnull=True)
    return current.count(), current.filter(role=Membership.Role.FACILITATOR).count()


@transaction.atomic
def chapter_activate(*, chapter: Chapter, actor: User, reason: str = "") -> Chapter:
    """The facilitator's decision to activate a forming (or wake a dormant) chapter."""
    require_manager(actor, chapter, _("activate the chapter"))
    chapter = lock_chapter(chapter)
    if chapter.status not in (Chapter.Status.FORMING, Chapter.Status.DORMANT):
        raise ChapterError(
            _("%(chapter)s is %(status)s; only a forming or dormant chapter can be activated.")
            % {"chapter": chapter.name, "status": chapter.get_status_display().lower()}
        )
    rules = ChapterSettings.load()
    size, facilitators = _size_and_facilitators(chapter)
    if size < rules.min_size:
        raise ChapterError(
            _(
                "A chapter needs at least %(min_size)s members to become active; "
                "%(chapter)s has %(size)s."
            )
            % {"min_size": rules.min_size, "chapter": chapter.name, "size": size}
        )
    if not facilitators:
        raise ChapterError(
            _("An active chapter needs a facilitator; make a member facilitator first.")
        )
    _status_set(
        chapter=chapter,
        to_status=Chapter.Status.ACTIVE,
        actor=actor,
        reason=reason.strip() or "Activated by a facilitator",
    )
    _tell_members(
        chapter, lazy_interpolate(gettext_lazy("%(chapter)s is active"), chapter=chapter.name)
    )
    return chapter


@transaction.atomic
def chapter_close(*, chapter: Chapter, actor: User, reason: str) -> Chapter:
    """Close for good: memberships end (kept as history), open invitations are withdrawn and
    pending join requests declined."""
    require_manager(actor, chapter, _("close the chapter"))
    reason = (reason or "").strip()
    if not reason:
        raise ChapterError(_("Say why the chapter closes; members will read it."), field="reason")
    chapter = lock_chapter(chapter)
    if chapter.status == Chapter.Status.CLOSED:
        raise ChapterError(_("%(chapter)s is closed already.") % {"chapter": chapter.name})
    members = list(
        Membership.objects.filter(chapter=chapter, left_at__isnull=True).select_related("user")
    )
    _tell_members(
        chapter,
        lazy_interpolate(gettext_lazy("%(chapter)s has closed"), chapter=chapter.name),
        lazy_interpolate(gettext_lazy("Reason: %(reason)s"), reason=reason),
    )
    for membership in members:
        _membership_end(membership=membership, reason=Membership.EndReason.CHAPTER_CLOSED)
        selectors.forget_memberships(membership.user)
    now = timezone.now()
    open_invitations = Invitation.objects.filter(
        chapter=chapter, status__in=Invitation.OPEN_STATUSES
    )
    Objection.objects.filter(invitation__in=open_invitations, status=Objection.Status.OPEN).update(
        status=Objection.Status.UPHELD,
        decided_by=actor,
        decided_at=now,
        decision_note="The chapter closed.",
    )
    open_invitations.update(status=Invitation.Status.REVOKED, responded_at=now)
    JoinRequest.objects.filter(chapter=chapter, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.DECLINED,
        decided_by=actor,
        decided_at=now,
        response="The chapter has closed.",
    )
    _status_set(chapter=chapter, to_status=Chapter.Status.CLOSED, actor=actor, reason=reason)
    return chapter


def _tell_members(chapter: Chapter, title: Text, body: Text = "") -> None:
    users = [
        m.user
        for m in Membership.objects.filter(chapter=chapter, left_at__isnull=True).select_related(
            "user"
        )
    ]
    notify(users, title=title, body=body, path=reverse("chapters:detail", args=[chapter.pk]))


@transaction.atomic
def chapter_record_meeting(*, chapter: Chapter, held_at: dt.datetime) -> Chapter:
    """Called by the meetings app when a meeting is held. A forming chapter at its minimum size
    with a facilitator becomes active with its first meeting; a dormant one wakes up."""
    if timezone.is_naive(held_at):
        raise ChapterError("held_at must be time-zone aware.")
    chapter = lock_chapter(chapter)
    if chapter.status == Chapter.Status.CLOSED:
        raise ChapterError(
            _("%(chapter)s is closed; it holds no meetings.") % {"chapter": chapter.name}
        )
    if chapter.last_meeting_at is None or held_at > chapter.last_meeting_at:
        chapter.last_meeting_at = held_at
        chapter.save(update_fields=["last_meeting_at"])
    if chapter.status in (Chapter.Status.FORMING, Chapter.Status.DORMANT):
        size, facilitators = _size_and_facilitators(chapter)
        if size >= ChapterSettings.load().min_size and facilitators:
            reason = (
                "Held its first meeting"
                if chapter.status == Chapter.Status.FORMING
                else "Met again"
            )
            _status_set(chapter=chapter, to_status=Chapter.Status.ACTIVE, actor=None, reason=reason)
    return chapter


def dormancy_cutoff(now: dt.datetime, months: int) -> dt.datetime:
    return now - dt.timedelta(days=round(30.4375 * months))


def chapters_mark_dormant(*, now: dt.datetime | None = None) -> int:
    """The periodic check: forming and active chapters with no meeting for the organisation's
    window (by default 3 months; a chapter that never met counts from its start) go dormant.
    Idempotent; one short transaction per chapter."""
    now = now or timezone.now()
    rules = ChapterSettings.load()
    cutoff = dormancy_cutoff(now, rules.dormant_after_months)
    due = (
        Chapter.objects.filter(status__in=Chapter.OPEN_STATUSES)
        .annotate(last_activity=Coalesce("last_meeting_at", "created"))
        .filter(Q(last_activity__lt=cutoff))
        .values_list("pk", flat=True)
    )
    changed = 0
    reason = f"No meeting in {rules.dormant_after_months} months"
    for pk in list(due):
        with transaction.atomic():
            chapter = Chapter.objects.select_for_update().get(pk=pk)
            last = chapter.last_meeting_at or chapter.created
            if chapter.status not in Chapter.OPEN_STATUSES or last >= cutoff:
                continue
            _status_set(
                chapter=chapter, to_status=Chapter.Status.DORMANT, actor=None, reason=reason
            )
            _tell_members(
                chapter,
                lazy_interpolate(gettext_lazy("%(chapter)s is now dormant"), chapter=chapter.name),
                lazy_interpolate(
                    gettext_lazy("No meeting in %(months)s months"),
                    months=rules.dormant_after_months,
                ),
            )
            changed += 1
    return changed
