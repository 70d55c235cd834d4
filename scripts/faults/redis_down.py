"""Drill: Redis down — pages still serve, and work that should be queued is not lost.

Redis (the cache and the Celery broker) is stopped under a running app. Pages still answer
(core.cache degrades to misses; sessions live in PostgreSQL), and a signed-in member still
registers for an event: the confirmation email's task cannot reach the broker, so
core.tasks.ResilientTask keeps it in the outbox table (core.models.OutboxTask). Redis comes
back, core.tasks.outbox_flush hands the task to the broker, and a worker sends the email —
exactly once.

Noted, not failed: allauth's rate limits (sign-in, password reset, sign-up) count in the
cache, and core.cache makes `add` fail closed, so while Redis is down those forms answer 429.
The drill prints what they answered.

    .venv/bin/python scripts/faults/redis_down.py
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

from common import (
    ADMIN,
    DRILL_SLUG,
    celery_worker,
    check,
    django_shell,
    environment,
    log,
    postgres_up,
    prepared_database,
    redis_down,
    redis_up,
    request,
    survived,
    wait_until,
    web_server,
)

MEMBER = "registrant@fault-drill.test"
SCHEMA = DRILL_SLUG.replace("-", "_")


def outbox(env) -> list[str]:
    output = django_shell(
        env,
        "from core.models import OutboxTask;"
        "[print(t.schema_name, t.task_name, ','.join(t.kwargs.get('to', [])))"
        " for t in OutboxTask.objects.all()]",
    )
    return [line for line in output.splitlines() if line.strip()]


def form_post(path: str, form_page: str, fields: dict, cookie: str = "") -> int:
    """POST a form the way a browser does: the CSRF cookie and token of `form_page` first."""
    status, headers, page = request("GET", form_page, headers={"Cookie": cookie})
    check(status == 200, f"{form_page} answered {status}")
    csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(csrf and token, f"no CSRF token on {form_page}")
    cookies = "; ".join(part for part in (cookie, f"csrftoken={csrf.group(1)}") if part)
    return request(
        "POST",
        path,
        body=urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies},
    )[0]


PREPARE = f"""
import datetime as dt
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_tenants.utils import schema_context
from apps_marketplace.models import App, Event, Registration
from core.models import OutboxTask, Role
from core.services import role_grant
from network.models import Country, Metro, Region
OutboxTask.objects.all().delete()
with schema_context("{SCHEMA}"):
    User = get_user_model()
    member = User.objects.filter(email="{MEMBER}").first() or User.objects.create_user(
        email="{MEMBER}", password="x-Long-enough-1", name="Reg Istrant")
    provider = User.objects.get(email="{ADMIN[0]}")
    role_grant(user=provider, role=Role.PROVIDER)
    country, _ = Country.objects.get_or_create(code="FR", defaults={{"name": "France"}})
    region, _ = Region.objects.get_or_create(country=country, name="Rhône")
    metro, _ = Metro.objects.get_or_create(region=region, name="Lyon",
                                           defaults={{"time_zone": "Europe/Paris"}})
    app, _ = App.objects.get_or_create(provider=provider, name="Drill Night", defaults=dict(
        category="networking", description="Drill.", default_price=Decimal("0"),
        currency="EUR", status="approved"))
    start = timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(app=app, metro=metro, title="Drill evening", venue="Hall",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=50,
        price=Decimal("0"), currency="EUR", status="published")
    session = SessionStore()
    session["_auth_user_id"] = str(member.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = member.get_session_auth_hash()
    session.create()
    print(event.pk, session.session_key)
"""


def main() -> int:
    postgres_up()
    redis_up()
    env = environment()
    prepared_database(env)
    event_id, session_key = django_shell(env, PREPARE).split()[-2:]
    session = f"sessionid={session_key}"
    web = web_server(env)
    worker = None
    try:
        check(request("GET", "/")[0] == 200, "the home page fails before the fault")
        log("stopping Redis (cache and broker)")
        redis_down()

        pages = {path: request("GET", path)[0] for path in ("/", "/accounts/login/")}
        check(all(status == 200 for status in pages.values()), f"pages failed: {pages}")
        health = request("GET", "/health/")
        check(health[0] == 503 and '"broker": "error' in health[2], f"health: {health[:1]}")
        event_page = f"/marketplace/events/{event_id}/"
        status = form_post(f"{event_page}register/", event_page, {}, cookie=session)
        check(status == 302, f"registering for the event answered {status} with Redis down")
        waiting = outbox(env)
        check(
            waiting == [f"{SCHEMA} core.tasks.send_email {MEMBER}"],
            f"the outbox should hold the confirmation email task: {waiting}",
        )
        reset = form_post(
            "/accounts/password/reset/", "/accounts/password/reset/", {"email": MEMBER}
        )
        log(f"noted: the password reset answered {reset} while Redis is down (allauth rate limit)")
        log(f"pages served {pages}, the registration email waits in the outbox")

        log("starting Redis again")
        redis_up()
        flushed = django_shell(env, "from core.tasks import outbox_flush; print(outbox_flush())")
        check(flushed.strip() == "1", f"outbox_flush sent {flushed.strip()} task(s)")
        check(outbox(env) == [], "the outbox is not empty after the flush")
        again = django_shell(env, "from core.tasks import outbox_flush; print(outbox_flush())")
        check(again.strip() == "0", "a second flush sent something again")

        worker = celery_worker(env, "redis-drill-worker")
        wait_until(
            lambda: f"To: {MEMBER}" in worker.output(),
            seconds=60,
            message="the worker did not send the reset email",
        )
        time.sleep(3)  # anything sent twice would show by now
        sent = worker.output().count(f"To: {MEMBER}")
        check(sent == 1, f"the reset email was sent {sent} times")
        survived(
            "Redis down: pages answered 200, a member registered for an event, its "
            "confirmation email waited in the outbox and was sent exactly once after Redis "
            "came back"
        )
        return 0
    finally:
        if worker is not None:
            worker.stop()
        web.stop()
        redis_up()


if __name__ == "__main__":
    raise SystemExit(main())
