"""Tenant-aware Celery: tasks run in the schema they were sent from, organisation tasks refuse
the public schema, and periodic work fans out over active organisations."""

import pytest
from celery import current_app
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from core.tasks import PublicSchemaRefused, clear_expired_sessions
from tenants.services import organization_set_status
from tenants.tasks import DISPATCH_WINDOW_SECONDS, dispatch_to_organizations


def _expired_session(key: str) -> None:
    store = SessionStore(session_key=key)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(days=1)
    )


def test_organisation_task_refuses_the_public_schema(db):
    connection.set_schema_to_public()
    with pytest.raises(PublicSchemaRefused, match="refuses to run in the public schema"):
        clear_expired_sessions.apply_async()


def test_organisation_task_runs_in_the_schema_it_was_sent_from(org_a, org_b):
    with schema_context(org_a.schema_name):
        _expired_session("a" * 32)
    with schema_context(org_b.schema_name):
        _expired_session("b" * 32)

    with tenant_context(org_a):
        clear_expired_sessions.apply_async()

    with schema_context(org_a.schema_name):
        assert Session.objects.count() == 0
    with schema_context(org_b.schema_name):
        assert Session.objects.count() == 1


def test_dispatcher_fans_out_to_active_organisations_only(org_a, org_b, monkeypatch):
    sent = []

    def fake_send_task(name, args=None, kwargs=None, **options):
        from tenant_schemas_celery.task import headers_with_schema

        sent.append(
            (
                name,
                headers_with_schema(options.get("headers"))["_schema_name"],
                options["countdown"],
            )
        )

    monkeypatch.setattr(current_app, "send_task", fake_send_task)
    organization_set_status(organization=org_b, status="suspended")
    assert dispatch_to_organizations("core.tasks.clear_expired_sessions") == 1
    assert [(name, schema) for name, schema, _ in sent] == [
        ("core.tasks.clear_expired_sessions", "alpha")
    ]
    assert 0 <= sent[0][2] < DISPATCH_WINDOW_SECONDS


def test_beat_schedule_is_assembled_from_every_app():
    from config.celery import app, beat_schedule

    app.loader.import_default_modules()  # what a worker does at start: every app's tasks
    schedule = beat_schedule()
    assert schedule["worker-heartbeat"]["task"] == "core.tasks.worker_heartbeat"
    for entry in schedule.values():
        if entry["task"] == "tenants.tasks.dispatch_to_organizations":
            assert entry["args"][0] in app.tasks, entry
        else:
            assert entry["task"] in app.tasks, entry
