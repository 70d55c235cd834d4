"""Periodic work of core, merged into the beat schedule by config/celery.py.

Per-organisation work is scheduled through the dispatcher (tenants.tasks.dispatch_to_organizations)
with the organisation task's name as its argument; platform work is scheduled directly."""

BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat", "schedule": 20.0},
    "outbox-flush": {"task": "core.tasks.outbox_flush", "schedule": 30.0},
    "purge-expired-sessions": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 6 * 3600.0,
        "args": ("core.tasks.clear_expired_sessions",),
    },
}
