"""Memberships: joining (through an accepted invitation or founding a chapter), leaving,
removal, and the facilitator role. History is kept: a membership ends, it is never deleted."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import lazy_interpolate, notify
from core.services import audit_record
from network.models import Sector

from .. import selectors
from ..errors import ChapterError, ChapterFull, ChapterPermissionDenied, SeatTaken
from ..models import AgreementAcceptance, Chapter, ChapterSettings, Membership
from .agreement import agreement_ensure
from .seats import (
    chapter_count_add,
    free_seat_number,
    lock_chapter,
    require_manager,
    sector_seat_message,
)


def membership_start(
    *,
    chapter: Chapter,
    user: User,
    sector: Sector,
    role: str = Membership.Role.MEMBER,
) -> Membership:
    """Seat `user` in `chapter` (which the caller has locked with lock_chapter), record their
    acceptance of the current agreement and count the chapter on their profile."""
    rules = ChapterSettings.load()
    if not chapter.is_open:
        raise ChapterError(
            _("%(chapter)s is %(status)s; it does not take new members.")
            % {"chapter": chapter.name, "status": chapter.get_status_display().lower()}
        )
    if Membership.objects.filter(chapter=chapter, user=user, left_at__isnull=True).exists():
        raise ChapterError(
            _("You are already a member of %(chapter)s.") % {"chapter": chapter.name}
        )
    size = Membership.objects.filter(chapter=chapter, left_at__isnull=True).count()
    if size >= rules.max_size:
        raise ChapterFull(
            _("%(chapter)s is full: a chapter has at most %(max_size)s members.")
            % {"chapter": chapter.name, "max_size": rules.max_size}
        )
    seat_number = free_seat_number(chapter=chapter, sector=sector, rules=rules)
    agreement = agreement_ensure()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                chapter=chapter, user=user, sector=sector, seat_number=seat_number, role=role
            )
    except IntegrityError as error:
        # The partial unique index caught a seat taken behind the row lock's back (it cannot,
        # as long as every writer takes the lock, but the database has the last word).
        raise SeatTaken(sector_seat_message(sector, chapter, rules, by=" by a member")) from error
    AgreementAcceptance.objects.create(membership=membership, agreement=agreement)
    chapter_count_add(user_id=user.pk, delta=+1)
    selectors.forget_memberships(user)
    audit_record(
        actor=user,
        action="chapters.membership.start",
        target=chapter,
        data={"user": user.pk, "sector": sector.pk, "role": role, "agreement": agreement.version},
    )
    return membership


def _membership_end(*, membership: Membership, reason: str) -> None:
    membership.left_at = timezone.now()
    membership.end_reason = reason
    membership.save(update_fields=["left_at", "end_reason"])
    chapter_count_add(user_id=membership.user_id, delta=-1)


def _other_facilitators(membership: Membership) -> int:
    return (
        Membership.objects.filter(
            chapter_id=membership.chapter_id,
            left_at__isnull=True,
            role=Membership.Role.FACILITATOR,
        )
        .exclude(pk=membership.pk)
        .count()
    )


def _others(membership: Membership) -> int:
    return (
        Membership.objects.filter(chapter_id=membership.chapter_id, left_at__isnull=True)
        .exclude(pk=membership.pk)
        .count()
    )


def _lock_membership(membership: Membership) -> Membership:
    lock_chapter(membership.chapter)
    current = Membership.objects.select_related("chapter", "user").get(pk=membership.pk)
    if current.left_at is not None:
        raise ChapterError(
            _("%(user)s is no longer a member of %(chapter)s.")
            % {"user": current.user, "chapter": current.chapter.name}
        )
    return current


@transaction.atomic
def membership_leave(*, membership: Membership, actor: User) -> Membership:
    if membership.user_id != actor.pk:
        raise ChapterPermissionDenied(_("You can only leave a chapter yourself."))
    membership = _lock_membership(membership)
    if membership.is_facilitator and _others(membership) and not _other_facilitators(membership):
        raise ChapterError(
            _(
                "You are the chapter's only facilitator. Hand facilitation to another "
                "member before you leave."
            )
        )
    _membership_end(membership=membership, reason=Membership.EndReason.LEFT)
    selectors.forget_memberships(actor)
    audit_record(
        actor=actor,
        action="chapters.membership.leave",
        target=membership.chapter,
        data={"user": actor.pk},
    )
    managers = [m.user for m in selectors.chapter_members(membership.chapter) if m.is_facilitator]
    notify(
        managers,
        title=lazy_interpolate(
            gettext_lazy("%(user)s left %(chapter)s"), user=actor, chapter=membership.chapter.name
        ),
        path=reverse("chapters:detail", args=[membership.chapter_id]),
        email=False,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User, reason: str = "") -> Membership:
    require_manager(actor, membership.chapter, _("remove members"))
    membership = _lock_membership(membership)
    if membership.user_id == actor.pk:
        raise ChapterError(_("To step out of the chapter yourself, leave it."))
    if membership.is_facilitator and _others(membership) and not _other_facilitators(membership):
        raise ChapterError(
            _("%(user)s is the chapter's only facilitator. Make another member facilitator first.")
            % {"user": membership.user}
        )
    _membership_end(membership=membership, reason=Membership.EndReason.REMOVED)
    audit_record(
        actor=actor,
        action="chapters.membership.remove",
        target=membership.chapter,
        data={"user": membership.user_id},
    )
    body = (
        lazy_interpolate(gettext_lazy("Reason given: %(reason)s"), reason=reason.strip())
        if reason.strip()
        else ""
    )
    notify(
        [membership.user],
        title=lazy_interpolate(
            gettext_lazy("You are no longer a member of %(chapter)s"),
            chapter=membership.chapter.name,
        ),
        body=body,
        path=reverse("chapters:mine"),
    )
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, actor: User) -> Membership:
    require_manager(actor, membership.chapter, _("change who facilitates"))
    if role not in Membership.Role.values:
        raise ChapterError(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    membership = _lock_membership(membership)
    if membership.role == role:
        return membership
    if (
        role == Membership.Role.MEMBER
        and not _other_facilitators(membership)
        and _others(membership)
    ):
        raise ChapterError(
            _("A chapter needs at least one facilitator; make another member facilitator first.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    selectors.forget_memberships(membership.user)
    selectors.forget_memberships(actor)
    audit_record(
        actor=actor,
        action="chapters.membership.role",
        target=membership.chapter,
        data={"user": membership.user_id, "role": role},
    )
    if role == Membership.Role.FACILITATOR:
        notify(
            [membership.user],
            title=lazy_interpolate(
                gettext_lazy("You are now a facilitator of %(chapter)s"),
                chapter=membership.chapter.name,
            ),
            path=reverse("chapters:detail", args=[membership.chapter_id]),
        )
    return membership


@transaction.atomic
def facilitation_transfer(
    *, chapter: Chapter, to_membership: Membership, actor: User
) -> Membership:
    """Hand facilitation to another member: they become facilitator, the actor a member."""
    if to_membership.chapter_id != chapter.pk or to_membership.left_at is not None:
        raise ChapterError(_("Choose a current member of this chapter."), field="membership")
    own = Membership.objects.filter(
        chapter=chapter, user=actor, left_at__isnull=True, role=Membership.Role.FACILITATOR
    ).first()
    if own is None:
        raise ChapterPermissionDenied(
            _("Only a facilitator of the chapter can hand facilitation on.")
        )
    if own.pk == to_membership.pk:
        raise ChapterError(
            _("You facilitate this chapter already; choose another member."), field="membership"
        )
    membership_set_role(membership=to_membership, role=Membership.Role.FACILITATOR, actor=actor)
    membership_set_role(membership=own, role=Membership.Role.MEMBER, actor=actor)
    return to_membership
