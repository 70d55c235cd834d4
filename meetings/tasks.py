"""Periodic work of meetings, per organisation (sent by tenants.tasks.dispatch_to_organizations)
and the delivery of each reminder. Tasks take primary keys; organisation tasks refuse the public
schema."""

import logging

from django.db import OperationalError, transaction

from core.tasks import organization_task

from . import services

logger = logging.getLogger(__name__)


@organization_task(name="meetings.tasks.generate_meetings", ignore_result=True)
def generate_meetings() -> int:
    made = services.meetings_generate_all()
    logger.info("meetings generated: %d", made)
    return made


@organization_task(name="meetings.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Write the due reminders (idempotent) and queue each undelivered one."""
    pending = services.reminders_queue_due()
    for reminder_id in pending:
        transaction.on_commit(lambda pk=reminder_id: deliver_reminder.delay(pk))
    logger.info("meeting reminders queued: %d", len(pending))
    return len(pending)


@organization_task(
    name="meetings.tasks.deliver_reminder",
    ignore_result=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def deliver_reminder(reminder_id: int) -> bool:
    return services.reminder_deliver(reminder_id=reminder_id)
