"""Celery work of elections: one sweep per organisation, every minute, through the dispatcher
(schedule.py). The sweep is idempotent: each step is a conditional, locked update."""

import logging

from core.tasks import organization_task

logger = logging.getLogger(__name__)


@organization_task(name="elections.tasks.advance_elections", ignore_result=True)
def advance_elections() -> dict:
    """Open nominations, open voting, re-mix ballots, remind electors, close and count."""
    from . import services

    done = services.elections_advance()
    if any(done.values()):
        logger.info("elections advanced: %s", done)
    return done
