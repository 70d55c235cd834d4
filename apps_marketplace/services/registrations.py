"""Registrations: members and guests take a seat or join the waiting list; a freed seat is
offered to the first in line, who confirms before a deadline; cancellations follow the app's
refund rule; the provider checks people in and marks offline payments paid.

Capacity rule: never more CONFIRMED + OFFERED registrations than the event's capacity. Every
service that can take or free a seat first locks the event row (SELECT … FOR UPDATE), so two
registrations for the last seat are serialised by the database and the second one counts the
first."""

import datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import Text, lazy_interpolate
from core.services import audit_record

from ..errors import MarketplaceConflict, MarketplaceError, MarketplacePermissionDenied
from ..models import App, Event, LedgerEntry, MarketplaceSettings, Registration
from ..money import quantize
from ..payments import payment_provider
from ..selectors import can_manage_event
from . import notify
from .ledger import effective_share, ledger_record, share_of_payment

HUNDRED = Decimal("100")


def _lock_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("app", "metro")
        .get(pk=event.pk)
    )


def _lock_registration(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=registration.pk)
    )


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING_SEAT).count()


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: User | None = None,
    name: str = "",
    email: str = "",
) -> Registration:
    """Register a member (`user`) or a guest (`name` and `email`). Takes a seat if one is free
    and nobody is waiting for it; otherwise joins the waiting list."""
    if user is not None and user.is_authenticated:
        name, email = user.name or user.email, user.email
    else:
        user = None
        name = (name or "").strip()
        email = (email or "").strip()
        if not name:
            raise MarketplaceError(_("Tell us your name."), field="name")
        if len(name) > 150:
            raise MarketplaceError(_("The name can be at most 150 characters."), field="name")
        try:
            validate_email(email)
        except ValidationError as error:
            raise MarketplaceError(_("Enter a valid email address."), field="email") from error
    email = email.lower()

    event = _lock_event(event)
    if event.status != Event.Status.PUBLISHED or event.app.status != App.Status.APPROVED:
        raise MarketplaceConflict(_("This event is not open for registration."))
    if event.starts_at <= timezone.now():
        raise MarketplaceConflict(_("This event has started; registration is closed."))
    if Registration.objects.filter(
        event=event, email__iexact=email, status__in=Registration.ACTIVE
    ).exists():
        raise MarketplaceConflict(
            _("%(email)s is already registered for this event.") % {"email": email}, field="email"
        )

    seat_free = _seats_taken(event) < event.capacity
    someone_waits = Registration.objects.filter(
        event=event, status=Registration.Status.WAITLISTED
    ).exists()
    status = (
        Registration.Status.CONFIRMED
        if seat_free and not someone_waits
        else Registration.Status.WAITLISTED
    )
    registration = Registration(
        event=event,
        user=user,
        name=name,
        email=email,
        status=status,
        amount=event.price,
        currency=event.currency,
        payment_status=(
            Registration.Payment.NOT_REQUIRED if event.is_free else Registration.Payment.DUE
        ),
        payment_provider="" if event.is_free else payment_provider().key,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the same email registering twice at the same moment
        raise MarketplaceConflict(
            _("%(email)s is already registered for this event.") % {"email": email}, field="email"
        ) from error
    audit_record(
        actor=user,
        action="marketplace.registration.create",
        target=registration,
        data={"event": event.pk, "status": status, "guest": user is None},
    )
    if status == Registration.Status.CONFIRMED:
        _tell_confirmed(registration)
    else:
        notify.tell_registrant(
            registration,
            subject=lazy_interpolate(gettext_lazy("Waiting list: %(event)s"), event=event.title),
            lines=[
                gettext_lazy(
                    "The event is full; you are on the waiting list. If a seat frees up, we "
                    "offer it to you by email and you confirm before a deadline."
                )
            ],
        )
    return registration


def _payment_instructions(registration: Registration) -> str:
    return payment_provider(registration.payment_provider).begin(registration).instructions


def _tell_confirmed(registration: Registration) -> None:
    lines: list[Text] = [gettext_lazy("Your seat is confirmed.")]
    if registration.payment_status == Registration.Payment.DUE:
        lines.append(partial(_payment_instructions, registration))
    notify.tell_registrant(
        registration,
        subject=lazy_interpolate(
            gettext_lazy("You are registered: %(event)s"), event=registration.event.title
        ),
        lines=lines,
    )


def fill_free_seats(event: Event) -> list[Registration]:
    """Offer every free seat to the next people on the waiting list. The caller holds the
    event's row lock."""
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return []
    free = event.capacity - _seats_taken(event)
    if free <= 0:
        return []
    hours = MarketplaceSettings.load().offer_hours
    deadline = min(now + datetime.timedelta(hours=hours), event.starts_at)
    offered = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status=Registration.Status.WAITLISTED)
        .select_related("user")
        .order_by("created", "pk")[:free]
    )
    for registration in offered:
        registration.status = Registration.Status.OFFERED
        registration.offer_expires_at = deadline
        registration.save(update_fields=["status", "offer_expires_at"])
        registration.event = event
        audit_record(actor=None, action="marketplace.registration.offer", target=registration)
        notify.tell_registrant(
            registration,
            subject=lazy_interpolate(
                gettext_lazy("A seat is free for you: %(event)s"), event=event.title
            ),
            lines=[
                lazy_interpolate(
                    gettext_lazy(
                        "A seat has freed up. Confirm it by %(deadline)s (%(zone)s), or it goes "
                        "to the next person waiting."
                    ),
                    deadline=partial(date_format, deadline.astimezone(event.tzinfo), "l j F, H:i"),
                    zone=event.metro.time_zone,
                )
            ],
        )
    return offered


@transaction.atomic
def registration_confirm_offer(
    *, registration: Registration, actor: User | None = None
) -> Registration:
    """The person offered a seat takes it, before the deadline."""
    event = _lock_event(registration.event)
    registration = _lock_registration(registration)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    if registration.status != Registration.Status.OFFERED:
        raise MarketplaceConflict(_("There is no seat offer to confirm on this registration."))
    if registration.offer_expires_at is None or registration.offer_expires_at <= timezone.now():
        raise MarketplaceConflict(_("The offer has expired; the seat went to the next person."))
    registration.status = Registration.Status.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at"])
    registration.event = event
    audit_record(actor=actor, action="marketplace.registration.confirm", target=registration)
    _tell_confirmed(registration)
    return registration


def refund_due(
    registration: Registration, *, at: datetime.datetime, in_full: bool = False
) -> Decimal:
    """What the app's refund rule gives back if the registration is cancelled at `at`: all of
    it until `refund_days` before the start, `late_refund_percent` of it after."""
    held = registration.amount_paid - registration.amount_refunded
    if held <= 0:
        return Decimal("0.00")
    app = registration.event.app
    if in_full or at <= registration.event.starts_at - datetime.timedelta(days=app.refund_days):
        return held
    return quantize(held * Decimal(app.late_refund_percent) / HUNDRED)


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: User | None, by_organiser: bool = False, reason: str = ""
) -> Registration:
    """Cancel a registration. The registrant may until the event starts, and is refunded by the
    app's rule; when the organiser cancels, the refund is in full. A freed seat goes to the
    waiting list."""
    if by_organiser and not can_manage_event(actor, registration.event):
        raise MarketplacePermissionDenied(_("Only the event's provider can cancel for someone."))
    event = _lock_event(registration.event)
    registration = _lock_registration(registration)
    registration.event = event
    if registration.status not in Registration.ACTIVE:
        raise MarketplaceConflict(_("This registration is already cancelled."))
    now = timezone.now()
    if not by_organiser and event.starts_at <= now:
        raise MarketplaceConflict(
            _("The event has started; registrations can no longer be cancelled.")
        )
    held_seat = registration.holds_seat
    refund = refund_due(registration, at=now, in_full=by_organiser)
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.offer_expires_at = None
    if registration.payment_status == Registration.Payment.DUE:
        registration.payment_status = Registration.Payment.NOT_REQUIRED
    registration.save(
        update_fields=["status", "cancelled_at", "offer_expires_at", "payment_status"]
    )
    if refund > 0:
        _refund(registration, refund, memo=reason or "Cancelled")
    audit_record(
        actor=actor,
        action="marketplace.registration.cancel",
        target=registration,
        data={"by_organiser": by_organiser, "refund": str(refund)},
    )
    lines: list[Text] = [gettext_lazy("Your registration is cancelled.")]
    if reason:
        lines.append(lazy_interpolate(gettext_lazy("Reason: %(reason)s"), reason=reason))
    if refund > 0:
        lines.append(
            lazy_interpolate(
                gettext_lazy("You will be refunded %(amount)s %(currency)s."),
                amount=refund,
                currency=registration.currency,
            )
        )
    notify.tell_registrant(
        registration,
        subject=lazy_interpolate(gettext_lazy("Cancelled: %(event)s"), event=event.title),
        lines=lines,
    )
    if held_seat:
        fill_free_seats(event)
    return registration


def _refund(registration: Registration, amount: Decimal, *, memo: str) -> None:
    share = share_of_payment(registration=registration)
    if share is None:  # paid before any ledger entry existed: cannot happen through services
        share = effective_share(registration.event.app)
    reference = payment_provider(registration.payment_provider).refund(registration, amount)
    ledger_record(
        kind=LedgerEntry.Kind.REFUND,
        amount=-amount,
        currency=registration.currency,
        share_percent=share,
        event=registration.event,
        registration=registration,
        memo=f"{memo} ({reference})" if reference else memo,
    )
    registration.amount_refunded += amount
    registration.payment_status = (
        Registration.Payment.REFUNDED
        if registration.amount_refunded == registration.amount_paid
        else Registration.Payment.PARTIALLY_REFUNDED
    )
    registration.save(update_fields=["amount_refunded", "payment_status"])


@transaction.atomic
def registration_mark_paid(
    *, registration: Registration, actor: User, reference: str = ""
) -> Registration:
    """The provider records an offline payment (at the door, or an invoice paid). The fee goes
    into the ledger, split between provider and organisation."""
    if not can_manage_event(actor, registration.event):
        raise MarketplacePermissionDenied(_("Only the event's provider marks payments."))
    registration = _lock_registration(registration)
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED:
        raise MarketplaceConflict(_("Only a confirmed registration can be paid."))
    if registration.payment_status != Registration.Payment.DUE:
        raise MarketplaceConflict(
            _("Nothing is due on this registration (%(payment_status)s).")
            % {"payment_status": registration.get_payment_status_display()}
        )
    registration.payment_status = Registration.Payment.PAID
    registration.amount_paid = registration.amount
    registration.paid_at = timezone.now()
    registration.payment_reference = (reference or "").strip()[:120]
    registration.save(
        update_fields=["payment_status", "amount_paid", "paid_at", "payment_reference"]
    )
    ledger_record(
        kind=LedgerEntry.Kind.FEE,
        amount=registration.amount,
        currency=registration.currency,
        share_percent=effective_share(event.app),
        event=event,
        registration=registration,
        memo=f"Fee: {registration.name}",
    )
    audit_record(
        actor=actor,
        action="marketplace.registration.paid",
        target=registration,
        data={"amount": str(registration.amount), "currency": registration.currency},
    )
    return registration


@transaction.atomic
def registration_check_in(
    *, registration: Registration, actor: User, undo: bool = False
) -> Registration:
    if not can_manage_event(actor, registration.event):
        raise MarketplacePermissionDenied(_("Only the event's provider checks people in."))
    registration = _lock_registration(registration)
    if registration.status != Registration.Status.CONFIRMED:
        raise MarketplaceConflict(_("Only confirmed attendees can be checked in."))
    registration.checked_in_at = None if undo else (registration.checked_in_at or timezone.now())
    registration.save(update_fields=["checked_in_at"])
    audit_record(
        actor=actor,
        action="marketplace.registration.check_in_undo"
        if undo
        else "marketplace.registration.check_in",
        target=registration,
    )
    return registration


def registrations_expire_offers() -> int:
    """Expire seat offers past their deadline and offer the seats to the next in line. One
    transaction per event, so one slow event does not hold the others."""
    now = timezone.now()
    event_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    expired = 0
    for event_id in list(event_ids):
        expired += _expire_offers_of(event_id)
    return expired


@transaction.atomic
def _expire_offers_of(event_id: int) -> int:
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("app", "metro")
        .get(pk=event_id)
    )
    lapsed = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(
            event=event, status=Registration.Status.OFFERED, offer_expires_at__lte=timezone.now()
        )
        .select_related("user")
    )
    for registration in lapsed:
        registration.status = Registration.Status.EXPIRED
        registration.save(update_fields=["status"])
        registration.event = event
        audit_record(actor=None, action="marketplace.registration.expire", target=registration)
        notify.tell_registrant(
            registration,
            subject=lazy_interpolate(
                gettext_lazy("Seat offer expired: %(event)s"), event=event.title
            ),
            lines=[
                gettext_lazy(
                    "The seat we offered you was not confirmed in time and went to the next "
                    "person waiting."
                )
            ],
        )
    fill_free_seats(event)
    return len(lapsed)
