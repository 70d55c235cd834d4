"""Periodic work of this app, merged into the beat schedule by config/celery.py. Both tasks are
per organisation, so they go through the dispatcher; both are idempotent."""

BEAT_SCHEDULE: dict = {
    "chapters-mark-dormant": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 24 * 3600.0,
        "args": ("chapters.tasks.mark_dormant_chapters",),
    },
    "chapters-expire-invitations": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 3600.0,
        "args": ("chapters.tasks.expire_invitations",),
    },
}
