"""Invitations: a member proposes or a facilitator sends; members may object during the window;
the invitee accepts (taking a seat, safely under concurrency), declines, or lets it expire.

Tokens: the link carries a random secret; only its SHA-256 hash is stored. Resending makes a new
secret, so an older link stops working."""

import datetime as dt
import secrets
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict
from core.hosts import absolute_url
from core.models import User
from core.notify import email_address, lazy_interpolate, notify
from core.services import audit_record
from network.models import Entrepreneur, Sector
from network.services import entrepreneur_ensure

from .. import selectors
from ..errors import ChapterError, ChapterPermissionDenied
from ..models import Chapter, ChapterSettings, Invitation, JoinRequest, Membership, Objection
from .membership import membership_start
from .seats import check_seat_available, lock_chapter, require_manager


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ChapterError(_("Enter a valid email address."), field="email") from error
    return email


def _chapter_path(chapter: Chapter) -> str:
    return reverse("chapters:detail", args=[chapter.pk])


def _managers(chapter: Chapter) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            chapter=chapter, left_at__isnull=True, role=Membership.Role.FACILITATOR
        ).select_related("user")
    ]


def _members_except(chapter: Chapter, *user_ids: int | None) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(chapter=chapter, left_at__isnull=True)
        .exclude(user_id__in=[pk for pk in user_ids if pk])
        .select_related("user")
    ]


@transaction.atomic
def invitation_create(
    *,
    chapter: Chapter,
    actor: User,
    email: str,
    sector: Sector | None = None,
    name: str = "",
    message: str = "",
) -> Invitation:
    """A facilitator's invitation goes out at once; a member's is a proposal for the
    facilitators. Either way the chapter's members may object during the window."""
    can_send = selectors.can_manage_chapter(actor, chapter)
    if not can_send and not selectors.is_chapter_member(actor, chapter):
        raise ChapterPermissionDenied(_("Only members of the chapter can propose invitations."))
    return invitation_new(
        chapter=chapter,
        email=email,
        sector=sector,
        name=name,
        message=message,
        proposed_by=actor,
        send=can_send,
    )


def invitation_new(
    *,
    chapter: Chapter,
    email: str,
    sector: Sector | None,
    name: str,
    message: str,
    proposed_by: User,
    send: bool,
) -> Invitation:
    """The checks and writes of a new invitation, for callers that have checked permission."""
    chapter = lock_chapter(chapter)
    if not chapter.is_open:
        raise ChapterError(
            _("%(chapter)s is %(status)s; it does not take invitations.")
            % {"chapter": chapter.name, "status": chapter.get_status_display().lower()}
        )
    email = _clean_email(email)
    invitee = User.objects.filter(email__iexact=email).first()
    if invitee is not None:
        if not invitee.is_active:
            raise ChapterError(_("That account is deactivated."), field="email")
        if Membership.objects.filter(chapter=chapter, user=invitee, left_at__isnull=True).exists():
            raise ChapterError(
                _("%(invitee)s is already a member of %(chapter)s.")
                % {"invitee": invitee, "chapter": chapter.name},
                field="email",
            )
        profile = Entrepreneur.objects.select_related("sector").filter(user=invitee).first()
        if profile is not None and profile.sector_id is not None:
            sector = profile.sector  # the seat is the person's own sector
        name = name or invitee.name
    if sector is None:
        raise ChapterError(
            _("Choose the sector of the person you invite: it is the seat they would take."),
            field="sector",
        )
    if not sector.is_active:
        raise ChapterError(
            _("%(sector)s is no longer in use.") % {"sector": sector.name}, field="sector"
        )
    if Invitation.objects.filter(
        chapter=chapter, email__iexact=email, status__in=Invitation.OPEN_STATUSES
    ).exists():
        raise Conflict(
            _("%(email)s already has an open invitation to %(chapter)s.")
            % {"email": email, "chapter": chapter.name},
            field="email",
        )
    rules = ChapterSettings.load()
    check_seat_available(chapter=chapter, sector=sector, rules=rules)
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                chapter=chapter,
                email=email,
                name=(name or "")[:150],
                invitee=invitee,
                sector=sector,
                message=(message or "").strip()[:2000],
                proposed_by=proposed_by,
                created=now,
                objection_window_ends_at=now + dt.timedelta(days=rules.objection_window_days),
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(email)s already has an open invitation to %(chapter)s.")
            % {"email": email, "chapter": chapter.name},
            field="email",
        ) from error
    audit_record(
        actor=proposed_by,
        action="chapters.invitation.create",
        target=invitation,
        data={"chapter": chapter.pk, "sector": sector.pk, "sent": send},
    )
    others = _members_except(chapter, proposed_by.pk, invitee.pk if invitee else None)
    managers = _managers(chapter)
    manager_ids = {user.pk for user in managers}
    window_end = timezone.localtime(invitation.objection_window_ends_at, chapter.metro.tzinfo)
    who = {"actor": proposed_by, "invitee": invitation.name or email, "sector": sector.name}
    if send:
        _dispatch(invitation=invitation, actor=proposed_by)
        title = lazy_interpolate(
            gettext_lazy("%(actor)s invited %(invitee)s (%(sector)s) to %(chapter)s"),
            **who,
            chapter=chapter.name,
        )
    else:
        title = lazy_interpolate(
            gettext_lazy("%(actor)s proposes inviting %(invitee)s (%(sector)s)"), **who
        )
        notify(
            [u for u in managers if u.pk != proposed_by.pk],
            title=title,
            body=gettext_lazy("Send the invitation or withdraw it from the chapter page."),
            path=_chapter_path(chapter),
        )
    if rules.objection_window_days:
        notify(
            [u for u in others if send or u.pk not in manager_ids],
            title=title,
            body=lazy_interpolate(
                gettext_lazy(
                    "If you have a reason to object, you can say so until %(end)s (%(metro)s "
                    "time). An objection holds the invitation for the facilitator's decision."
                ),
                end=partial(date_format, window_end, "j F Y, H:i"),
                metro=chapter.metro.name,
            ),
            path=_chapter_path(chapter),
        )
    return invitation


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = selectors.hash_invitation_token(token)
    return token


def _dispatch(*, invitation: Invitation, actor: User) -> Invitation:
    """Send (or resend) the invitation with a fresh token link and expiry."""
    rules = ChapterSettings.load()
    token = _new_token(invitation)
    now = timezone.now()
    invitation.status = Invitation.Status.SENT
    invitation.sent_at = now
    invitation.sent_by = actor
    invitation.expires_at = now + dt.timedelta(days=rules.invitation_valid_days)
    invitation.save(update_fields=["token_hash", "status", "sent_at", "sent_by", "expires_at"])
    chapter = invitation.chapter
    link = absolute_url(reverse("chapters:invitation-accept", args=[token]))
    invitee = invitation.invitee if invitation.invitee_id else None
    email_address(
        to=invitation.email,
        user=invitee,
        subject=lazy_interpolate(gettext_lazy("Invitation to %(chapter)s"), chapter=chapter.name),
        body=partial(_invitation_email, invitation, actor=actor, link=link),
    )
    if invitee is not None:
        notify(
            [invitee],
            title=lazy_interpolate(
                gettext_lazy("You are invited to join %(chapter)s"), chapter=chapter.name
            ),
            path=reverse("chapters:invitation-open", args=[invitation.pk]),
            email=False,
        )
    audit_record(
        actor=actor,
        action="chapters.invitation.send",
        target=invitation,
        data={"expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


def _invitation_email(invitation: Invitation, *, actor: User, link: str) -> str:
    """The invitation email's text, in the active language."""
    chapter = invitation.chapter
    expires = timezone.localtime(invitation.expires_at, chapter.metro.tzinfo)
    lines = [
        _("Hello %(name)s,") % {"name": invitation.name} if invitation.name else _("Hello,"),
        "",
        _(
            "%(actor)s invites you to join %(chapter)s, a chapter of entrepreneurs in %(metro)s "
            "who meet every month. You would hold its %(sector)s seat: nobody in a chapter is a "
            "direct competitor of another."
        )
        % {
            "actor": actor,
            "chapter": chapter.name,
            "metro": chapter.metro.name,
            "sector": invitation.sector.name,
        },
    ]
    if invitation.message:
        lines += ["", _("%(actor)s writes:") % {"actor": actor}, invitation.message]
    lines += [
        "",
        _("Accept or decline here (the link works until %(date)s):")
        % {"date": date_format(expires, "j F Y")},
        link,
        "",
        _("If you have no account yet, the link lets you create one with this address."),
    ]
    return "\n".join(lines)


def _email_withdrawn(invitation: Invitation) -> None:
    """Tell the invitee that a sent invitation was withdrawn."""
    email_address(
        to=invitation.email,
        user=invitation.invitee if invitation.invitee_id else None,
        subject=lazy_interpolate(
            gettext_lazy("Invitation to %(chapter)s withdrawn"), chapter=invitation.chapter.name
        ),
        body=lazy_interpolate(
            gettext_lazy(
                "The invitation to join %(chapter)s has been withdrawn; its link no longer works."
            ),
            chapter=invitation.chapter.name,
        ),
    )


def _lock_invitation(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("chapter__metro", "sector", "invitee", "proposed_by")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invitation_send(*, invitation: Invitation, actor: User) -> Invitation:
    """A facilitator sends a member's proposal."""
    require_manager(actor, invitation.chapter, _("send invitations"))
    lock_chapter(invitation.chapter)
    invitation = _lock_invitation(invitation)
    if invitation.status == Invitation.Status.HELD:
        raise ChapterError(_("An objection holds this invitation; decide on it first."))
    if invitation.status != Invitation.Status.PROPOSED:
        raise ChapterError(
            _("This invitation is %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    check_seat_available(
        chapter=invitation.chapter,
        sector=invitation.sector,
        rules=ChapterSettings.load(),
        exclude_invitation=invitation,
    )
    _dispatch(invitation=invitation, actor=actor)
    if invitation.proposed_by_id and invitation.proposed_by_id != actor.pk:
        notify(
            [invitation.proposed_by],
            title=lazy_interpolate(
                gettext_lazy("Your proposal to invite %(invitee)s was sent"),
                invitee=invitation.name or invitation.email,
            ),
            path=_chapter_path(invitation.chapter),
            email=False,
        )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """A new link and a new expiry for a sent or expired invitation; the old link stops working."""
    require_manager(actor, invitation.chapter, _("resend invitations"))
    lock_chapter(invitation.chapter)
    invitation = _lock_invitation(invitation)
    if invitation.status not in (Invitation.Status.SENT, Invitation.Status.EXPIRED):
        raise ChapterError(
            _("This invitation is %(status)s; only a sent or expired invitation can be sent again.")
            % {"status": invitation.get_status_display().lower()}
        )
    if not invitation.chapter.is_open:
        raise ChapterError(
            _("%(chapter)s does not take invitations any more.")
            % {"chapter": invitation.chapter.name}
        )
    check_seat_available(
        chapter=invitation.chapter,
        sector=invitation.sector,
        rules=ChapterSettings.load(),
        exclude_invitation=invitation,
    )
    return _dispatch(invitation=invitation, actor=actor)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = _lock_invitation(invitation)
    own_proposal = (
        invitation.proposed_by_id == actor.pk and invitation.status == Invitation.Status.PROPOSED
    )
    if not own_proposal:
        require_manager(actor, invitation.chapter, _("withdraw invitations"))
    if not invitation.is_open:
        raise ChapterError(
            _("This invitation is %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    was_sent = invitation.sent_at is not None
    _close(invitation, Invitation.Status.REVOKED)
    Objection.objects.filter(invitation=invitation, status=Objection.Status.OPEN).update(
        status=Objection.Status.UPHELD, decided_by=actor, decided_at=timezone.now()
    )
    audit_record(actor=actor, action="chapters.invitation.revoke", target=invitation)
    if was_sent:
        _email_withdrawn(invitation)
    return invitation


def _close(invitation: Invitation, status: str) -> None:
    invitation.status = status
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])


def invitation_check_answerable(invitation: Invitation) -> None:
    """Raise with a message a person can act on unless the invitation can be answered now."""
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise ChapterError(
            _("This invitation has been accepted already; the link cannot be used again."),
            code="used",
        )
    if status == Invitation.Status.DECLINED:
        raise ChapterError(_("This invitation was declined."), code="declined")
    if status == Invitation.Status.REVOKED:
        raise ChapterError(_("This invitation has been withdrawn."), code="revoked")
    if status == Invitation.Status.HELD:
        raise ChapterError(
            _(
                "This invitation is on hold while the chapter confirms it. You will hear "
                "back by email."
            ),
            code="held",
        )
    if invitation.is_expired:
        expired = timezone.localtime(invitation.expires_at, invitation.chapter.metro.tzinfo)
        raise ChapterError(
            _(
                "This invitation expired on %(expired)s. Ask the chapter's facilitator "
                "to send it again."
            )
            % {"expired": date_format(expired, "j F Y")},
            code="expired",
        )
    if status != Invitation.Status.SENT:
        raise ChapterError(_("This invitation has not been sent."), code="not_sent")


def _addressed_to(invitation: Invitation, user: User) -> bool:
    from allauth.account.models import EmailAddress

    if user.email.lower() == invitation.email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email).exists()


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User,
    accept_agreement: bool,
    company: str = "",
) -> Membership:
    """Take the seat. The chapter row is locked and the sector's seats counted under the lock, so
    two people racing for the last seat of a sector cannot both get it; the partial unique index
    on current seats backs this up in the database."""
    if not accept_agreement:
        raise ChapterError(
            _("Accept the collaboration agreement to join the chapter."), field="accept_agreement"
        )
    chapter = lock_chapter(invitation.chapter)
    invitation = _lock_invitation(invitation)
    invitation_check_answerable(invitation)
    if not _addressed_to(invitation, user):
        raise ChapterPermissionDenied(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    profile = entrepreneur_ensure(user=user)
    profile = (
        Entrepreneur.objects.select_for_update(of=("self",))
        .select_related("sector")
        .get(pk=profile.pk)
    )
    if profile.sector_id is None or profile.metro_id is None or not profile.company:
        # A new person (or an empty profile) takes the seat they were invited for.
        profile.sector = profile.sector or invitation.sector
        profile.metro_id = profile.metro_id or chapter.metro_id
        profile.company = profile.company or (company or "").strip()[:150]
        profile.save(update_fields=["sector", "metro", "company", "modified"])
    if not profile.is_active:
        raise ChapterPermissionDenied(_("Your profile is deactivated."))
    has_facilitator = Membership.objects.filter(
        chapter=chapter, left_at__isnull=True, role=Membership.Role.FACILITATOR
    ).exists()
    membership = membership_start(
        chapter=chapter,
        user=user,
        sector=profile.sector,
        role=Membership.Role.MEMBER if has_facilitator else Membership.Role.FACILITATOR,
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.membership = membership
    invitation.invitee = user
    invitation.save(update_fields=["status", "responded_at", "membership", "invitee"])
    JoinRequest.objects.filter(
        chapter=chapter, user=user, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    audit_record(actor=user, action="chapters.invitation.accept", target=invitation)
    notify(
        _members_except(chapter, user.pk),
        title=lazy_interpolate(
            gettext_lazy("%(user)s (%(sector)s) joined %(chapter)s"),
            user=user,
            sector=profile.sector.name,
            chapter=chapter.name,
        ),
        path=_chapter_path(chapter),
        email=False,
    )
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User | None = None) -> Invitation:
    """Anyone holding the link may decline (a new person needs no account to say no)."""
    invitation = _lock_invitation(invitation)
    invitation_check_answerable(invitation)
    _close(invitation, Invitation.Status.DECLINED)
    audit_record(actor=user, action="chapters.invitation.decline", target=invitation)
    notify(
        _managers(invitation.chapter),
        title=lazy_interpolate(
            gettext_lazy("%(invitee)s declined the invitation to %(chapter)s"),
            invitee=invitation.name or invitation.email,
            chapter=invitation.chapter.name,
        ),
        path=_chapter_path(invitation.chapter),
    )
    return invitation


@transaction.atomic
def objection_raise(*, invitation: Invitation, member: User, reason: str) -> Objection:
    """A current member objects with a reason during the window; the invitation is held until a
    facilitator decides. The reason is for the facilitators only, never the invitee."""
    chapter = invitation.chapter
    if not selectors.is_chapter_member(member, chapter):
        raise ChapterPermissionDenied(_("Only members of the chapter can object."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ChapterError(
            _("Give the facilitator a reason (at least a few words)."), field="reason"
        )
    invitation = _lock_invitation(invitation)
    if invitation.proposed_by_id == member.pk:
        raise ChapterError(_("You proposed this invitation; withdraw it instead of objecting."))
    if not invitation.is_open:
        raise ChapterError(
            _("This invitation is %(status)s; it is too late to object.")
            % {"status": invitation.get_status_display().lower()}
        )
    if not invitation.objection_window_open:
        raise ChapterError(_("The objection window for this invitation has closed."))
    if Objection.objects.filter(invitation=invitation, member=member).exists():
        raise Conflict(_("You have objected to this invitation already."))
    objection = Objection.objects.create(invitation=invitation, member=member, reason=reason[:2000])
    invitation.status = Invitation.Status.HELD
    invitation.save(update_fields=["status"])
    audit_record(actor=member, action="chapters.objection.raise", target=invitation)
    notify(
        [u for u in _managers(chapter) if u.pk != member.pk] or _admins(),
        title=lazy_interpolate(
            gettext_lazy("Objection to inviting %(invitee)s to %(chapter)s"),
            invitee=invitation.name or invitation.email,
            chapter=chapter.name,
        ),
        body=gettext_lazy(
            "A member objected. The invitation is on hold until you decide; read the reason on "
            "the chapter page."
        ),
        path=_chapter_path(chapter),
    )
    return objection


def _admins() -> list[User]:
    from core.models import Role

    return list(User.objects.filter(roles__role=Role.ORGANIZATION_ADMIN, is_active=True))


@transaction.atomic
def objection_decide(
    *, invitation: Invitation, actor: User, proceed: bool, note: str = ""
) -> Invitation:
    """The facilitator's decision on a held invitation: go ahead (objections overruled; the
    invitation returns to where it was) or withdraw it (objections upheld)."""
    require_manager(actor, invitation.chapter, _("decide on objections"))
    lock_chapter(invitation.chapter)
    invitation = _lock_invitation(invitation)
    if invitation.status != Invitation.Status.HELD:
        raise ChapterError(_("This invitation is not on hold."))
    objections = list(
        Objection.objects.filter(
            invitation=invitation, status=Objection.Status.OPEN
        ).select_related("member")
    )
    now = timezone.now()
    Objection.objects.filter(pk__in=[o.pk for o in objections]).update(
        status=Objection.Status.OVERRULED if proceed else Objection.Status.UPHELD,
        decided_by=actor,
        decided_at=now,
        decision_note=(note or "").strip()[:2000],
    )
    who = {"invitee": invitation.name or invitation.email, "chapter": invitation.chapter.name}
    if proceed:
        invitation.status = (
            Invitation.Status.SENT if invitation.sent_at else Invitation.Status.PROPOSED
        )
        invitation.save(update_fields=["status"])
        title = lazy_interpolate(
            gettext_lazy("The invitation of %(invitee)s to %(chapter)s goes ahead"), **who
        )
        if invitation.sent_at:
            email_address(
                to=invitation.email,
                user=invitation.invitee if invitation.invitee_id else None,
                subject=lazy_interpolate(
                    gettext_lazy("Your invitation to %(chapter)s is confirmed"),
                    chapter=invitation.chapter.name,
                ),
                body=lazy_interpolate(
                    gettext_lazy(
                        "Your invitation to join %(chapter)s is confirmed: the link in the "
                        "invitation email works again until it expires."
                    ),
                    chapter=invitation.chapter.name,
                ),
            )
    else:
        was_sent = invitation.sent_at is not None
        _close(invitation, Invitation.Status.REVOKED)
        title = lazy_interpolate(
            gettext_lazy("The invitation of %(invitee)s to %(chapter)s was withdrawn"), **who
        )
        if was_sent:
            _email_withdrawn(invitation)
    audit_record(
        actor=actor,
        action="chapters.objection.decide",
        target=invitation,
        data={"proceed": proceed, "objections": len(objections)},
    )
    concerned = {o.member.pk: o.member for o in objections}
    if invitation.proposed_by_id and invitation.proposed_by_id != actor.pk:
        concerned[invitation.proposed_by_id] = invitation.proposed_by
    notify(
        list(concerned.values()),
        title=title,
        body=(note or "").strip(),
        path=_chapter_path(invitation.chapter),
    )
    return invitation


def invitations_expire(*, now: dt.datetime | None = None) -> int:
    """The periodic sweep: sent invitations past their expiry become expired (idempotent)."""
    now = now or timezone.now()
    return Invitation.objects.filter(status=Invitation.Status.SENT, expires_at__lte=now).update(
        status=Invitation.Status.EXPIRED
    )
