"""Creating an organisation with many present: the pg_catalog clone organization_create uses
(tenants.schema_clone) against django-tenants' clone (what it used before), each timed
creating one organisation with its admin (then deleted, so that every run measures the same).

    python scripts/bench/orgs.py [--count 200] [--repeat 3] [--slow-repeat 1] [--json]

Background organisations bench-org-001… missing up to --count are made first, with
organization_create, with scripts/bench/steps.py's helpers (as `make bench` uses them) and its
settings (production's, email to memory); DATABASE_URL and REDIS_URL from the environment."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scripts.bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from scripts.bench.steps import background_organizations, create_one_more  # noqa: E402
from tenants.models import Organization  # noqa: E402
from tenants.schema_clone import schema_clone  # noqa: E402


def clone_only() -> float:
    """The schema alone (structure and the template's rows), rolled back."""
    with transaction.atomic():
        started = time.perf_counter()
        schema_clone(source=settings.TENANT_BASE_SCHEMA, target="bench_clone_only")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--slow-repeat", type=int, default=1, help="runs with django-tenants' clone (0: none)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON line only")
    args = parser.parse_args(argv)

    made = background_organizations(args.count)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace")
        (schemas,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_class")
        (relations,) = cursor.fetchone()
    result = {
        "present": Organization.objects.exclude(schema_name="public").count(),
        "schemas": schemas,
        "pg_class_rows": relations,
        "made_now": len(made),
        "made_now_mean": round(statistics.mean(made), 3) if made else None,
        "clone_only": [round(clone_only(), 3) for _ in range(args.repeat)],
        "create_one_more": [round(create_one_more(), 3) for _ in range(args.repeat)],
        "load": [round(x, 2) for x in os.getloadavg()],
    }
    # Before: django-tenants' clone (plpgsql over information_schema, then fake migrations).
    with mock.patch("tenants.models.organization_schema_create", return_value=False):
        result["create_one_more_django_tenants_clone"] = [
            round(create_one_more(), 3) for _ in range(args.slow_repeat)
        ]
    if not args.json:
        print(
            f"{result['present']} organisations present ({relations} pg_class rows); "
            f"background organisations made now: {len(made)}"
            + (f", {result['made_now_mean']} s each" if made else "")
        )
        print(f"pg_catalog clone, schema only: {result['clone_only']} s")
        print(f"organization_create with its admin: {result['create_one_more']} s")
        print(
            "the same with django-tenants' clone: "
            f"{result['create_one_more_django_tenants_clone']} s"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
