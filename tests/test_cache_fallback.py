"""While Redis is unreachable the cache falls back to each process's own memory: rate limits keep
counting, sign-in works and is still throttled, organisations stay apart, one-time markers fail
closed, and once Redis answers again nothing written during the outage is served."""

import socket
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django_tenants.utils import tenant_context

from core.cache import FALLBACK_MAX_ENTRIES, ResilientRedisCache
from core.welcome import welcome_token_make, welcome_token_use
from tests.factories import PASSWORD, UserFactory

TENANT_KEYS = {
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}


def _closed_port_location() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens there any more


def _cache_at(location: str, **params) -> ResilientRedisCache:
    instance = ResilientRedisCache(
        location,
        {**TENANT_KEYS, "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}, **params},
    )
    instance._fallback.clear()  # a port can come round again in a later test
    return instance


@pytest.fixture
def unreachable() -> ResilientRedisCache:
    return _cache_at(_closed_port_location())


@pytest.fixture
def redis_unreachable(settings):
    """The site's own cache points at a port where no Redis listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": _closed_port_location(),
            **TENANT_KEYS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    cache.clear()  # empties this location's fallback memory
    assert cache.redis_down


def test_counters_keep_counting_in_the_fallback(unreachable):
    assert unreachable.add("attempts", 0, 3600) is True
    assert [unreachable.incr("attempts") for _ in range(3)] == [1, 2, 3]
    assert unreachable.get("attempts") == 3
    assert unreachable.add("attempts", 0, 3600) is False
    assert unreachable.redis_down


def test_reads_and_writes_work_from_the_fallback(unreachable):
    assert unreachable.get("missing", "default") == "default"
    unreachable.set("one", 1)
    unreachable.set_many({"two": 2, "three": 3})
    assert unreachable.get_many(["one", "two", "three", "four"]) == {"one": 1, "two": 2, "three": 3}
    assert unreachable.has_key("two")
    assert unreachable.touch("two", 60) is True
    assert unreachable.delete("one") is True
    assert unreachable.get("one") is None
    unreachable.delete_many(["two", "three"])
    assert unreachable.get_many(["two", "three"]) == {}
    with pytest.raises(ValueError):
        unreachable.incr("never-set")  # as Django's caches do for a missing key
    assert unreachable._fallback._max_entries == FALLBACK_MAX_ENTRIES


def test_one_time_markers_fail_closed(unreachable):
    """A process's memory cannot tell whether a one-time code was used elsewhere."""
    assert unreachable.add("welcome-used:abc", 1) is False
    assert unreachable.add("allauth.mfa.totp.used?user=1&code=123456", "y") is False
    unreachable.set("health:probe", "x")
    assert unreachable.get("health:probe") is None


def test_a_welcome_link_is_refused_while_redis_is_down(redis_unreachable):
    token = welcome_token_make(user_pk=1, schema_name="alpha")
    assert welcome_token_use(token=token, schema_name="alpha") is None


def test_redis_is_left_alone_until_retry_after(unreachable, monkeypatch):
    attempts = []
    execute_command = redis.Redis.execute_command

    def counting(self, *args, **kwargs):
        attempts.append(args[0])
        return execute_command(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    unreachable.retry_after = 0.05
    unreachable.get("a")
    unreachable.set("b", 1)
    unreachable.add("c", 1)
    assert len(attempts) == 1  # one refused connection, then the fallback straight away
    time.sleep(0.1)
    unreachable.get("a")
    assert len(attempts) == 2  # tried again once retry_after had passed
    unreachable.add("welcome-used:x", 1)
    assert len(attempts) == 3  # one-time markers always ask Redis


def test_organisations_stay_apart_in_the_fallback(unreachable, org_a, org_b):
    with tenant_context(org_a):
        unreachable.set("greeting", "alpha's")
    with tenant_context(org_b):
        assert unreachable.get("greeting") is None
        unreachable.set("greeting", "beta's")
    with tenant_context(org_a):
        assert unreachable.get("greeting") == "alpha's"


def test_back_to_redis_when_it_answers_again(monkeypatch):
    """Writes made during the outage are neither read after it nor in the next outage."""
    real = _cache_at(django_settings.CACHES["default"]["LOCATION"], KEY_PREFIX="fallback-test")
    real.retry_after = 0
    real.set("value", "in Redis")

    def refuse(*args, **kwargs):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1. Connection refused.")

    with monkeypatch.context() as outage:
        outage.setattr(redis.Redis, "execute_command", refuse)
        outage.setattr(redis.Redis, "pipeline", refuse)
        assert real.get("value") is None
        real.set("value", "during the outage")
        assert real.get("value") == "during the outage"
        assert real.redis_down

    assert real.get("value") == "in Redis"
    assert not real.redis_down

    with monkeypatch.context() as second_outage:
        second_outage.setattr(redis.Redis, "execute_command", refuse)
        assert real.get("value") is None  # not the first outage's write
    real.delete("value")


def test_sign_in_works_while_redis_is_down(client_a, in_a, redis_unreachable):
    user = UserFactory()
    response = client_a.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client_a.get("/account/").status_code == 200


def test_failed_sign_ins_are_still_throttled_while_redis_is_down(client_a, in_a, redis_unreachable):
    user = UserFactory()
    for _ in range(5):
        response = client_a.post("/accounts/login/", {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    blocked = client_a.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in blocked.content.decode()
    assert client_a.get("/account/").status_code == 302  # still signed out
