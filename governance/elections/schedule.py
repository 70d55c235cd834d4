"""Periodic work of elections, merged into the beat schedule by config/celery.py.

Every minute, each organisation sweeps its elections (spread over 30 seconds): windows open and
close within a minute of their time."""

BEAT_SCHEDULE: dict = {
    "elections-advance": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 60.0,
        "args": ("elections.tasks.advance_elections", 30),
    },
}
