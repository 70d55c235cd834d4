"""The scale seed keeps every invariant the services keep, and the same parameters give the
same organisation."""

from collections import Counter

from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from chapters.models import AgreementAcceptance, Chapter, Membership
from governance.elections.models import Ballot, Election, VoterRecord
from governance.models import Committee, Escalation, Level
from meetings.models import Attendance, Meeting, Share, Story
from network.models import Entrepreneur
from tenants.scale.world import BENCH_EMAIL

from .conftest import SMALL, seed


def fingerprint() -> dict:
    return {
        "chapters": list(
            Chapter.objects.order_by("pk").values_list("name", "status", "last_meeting_at")
        ),
        "seats": list(
            Membership.objects.order_by("pk").values_list("chapter_id", "user__email", "role")
        ),
        "shares": Share.objects.count(),
        "stories": Story.objects.count(),
        "ballots": sorted(map(tuple, Ballot.objects.values_list("choices", flat=True))),
    }


def test_same_parameters_give_the_same_organisation(org_a, org_b):
    anchor = timezone.now().replace(microsecond=0)
    seed(org_a, SMALL, now=anchor)
    first = fingerprint()
    seed(org_b, SMALL, now=anchor)
    second = fingerprint()
    connection.set_schema_to_public()
    assert first == second
    assert first["shares"] > 0 and first["ballots"]


def test_the_seed_keeps_the_services_invariants(org_a):
    world = seed(org_a, SMALL)

    # Entrepreneur.active_chapter_count is the number of current seats.
    current = Counter(
        Membership.objects.filter(left_at__isnull=True).values_list("user_id", flat=True)
    )
    counts = dict(Entrepreneur.objects.values_list("user_id", "active_chapter_count"))
    assert counts == {user_id: current.get(user_id, 0) for user_id in counts}
    assert set(current) <= set(counts)

    # One current seat per sector, at most twelve members, every seat accepted the agreement.
    per_sector = (
        Membership.objects.filter(left_at__isnull=True)
        .values("chapter_id", "sector_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not per_sector.exists()
    sizes = Chapter.objects.annotate(
        size=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).values_list("size", flat=True)
    assert max(sizes) <= 12
    assert AgreementAcceptance.objects.count() == Membership.objects.count()

    # last_meeting_at is the start of the last meeting held.
    held = dict(
        Meeting.objects.filter(status=Meeting.Status.CLOSED)
        .values("chapter_id")
        .annotate(last=Max("starts_at"))
        .values_list("chapter_id", "last")
    )
    for chapter in Chapter.objects.filter(pk__in=held):
        assert chapter.last_meeting_at == held[chapter.pk]

    # Attendance of members seated at the time; shares only from those who came.
    for attendance in Attendance.objects.select_related("meeting")[:200]:
        assert Membership.objects.filter(
            Q(left_at__isnull=True) | Q(left_at__gt=attendance.meeting.starts_at),
            chapter_id=attendance.meeting.chapter_id,
            user_id=attendance.user_id,
            joined_at__lte=attendance.meeting.starts_at,
        ).exists()
    came = set(
        Attendance.objects.filter(status__in=Attendance.ATTENDED).values_list(
            "meeting_id", "user_id"
        )
    )
    assert set(Share.objects.values_list("meeting_id", "author_id")) <= came

    # Escalations sit with the lowest committee covering the chapter's metro.
    for escalation in Escalation.objects.select_related("chapter__metro__region", "committee"):
        metro = escalation.chapter.metro
        lowest = (
            Committee.objects.filter(level=Level.METRO, metro=metro).first()
            or Committee.objects.filter(level=Level.REGION, region=metro.region).first()
            or Committee.objects.filter(level=Level.COUNTRY, country=metro.region.country).first()
            or Committee.objects.get(level=Level.BOARD)
        )
        assert escalation.committee == lowest

    # The election was counted by the engine and certified: one ballot per voter.
    election = Election.objects.get()
    assert election.state == Election.State.CERTIFIED
    assert Ballot.objects.count() == VoterRecord.objects.count() == election.voters_count
    assert len(election.result["elected"]) == election.seats

    # The benchmark member sits in a chapter and on a committee.
    assert Membership.objects.filter(user__email=BENCH_EMAIL, left_at__isnull=True).exists()
    assert world.bench_user_id in world.committee_member_ids
    connection.set_schema_to_public()
