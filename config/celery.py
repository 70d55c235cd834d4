"""The Celery app: tenant-aware, so a task sent inside an organisation's schema runs in it."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("commons")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
