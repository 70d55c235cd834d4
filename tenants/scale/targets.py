"""What the benchmark requests in a seeded organisation, as the benchmark member sees it: the
key pages, their API counterparts and the floor. Paths are resolved from the data (the
member's chapter, its latest held meeting, the board election, the committee)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from chapters.models import Membership
from core.models import User
from governance.elections.models import Election
from governance.models import Committee, CommitteeMembership
from meetings.models import Meeting

from .world import BENCH_EMAIL

FLOOR_PATH = "/bench/floor/"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    kind: str  # "page", "api" or "floor"


def bench_user() -> User:
    return User.objects.get(email=BENCH_EMAIL)


def bench_targets(user: User | None = None) -> list[Target]:
    """The key pages and their API endpoints for `user` (default: the benchmark member), in
    the current organisation."""
    user = user or bench_user()
    seat = (
        Membership.objects.filter(user=user, left_at__isnull=True)
        .order_by("joined_at", "pk")
        .first()
    )
    chapter_id = seat.chapter_id if seat else None
    meeting = (
        Meeting.objects.filter(chapter_id=chapter_id, status=Meeting.Status.CLOSED)
        .order_by("-starts_at")
        .first()
    )
    election = (
        Election.objects.filter(state__in=[Election.State.COUNTED, Election.State.CERTIFIED])
        .order_by("-voting_close")
        .first()
    )
    committee_id = (
        CommitteeMembership.objects.filter(user=user, term_end__isnull=True)
        .exclude(committee__level="board")
        .values_list("committee_id", flat=True)
        .first()
    )
    pages = [
        ("member dashboard", "/", "/api/v1/me/"),
        ("directory", reverse("network:directory"), "/api/v1/entrepreneurs/"),
        ("coverage map", reverse("chapters:coverage"), "/api/v1/coverage/"),
    ]
    if chapter_id:
        pages.append(
            (
                "chapter page",
                reverse("chapters:detail", args=[chapter_id]),
                f"/api/v1/chapters/{chapter_id}/",
            )
        )
    if meeting:
        pages.append(
            (
                "meeting page",
                reverse("meetings:meeting", args=[meeting.pk]),
                f"/api/v1/meetings/{meeting.pk}/",
            )
        )
    if committee_id and Committee.objects.filter(pk=committee_id).exists():
        pages.append(
            (
                "committee queue",
                reverse("governance:queue"),
                f"/api/v1/governance/escalations/?committee={committee_id}",
            )
        )
    if election:
        pages.append(
            (
                "election results",
                reverse("elections:results", args=[election.pk]),
                f"/api/v1/elections/{election.pk}/results/",
            )
        )
    pages.append(("event list", reverse("apps_marketplace:events"), "/api/v1/marketplace/events/"))
    targets = []
    for name, page, api in pages:
        targets.append(Target(name, page, "page"))
        targets.append(Target(f"{name} (API)", api, "api"))
    return targets
