"""The Celery app: tenant-aware, so a task sent inside an organisation's schema runs in it.

The beat schedule is static and tenant-aware: each app lists its periodic work in its own
`schedule.py`; per-organisation entries go through the dispatcher, which fans out to every active
organisation (tenants.tasks.dispatch_to_organizations)."""

import importlib
import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

SCHEDULE_MODULES = (
    "core.schedule",
    "network.schedule",
    "chapters.schedule",
    "apps_marketplace.schedule",
    "meetings.schedule",
    "governance.schedule",
    "governance.elections.schedule",
)

app = CeleryApp("commons", task_cls="core.tasks:ResilientTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    schedule: dict = {}
    for module_name in SCHEDULE_MODULES:
        entries = importlib.import_module(module_name).BEAT_SCHEDULE
        clashes = schedule.keys() & entries.keys()
        if clashes:
            raise RuntimeError(f"beat entries defined twice: {sorted(clashes)}")
        schedule.update(entries)
    return schedule


app.conf.beat_schedule = beat_schedule()
