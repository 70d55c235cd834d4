"""When Redis is down, pages still serve and work that should be queued is not lost."""

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context, tenant_context
from kombu.exceptions import OperationalError

from config.celery import app
from core.models import OutboxTask
from core.tasks import outbox_flush, send_email


@pytest.fixture
def redis_down(monkeypatch):
    """Every Redis command fails as it does when the server is gone."""

    def refuse(*args, **kwargs):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1. Connection refused.")

    monkeypatch.setattr(redis.Redis, "execute_command", refuse)
    monkeypatch.setattr(redis.Redis, "pipeline", refuse)


def test_pages_serve_while_the_cache_is_down(logged_in_a, redis_down):
    assert cache.get("anything", "fallback") == "fallback"
    assert cache.add("marker", 1) is True  # counted in this process's own memory
    assert cache.add("marker", 1) is False
    assert cache.add("welcome-used:abc", 1) is False  # one-time markers fail closed
    assert logged_in_a.get("/").status_code == 200
    assert logged_in_a.get("/accounts/login/").status_code in (200, 302)


def test_health_says_503_while_redis_is_down(client_a, redis_down):
    response = client_a.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_tasks_sent_while_the_broker_is_down_wait_in_the_outbox(org_a, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def broker_gone(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(type(app), "send_task", broker_gone)
    with tenant_context(org_a):
        result = send_email.delay(subject="Hi", body="Body", to=["x@example.org"])
    assert result is None
    connection.set_schema_to_public()
    (waiting,) = OutboxTask.objects.all()
    assert (waiting.schema_name, waiting.task_name) == ("alpha", "core.tasks.send_email")
    assert waiting.kwargs["to"] == ["x@example.org"]

    sent = []

    def broker_back(self, name, args=None, kwargs=None, **options):
        sent.append((name, connection.schema_name, kwargs))

    monkeypatch.setattr(type(app), "send_task", broker_back)
    assert outbox_flush() == 1
    assert sent == [("core.tasks.send_email", "alpha", waiting.kwargs)]
    with schema_context("public"):
        assert not OutboxTask.objects.exists()
    assert outbox_flush() == 0  # a second flush sends nothing twice
