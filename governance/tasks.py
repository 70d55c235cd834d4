"""Background work of governance, run per organisation through the dispatcher (see schedule.py)."""

import logging

from core.tasks import organization_task

from .services import density_check, escalations_auto_escalate, escalations_send_reminders

logger = logging.getLogger(__name__)


@organization_task(name="governance.tasks.check_density", ignore_result=True)
def check_density() -> int:
    """Tell the admins about places that crossed their committee threshold (once per crossing)."""
    alerts = density_check()
    if alerts:
        logger.info("density check: %d new crossing(s)", len(alerts))
    return len(alerts)


@organization_task(name="governance.tasks.escalation_deadlines", ignore_result=True)
def escalation_deadlines() -> dict:
    """Remind committees before the deadline, then move up what is still unacknowledged after
    it. Both steps are idempotent: a second run the same minute does nothing."""
    reminded = escalations_send_reminders()
    moved = escalations_auto_escalate()
    if reminded or moved:
        logger.info("escalation deadlines: %d reminded, %d moved up", reminded, moved)
    return {"reminded": reminded, "moved": moved}
