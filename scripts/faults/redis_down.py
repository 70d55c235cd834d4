"""Drill: Redis down — pages still serve, and work that should be queued is not lost.

Redis (the cache and the Celery broker) is stopped under a running app. Pages still answer
(core.cache falls back to each process's memory; sessions live in PostgreSQL), and a
signed-in member still registers for an event: the confirmation email's task cannot reach the
broker, so core.tasks.ResilientTask keeps it in the outbox table (core.models.OutboxTask).
Signing in works, and so does the throttling of failed sign-ins (allauth's rate limits count
in the fallback memory, per process); a password reset is accepted and its email waits in the
outbox too. Redis comes back, core.tasks.outbox_flush hands both tasks to the broker, and a
worker sends each email — exactly once.

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
FORGETFUL = "forgetful@fault-drill.test"  # asks for a password reset while Redis is down
SCHEMA = DRILL_SLUG.replace("-", "_")


def outbox(env) -> list[str]:
    output = django_shell(
        env,
        "from core.models import OutboxTask;"
        "[print(t.schema_name, t.task_name, ','.join(t.kwargs.get('to', [])))"
        " for t in OutboxTask.objects.all()]",
    )
    return [line for line in output.splitlines() if line.strip()]


def form_submit(path: str, form_page: str, fields: dict, cookie: str = ""):
    """POST a form the way a browser does: the CSRF cookie and token of `form_page` first.
    Returns (status, headers, text)."""
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
    )


def form_post(path: str, form_page: str, fields: dict, cookie: str = "") -> int:
    return form_submit(path, form_page, fields, cookie)[0]


TOO_MANY = "Too many failed login attempts"


def sign_in(email: str, password: str):
    """(status, session cookie or "", page) of one sign-in through the login form."""
    fields = {"login": email, "password": password}
    status, headers, page = form_submit("/accounts/login/", "/accounts/login/", fields)
    cookies = headers.get_all("Set-Cookie") or []
    session = next((c.split(";")[0] for c in cookies if c.startswith("sessionid=")), "")
    return status, session, page


PREPARE = f"""
import datetime as dt
from decimal import Decimal
from django.conf import settings
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
    User.objects.filter(email="{FORGETFUL}").exists() or User.objects.create_user(
        email="{FORGETFUL}", password="x-Long-enough-2", name="For Getful")
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
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
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

        status, admin_session, _ = sign_in(*ADMIN)
        check(status == 302 and admin_session, f"signing in answered {status} with Redis down")
        account = request("GET", "/account/", headers={"Cookie": admin_session})[0]
        check(account == 200, f"the signed-in account page answered {account}")
        # Two web processes, each counting 5 failures per account: by the 11th wrong password
        # one process has seen 6, so the limit must have shown by then.
        throttled_at = None
        for attempt in range(1, 12):
            status, refused_session, page = sign_in(MEMBER, "wrong-password")
            check(status == 200 and not refused_session, f"a wrong password answered {status}")
            if TOO_MANY in page:
                throttled_at = attempt
                break
        check(throttled_at is not None, "11 wrong passwords in a row were not throttled")
        check(throttled_at > 5, f"throttled after only {throttled_at} wrong passwords")
        log(f"signed in with Redis down; wrong passwords throttled at attempt {throttled_at}")

        reset = form_post(
            "/accounts/password/reset/", "/accounts/password/reset/", {"email": FORGETFUL}
        )
        check(reset == 302, f"the password reset answered {reset} with Redis down")
        waiting = outbox(env)
        check(
            sorted(waiting)
            == sorted(
                [
                    f"{SCHEMA} core.tasks.send_email {MEMBER}",
                    f"{SCHEMA} core.tasks.send_email {FORGETFUL}",
                ]
            ),
            f"the outbox should hold the confirmation and reset emails: {waiting}",
        )
        log(f"pages served {pages}, the registration and reset emails wait in the outbox")

        log("starting Redis again")
        redis_up()
        flushed = django_shell(env, "from core.tasks import outbox_flush; print(outbox_flush())")
        check(flushed.strip() == "2", f"outbox_flush sent {flushed.strip()} task(s)")
        check(outbox(env) == [], "the outbox is not empty after the flush")
        again = django_shell(env, "from core.tasks import outbox_flush; print(outbox_flush())")
        check(again.strip() == "0", "a second flush sent something again")

        worker = celery_worker(env, "redis-drill-worker")
        wait_until(
            lambda: all(f"To: {to}" in worker.output() for to in (MEMBER, FORGETFUL)),
            seconds=60,
            message="the worker did not send the confirmation and reset emails",
        )
        time.sleep(3)  # anything sent twice would show by now
        for to in (MEMBER, FORGETFUL):
            sent = worker.output().count(f"To: {to}")
            check(sent == 1, f"the email to {to} was sent {sent} times")
        survived(
            "Redis down: pages answered 200, sign-in worked and wrong passwords were still "
            "throttled, a member registered for an event; its confirmation email and a password "
            "reset email waited in the outbox and were each sent exactly once after Redis came "
            "back"
        )
        return 0
    finally:
        if worker is not None:
            worker.stop()
        web.stop()
        redis_up()


if __name__ == "__main__":
    raise SystemExit(main())
