"""Build (or reuse) a scale organisation: the generators in layer order, one transaction per
phase, the sequences moved past the seed's ids after each, statistics refreshed at the end,
and a marker (an audit entry holding the parameters, counts and timings) that lets a second
run with the same parameters reuse the organisation."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings
from django_tenants.utils import tenant_context

from core.models import AuditEntry, Role, User
from core.services import role_grant
from tenants.models import Organization
from tenants.selectors import organization_by_slug
from tenants.services import organization_create, organization_delete

from .chapters import seed_chapters
from .elections import seed_election
from .governance import seed_committees, seed_escalations
from .marketplace import seed_marketplace
from .meetings import seed_meetings
from .network import seed_geography, seed_people
from .world import ADMIN_EMAIL, BENCH_EMAIL, BENCH_PASSWORD, Spec, World

MARKER_ACTION = "scale.seed"


class SeedExists(Exception):
    pass


@dataclass
class SeedResult:
    organization: Organization
    reused: bool
    seconds: float
    phases: dict[str, float]
    counts: dict[str, int]

    @property
    def host(self) -> str:
        return self.organization.domains.get(is_primary=True).domain


def seed_marker(organization: Organization) -> AuditEntry | None:
    with tenant_context(organization):
        return AuditEntry.objects.filter(action=MARKER_ACTION).order_by("-created").first()


def build(
    spec: Spec,
    *,
    replace: bool = False,
    rebuild_if_changed: bool = False,
    now: dt.datetime | None = None,
    log: Callable[[str], None] = print,
) -> SeedResult:
    """Build the organisation, or reuse it when it was built with the same parameters (unless
    `replace`). One seeded with other parameters is rebuilt when `rebuild_if_changed`, else
    refused. The same spec and `now` (the instant the history ends; default: the present)
    give the same data."""
    existing = organization_by_slug(spec.slug)
    if existing is not None:
        marker = seed_marker(existing)
        if not replace and marker is not None and marker.data.get("params") == spec.params():
            return SeedResult(
                existing,
                True,
                marker.data["seconds"],
                marker.data["phases"],
                marker.data["counts"],
            )
        if not replace and not (rebuild_if_changed and marker is not None):
            reason = "with other parameters" if marker else "but is not a complete scale seed"
            raise SeedExists(
                f"“{spec.slug}” exists {reason}; pass --replace to delete and rebuild it."
            )
        log(f"deleting the existing organisation {spec.slug}")
        organization_delete(organization=existing)

    started = time.perf_counter()
    organization = organization_create(
        slug=spec.slug,
        name=f"Scale {spec.slug} ({spec.chapters} chapters, {spec.months} months)",
        admin_email=ADMIN_EMAIL,
        admin_password=BENCH_PASSWORD,
        admin_name="Scale Admin",
    )
    phases: dict[str, float] = {"organisation": time.perf_counter() - started}
    eager = current_app.conf.task_always_eager
    try:
        # Services called by the seed (the election's count and certification) notify people:
        # deliver in-process to memory, not to the broker.
        current_app.conf.task_always_eager = True
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            tenant_context(organization),
        ):
            world = World(spec, now=now)
            phases.update(populate(world, log=log))
            phase_started = time.perf_counter()
            analyse_tenant_tables()
            phases["vacuum analyze"] = time.perf_counter() - phase_started
            log(f"  vacuum analyze: {phases['vacuum analyze']:.1f} s")
            seconds = time.perf_counter() - started
            AuditEntry.objects.create(
                action=MARKER_ACTION,
                data={
                    "params": spec.params(),
                    "counts": world.counts,
                    "phases": {k: round(v, 2) for k, v in phases.items()},
                    "seconds": round(seconds, 2),
                    "bench_email": BENCH_EMAIL,
                    "anchor": world.now.isoformat(),
                },
            )
    except BaseException:
        connection.set_schema_to_public()
        organization_delete(organization=organization)
        raise
    finally:
        current_app.conf.task_always_eager = eager
        connection.set_schema_to_public()
    return SeedResult(organization, False, seconds, phases, world.counts)


def populate(world: World, *, log: Callable[[str], None] = print) -> dict[str, float]:
    """Run every generator in the current organisation's schema, in layer order, one
    transaction per phase; returns the seconds each phase took."""
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_user(
            email=ADMIN_EMAIL, password=BENCH_PASSWORD, name="Scale Admin", is_staff=True
        )
        role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    world.admin_user_id = admin.pk
    governance: dict = {}
    steps: list[tuple[str, Callable[[], object]]] = [
        ("geography", lambda: seed_geography(world)),
        ("people", lambda: seed_people(world)),
        ("chapters", lambda: seed_chapters(world)),
        ("meetings", lambda: seed_meetings(world)),
        ("committees", lambda: governance.update(seed_committees(world))),
        ("escalations", lambda: seed_escalations(world, governance)),
        ("election", lambda: seed_election(world)),
        ("marketplace", lambda: seed_marketplace(world)),
    ]
    phases: dict[str, float] = {}
    for name, step in steps:
        started = time.perf_counter()
        with transaction.atomic():
            step()
            world.ids.sync_sequences()
        phases[name] = time.perf_counter() - started
        log(f"  {name}: {phases[name]:.1f} s")
    return phases


def analyse_tenant_tables() -> None:
    """VACUUM ANALYZE every table of the organisation: fresh statistics for the planner and a
    visibility map for index-only scans, as autovacuum would leave them after a while."""
    labels = {c.label for c in apps.get_app_configs() if c.name in settings.TENANT_APPS}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label in labels and model._meta.managed:
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
