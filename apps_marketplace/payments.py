"""How attendees pay. A payment provider turns a registration that owes money into a way to pay,
and gives money back on a refund. The ledger and the registration's payment status are kept by
the registration services, whatever the provider; a provider only moves the money.

Only the "offline" provider exists: the attendee pays at the door or on an invoice, and the
event's provider marks the registration paid. A card provider plugs in by implementing
`PaymentProvider` and adding itself to `PAYMENT_PROVIDERS` (see docs/marketplace.md, "Payments",
for why Stripe Checkout is not included yet)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from .models import Registration


@dataclass(frozen=True)
class PaymentStart:
    """What the attendee is told (and, for a card provider, where they are sent) to pay."""

    instructions: str
    redirect_url: str | None = None


class PaymentProvider(Protocol):
    key: str
    label: str
    # Whether the event's provider marks registrations paid by hand (offline) or the payment
    # provider confirms them itself (a card provider's webhook).
    marked_paid_by_organiser: bool

    def begin(self, registration: Registration) -> PaymentStart: ...

    def refund(self, registration: Registration, amount: Decimal) -> str:
        """Give `amount` back; return a reference for the registration's record."""
        ...


class OfflinePaymentProvider:
    key = "offline"
    label = _("Invoice or pay at the door")
    marked_paid_by_organiser = True

    def begin(self, registration: Registration) -> PaymentStart:
        return PaymentStart(
            instructions=str(
                _(
                    "Pay %(amount)s %(currency)s at the door or on the invoice the organiser "
                    "sends you; they will mark your registration paid."
                )
                % {"amount": registration.amount, "currency": registration.currency}
            )
        )

    def refund(self, registration: Registration, amount: Decimal) -> str:
        # The organiser pays the money back by hand; the ledger records that it is owed.
        return "offline-refund"


PAYMENT_PROVIDERS: dict[str, PaymentProvider] = {"offline": OfflinePaymentProvider()}
DEFAULT_PAYMENT_PROVIDER = "offline"


def payment_provider(key: str | None = None) -> PaymentProvider:
    return PAYMENT_PROVIDERS[key or DEFAULT_PAYMENT_PROVIDER]
