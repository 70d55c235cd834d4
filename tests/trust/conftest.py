import pytest
from django.db import connection

from tenants.models import Organization

from .harness import RoleClients
from .reporting import pytest_sessionfinish, pytest_terminal_summary  # noqa: F401  (hooks)
from .world import build_world, destroy_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """The organisation with every role and object (see world.py), built once for this folder
    and dropped when its last test has run, so the rest of the suite never sees it. The
    modules that use it are one xdist group (world.WORLD_GROUP): one worker, in a row."""
    with django_db_blocker.unblock():
        beta = Organization.objects.get(slug="beta")
        built = build_world(other_organization=beta)
    yield built
    with django_db_blocker.unblock():
        destroy_world(built, other_organization=beta)
        connection.set_schema_to_public()


@pytest.fixture
def role_clients(world, db, org_b) -> RoleClients:
    return RoleClients(world, org_b)
