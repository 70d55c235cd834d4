"""Periodic chapter work, run per organisation through tenants.tasks.dispatch_to_organizations."""

import logging

from core.tasks import organization_task

from .services import chapters_mark_dormant, invitations_expire

logger = logging.getLogger(__name__)


@organization_task(name="chapters.tasks.mark_dormant_chapters", ignore_result=True)
def mark_dormant_chapters() -> int:
    """Forming and active chapters with no meeting for the organisation's window go dormant."""
    changed = chapters_mark_dormant()
    logger.info("chapters: %d chapter(s) went dormant", changed)
    return changed


@organization_task(name="chapters.tasks.expire_invitations", ignore_result=True)
def expire_invitations() -> int:
    expired = invitations_expire()
    logger.info("chapters: %d invitation(s) expired", expired)
    return expired
