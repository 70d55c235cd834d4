"""Periodic marketplace work, run per organisation through tenants.tasks.dispatch_to_organizations
(apps_marketplace/schedule.py). Both are idempotent: running twice does nothing more."""

import logging

from core.tasks import organization_task

from .services import events_complete_finished, registrations_expire_offers

logger = logging.getLogger(__name__)


@organization_task(name="apps_marketplace.tasks.expire_seat_offers", ignore_result=True)
def expire_seat_offers() -> int:
    """Seat offers not confirmed by their deadline lapse; the seat goes to the next in line."""
    expired = registrations_expire_offers()
    if expired:
        logger.info("expired %d seat offers", expired)
    return expired


@organization_task(name="apps_marketplace.tasks.complete_finished_events", ignore_result=True)
def complete_finished_events() -> int:
    return events_complete_finished()
