import pytest

from core.models import Role
from core.services import role_grant
from network import visibility
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def no_chapter_peers_providers(monkeypatch):
    """Tests of the network start with no chapter-peers provider (the chapters app may register
    one at start-up); a test that needs peers registers its own."""
    monkeypatch.setattr(visibility, "_providers", [])


@pytest.fixture
def admin_a(in_a):
    admin = UserFactory(email="admin@alpha.test", name="Ada Admin")
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    return admin


@pytest.fixture
def admin_client_a(client_a, admin_a):
    client_a.force_login(admin_a)
    return client_a


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
