"""Join requests: an entrepreneur asks to be considered for a chapter of their metro that has a
free seat for their sector; a facilitator approves (which sends an invitation) or declines with
a message."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict
from core.models import User
from core.notify import lazy_interpolate, notify
from core.services import audit_record

from .. import selectors
from ..errors import ChapterError, ChapterPermissionDenied
from ..models import Chapter, ChapterSettings, JoinRequest, Membership
from .invitations import invitation_new
from .seats import check_seat_available, lock_chapter, require_manager


def _facilitators(chapter: Chapter) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            chapter=chapter, left_at__isnull=True, role=Membership.Role.FACILITATOR
        ).select_related("user")
    ]


@transaction.atomic
def join_request_create(*, chapter: Chapter, user: User, message: str = "") -> JoinRequest:
    profile = selectors.entrepreneur_of(user)
    if profile is None or profile.metro_id is None or profile.sector_id is None:
        raise ChapterError(_("Complete your profile with your metro and sector first."))
    if not profile.is_active:
        raise ChapterPermissionDenied(_("Your profile is deactivated."))
    chapter = lock_chapter(chapter)
    if chapter.metro_id != profile.metro_id:
        raise ChapterError(
            _("%(chapter)s meets in %(metro)s; you can ask to join chapters in %(own_metro)s.")
            % {"chapter": chapter.name, "metro": chapter.metro, "own_metro": profile.metro}
        )
    if not chapter.is_open:
        raise ChapterError(
            _("%(chapter)s is %(status)s; it does not take join requests.")
            % {"chapter": chapter.name, "status": chapter.get_status_display().lower()}
        )
    if Membership.objects.filter(chapter=chapter, user=user, left_at__isnull=True).exists():
        raise ChapterError(
            _("You are already a member of %(chapter)s.") % {"chapter": chapter.name}
        )
    check_seat_available(chapter=chapter, sector=profile.sector, rules=ChapterSettings.load())
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                chapter=chapter,
                user=user,
                sector=profile.sector,
                message=(message or "").strip()[:2000],
            )
    except IntegrityError as error:
        raise Conflict(_("You have already asked to join this chapter.")) from error
    audit_record(
        actor=user,
        action="chapters.join_request.create",
        target=join_request,
        data={"chapter": chapter.pk},
    )
    notify(
        _facilitators(chapter),
        title=lazy_interpolate(
            gettext_lazy("%(user)s (%(sector)s) asks to join %(chapter)s"),
            user=user,
            sector=profile.sector.name,
            chapter=chapter.name,
        ),
        body=gettext_lazy(
            "Approve (which sends an invitation) or decline with a message on the chapter page."
        ),
        path=reverse("chapters:detail", args=[chapter.pk]),
    )
    return join_request


def _lock_pending(join_request: JoinRequest) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("chapter__metro", "user", "sector")
        .get(pk=join_request.pk)
    )
    if join_request.status != JoinRequest.Status.PENDING:
        raise ChapterError(
            _("This request is %(status)s already.")
            % {"status": join_request.get_status_display().lower()}
        )
    return join_request


@transaction.atomic
def join_request_approve(
    *, join_request: JoinRequest, actor: User, message: str = ""
) -> JoinRequest:
    require_manager(actor, join_request.chapter, _("decide join requests"))
    lock_chapter(join_request.chapter)  # the chapter first, in the same order as acceptance
    join_request = _lock_pending(join_request)
    invitation = invitation_new(
        chapter=join_request.chapter,
        email=join_request.user.email,
        sector=join_request.sector,
        name=join_request.user.name,
        message=message,
        proposed_by=actor,
        send=True,
    )
    join_request.status = JoinRequest.Status.APPROVED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.response = (message or "").strip()[:2000]
    join_request.invitation = invitation
    join_request.save(
        update_fields=["status", "decided_by", "decided_at", "response", "invitation"]
    )
    audit_record(actor=actor, action="chapters.join_request.approve", target=join_request)
    return join_request


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor: User, message: str) -> JoinRequest:
    require_manager(actor, join_request.chapter, _("decide join requests"))
    message = (message or "").strip()
    if len(message) < 5:
        raise ChapterError(
            _("Write the person a short message: they will read why."), field="message"
        )
    join_request = _lock_pending(join_request)
    join_request.status = JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.response = message[:2000]
    join_request.save(update_fields=["status", "decided_by", "decided_at", "response"])
    audit_record(actor=actor, action="chapters.join_request.decline", target=join_request)
    notify(
        [join_request.user],
        title=lazy_interpolate(
            gettext_lazy("Your request to join %(chapter)s was declined"),
            chapter=join_request.chapter.name,
        ),
        body=lazy_interpolate(gettext_lazy("The facilitator writes: %(message)s"), message=message),
        path=reverse("chapters:mine"),
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user: User) -> JoinRequest:
    if join_request.user_id != user.pk:
        raise ChapterPermissionDenied(_("You can only withdraw your own request."))
    join_request = _lock_pending(join_request)
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    audit_record(actor=user, action="chapters.join_request.withdraw", target=join_request)
    return join_request
