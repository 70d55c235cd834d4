"""Two organisations set up once per test session; each test runs in a transaction that is
rolled back, and starts in the public schema."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tenants.models import Organization
from tenants.services import organization_create, public_tenant_ensure
from tests.trust.reporting import pytest_terminal_summary  # noqa: F401  (URL x role and fuzz counts)

ALPHA = "alpha"
BETA = "beta"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters of an earlier run must not leak into this one
    with django_db_blocker.unblock():
        call_command("migrate_all", verbosity=0)
        public_tenant_ensure(domain="localhost")
        for slug, name in ((ALPHA, "Alpha Network"), (BETA, "Beta Network")):
            if not Organization.objects.filter(slug=slug).exists():
                organization_create(slug=slug, name=name)
        connection.set_schema_to_public()


def pytest_collection_modifyitems(session, config, items):
    """Browser journeys last: Playwright keeps an event loop in the main thread while its browser
    is open, and Django refuses synchronous database calls from a thread with a running loop."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            # one worker runs them all (one server, one browser) with `--dist loadgroup`
            item.add_marker(pytest.mark.xdist_group(name="browser"))
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath).replace("\\", "/"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: allauth's rate-limit counters (failed sign-ins per
    account) must not carry over from one test to the next. Each worker has its own Redis db."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def race_organization(django_db_setup, django_db_blocker):
    """An organisation committed for real, for races between connections (tests/races.py);
    dropped afterwards."""
    import uuid

    from tenants.services import organization_delete

    with django_db_blocker.unblock():
        organization = organization_create(slug=f"race-{uuid.uuid4().hex[:8]}", name="Race")
        try:
            yield organization
        finally:
            connection.set_schema_to_public()
            organization_delete(organization=organization)


@pytest.fixture
def pages_drawn(settings):
    """Every page drawn, none served from the page cache and nothing from kept results
    (core.pagecache): for query counts of what drawing a page costs."""
    settings.PAGE_CACHE = False
    settings.KEPT_RESULTS = False


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    connection.set_schema_to_public()


@pytest.fixture
def org_a(db) -> Organization:
    return Organization.objects.get(slug=ALPHA)


@pytest.fixture
def org_b(db) -> Organization:
    return Organization.objects.get(slug=BETA)


@pytest.fixture
def in_a(org_a):
    """Run the test's own ORM calls inside organisation A."""
    connection.set_tenant(org_a)
    return org_a


def host_of(organization: Organization) -> str:
    return organization.domains.get(is_primary=True).domain


@pytest.fixture
def client_a(org_a) -> Client:
    return Client(HTTP_HOST=host_of(org_a))


@pytest.fixture
def client_b(org_b) -> Client:
    return Client(HTTP_HOST=host_of(org_b))


@pytest.fixture
def public_client(db) -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def member_a(in_a):
    from tests.factories import UserFactory

    return UserFactory(email="member@alpha.test", name="Mia Member")


@pytest.fixture
def logged_in_a(client_a, member_a) -> Client:
    client_a.force_login(member_a)
    return client_a
