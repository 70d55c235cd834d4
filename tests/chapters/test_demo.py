"""The demo seed: realistic, honours the rules, idempotent, and harmless without network data."""

from collections import Counter

from django.db.models import Count, F, Q

from chapters import demo
from chapters.models import Chapter, Invitation, JoinRequest, Membership
from network.models import Entrepreneur
from tests.factories import UserFactory


def test_seed_does_nothing_without_entrepreneurs(in_a):
    demo.seed()
    assert Chapter.objects.count() == 0


def test_seed_builds_chapters_that_follow_the_rules(in_a):
    from network import demo as network_demo

    facilitator = UserFactory(email=demo.FACILITATOR_EMAIL, name="Fatou Facilitator")
    member = UserFactory(email=demo.MEMBER_EMAIL, name="Marco Member")
    network_demo.seed()

    demo.seed()
    demo.seed()  # idempotent

    assert Chapter.objects.count() == len(demo.DEMO_CHAPTERS)
    assert set(Chapter.objects.values_list("status", flat=True)) == {
        "forming",
        "active",
        "dormant",
        "closed",
    }
    current = Membership.objects.filter(left_at__isnull=True)
    for chapter_id, sectors in Counter(current.values_list("chapter_id", "sector_id")).items():
        assert sectors == 1, chapter_id
    # Each profile's count matches its current memberships.
    mismatched = Entrepreneur.objects.annotate(
        n=Count(
            "user__chapter_memberships", filter=Q(user__chapter_memberships__left_at__isnull=True)
        )
    ).exclude(n=F("active_chapter_count"))
    assert not mismatched.exists()

    circle = Chapter.objects.get(name="Paris Founders Circle")
    assert circle.status == "active"
    roles = dict(current.filter(chapter=circle).values_list("user_id", "role"))
    assert roles[facilitator.pk] == "facilitator" and roles[member.pk] == "member"
    assert Invitation.objects.filter(chapter=circle, status__in=["proposed", "sent"]).count() == 2
    assert JoinRequest.objects.filter(chapter=circle, status="pending").count() == 1
    assert Invitation.objects.get(email=demo.NEWCOMER_EMAIL).token_hash
