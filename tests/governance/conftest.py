"""A small network in organisation A: France → Auvergne-Rhône-Alpes → Lyon and Grenoble, with a
chapter in Lyon (a member and a facilitator), another chapter in Lyon, a Lyon metro committee
(chair and member), the board (one member) and an organisation admin."""

from types import SimpleNamespace

import pytest

from chapters.models import Membership
from core.models import Role
from core.services import role_grant
from governance.models import CommitteeMembership
from tests.factories import UserFactory

from .factories import (
    ChapterFactory,
    CountryFactory,
    MetroFactory,
    RegionFactory,
    committee_for,
    join,
    seat,
)


@pytest.fixture
def world(in_a):
    france = CountryFactory(name="France", code="FR")
    ara = RegionFactory(name="Auvergne-Rhône-Alpes", country=france)
    lyon = MetroFactory(name="Lyon", region=ara)
    grenoble = MetroFactory(name="Grenoble", region=ara)
    chapter = ChapterFactory(name="Lyon Makers", metro=lyon)
    other_chapter = ChapterFactory(name="Lyon Food", metro=lyon)
    member = UserFactory(email="member@gov.test", name="Marco Member")
    facilitator = UserFactory(email="facilitator@gov.test", name="Fatou Facilitator")
    outsider = UserFactory(email="outsider@gov.test", name="Olga Outsider")
    join(chapter, member)
    join(chapter, facilitator, role=Membership.Role.FACILITATOR)
    join(other_chapter, outsider)
    chair = UserFactory(email="chair@gov.test", name="Chloe Chair")
    committee_member = UserFactory(email="committee@gov.test", name="Chen Committee")
    lyon_committee = committee_for(lyon, chair=chair)
    seat(lyon_committee, committee_member, role=CommitteeMembership.Role.MEMBER)
    board_member = UserFactory(email="board@gov.test", name="Bea Board")
    board = committee_for(None)
    seat(board, board_member, role=CommitteeMembership.Role.CHAIR)
    admin = UserFactory(email="admin@gov.test", name="Ada Admin")
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    return SimpleNamespace(
        france=france,
        ara=ara,
        lyon=lyon,
        grenoble=grenoble,
        chapter=chapter,
        other_chapter=other_chapter,
        member=member,
        facilitator=facilitator,
        outsider=outsider,
        chair=chair,
        committee_member=committee_member,
        lyon_committee=lyon_committee,
        board_member=board_member,
        board=board,
        admin=admin,
    )
