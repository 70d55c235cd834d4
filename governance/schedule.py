"""Periodic work of this app, merged into the beat schedule by config/celery.py. Both tasks are
per organisation, so they go through the dispatcher."""

BEAT_SCHEDULE: dict = {
    "governance-density-check": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 6 * 3600.0,
        "args": ("governance.tasks.check_density",),
    },
    "governance-escalation-deadlines": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 3600.0,
        "args": ("governance.tasks.escalation_deadlines",),
    },
}
