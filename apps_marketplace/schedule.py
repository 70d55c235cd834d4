"""Periodic work of this app, merged into the beat schedule by config/celery.py."""

BEAT_SCHEDULE: dict = {
    "marketplace-expire-seat-offers": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 300.0,
        "args": ("apps_marketplace.tasks.expire_seat_offers", 60),
    },
    "marketplace-complete-finished-events": {
        "task": "tenants.tasks.dispatch_to_organizations",
        "schedule": 3600.0,
        "args": ("apps_marketplace.tasks.complete_finished_events",),
    },
}
