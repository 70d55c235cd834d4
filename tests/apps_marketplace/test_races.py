"""Races between real database connections: many people take the last seats, or the last
sponsorship slot, at the same moment. Each thread has its own connection and runs in a fresh
organisation that the test creates and drops (the session's organisations live in a rolled-back
transaction, which other connections cannot see)."""

from decimal import Decimal
from functools import partial

import pytest
from django_tenants.utils import schema_context

from apps_marketplace import services
from apps_marketplace.errors import MarketplaceConflict
from apps_marketplace.models import Registration, Sponsorship
from tests import races

from .factories import AppFactory, EventFactory, PackageFactory, provider_user

THREADS = 12
run_together = partial(races.run_together, count=THREADS)


@pytest.mark.slow
def test_never_more_confirmed_than_capacity(race_organization, django_db_blocker):
    schema = race_organization.schema_name
    with django_db_blocker.unblock():
        with schema_context(schema):
            event = EventFactory(app=AppFactory(provider=provider_user()), capacity=5)

        results, errors = run_together(
            schema,
            lambda n: (
                services.registration_create(
                    event=event, name=f"Racer {n}", email=f"racer{n}@example.org"
                ).status
            ),
        )

        assert errors == []
        assert sorted(results).count("confirmed") == 5
        assert sorted(results).count("waitlisted") == THREADS - 5
        with schema_context(schema):
            held = Registration.objects.filter(event=event, status__in=Registration.HOLDING_SEAT)
            assert held.count() == 5


@pytest.mark.slow
def test_one_email_registers_once_under_concurrent_submissions(
    race_organization, django_db_blocker
):
    schema = race_organization.schema_name
    with django_db_blocker.unblock():
        with schema_context(schema):
            event = EventFactory(app=AppFactory(provider=provider_user()), capacity=50)

        results, errors = run_together(
            schema,
            lambda n: (
                services.registration_create(
                    event=event, name="Double Clicker", email="double@example.org"
                ).pk
            ),
            count=6,
        )

        assert len(results) == 1
        assert len(errors) == 5 and all(isinstance(e, MarketplaceConflict) for e in errors)
        with schema_context(schema):
            assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.slow
def test_sponsorship_slots_are_never_oversold(race_organization, django_db_blocker):
    schema = race_organization.schema_name
    with django_db_blocker.unblock():
        with schema_context(schema):
            provider = provider_user()
            app = AppFactory(provider=provider)
            event = EventFactory(app=app)
            package = PackageFactory(app=app, slots=2, price=Decimal("100.00"))

        results, errors = run_together(
            schema,
            lambda n: (
                services.sponsorship_create(
                    event=event,
                    package=package,
                    actor=provider,
                    company=f"Company {n}",
                    contact_name="C",
                    contact_email=f"c{n}@example.org",
                ).pk
            ),
            count=8,
        )

        assert len(results) == 2
        assert len(errors) == 6 and all(isinstance(e, MarketplaceConflict) for e in errors)
        with schema_context(schema):
            assert Sponsorship.objects.filter(event=event).count() == 2
