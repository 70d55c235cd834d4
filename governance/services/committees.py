"""Committees and their seats, managed by organisation admins: forming a committee for a place
(usually after a density alert), standing it down, seating members with a chair and terms, and the
organisation's governance settings."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import lazy_interpolate, notify
from core.selectors import user_is_organization_admin
from core.services import audit_record
from network.models import Country, Metro, Region

from .. import selectors
from ..errors import GovernanceError, GovernancePermissionDenied
from ..models import (
    PLACE_LEVELS,
    Committee,
    CommitteeMembership,
    DensityAlert,
    GovernanceSettings,
    Level,
)
from .escalations import escalations_move_from

PLACE_MODELS = {Level.METRO: Metro, Level.REGION: Region, Level.COUNTRY: Country}


def require_admin(actor: User, what: str) -> None:
    if not user_is_organization_admin(actor):
        raise GovernancePermissionDenied(
            _("Only organisation admins can %(what)s.") % {"what": what}
        )


def _place_filter(level: str, place) -> dict:
    return {level: place}


def _resolve_alerts(*, level: str, place, direction: str, actor: User, resolution: str) -> None:
    DensityAlert.objects.filter(
        level=level, direction=direction, resolved_at__isnull=True, **_place_filter(level, place)
    ).update(resolved_at=timezone.now(), resolved_by=actor, resolution=resolution[:200])


@transaction.atomic
def committee_form(*, level: str, place, actor: User) -> Committee:
    """Form the steering committee of a metro, region or country (or re-form one that stood
    down: the same committee, its history kept)."""
    require_admin(actor, _("form committees"))
    if level not in PLACE_LEVELS:
        raise GovernanceError(_("Choose a metro, region or country."), field="level")
    if not isinstance(place, PLACE_MODELS[level]):
        raise GovernanceError(
            _("Choose a %(label)s.") % {"label": Level(level).label.lower()}, field="place"
        )
    committee = Committee.objects.select_for_update().filter(**_place_filter(level, place)).first()
    now = timezone.now()
    if committee is not None and committee.is_active:
        raise GovernanceError(
            _("%(place)s already has a steering committee.") % {"place": place}, field="place"
        )
    if committee is None:
        try:
            with transaction.atomic():
                committee = Committee.objects.create(
                    level=level, formed_at=now, **_place_filter(level, place)
                )
        except IntegrityError as error:
            raise GovernanceError(
                _("%(place)s already has a steering committee.") % {"place": place}, field="place"
            ) from error
        action = "form"
    else:
        committee.status = Committee.Status.ACTIVE
        committee.formed_at, committee.stood_down_at = now, None
        committee.save(update_fields=["status", "formed_at", "stood_down_at"])
        action = "reform"
    _resolve_alerts(
        level=level,
        place=place,
        direction=DensityAlert.Direction.REACHED,
        actor=actor,
        resolution="Committee formed.",
    )
    audit_record(
        actor=actor,
        action=f"governance.committee.{action}",
        target=committee,
        data={"level": level, "place": place.pk},
    )
    return committee


@transaction.atomic
def committee_stand_down(*, committee: Committee, actor: User) -> Committee:
    """Stand a committee down: its seats end today and its active escalations move up to the
    next existing level. The board cannot stand down."""
    require_admin(actor, _("stand committees down"))
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.is_board:
        raise GovernanceError(_("The board cannot stand down."))
    if not committee.is_active:
        raise GovernanceError(
            _("The %(committee)s has already stood down.") % {"committee": committee.name}
        )
    today = timezone.localdate()
    seats = list(selectors.current_memberships().filter(committee=committee).select_related("user"))
    CommitteeMembership.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gt=today), committee=committee
    ).filter(term_start__lte=today).update(term_end=today)
    # Seats that had not started yet are cancelled (ending on their first day).
    CommitteeMembership.objects.filter(committee=committee, term_start__gt=today).delete()
    committee.status = Committee.Status.STOOD_DOWN
    committee.stood_down_at = timezone.now()
    committee.save(update_fields=["status", "stood_down_at"])
    moved = escalations_move_from(
        committee=committee,
        actor=actor,
        why=lazy_interpolate(gettext_lazy("The %(committee)s stood down."), committee=committee),
    )
    _resolve_alerts(
        level=committee.level,
        place=committee.place,
        direction=DensityAlert.Direction.FELL_BELOW,
        actor=actor,
        resolution="Committee stood down.",
    )
    audit_record(
        actor=actor,
        action="governance.committee.stand_down",
        target=committee,
        data={"escalations_moved": moved, "seats_ended": len(seats)},
    )
    for seat in seats:
        selectors.forget_committee_seats(seat.user)
    notify(
        [seat.user for seat in seats],
        title=lazy_interpolate(gettext_lazy("The %(committee)s stood down"), committee=committee),
        body=gettext_lazy("Thank you for serving. Your seat ended today."),
        path=reverse("governance:committee", kwargs={"pk": committee.pk}),
        exclude=[actor],
    )
    return committee


def _check_term(term_start: datetime.date, term_end: datetime.date | None) -> None:
    if term_end is not None and term_end <= term_start:
        raise GovernanceError(_("The term must end after it starts."), field="term_end")


def _overlaps(
    committee: Committee,
    user: User,
    term_start: datetime.date,
    term_end: datetime.date | None,
    *,
    exclude_pk: int | None = None,
) -> bool:
    seats = CommitteeMembership.objects.filter(committee=committee, user=user).filter(
        Q(term_end__isnull=True) | Q(term_end__gt=term_start)
    )
    if term_end is not None:
        seats = seats.filter(term_start__lt=term_end)
    if exclude_pk:
        seats = seats.exclude(pk=exclude_pk)
    return seats.exists()


def _demote_chair(committee: Committee, *, actor: User, exclude_pk: int | None = None) -> None:
    chairs = CommitteeMembership.objects.filter(
        committee=committee, role=CommitteeMembership.Role.CHAIR
    ).filter(Q(term_end__isnull=True) | Q(term_end__gt=timezone.localdate()))
    if exclude_pk:
        chairs = chairs.exclude(pk=exclude_pk)
    for chair in chairs.select_related("user"):
        chair.role = CommitteeMembership.Role.MEMBER
        chair.save(update_fields=["role"])
        selectors.forget_committee_seats(chair.user)
        audit_record(
            actor=actor,
            action="governance.membership.role",
            target=chair,
            data={"role": chair.role},
        )


@transaction.atomic
def committee_member_add(
    *,
    committee: Committee,
    user: User,
    actor: User,
    role: str = CommitteeMembership.Role.MEMBER,
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> CommitteeMembership:
    """Seat a person on an active committee. Naming a new chair makes the current one a member."""
    require_admin(actor, _("appoint committee members"))
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if not committee.is_active:
        raise GovernanceError(
            _("The %(committee)s has stood down; form it again first.")
            % {"committee": committee.name}
        )
    if role not in CommitteeMembership.Role.values:
        raise GovernanceError(_("Choose member or chair."), field="role")
    if not user.is_active:
        raise GovernanceError(_("%(user)s is deactivated.") % {"user": user}, field="user")
    term_start = term_start or timezone.localdate()
    _check_term(term_start, term_end)
    if _overlaps(committee, user, term_start, term_end):
        raise GovernanceError(
            _("%(user)s already has a seat on the %(committee)s for that term.")
            % {"user": user, "committee": committee.name},
            field="user",
        )
    if role == CommitteeMembership.Role.CHAIR:
        _demote_chair(committee, actor=actor)
    try:
        with transaction.atomic():
            seat = CommitteeMembership.objects.create(
                committee=committee,
                user=user,
                role=role,
                term_start=term_start,
                term_end=term_end,
            )
    except IntegrityError as error:
        raise GovernanceError(
            _("%(user)s already has an open-ended seat on the %(committee)s.")
            % {"user": user, "committee": committee.name},
            field="user",
        ) from error
    selectors.forget_committee_seats(user)
    audit_record(
        actor=actor,
        action="governance.membership.add",
        target=seat,
        data={"committee": committee.pk, "user": user.pk, "role": role},
    )
    notify(
        [user],
        title=lazy_interpolate(
            gettext_lazy("You now sit on the %(committee)s as its chair")
            if role == CommitteeMembership.Role.CHAIR
            else gettext_lazy("You now sit on the %(committee)s"),
            committee=committee,
        ),
        body=gettext_lazy("Escalations routed to the committee appear in your committee queue."),
        path=reverse("governance:queue"),
        exclude=[actor],
    )
    return seat


@transaction.atomic
def committee_membership_update(
    *,
    membership: CommitteeMembership,
    actor: User,
    role: str | None = None,
    term_end: datetime.date | str | None = "unchanged",
) -> CommitteeMembership:
    """Change a seat's role (a new chair makes the current one a member) or its term's end."""
    require_admin(actor, _("change committee seats"))
    membership = (
        CommitteeMembership.objects.select_for_update()
        .select_related("committee", "user")
        .get(pk=membership.pk)
    )
    fields = []
    if role is not None and role != membership.role:
        if role not in CommitteeMembership.Role.values:
            raise GovernanceError(_("Choose member or chair."), field="role")
        if role == CommitteeMembership.Role.CHAIR:
            if not membership.committee.is_active:
                raise GovernanceError(_("A committee that stood down has no chair."), field="role")
            _demote_chair(membership.committee, actor=actor, exclude_pk=membership.pk)
        membership.role = role
        fields.append("role")
    if term_end != "unchanged":
        _check_term(membership.term_start, term_end)
        if _overlaps(
            membership.committee,
            membership.user,
            membership.term_start,
            term_end,
            exclude_pk=membership.pk,
        ):
            raise GovernanceError(
                _("That term overlaps another seat of the same person."), field="term_end"
            )
        membership.term_end = term_end
        fields.append("term_end")
    if fields:
        membership.save(update_fields=fields)
        selectors.forget_committee_seats(membership.user)
        audit_record(
            actor=actor,
            action="governance.membership.update",
            target=membership,
            data={"role": membership.role, "term_end": str(membership.term_end or "")},
        )
    return membership


@transaction.atomic
def committee_membership_end(
    *, membership: CommitteeMembership, actor: User
) -> CommitteeMembership:
    """End a seat today (or cancel it if it had not started)."""
    require_admin(actor, _("end committee seats"))
    membership = (
        CommitteeMembership.objects.select_for_update()
        .select_related("committee", "user")
        .get(pk=membership.pk)
    )
    today = timezone.localdate()
    if membership.term_end is not None and membership.term_end <= today:
        raise GovernanceError(_("This seat has already ended."))
    membership.term_end = max(today, membership.term_start)
    membership.save(update_fields=["term_end"])
    selectors.forget_committee_seats(membership.user)
    audit_record(
        actor=actor,
        action="governance.membership.end",
        target=membership,
        data={"committee": membership.committee_id, "user": membership.user_id},
    )
    return membership


@transaction.atomic
def governance_settings_update(*, actor: User, **values) -> GovernanceSettings:
    require_admin(actor, _("change governance settings"))
    rules = GovernanceSettings.objects.select_for_update().get(pk=GovernanceSettings.load().pk)
    allowed = {
        "metro_threshold",
        "region_threshold",
        "country_threshold",
        "escalation_deadline_days",
        "reminder_days_before_deadline",
        "election_electorate",
    }
    unknown = set(values) - allowed
    if unknown:
        raise GovernanceError(f"Unknown setting: {', '.join(sorted(unknown))}.")
    for name, value in values.items():
        setattr(rules, name, value)
    for name in (
        "metro_threshold",
        "region_threshold",
        "country_threshold",
        "escalation_deadline_days",
    ):
        if int(getattr(rules, name)) < 1:
            raise GovernanceError(_("Must be at least 1."), field=name)
    if rules.reminder_days_before_deadline >= rules.escalation_deadline_days:
        raise GovernanceError(
            _("The reminder must come before the deadline."), field="reminder_days_before_deadline"
        )
    if rules.election_electorate not in GovernanceSettings.Electorate.values:
        raise GovernanceError(_("Choose who votes."), field="election_electorate")
    rules.save()
    audit_record(
        actor=actor,
        action="governance.settings.update",
        target=rules,
        data={name: getattr(rules, name) for name in values},
    )
    return rules
