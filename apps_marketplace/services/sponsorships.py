"""Sponsorships: a company takes a slot of a package for one event: pledged → invoiced → paid.
Slots are never oversold (the event row is locked while counting). Paid sponsorships go into the
ledger; a refund is a negative transaction."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.services import audit_record

from ..errors import MarketplaceConflict, MarketplaceError, MarketplacePermissionDenied
from ..models import Event, LedgerEntry, Sponsorship, SponsorshipPackage
from ..selectors import can_manage_event
from .apps import _money
from .ledger import effective_share, ledger_record, share_of_payment

# Allowed moves: from → to.
TRANSITIONS = {
    Sponsorship.Status.PLEDGED: {
        Sponsorship.Status.INVOICED,
        Sponsorship.Status.PAID,
        Sponsorship.Status.CANCELLED,
    },
    Sponsorship.Status.INVOICED: {Sponsorship.Status.PAID, Sponsorship.Status.CANCELLED},
    Sponsorship.Status.PAID: {Sponsorship.Status.REFUNDED},
    Sponsorship.Status.CANCELLED: set(),
    Sponsorship.Status.REFUNDED: set(),
}


@transaction.atomic
def sponsorship_create(
    *,
    event: Event,
    package: SponsorshipPackage,
    actor: User,
    company: str,
    contact_name: str,
    contact_email: str,
    website: str = "",
    amount: Decimal | None = None,
) -> Sponsorship:
    """Record a sponsor's pledge for one event. The price is the package's unless the provider
    negotiated another."""
    if not can_manage_event(actor, event):
        raise MarketplacePermissionDenied(_("Only the event's provider records its sponsors."))
    event = Event.objects.select_for_update(of=("self",)).select_related("app").get(pk=event.pk)
    if package.app_id != event.app_id and package.event_id != event.pk:
        raise MarketplaceError(_("This package is not offered for this event."), field="package")
    if not package.is_active:
        raise MarketplaceConflict(_("This package is no longer offered."), field="package")
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise MarketplaceConflict(_("This event is over; it takes no more sponsors."))
    company = (company or "").strip()
    contact_name = (contact_name or "").strip()
    contact_email = (contact_email or "").strip().lower()
    website = (website or "").strip()
    if not company:
        raise MarketplaceError(_("Name the sponsoring company."), field="company")
    if not contact_name:
        raise MarketplaceError(_("Name a contact person."), field="contact_name")
    try:
        validate_email(contact_email)
    except ValidationError as error:
        raise MarketplaceError(_("Enter a valid email address."), field="contact_email") from error
    if website:
        try:
            URLValidator()(website)
        except ValidationError as error:
            raise MarketplaceError(_("Enter a valid web address."), field="website") from error
    taken = Sponsorship.objects.filter(
        event=event, package=package, status__in=Sponsorship.HOLDING
    ).count()
    if taken >= package.slots:
        raise MarketplaceConflict(
            _("“%(package)s” is sold out for this event (%(slots)s of %(slots)s).")
            % {"package": package.name, "slots": package.slots},
            field="package",
        )
    sponsorship = Sponsorship.objects.create(
        event=event,
        package=package,
        company=company[:150],
        website=website,
        contact_name=contact_name[:150],
        contact_email=contact_email,
        amount=_money(package.price if amount is None else amount, "amount"),
        currency=package.currency,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="marketplace.sponsorship.create",
        target=sponsorship,
        data={"event": event.pk, "package": package.pk, "amount": str(sponsorship.amount)},
    )
    return sponsorship


@transaction.atomic
def sponsorship_set_status(
    *, sponsorship: Sponsorship, actor: User, status: str, invoice_number: str = ""
) -> Sponsorship:
    if not can_manage_event(actor, sponsorship.event):
        raise MarketplacePermissionDenied(_("Only the event's provider manages its sponsors."))
    sponsorship = (
        Sponsorship.objects.select_for_update(of=("self",))
        .select_related("event", "event__app", "package")
        .get(pk=sponsorship.pk)
    )
    if status not in Sponsorship.Status.values:
        raise MarketplaceError(
            _("Unknown status “%(status)s”.") % {"status": status}, field="status"
        )
    if status not in TRANSITIONS[sponsorship.status]:
        raise MarketplaceConflict(
            _("A %(status)s sponsorship cannot become %(label)s.")
            % {
                "status": sponsorship.get_status_display().lower(),
                "label": Sponsorship.Status(status).label.lower(),
            },
            field="status",
        )
    now = timezone.now()
    if status == Sponsorship.Status.INVOICED:
        sponsorship.invoice_number = (invoice_number or "").strip()[
            :40
        ] or f"SP-{sponsorship.pk:05d}"
        sponsorship.invoiced_at = now
    elif status == Sponsorship.Status.PAID:
        sponsorship.paid_at = now
        if invoice_number:
            sponsorship.invoice_number = invoice_number.strip()[:40]
        ledger_record(
            kind=LedgerEntry.Kind.SPONSORSHIP,
            amount=sponsorship.amount,
            currency=sponsorship.currency,
            share_percent=effective_share(sponsorship.event.app),
            event=sponsorship.event,
            sponsorship=sponsorship,
            memo=f"Sponsorship: {sponsorship.company} ({sponsorship.package.name})",
        )
    elif status == Sponsorship.Status.REFUNDED:
        share = share_of_payment(sponsorship=sponsorship)
        ledger_record(
            kind=LedgerEntry.Kind.SPONSORSHIP_REFUND,
            amount=-sponsorship.amount,
            currency=sponsorship.currency,
            share_percent=share if share is not None else effective_share(sponsorship.event.app),
            event=sponsorship.event,
            sponsorship=sponsorship,
            memo=f"Sponsorship refunded: {sponsorship.company}",
        )
    sponsorship.status = status
    sponsorship.save()
    audit_record(actor=actor, action=f"marketplace.sponsorship.{status}", target=sponsorship)
    return sponsorship
