"""The platform-wide worker heartbeat, kept in Redis outside any organisation's cache keys."""

import time
from functools import lru_cache

import redis
from django.conf import settings

HEARTBEAT_KEY = "commons:worker-heartbeat"


@lru_cache(maxsize=1)
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def beat(hostname: str = "") -> None:
    _client().set(HEARTBEAT_KEY, f"{time.time():.3f} {hostname}", ex=3600)


def last_seen_age() -> float | None:
    """Seconds since a worker last answered, or None if none ever did (or Redis is down)."""
    try:
        value = _client().get(HEARTBEAT_KEY)
    except redis.RedisError:
        return None
    if not value:
        return None
    return max(0.0, time.time() - float(value.split()[0]))


def broker_ping() -> None:
    redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1
    ).ping()
