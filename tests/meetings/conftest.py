from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client

from chapters.models import Chapter, Membership
from core.models import Role
from core.services import role_grant
from meetings.models import Meeting
from tests.conftest import host_of
from tests.factories import UserFactory

from . import factories


@dataclass
class World:
    chapter: Chapter
    facilitator: object
    members: list  # plain members of `chapter` (not the facilitator)
    other_chapter: Chapter
    outsider: object  # a member of `other_chapter` only
    admin: object  # organisation admin, in no chapter
    upcoming: Meeting  # in ten days
    started: Meeting  # started an hour ago, not closed

    @property
    def everyone_in_chapter(self) -> list:
        return [self.facilitator, *self.members]


@pytest.fixture
def world(in_a) -> World:
    paris = factories.metro("Europe/Paris", name="Paris")
    chapter = factories.chapter(in_metro=paris, name="Paris Founders")
    facilitator = factories.membership(
        chapter, role=Membership.Role.FACILITATOR, email="fatou@alpha.test", name="Fatou Diallo"
    ).user
    members = [
        factories.membership(chapter, email=f"m{index}@alpha.test", name=name).user
        for index, name in enumerate(("Marco Rossi", "Ines Duval", "Tom Weber"))
    ]
    other_chapter = factories.chapter(in_metro=paris, name="Paris Rive Gauche")
    outsider = factories.membership(other_chapter, email="olga@alpha.test", name="Olga Other").user
    admin = UserFactory(email="admin@alpha.test", name="Ada Admin", is_staff=True)
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    return World(
        chapter=chapter,
        facilitator=facilitator,
        members=members,
        other_chapter=other_chapter,
        outsider=outsider,
        admin=admin,
        upcoming=factories.meeting(chapter, starts_in=timedelta(days=10), location="Station F"),
        started=factories.meeting(chapter, starts_in=timedelta(hours=-1)),
    )


@pytest.fixture
def client_for(org_a):
    """A client on organisation A's host, logged in as `user` (anonymous for None)."""

    def make(user=None) -> Client:
        client = Client(HTTP_HOST=host_of(org_a))
        if user is not None:
            client.force_login(user)
        return client

    return make
