"""Demo chapters for `make run`, drawn from network's demo entrepreneurs: fifteen chapters in
various states across the metros (one seat per sector in each), the demo facilitator running an
active Paris chapter with the demo member in it, two open invitations and a join request.

Idempotent: once the organisation has a chapter, seeding adds nothing. Without entrepreneurs
(network's seed has not run) it does nothing."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from network.models import Entrepreneur, Metro, NetworkSettings, Sector

from .models import (
    AgreementAcceptance,
    Chapter,
    ChapterSettings,
    ChapterStatusChange,
    Invitation,
    JoinRequest,
    Membership,
)
from .selectors import hash_invitation_token
from .services import agreement_ensure
from .services.seats import chapter_count_add

FACILITATOR_EMAIL = "facilitator@demo.localhost"
MEMBER_EMAIL = "member@demo.localhost"
# Published demo links (development only): /chapters/invitations/accept/<token>/
NEWCOMER_TOKEN = "demo-invitation-for-a-newcomer"  # noqa: S105
NEWCOMER_EMAIL = "newcomer@demo.localhost"
DEMO_LAUNCH_DAYS_AGO = 180


@dataclass(frozen=True)
class DemoChapter:
    metro: str
    name: str
    status: str
    size: int
    age_days: int
    last_meeting_days_ago: int | None = None


S = Chapter.Status
DEMO_CHAPTERS = (
    DemoChapter("Paris", "Paris Founders Circle", S.ACTIVE, 4, 160, 12),
    DemoChapter("Paris", "Paris Rive Gauche", S.ACTIVE, 4, 110, 25),
    DemoChapter("Paris", "Paris Impact Forming", S.FORMING, 2, 9),
    DemoChapter("New York City", "Manhattan Makers", S.ACTIVE, 5, 150, 8),
    DemoChapter("New York City", "Brooklyn Builders", S.ACTIVE, 4, 70, 20),
    DemoChapter("San Francisco Bay Area", "Bay Area Founders", S.ACTIVE, 5, 140, 15),
    DemoChapter("San Francisco Bay Area", "Peninsula Circle", S.DORMANT, 3, 170, 105),
    DemoChapter("London", "London Shoreditch", S.ACTIVE, 5, 95, 10),
    DemoChapter("London", "London City Forming", S.FORMING, 2, 4),
    DemoChapter("Berlin", "Berlin Kreuzberg", S.ACTIVE, 4, 80, 30),
    DemoChapter("Lyon", "Lyon Presqu'île", S.ACTIVE, 3, 45, 14),
    DemoChapter("Toronto", "Toronto King West", S.ACTIVE, 4, 35, 6),
    DemoChapter("Montréal", "Montréal Mile End", S.DORMANT, 3, 150, 100),
    DemoChapter("Austin", "Austin Founders", S.CLOSED, 3, 130),
    DemoChapter("Boston", "Boston Harbor Forming", S.FORMING, 1, 3),
)


def seed() -> None:
    if Chapter.objects.exists() or not Entrepreneur.objects.exists():
        return
    with transaction.atomic():
        _seed()


def _seed() -> None:
    now = timezone.now()
    ChapterSettings.load()
    agreement = agreement_ensure()
    _launch_in_the_past(now)
    metros = {metro.name: metro for metro in Metro.objects.all()}
    users = {
        u.email: u
        for u in get_user_model().objects.filter(email__in=[FACILITATOR_EMAIL, MEMBER_EMAIL])
    }
    pool = _unaffiliated_by_metro()
    for spec in DEMO_CHAPTERS:
        metro = metros.get(spec.metro)
        if metro is None:
            continue
        first = []
        if spec.name == "Paris Founders Circle":
            first = [
                Entrepreneur.objects.select_related("user", "sector").get(user=users[email])
                for email in (FACILITATOR_EMAIL, MEMBER_EMAIL)
                if email in users
            ]
        roster = _pick(pool.get(metro.pk, []), spec.size, first)
        if not roster:
            continue
        chapter = _chapter(spec, metro, roster, agreement, now)
        if spec.name == "Paris Founders Circle":
            # Before the metro's other chapters take its people.
            _pending_work(chapter, pool.get(metro.pk, []), users, now)


def _launch_in_the_past(now: dt.datetime) -> None:
    """Give the growth chart a history: launch the network six months ago unless an admin has
    set the date already."""
    network = NetworkSettings.load()
    if network.launch_date >= timezone.localdate():
        network.launch_date = (now - dt.timedelta(days=DEMO_LAUNCH_DAYS_AGO)).date()
        network.save(update_fields=["launch_date"])


def _unaffiliated_by_metro() -> dict[int, list[Entrepreneur]]:
    pool: dict[int, list[Entrepreneur]] = {}
    people = (
        Entrepreneur.objects.filter(
            is_active=True, active_chapter_count=0, metro__isnull=False, sector__isnull=False
        )
        .exclude(user__email__endswith="@demo.localhost")
        .select_related("user", "sector")
        .order_by("pk")
    )
    for person in people:
        pool.setdefault(person.metro_id, []).append(person)
    return pool


def _pick(pool: list[Entrepreneur], size: int, first: list[Entrepreneur]) -> list[Entrepreneur]:
    """Take people from the pool so that no two share a sector (they leave the pool)."""
    roster = list(first)
    sectors = {person.sector_id for person in roster}
    for person in list(pool):
        if len(roster) >= size:
            break
        if person.sector_id not in sectors:
            roster.append(person)
            sectors.add(person.sector_id)
            pool.remove(person)
    return roster


def _chapter(spec: DemoChapter, metro: Metro, roster, agreement, now) -> Chapter:
    started = now - dt.timedelta(days=spec.age_days)
    chapter = Chapter.objects.create(
        name=spec.name,
        metro=metro,
        created_by=roster[0].user,
        created=started,
        status_changed_at=started,
        description=f"Founders of {metro.name} who meet on the first Tuesday of the month.",
    )
    ChapterStatusChange.objects.create(
        chapter=chapter,
        to_status=S.FORMING,
        changed_by=roster[0].user,
        reason="Proposed",
        created=started,
    )
    for index, person in enumerate(roster):
        joined = started + dt.timedelta(days=min(index * 3, max(spec.age_days - 1, 0)))
        membership = Membership.objects.create(
            chapter=chapter,
            user=person.user,
            sector=person.sector,
            joined_at=joined,
            role=Membership.Role.FACILITATOR if index == 0 else Membership.Role.MEMBER,
        )
        AgreementAcceptance.objects.create(
            membership=membership, agreement=agreement, accepted_at=joined
        )
        chapter_count_add(user_id=person.user_id, delta=+1)
    if spec.status in (S.ACTIVE, S.DORMANT, S.CLOSED):
        activated = started + dt.timedelta(days=min(21, spec.age_days // 2))
        _change(chapter, S.FORMING, S.ACTIVE, None, "Held its first meeting", activated)
        chapter.activated_at = activated
        chapter.last_meeting_at = (
            now - dt.timedelta(days=spec.last_meeting_days_ago)
            if spec.last_meeting_days_ago is not None
            else activated
        )
    if spec.status == S.DORMANT:
        _change(
            chapter,
            S.ACTIVE,
            S.DORMANT,
            None,
            "No meeting in 3 months",
            chapter.last_meeting_at + dt.timedelta(days=92),
        )
    if spec.status == S.CLOSED:
        closed = now - dt.timedelta(days=40)
        _change(
            chapter,
            S.ACTIVE,
            S.CLOSED,
            roster[0].user,
            "Most members moved to other cities.",
            closed,
        )
        chapter.closed_at = closed
        for membership in chapter.memberships.all():
            membership.left_at = closed
            membership.end_reason = Membership.EndReason.CHAPTER_CLOSED
            membership.save(update_fields=["left_at", "end_reason"])
            chapter_count_add(user_id=membership.user_id, delta=-1)
    chapter.status = spec.status
    chapter.status_changed_at = chapter.status_changes.order_by("-created").first().created
    chapter.save()
    return chapter


def _change(chapter, from_status, to_status, by, reason, when) -> None:
    ChapterStatusChange.objects.create(
        chapter=chapter,
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        reason=reason,
        created=when,
    )


def _pending_work(chapter: Chapter, pool: list[Entrepreneur], users: dict, now) -> None:
    """Two open invitations (one proposed by the demo member, one sent to a newcomer with a
    published demo link) and a join request, all for free sectors of the chapter."""
    rules = ChapterSettings.load()
    taken = set(
        chapter.memberships.filter(left_at__isnull=True).values_list("sector_id", flat=True)
    )
    facilitator = users.get(FACILITATOR_EMAIL)
    member = users.get(MEMBER_EMAIL)
    candidates = [p for p in pool if p.sector_id not in taken]
    if member is not None and candidates:
        proposed = candidates.pop(0)
        pool.remove(proposed)
        taken.add(proposed.sector_id)
        Invitation.objects.create(
            chapter=chapter,
            email=proposed.user.email,
            name=proposed.user.name,
            invitee=proposed.user,
            sector=proposed.sector,
            proposed_by=member,
            message="We worked together on a pop-up market; she would bring a lot.",
            created=now - dt.timedelta(hours=5),
            objection_window_ends_at=now
            + dt.timedelta(days=rules.objection_window_days)
            - dt.timedelta(hours=5),
        )
    free_sector = Sector.objects.filter(is_active=True).exclude(pk__in=taken).order_by("name")
    free_sector = free_sector.first()
    if facilitator is not None and free_sector is not None:
        taken.add(free_sector.pk)
        Invitation.objects.create(
            chapter=chapter,
            email=NEWCOMER_EMAIL,
            name="Nina Newcomer",
            sector=free_sector,
            proposed_by=facilitator,
            sent_by=facilitator,
            status=Invitation.Status.SENT,
            message="We met at the Station F breakfast — come and meet the chapter!",
            token_hash=hash_invitation_token(NEWCOMER_TOKEN),
            created=now - dt.timedelta(days=1),
            sent_at=now - dt.timedelta(days=1),
            expires_at=now + dt.timedelta(days=rules.invitation_valid_days - 1),
            objection_window_ends_at=now + dt.timedelta(days=rules.objection_window_days - 1),
        )
    requester = next((p for p in candidates if p.sector_id not in taken), None)
    if requester is not None:
        pool.remove(requester)
        JoinRequest.objects.create(
            chapter=chapter,
            user=requester.user,
            sector=requester.sector,
            message="I have been looking for a group of founders to meet monthly in Paris.",
            created=now - dt.timedelta(days=2),
        )
