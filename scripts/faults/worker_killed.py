"""Drill: a Celery worker killed (SIGKILL) in the middle of a per-organisation sweep — a rerun
completes, and nobody gets a message twice.

A sweep is long work for one organisation that writes in steps and sends messages. The drill
starts it on a real worker (`celery worker --pool solo` on the drill's own Redis and
PostgreSQL), kills the worker with SIGKILL once the sweep is part-way, starts a new worker,
sends the sweep again (what its periodic dispatcher or the admin's "run it again" does), and
then checks that the sweep finished, that every recipient got its message, and that nobody got
one twice.

The sweep drilled today is the network's CSV import with invitation emails
(network.tasks.import_entrepreneurs, 4,000 rows: rows matched on email, one invitation per new
account).
Another sweep — meetings' reminders (meetings.tasks.send_reminders, one ReminderSent row per
member, meeting and kind) — plugs in by subclassing `Sweep` and adding it to SWEEPS.

    .venv/bin/python scripts/faults/worker_killed.py
"""

from __future__ import annotations

import re
import time
from collections import Counter

import psycopg2
from common import (
    ADMIN,
    DRILL_SLUG,
    FAULTS,
    PG_PORT,
    celery_worker,
    check,
    django_shell,
    environment,
    log,
    postgres_up,
    prepared_database,
    redis_up,
    survived,
    wait_until,
)

SCHEMA = DRILL_SLUG.replace("-", "_")


def database():
    connection = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname="commons")
    connection.autocommit = True
    return connection


class Sweep:
    """What the drill needs to know about a sweep."""

    name = "sweep"

    def prepare(self, env) -> None:
        """Make its data in the drill organisation."""

    def send(self, env) -> None:
        """Put the sweep's task on the broker, as its dispatcher does."""

    def progress(self) -> tuple[int, int, str]:
        """(steps done, steps in all, status)."""
        raise NotImplementedError

    def expected_recipients(self) -> set[str]:
        raise NotImplementedError

    def messages(self, worker_output: str) -> Counter:
        """Messages per recipient, read from a worker's log (the console email backend)."""
        return Counter(re.findall(r"^To: (\S+)$", worker_output, flags=re.MULTILINE))


class ImportSweep(Sweep):
    name = "network CSV import with invitations"
    rows = 4_000

    def __init__(self) -> None:
        self.job_id: int | None = None

    def emails(self) -> list[str]:
        return [f"drill-import-{n}@fault-drill.test" for n in range(self.rows)]

    def prepare(self, env) -> None:
        lines = ["email,name,company,metro,sector"] + [
            f"{email},Drill Person {n},Company {n},," for n, email in enumerate(self.emails())
        ]
        path = FAULTS / "drill-import.csv"
        path.write_text("\n".join(lines) + "\n")
        output = django_shell(
            env,
            "from django.core.files.uploadedfile import SimpleUploadedFile\n"
            "from django.contrib.auth import get_user_model\n"
            "from django_tenants.utils import schema_context\n"
            "from network.services.imports import import_job_create\n"
            f"with schema_context('{SCHEMA}'):\n"
            "    User = get_user_model()\n"
            "    from network.models import Entrepreneur\n"
            "    Entrepreneur.objects.filter(user__email__startswith='drill-import-').delete()\n"
            "    User.objects.filter(email__startswith='drill-import-').delete()\n"
            f"    admin = User.objects.get(email='{ADMIN[0]}')\n"
            f"    raw = open('{path}', 'rb').read()\n"
            "    upload = SimpleUploadedFile('drill.csv', raw, 'text/csv')\n"
            "    job = import_job_create(actor=admin, upload=upload, send_invitations=True)\n"
            "    print(job.pk)\n",
        )
        self.job_id = int(output.strip().splitlines()[-1])  # import_job_create sent the task

    def send(self, env) -> None:
        django_shell(
            env,
            "from django_tenants.utils import schema_context\n"
            "from network.tasks import import_entrepreneurs\n"
            f"with schema_context('{SCHEMA}'):\n"
            f"    import_entrepreneurs.delay({self.job_id})\n",
        )

    def progress(self) -> tuple[int, int, str]:
        with database() as connection, connection.cursor() as cursor:
            # SCHEMA is this script's constant; the job id is a parameter
            query = f"SELECT processed_rows, status FROM {SCHEMA}.network_importjob WHERE id = %s"  # nosec B608
            cursor.execute(query, [self.job_id])
            processed, status = cursor.fetchone()
        return processed, self.rows, status

    def accounts(self) -> int:
        with database() as connection, connection.cursor() as cursor:
            table = f"{SCHEMA}.core_user"  # SCHEMA is this script's constant
            cursor.execute(f"SELECT count(*) FROM {table} WHERE email LIKE 'drill-import-%%'")  # nosec B608
            return cursor.fetchone()[0]

    def expected_recipients(self) -> set[str]:
        return set(self.emails())


SWEEPS = [ImportSweep]


def drill(sweep: Sweep, env) -> str:
    log(f"sweep: {sweep.name}")
    first = celery_worker(env, "worker-before-kill")
    second = None
    try:
        sweep.prepare(env)
        _done, total, _ = wait_until(
            lambda: (lambda p: p if 0 < p[0] < p[1] else None)(sweep.progress()),
            seconds=120,
            interval=0.05,
            message="the sweep never got part-way (too fast or never started)",
        )
        first.kill()
        at_kill = sweep.progress()
        log(f"worker killed with SIGKILL at {at_kill[0]} of {total} steps ({at_kill[2]})")
        check(at_kill[0] < total, "the sweep had already finished when the worker died")

        second = celery_worker(env, "worker-after-kill")
        sweep.send(env)
        wait_until(
            lambda: sweep.progress()[2] == "done",
            seconds=600,
            message=f"the rerun did not complete: {sweep.progress()}",
        )
        expected = sweep.expected_recipients()
        wait_until(
            lambda: set(sweep.messages(first.output() + second.output())) >= expected,
            seconds=600,
            interval=2,
            message="not every recipient got a message: "
            f"{len(expected - set(sweep.messages(first.output() + second.output())))} missing",
        )
        time.sleep(3)  # duplicates, if any, would arrive by now
        counts = sweep.messages(first.output() + second.output())
        twice = {email: n for email, n in counts.items() if n > 1}
        check(not twice, f"{len(twice)} recipients got a message more than once: {list(twice)[:5]}")
        if isinstance(sweep, ImportSweep):
            accounts = sweep.accounts()
            check(accounts == sweep.rows, f"{accounts} accounts for {sweep.rows} rows")
        return (
            f"worker SIGKILLed at {at_kill[0]}/{total} of the {sweep.name}; the rerun finished, "
            f"{len(counts)} recipients got exactly one message each"
        )
    finally:
        first.stop()
        if second is not None:
            second.stop()


def main() -> int:
    postgres_up()
    redis_up()
    env = environment()
    prepared_database(env)
    for sweep_class in SWEEPS:
        survived(drill(sweep_class(), env))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
