"""The demo seed: does nothing without chapters; otherwise committees where dense (some metros
without), the board with its chair, escalations in every state; idempotent."""

from governance import demo
from governance.models import Committee, CommitteeMembership, DensityAlert, Escalation, Level
from tests.factories import UserFactory

from .factories import ChapterFactory, CountryFactory, MetroFactory, RegionFactory, join


def test_seed_does_nothing_without_chapters(in_a):
    demo.seed()
    assert not Committee.objects.exclude(level=Level.BOARD).exists()
    assert not Escalation.objects.exists()


def test_seed_builds_a_realistic_mix_and_is_idempotent(in_a):
    from core.models import Role
    from core.services import role_grant

    role_grant(user=UserFactory(email="admin@demo.localhost"), role=Role.ORGANIZATION_ADMIN)
    board_user = UserFactory(email="board@demo.localhost")
    committee_user = UserFactory(email="committee@demo.localhost")
    member = UserFactory(email="member@demo.localhost")
    region = RegionFactory(country=CountryFactory())
    big, mid = (MetroFactory(region=region) for _ in range(2))
    elsewhere = RegionFactory(country=CountryFactory())
    dense, sparse = (MetroFactory(region=elsewhere) for _ in range(2))
    for metro, n in ((big, 4), (mid, 3), (dense, 2), (sparse, 1)):
        for i in range(n):
            chapter = ChapterFactory(metro=metro)
            join(chapter)
            join(chapter)
            if metro == big and i == 0:
                join(chapter, member)

    demo.seed()
    demo.seed()

    # Committees for the densest metros, not all dense ones; a region committee away from the
    # demo member's metro; the board chaired by board@.
    metro_committees = Committee.objects.filter(level=Level.METRO)
    assert {c.metro for c in metro_committees} == {big, mid}
    assert Committee.objects.get(level=Level.REGION).region == elsewhere
    board = Committee.objects.get(level=Level.BOARD)
    assert board.memberships.get(user=board_user).role == CommitteeMembership.Role.CHAIR
    assert (
        CommitteeMembership.objects.get(
            user=committee_user, committee__level=Level.METRO
        ).committee.metro
        == big
    )
    statuses = set(Escalation.objects.values_list("status", flat=True))
    assert statuses == {"open", "acknowledged", "resolved"}
    levels = set(Escalation.objects.values_list("committee__level", flat=True))
    assert levels == {"metro", "region", "board"}
    assert DensityAlert.objects.filter(metro=dense, resolved_at__isnull=True).exists()
    count = Escalation.objects.count()
    demo.seed()
    assert Escalation.objects.count() == count
