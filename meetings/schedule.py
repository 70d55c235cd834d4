"""Periodic work of this app, merged into the beat schedule by config/celery.py. Both entries go
through the dispatcher, which runs the task in every active organisation."""

BEAT_SCHEDULE: dict = {
    "meetings-generate": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 6 * 3600.0,
        "args": ("meetings.tasks.generate_meetings",),
    },
    "meetings-reminders": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 15 * 60.0,
        "args": ("meetings.tasks.send_reminders",),
    },
}
