"""Periodic per-organisation work: beat calls the dispatcher once, in public; it fans the named
task out to every active organisation, spread over a window so that many organisations do not
all start in the same second, and the same organisation lands at the same offset every run."""

import logging
import zlib

from celery import current_app, shared_task
from django_tenants.utils import tenant_context

from .selectors import organizations_active

logger = logging.getLogger(__name__)

DISPATCH_WINDOW_SECONDS = 300


def dispatch_offset(schema_name: str, window: int = DISPATCH_WINDOW_SECONDS) -> int:
    return zlib.crc32(schema_name.encode()) % max(window, 1)


@shared_task(name="tenants.tasks.dispatch_to_organizations", ignore_result=True)
def dispatch_to_organizations(task_name: str, window: int = DISPATCH_WINDOW_SECONDS) -> int:
    sent = 0
    for organization in organizations_active().iterator():
        with tenant_context(organization):
            current_app.send_task(
                task_name, countdown=dispatch_offset(organization.schema_name, window)
            )
        sent += 1
    logger.info("dispatched %s to %d organisations", task_name, sent)
    return sent
