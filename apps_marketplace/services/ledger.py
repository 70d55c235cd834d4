"""The revenue ledger: every money movement is one transaction of two entries (provider and
organisation) that sum exactly to the amount moved. Entries are never edited (the database
refuses it); a refund is a new transaction of negative entries."""

import uuid
from decimal import Decimal

from django.db import transaction

from ..models import App, Event, LedgerEntry, MarketplaceSettings, Registration, Sponsorship
from ..money import quantize, split


def effective_share(app: App) -> Decimal:
    """The organisation's share (%) for an app: its own, else the organisation's default."""
    if app.revenue_share is not None:
        return app.revenue_share
    return MarketplaceSettings.load().default_revenue_share


@transaction.atomic
def ledger_record(
    *,
    kind: LedgerEntry.Kind,
    amount: Decimal,
    currency: str,
    share_percent: Decimal,
    event: Event,
    registration: Registration | None = None,
    sponsorship: Sponsorship | None = None,
    memo: str = "",
) -> list[LedgerEntry]:
    """Append one transaction: the provider's part and the organisation's part of `amount`
    (negative for refunds)."""
    amount = quantize(amount)
    parts = split(amount, share_percent)
    common = {
        "transaction": uuid.uuid4().hex,
        "kind": kind,
        "currency": currency,
        "share_percent": share_percent,
        "provider_id": event.app.provider_id,
        "app_id": event.app_id,
        "event": event,
        "metro_id": event.metro_id,
        "registration": registration,
        "sponsorship": sponsorship,
        "memo": memo[:200],
    }
    return LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(party=LedgerEntry.Party.PROVIDER, amount=parts.provider, **common),
            LedgerEntry(party=LedgerEntry.Party.ORGANIZATION, amount=parts.organization, **common),
        ]
    )


def share_of_payment(
    *, registration: Registration | None = None, sponsorship: Sponsorship | None = None
) -> Decimal | None:
    """The share applied when the money came in, so a refund mirrors the original split."""
    entries = LedgerEntry.objects.filter(
        kind__in=(LedgerEntry.Kind.FEE, LedgerEntry.Kind.SPONSORSHIP)
    )
    if registration is not None:
        entries = entries.filter(registration=registration)
    else:
        entries = entries.filter(sponsorship=sponsorship)
    entry = entries.order_by("created").first()
    return entry.share_percent if entry else None
