"""A Redis cache that keeps working while Redis does not answer.

While Redis is unreachable, each process falls back to its own memory (a LocMemCache using the
same tenant-aware key function, so one organisation still never reads another's entries). Rate
limits — allauth's sign-in throttling, the sign-up and guest-registration limits, DRF's throttles
— keep counting, per process, so sign-in works and brute force is still held back (with N
processes, at most N times the configured attempts). After a failure Redis is left alone for
`retry_after` seconds, so requests do not each wait on it; then the next call tries it again.
Once Redis answers, the process's fallback memory is emptied: nothing written during the outage
is served later, and counters carry on from what Redis holds.

Keys that mean "has this happened anywhere" cannot be answered from one process's memory: a
used TOTP code or one-time sign-in link, the health probe of Redis itself. For those
(`REDIS_ONLY_PREFIXES`) Redis is always asked and, when it does not answer, reads miss, writes
are dropped and `add` fails closed (answers False).
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

REDIS_ONLY_PREFIXES = (
    "welcome-used:",  # core.welcome: a one-time sign-in link
    "allauth.mfa.totp.used",  # allauth: a TOTP code is accepted once
    "jwt:",  # allauth.socialaccount: an ID token is accepted once
    "health:",  # core.health: does Redis itself answer?
)
# Entries the fallback memory holds at most (per process), so an outage cannot exhaust memory.
FALLBACK_MAX_ENTRIES = 10_000


class _ProcessMemory(LocMemCache):
    def validate_key(self, key):
        """Redis takes any key; memcached's key rules would only add noise here."""


class _Breaker:
    """Per process and Redis location: is Redis down, and when to try it again."""

    def __init__(self) -> None:
        self.down = False
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def allows_attempt(self) -> bool:
        return not self.down or time.monotonic() >= self.retry_at

    def failed(self, operation: str, error: Exception, retry_after: float) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + retry_after
            if not self.down:
                self.down = True
                logger.warning(
                    "Redis cache unreachable during %s (%s): this process uses its own memory "
                    "until Redis answers again",
                    operation,
                    error,
                )

    def succeeded(self, fallback: LocMemCache) -> None:
        if not self.down:
            return
        with self.lock:
            if self.down:
                self.down = False
                fallback.clear()
                logger.warning("Redis cache answers again; this process's fallback is emptied")


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


class _ReusedClients(RedisCacheClient):
    """Django's Redis client, building one redis.Redis per connection pool and reusing it.
    Django builds one for every cache operation, which costs about 0.1 ms (more than the
    round trip to Redis); a redis.Redis over a pool is safe to share between threads."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    retry_after = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
        location = server if isinstance(server, str) else ",".join(server)
        # Django makes a cache object per thread; the breaker and the memory are per process.
        self._breaker = _breaker_for(location)
        self._fallback = _ProcessMemory(
            f"core.cache.fallback:{location}",
            {
                **params,
                "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES, "CULL_FREQUENCY": 3},
            },
        )

    @property
    def redis_down(self) -> bool:
        """Whether this process is serving from its fallback memory."""
        return self._breaker.down

    def _run(self, operation, keys, on_redis, on_fallback, closed):
        redis_only = any(str(key).startswith(REDIS_ONLY_PREFIXES) for key in keys)
        if redis_only or self._breaker.allows_attempt():
            try:
                result = on_redis()
            except redis.RedisError as error:
                self._breaker.failed(operation, error, self.retry_after)
            else:
                self._breaker.succeeded(self._fallback)
                return result
        if redis_only:
            return closed
        return on_fallback()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            "add",
            [key],
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self._fallback.add(key, value, timeout, version),
            closed=False,
        )

    def get(self, key, default=None, version=None):
        return self._run(
            "get",
            [key],
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self._fallback.get(key, default, version),
            closed=default,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            "set",
            [key],
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self._fallback.set(key, value, timeout, version),
            closed=None,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            "touch",
            [key],
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self._fallback.touch(key, timeout, version),
            closed=False,
        )

    def delete(self, key, version=None):
        return self._run(
            "delete",
            [key],
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self._fallback.delete(key, version),
            closed=False,
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._run(
            "get_many",
            keys,
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._fallback.get_many(keys, version),
            closed={},
        )

    def has_key(self, key, version=None):
        return self._run(
            "has_key",
            [key],
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self._fallback.has_key(key, version),
            closed=False,
        )

    def incr(self, key, delta=1, version=None):
        # A missing key raises ValueError from either store, as Django's caches do.
        return self._run(
            "incr",
            [key],
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self._fallback.incr(key, delta, version),
            closed=delta,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            "set_many",
            list(data),
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self._fallback.set_many(data, timeout, version),
            closed=list(data),
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._run(
            "delete_many",
            keys,
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self._fallback.delete_many(keys, version),
            closed=None,
        )

    def clear(self):
        """Always asks Redis (an explicit clear also tells whether it is back)."""
        self._fallback.clear()
        try:
            result = super().clear()
        except redis.RedisError as error:
            self._breaker.failed("clear", error, self.retry_after)
            return False
        self._breaker.succeeded(self._fallback)
        return result
