"""GET /health/ on every host: is this instance able to serve and to queue work?"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import heartbeat


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    value = str(time.time())
    cache.set("health:probe", value, 10)
    if cache.get("health:probe") != value:
        raise RuntimeError("cache did not return what was stored")


@never_cache
@require_GET
def health(request):
    database = _check(_database)
    broker = _check(heartbeat.broker_ping)
    age = heartbeat.last_seen_age()
    worker_ok = age is not None and age <= settings.WORKER_HEARTBEAT_MAX_AGE
    body = {
        "status": "ok" if database == "ok" and broker == "ok" else "error",
        "database": database,
        "cache": _check(_cache),
        "broker": broker,
        "worker": "ok" if worker_ok else ("stale" if age is not None else "none"),
        "worker_last_seen_seconds": None if age is None else round(age, 1),
        "schema": connection.schema_name,
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
