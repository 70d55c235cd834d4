"""Escalations: raised from a chapter, routed by density, acknowledged, commented on, escalated
further and resolved — each step one transaction with its event in the escalation's audit trail
and its notifications sent after the commit. Also the deadline work run by the periodic task:
reminders before the deadline and the automatic move up after it, both idempotent."""

import datetime
from functools import partial
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chapters.models import Chapter
from core.models import User
from core.notify import Text, lazy_interpolate, notify, render
from core.services import audit_record

from .. import selectors
from ..errors import EscalationStateConflict, GovernanceError, GovernancePermissionDenied
from ..models import (
    Committee,
    Escalation,
    EscalationAttachment,
    EscalationComment,
    EscalationEvent,
    EscalationRouting,
    GovernanceSettings,
    Level,
)
from .notify import organization_admins
from .routing import Route, route_from

LOCK_RELATED = (
    "chapter__metro__region__country",
    "committee__metro",
    "committee__region",
    "committee__country",
    "raised_by",
)
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5
# extension → (content type, a check of the file's first bytes)
ATTACHMENT_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".txt": ("text/plain", None),
}


def escalation_path(escalation: Escalation) -> str:
    return reverse("governance:escalation", kwargs={"pk": escalation.pk})


def _headline(escalation: Escalation) -> str:
    return f"#{escalation.pk} “{escalation.title}”"


def _about(escalation: Escalation) -> Text:
    """Category, chapter and metro (the category in the reader's language)."""
    return lazy_interpolate(
        "%(category)s · %(chapter)s (%(metro)s)",
        category=escalation.get_category_display,
        chapter=escalation.chapter.name,
        metro=escalation.chapter.metro.name,
    )


def _event(
    escalation: Escalation,
    kind: str,
    *,
    actor: User | None = None,
    note: str = "",
    committee: Committee | None = None,
) -> EscalationEvent:
    """One line of the trail. The raiser of an anonymous escalation is recorded as "the raiser",
    not by account, so that the trail never names them to anybody."""
    by_raiser = actor is not None and actor.pk == escalation.raised_by_id
    return EscalationEvent.objects.create(
        escalation=escalation,
        kind=kind,
        actor=None if (by_raiser and escalation.is_anonymous) else actor,
        by_raiser=by_raiser,
        committee=committee or escalation.committee,
        note=note[:300],
    )


def _audit(escalation: Escalation, action: str, actor: User | None, **data) -> None:
    hidden = actor is not None and actor.pk == escalation.raised_by_id and escalation.is_anonymous
    audit_record(
        actor=None if hidden else actor,
        action=f"governance.escalation.{action}",
        target=escalation,
        data=data,
    )


def _lock(escalation: Escalation) -> Escalation:
    """The row, locked, with its current state (another request may have moved it)."""
    locked = (
        Escalation.objects.select_for_update(of=("self",))
        .select_related(*LOCK_RELATED)
        .get(pk=escalation.pk)
    )
    return locked


def _require_committee(actor: User, escalation: Escalation, what: str) -> None:
    if escalation.raised_by_id == actor.pk:
        raise GovernancePermissionDenied(
            _("You raised this escalation; another member of the committee has to handle it.")
        )
    if not selectors.is_committee_member(actor, escalation.committee):
        raise GovernancePermissionDenied(
            _("Only members of the %(committee)s can %(what)s this escalation.")
            % {"committee": escalation.committee.name, "what": what}
        )


def _require_active(escalation: Escalation, expected: str | None = None) -> None:
    if escalation.status == Escalation.Status.RESOLVED:
        raise EscalationStateConflict(_("This escalation is already resolved."))
    if expected is not None and escalation.committee_id != int(expected):
        raise EscalationStateConflict(
            _("This escalation has moved on to the %(committee)s in the meantime.")
            % {"committee": escalation.committee.name}
        )


# --- Attachments -------------------------------------------------------------------------------


def attachment_check(upload: UploadedFile) -> tuple[str, str]:
    """(safe file name, content type) of an acceptable upload, else a GovernanceError."""
    name = Path(upload.name or "").name.strip() or "attachment"
    extension = Path(name).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise GovernanceError(
            _("“%(name)s” is not a PDF, PNG, JPG, TXT or DOCX file.") % {"name": name},
            field="attachments",
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise GovernanceError(
            _("“%(name)s” is larger than 5 MB.") % {"name": name}, field="attachments"
        )
    if upload.size == 0:
        raise GovernanceError(_("“%(name)s” is empty.") % {"name": name}, field="attachments")
    content_type, signature = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signature is not None and not head.startswith(signature):
        raise GovernanceError(
            _("“%(name)s” does not look like a %(extension)s file.")
            % {"name": name, "extension": extension[1:].upper()},
            field="attachments",
        )
    if signature is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # a cut through a multi-byte character at the 2048th byte is fine
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError as error:
                raise GovernanceError(
                    _("“%(name)s” is not a plain text file.") % {"name": name}, field="attachments"
                ) from error
        if b"\x00" in head:
            raise GovernanceError(
                _("“%(name)s” is not a plain text file.") % {"name": name}, field="attachments"
            )
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[-120:]
    return safe, content_type


# --- Raising and routing -----------------------------------------------------------------------


def _route(
    escalation: Escalation,
    route: Route,
    *,
    kind: str,
    actor: User | None,
    now: datetime.datetime,
    from_committee: Committee | None = None,
) -> EscalationRouting:
    rules = GovernanceSettings.load()
    escalation.committee = route.committee
    escalation.status = Escalation.Status.OPEN
    escalation.routed_at = now
    escalation.deadline_at = now + rules.escalation_deadline
    escalation.reminder_sent_at = None
    escalation.assigned_to = None
    escalation.acknowledged_at = None
    escalation.acknowledged_by = None
    return EscalationRouting.objects.create(
        escalation=escalation,
        committee=route.committee,
        from_committee=from_committee,
        kind=kind,
        reason=render(route.reason),
        routed_by=actor,
        created=now,
    )


def _tell_committee(escalation: Escalation, *, title: Text, body: Text, exclude=()) -> None:
    members = selectors.committee_member_users(escalation.committee)
    told = notify(
        members, title=title, body=body, path=escalation_path(escalation), exclude=exclude
    )
    if told == 0:
        # Nobody sits on the committee (only the board can be empty and still receive).
        notify(
            organization_admins(),
            title=lazy_interpolate(
                gettext_lazy("%(committee)s has no members to take escalation #%(number)s"),
                committee=escalation.committee,
                number=escalation.pk,
            ),
            body=gettext_lazy(
                "Appoint members to the committee so that escalations are looked after."
            ),
            path=reverse("governance:committee", kwargs={"pk": escalation.committee_id}),
        )


def _tell_raiser(escalation: Escalation, *, title: Text, body: Text) -> None:
    notify([escalation.raised_by], title=title, body=body, path=escalation_path(escalation))


@transaction.atomic
def escalation_raise(
    *,
    chapter: Chapter,
    user: User,
    category: str,
    title: str,
    description: str,
    anonymous: bool = False,
    attachments: list[UploadedFile] | None = None,
) -> Escalation:
    """Raise an escalation from a chapter the user belongs to (member or facilitator) and route
    it to the lowest existing committee covering the chapter's metro."""
    if not selectors.can_raise_from(user, chapter):
        raise GovernancePermissionDenied(
            _("Only members and facilitators of a chapter can raise an escalation from it.")
        )
    attachments = list(attachments or [])
    if len(attachments) > MAX_ATTACHMENTS:
        raise GovernanceError(
            _("Attach at most %(max)s files.") % {"max": MAX_ATTACHMENTS},
            field="attachments",
        )
    checked = [(upload, *attachment_check(upload)) for upload in attachments]
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise GovernanceError(_("Give the escalation a short summary."), field="title")
    if len(title) > 150:
        raise GovernanceError(_("Keep the summary under 150 characters."), field="title")
    if not description:
        raise GovernanceError(_("Describe what the committee should look at."), field="description")
    if len(description) > 10000:
        raise GovernanceError(
            _("The description can be at most 10,000 characters."), field="description"
        )
    if category not in Escalation.Category.values:
        raise GovernanceError(_("Choose a category."), field="category")

    now = timezone.now()
    chapter = Chapter.objects.select_related("metro__region__country").get(pk=chapter.pk)
    route = route_from(chapter.metro)
    escalation = Escalation(
        chapter=chapter,
        raised_by=user,
        is_anonymous=bool(anonymous),
        category=category,
        title=title,
        description=description,
        committee=route.committee,
        created=now,
        routed_at=now,
        deadline_at=now,
    )
    escalation.save()
    routing = _route(escalation, route, kind=EscalationRouting.Kind.RAISED, actor=user, now=now)
    escalation.save()
    for upload, name, content_type in checked:
        attachment = EscalationAttachment(
            escalation=escalation,
            original_name=name,
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
    _event(escalation, EscalationEvent.Kind.RAISED, actor=user)
    _event(escalation, EscalationEvent.Kind.ROUTED, note=routing.reason)
    _audit(
        escalation, "raise", user, committee=route.committee.pk, anonymous=escalation.is_anonymous
    )

    _tell_committee(
        escalation,
        title=lazy_interpolate(
            gettext_lazy("New escalation for the %(committee)s: %(headline)s"),
            committee=route.committee,
            headline=_headline(escalation),
        ),
        body=lazy_interpolate(
            gettext_lazy("%(about)s. Please acknowledge it within %(days)s days."),
            about=_about(escalation),
            days=GovernanceSettings.load().escalation_deadline_days,
        ),
        exclude=[user],
    )
    _tell_raiser(
        escalation,
        title=lazy_interpolate(
            gettext_lazy("Your escalation %(headline)s went to the %(committee)s"),
            headline=_headline(escalation),
            committee=route.committee,
        ),
        body=route.reason,
    )
    return escalation


@transaction.atomic
def escalation_acknowledge(
    *, escalation: Escalation, actor: User, committee_id: int | None = None
) -> Escalation:
    escalation = _lock(escalation)
    _require_active(escalation, committee_id)
    _require_committee(actor, escalation, _("acknowledge"))
    if escalation.status != Escalation.Status.OPEN:
        raise EscalationStateConflict(_("This escalation is already acknowledged."))
    escalation.status = Escalation.Status.ACKNOWLEDGED
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = actor
    escalation.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "modified"])
    _event(escalation, EscalationEvent.Kind.ACKNOWLEDGED, actor=actor)
    _audit(escalation, "acknowledge", actor, committee=escalation.committee_id)
    _tell_raiser(
        escalation,
        title=lazy_interpolate(
            gettext_lazy("The %(committee)s took up your escalation %(headline)s"),
            committee=escalation.committee,
            headline=_headline(escalation),
        ),
        body=gettext_lazy("They will come back to you here with questions or a decision."),
    )
    return escalation


@transaction.atomic
def escalation_assign(*, escalation: Escalation, actor: User, assignee: User | None) -> Escalation:
    """The chair gives the escalation to one member of the committee (or takes it back)."""
    escalation = _lock(escalation)
    _require_active(escalation)
    _require_committee(actor, escalation, _("assign"))
    if not selectors.is_committee_chair(actor, escalation.committee):
        raise GovernancePermissionDenied(_("Only the committee's chair assigns escalations."))
    if assignee is not None:
        seats = set(
            selectors.current_memberships()
            .filter(committee=escalation.committee)
            .values_list("user_id", flat=True)
        )
        if assignee.pk not in seats:
            raise GovernanceError(
                _("%(assignee)s does not sit on the %(committee)s.")
                % {"assignee": assignee, "committee": escalation.committee.name},
                field="assignee",
            )
        if assignee.pk == escalation.raised_by_id:
            raise GovernanceError(
                _("The person who raised the escalation cannot handle it."), field="assignee"
            )
    escalation.assigned_to = assignee
    escalation.save(update_fields=["assigned_to", "modified"])
    note = f"to {assignee}" if assignee else "unassigned"
    _event(escalation, EscalationEvent.Kind.ASSIGNED, actor=actor, note=note)
    _audit(escalation, "assign", actor, assignee=assignee.pk if assignee else None)
    if assignee is not None and assignee.pk != actor.pk:
        notify(
            [assignee],
            title=lazy_interpolate(
                gettext_lazy("%(actor)s assigned you the escalation %(headline)s"),
                actor=actor,
                headline=_headline(escalation),
            ),
            body=_about(escalation),
            path=escalation_path(escalation),
        )
    return escalation


@transaction.atomic
def escalation_comment(*, escalation: Escalation, actor: User, body: str) -> EscalationComment:
    escalation = _lock(escalation)
    body = (body or "").strip()
    if not body:
        raise GovernanceError(_("Write a comment first."), field="body")
    if len(body) > 5000:
        raise GovernanceError(_("A comment can be at most 5,000 characters."), field="body")
    from_raiser = escalation.raised_by_id == actor.pk
    on_committee = selectors.is_committee_member(actor, escalation.committee)
    if not (from_raiser or on_committee):
        raise GovernancePermissionDenied(
            _("Comments are between the raiser and the committee the escalation is with.")
        )
    comment = EscalationComment.objects.create(
        escalation=escalation,
        author=actor,
        from_raiser=from_raiser,
        committee=None if from_raiser else escalation.committee,
        body=body,
    )
    _event(escalation, EscalationEvent.Kind.COMMENTED, actor=actor)
    _audit(escalation, "comment", actor, comment=comment.pk)
    if from_raiser:
        _tell_committee(
            escalation,
            title=lazy_interpolate(
                gettext_lazy("The raiser replied on %(headline)s"), headline=_headline(escalation)
            ),
            body=_about(escalation),
            exclude=[actor],
        )
    else:
        _tell_raiser(
            escalation,
            title=lazy_interpolate(
                gettext_lazy("The %(committee)s wrote on %(headline)s"),
                committee=escalation.committee,
                headline=_headline(escalation),
            ),
            body=gettext_lazy("Read and answer on the escalation's page."),
        )
        notify(
            selectors.committee_member_users(escalation.committee),
            title=lazy_interpolate(
                gettext_lazy("%(actor)s commented on %(headline)s"),
                actor=actor,
                headline=_headline(escalation),
            ),
            body=_about(escalation),
            path=escalation_path(escalation),
            exclude=[actor, escalation.raised_by],
        )
    return comment


def _move_up(
    escalation: Escalation,
    *,
    kind: str,
    actor: User | None,
    why: Text,
    now: datetime.datetime,
) -> EscalationRouting:
    """Send a locked, active escalation to the next existing level above its committee."""
    previous = escalation.committee
    previous_members = selectors.committee_member_users(previous)
    route = route_from(escalation.chapter.metro, above=previous)
    route = Route(
        committee=route.committee,
        reason=lazy_interpolate("%(why)s %(reason)s", why=why, reason=route.reason),
    )
    routing = _route(escalation, route, kind=kind, actor=actor, now=now, from_committee=previous)
    escalation.save()
    event_kind = (
        EscalationEvent.Kind.AUTO_ESCALATED
        if kind == EscalationRouting.Kind.AUTOMATIC
        else EscalationEvent.Kind.ESCALATED
    )
    _event(escalation, event_kind, actor=actor, committee=previous, note=render(why))
    _event(escalation, EscalationEvent.Kind.ROUTED, note=routing.reason)
    _audit(
        escalation,
        "escalate" if actor else "auto_escalate",
        actor,
        from_committee=previous.pk,
        to_committee=route.committee.pk,
    )
    moved = lazy_interpolate(
        gettext_lazy("Escalation %(headline)s moved up to the %(committee)s"),
        headline=_headline(escalation),
        committee=route.committee,
    )
    _tell_committee(
        escalation,
        title=moved,
        body=lazy_interpolate(
            "%(about)s. %(reason)s", about=_about(escalation), reason=route.reason
        ),
        exclude=[actor],
    )
    notify(
        previous_members,
        title=moved,
        body=why,
        path=escalation_path(escalation),
        exclude=[actor, escalation.raised_by],
    )
    _tell_raiser(
        escalation,
        title=lazy_interpolate(
            gettext_lazy("Your escalation %(headline)s moved up to the %(committee)s"),
            headline=_headline(escalation),
            committee=route.committee,
        ),
        body=route.reason,
    )
    return routing


@transaction.atomic
def escalation_escalate(
    *, escalation: Escalation, actor: User, reason: str, committee_id: int | None = None
) -> Escalation:
    """The committee sends the escalation to the next existing level, saying why."""
    escalation = _lock(escalation)
    _require_active(escalation, committee_id)
    _require_committee(actor, escalation, _("escalate"))
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError(_("Say why the next level should take this up."), field="reason")
    if len(reason) > 1000:
        raise GovernanceError(_("Keep the reason under 1,000 characters."), field="reason")
    if escalation.committee.level == Level.BOARD:
        raise GovernanceError(_("The board is the last level: resolve the escalation here."))
    _move_up(
        escalation,
        kind=EscalationRouting.Kind.ESCALATED,
        actor=actor,
        now=timezone.now(),
        why=lazy_interpolate(
            gettext_lazy("Escalated by the %(committee)s: %(reason)s"),
            committee=escalation.committee,
            reason=reason,
        ),
    )
    return escalation


@transaction.atomic
def escalation_resolve(
    *, escalation: Escalation, actor: User, decision: str, committee_id: int | None = None
) -> Escalation:
    escalation = _lock(escalation)
    _require_active(escalation, committee_id)
    _require_committee(actor, escalation, _("resolve"))
    decision = (decision or "").strip()
    if not decision:
        raise GovernanceError(_("Write the decision the raiser will read."), field="decision")
    if len(decision) > 10000:
        raise GovernanceError(_("The decision can be at most 10,000 characters."), field="decision")
    now = timezone.now()
    if escalation.acknowledged_at is None:
        escalation.acknowledged_at, escalation.acknowledged_by = now, actor
    escalation.status = Escalation.Status.RESOLVED
    escalation.decision = decision
    escalation.resolved_at, escalation.resolved_by = now, actor
    escalation.save()
    _event(escalation, EscalationEvent.Kind.RESOLVED, actor=actor)
    _audit(escalation, "resolve", actor, committee=escalation.committee_id)
    _tell_raiser(
        escalation,
        title=lazy_interpolate(
            gettext_lazy("The %(committee)s resolved your escalation %(headline)s"),
            committee=escalation.committee,
            headline=_headline(escalation),
        ),
        body=gettext_lazy("Read the decision on the escalation's page."),
    )
    notify(
        selectors.committee_member_users(escalation.committee),
        title=lazy_interpolate(
            gettext_lazy("%(actor)s resolved %(headline)s"),
            actor=actor,
            headline=_headline(escalation),
        ),
        body=_about(escalation),
        path=escalation_path(escalation),
        exclude=[actor, escalation.raised_by],
    )
    return escalation


def escalations_move_from(*, committee: Committee, actor: User | None, why: Text) -> int:
    """Move every active escalation away from a committee that stands down. Call inside the
    stand-down's transaction."""
    moved = 0
    pks = list(
        Escalation.objects.filter(
            committee=committee, status__in=Escalation.ACTIVE_STATUSES
        ).values_list("pk", flat=True)
    )
    for pk in pks:
        escalation = _lock(Escalation(pk=pk))
        if escalation.committee_id != committee.pk or not escalation.is_active:
            continue
        _move_up(
            escalation,
            kind=EscalationRouting.Kind.AUTOMATIC,
            actor=actor,
            why=why,
            now=timezone.now(),
        )
        moved += 1
    return moved


# --- Deadlines (periodic) ----------------------------------------------------------------------


def escalations_auto_escalate(*, now: datetime.datetime | None = None) -> int:
    """Move every escalation left unacknowledged past its deadline up one existing level. Each
    move re-checks the row under a lock, so concurrent or repeated runs move it once."""
    now = now or timezone.now()
    due = list(
        Escalation.objects.filter(status=Escalation.Status.OPEN, deadline_at__lte=now)
        .exclude(committee__level=Level.BOARD)
        .values_list("pk", flat=True)
    )
    days = GovernanceSettings.load().escalation_deadline_days
    moved = 0
    for pk in due:
        with transaction.atomic():
            escalation = (
                Escalation.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related(*LOCK_RELATED)
                .filter(pk=pk, status=Escalation.Status.OPEN, deadline_at__lte=now)
                .exclude(committee__level=Level.BOARD)
                .first()
            )
            if escalation is None:
                continue  # acknowledged, moved or being handled meanwhile
            _move_up(
                escalation,
                kind=EscalationRouting.Kind.AUTOMATIC,
                actor=None,
                now=now,
                why=lazy_interpolate(
                    gettext_lazy("Not acknowledged by the %(committee)s within %(days)s days."),
                    committee=escalation.committee,
                    days=days,
                ),
            )
            moved += 1
    return moved


def escalations_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the committee once, some days before an open escalation's deadline."""
    now = now or timezone.now()
    lead = GovernanceSettings.load().reminder_lead
    due = list(
        Escalation.objects.filter(
            status=Escalation.Status.OPEN,
            reminder_sent_at__isnull=True,
            deadline_at__gt=now,
            deadline_at__lte=now + lead,
        ).values_list("pk", "committee_id")
    )
    sent = 0
    for pk, committee_id in due:
        with transaction.atomic():
            claimed = Escalation.objects.filter(
                pk=pk,
                committee_id=committee_id,
                status=Escalation.Status.OPEN,
                reminder_sent_at__isnull=True,
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            escalation = Escalation.objects.select_related(
                "chapter__metro",
                "committee__metro",
                "committee__region",
                "committee__country",
                "raised_by",
            ).get(pk=pk)
            _event(escalation, EscalationEvent.Kind.REMINDED)
            deadline = timezone.localtime(escalation.deadline_at, escalation.chapter.metro.tzinfo)
            _tell_committee(
                escalation,
                title=lazy_interpolate(
                    gettext_lazy("Reminder: acknowledge %(headline)s by %(date)s"),
                    headline=_headline(escalation),
                    date=partial(date_format, deadline, "j F Y"),
                ),
                body=lazy_interpolate(
                    gettext_lazy(
                        "%(about)s. Unacknowledged, it moves up to the next level on %(date)s at "
                        "%(time)s (%(zone)s)."
                    ),
                    about=_about(escalation),
                    date=partial(date_format, deadline, "j F Y"),
                    time=partial(date_format, deadline, "H:i"),
                    zone=escalation.chapter.metro.time_zone,
                ),
            )
            sent += 1
    return sent
