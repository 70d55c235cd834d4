"""Scale tests build organisations with the scale seed's own generators, at tiny sizes, inside
the test's transaction (rolled back afterwards like any other test data)."""

import pytest
from django.db import connection
from django.test import Client

from core.services import api_token_create
from tenants.scale.build import populate
from tenants.scale.targets import bench_targets, bench_user
from tenants.scale.world import Spec, World

# The small dataset and one five times larger (chapters and members), with twice the history.
SMALL = Spec(slug="small", chapters=10, months=2)
LARGE = Spec(slug="large", chapters=50, months=4)


def seed(organization, spec: Spec, now=None) -> World:
    connection.set_tenant(organization)
    world = World(spec, now=now)
    populate(world, log=lambda message: None)
    return world


def query_counts(organization, host: str) -> dict[str, tuple[int, int]]:
    """{target name: (status, queries of the second request)} for the benchmark member, every
    page drawn (not served from the page cache)."""
    from django.test.utils import override_settings

    connection.set_tenant(organization)
    user = bench_user()
    targets = bench_targets(user)
    _token, key = api_token_create(user=user, name="scale test")
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    with override_settings(PAGE_CACHE=False, KEPT_RESULTS=False):
        counts = _count(client, targets, key)
    connection.set_schema_to_public()
    return counts


def _count(client, targets, key) -> dict[str, tuple[int, int]]:
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for target in targets:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if target.kind == "api" else {}
        client.get(target.path, **extra)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target.path, **extra)
        counts[target.name] = (response.status_code, len(captured))
    return counts


@pytest.fixture
def two_sizes(org_a, org_b):
    """The key pages' query counts with the small dataset (organisation A) and the large one
    (organisation B)."""
    from tests.conftest import host_of

    seed(org_a, SMALL)
    seed(org_b, LARGE)
    return query_counts(org_a, host_of(org_a)), query_counts(org_b, host_of(org_b))
