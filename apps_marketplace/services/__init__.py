"""Writes of the marketplace, one module per part; import them from here."""

from .apps import (
    app_approve,
    app_create,
    app_reject,
    app_update,
    app_withdraw,
    marketplace_settings_update,
    package_create,
    package_set_active,
    provider_grant,
    provider_revoke,
)
from .events import (
    event_cancel,
    event_complete,
    event_create,
    event_publish,
    event_update,
    events_complete_finished,
    local_to_utc,
)
from .ledger import effective_share, ledger_record
from .registrations import (
    fill_free_seats,
    refund_due,
    registration_cancel,
    registration_check_in,
    registration_confirm_offer,
    registration_create,
    registration_mark_paid,
    registrations_expire_offers,
)
from .sponsorships import sponsorship_create, sponsorship_set_status

__all__ = [
    "app_approve",
    "app_create",
    "app_reject",
    "app_update",
    "app_withdraw",
    "effective_share",
    "event_cancel",
    "event_complete",
    "event_create",
    "event_publish",
    "event_update",
    "events_complete_finished",
    "fill_free_seats",
    "ledger_record",
    "local_to_utc",
    "marketplace_settings_update",
    "package_create",
    "package_set_active",
    "provider_grant",
    "provider_revoke",
    "refund_due",
    "registration_cancel",
    "registration_check_in",
    "registration_confirm_offer",
    "registration_create",
    "registration_mark_paid",
    "registrations_expire_offers",
    "sponsorship_create",
    "sponsorship_set_status",
]
