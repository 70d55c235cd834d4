import pytest
from django.core import mail

from chapters.models import Chapter, ChapterSettings
from core.models import Role
from core.services import role_grant
from tests.factories import UserFactory

from .factories import ChapterFactory, EntrepreneurFactory, MetroFactory, SectorFactory, join


@pytest.fixture(autouse=True)
def _clean_outbox():
    mail.outbox = []


@pytest.fixture
def rules(in_a) -> ChapterSettings:
    return ChapterSettings.load()


@pytest.fixture
def metro(in_a):
    return MetroFactory(name="Lyon", time_zone="Europe/Paris")


@pytest.fixture
def sectors(in_a) -> dict:
    return {
        name: SectorFactory(name=name) for name in ("Fintech", "Food", "Health", "Media", "Retail")
    }


@pytest.fixture
def person(metro, sectors):
    """person("Fintech", email=...) -> an active entrepreneur of the test metro."""

    def make(sector: str, email: str | None = None, name: str | None = None, **extra):
        user_kwargs = {}
        if email:
            user_kwargs["user__email"] = email
        if name:
            user_kwargs["user__name"] = name
        return EntrepreneurFactory(metro=metro, sector=sectors[sector], **user_kwargs, **extra)

    return make


@pytest.fixture
def admin_a(in_a):
    admin = UserFactory(email="admin@alpha.test", name="Ada Admin")
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    return admin


@pytest.fixture
def chapter(metro, person):
    """An active chapter: Fatou (Food) facilitates, Mia (Fintech) and Hugo (Health) are members.
    Mia is conftest's member_a when that fixture is used with the same email."""
    chapter = ChapterFactory(metro=metro, name="Lyon Founders", status=Chapter.Status.ACTIVE)
    chapter.fatou = person("Food", email="fatou@alpha.test", name="Fatou Facilitator")
    chapter.mia = person("Fintech", email="member@alpha.test", name="Mia Member")
    chapter.hugo = person("Health", email="hugo@alpha.test", name="Hugo Health")
    join(chapter, chapter.fatou, "facilitator")
    join(chapter, chapter.mia)
    join(chapter, chapter.hugo)
    return chapter
