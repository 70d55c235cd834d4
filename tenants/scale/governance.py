"""Governance's part of the scale seed: steering committees where the network is dense enough
(the organisation's thresholds of active chapters per metro, region and country), the board,
seats for members of the place's chapters, and escalations raised over the history, routed to
the lowest committee covering the chapter's metro, most of them long resolved."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from chapters.models import Chapter
from governance.models import (
    Committee,
    CommitteeMembership,
    Escalation,
    EscalationComment,
    EscalationEvent,
    EscalationRouting,
    GovernanceSettings,
    Level,
)

from . import data
from .copy import Table
from .world import World

SEATS_PER_COMMITTEE = 5
ESCALATIONS_PER_CHAPTER_MONTH = 0.03


def seed_committees(world: World) -> dict:
    rules = GovernanceSettings.load()
    rng = world.rng("committees")
    active = [c for c in world.chapters if c.status == Chapter.Status.ACTIVE]
    per_metro = Counter(c.metro.id for c in active)
    per_region = Counter(c.metro.region_id for c in active)
    per_country = Counter(c.metro.country_id for c in active)
    formed = world.start + dt.timedelta(days=30)
    committees: dict[tuple[str, int | None], int] = {}
    rows = Table(
        Committee, ["id", "level", "metro_id", "region_id", "country_id", "formed_at", "created"]
    )

    def add(level: str, metro=None, region=None, country=None) -> None:
        pk = world.ids.take(Committee)
        rows.add(pk, level, metro, region, country, formed, formed)
        committees[(level, metro or region or country)] = pk

    for metro in world.metros:
        if per_metro[metro.id] >= rules.metro_threshold:
            add(Level.METRO, metro=metro.id)
    for region_id in sorted({m.region_id for m in world.metros}):
        if per_region[region_id] >= rules.region_threshold:
            add(Level.REGION, region=region_id)
    for country_id in sorted({m.country_id for m in world.metros}):
        if per_country[country_id] >= rules.country_threshold:
            add(Level.COUNTRY, country=country_id)
    rows.flush()
    # Every organisation is created with its board.
    board = Committee.objects.filter(level=Level.BOARD).first() or Committee.objects.create(
        level=Level.BOARD, formed_at=formed
    )
    committees[(Level.BOARD, None)] = board.pk

    # Seats: members of the place's active chapters, facilitators first; one committee each.
    seated: set[int] = set()
    seats = Table(
        CommitteeMembership, ["id", "committee_id", "user_id", "role", "term_start", "created"]
    )
    members_of: dict[int, list[int]] = {}

    def candidates(chapters) -> list[int]:
        people = [
            (seat.role != "facilitator", rng.random(), seat.person.id)
            for chapter in chapters
            for seat in chapter.current()
            if seat.person.id not in seated
        ]
        return [pk for _f, _r, pk in sorted(people)]

    for (level, place), committee_id in committees.items():
        if level == Level.BOARD:
            continue
        chapters = [
            c
            for c in active
            if (level == Level.METRO and c.metro.id == place)
            or (level == Level.REGION and c.metro.region_id == place)
            or (level == Level.COUNTRY and c.metro.country_id == place)
        ]
        chosen = candidates(chapters)[:SEATS_PER_COMMITTEE]
        if level == Level.METRO and place == world.metros[0].id:
            # The benchmark member sits on the largest metro's committee (not as chair).
            chosen = [pk for pk in chosen if pk != world.bench_user_id][: SEATS_PER_COMMITTEE - 1]
            chosen.append(world.bench_user_id)
        for number, user_id in enumerate(chosen):
            seated.add(user_id)
            seats.add(
                world.ids.take(CommitteeMembership),
                committee_id,
                user_id,
                "chair" if number == 0 else "member",
                formed.date(),
                formed,
            )
        members_of[committee_id] = chosen
    board_id = committees[(Level.BOARD, None)]
    chair = candidates(active)[0]
    seated.add(chair)
    seats.add(world.ids.take(CommitteeMembership), board_id, chair, "chair", formed.date(), formed)
    members_of[board_id] = [chair]
    world.board_chair_id = chair
    seats.flush()
    world.committee_member_ids = sorted(seated - {chair})
    world.count("committees", len(committees))
    world.count("committee_seats", seats.written)
    return {"committees": committees, "members_of": members_of}


def _route(committees: dict, metro) -> int:
    for key in (
        (Level.METRO, metro.id),
        (Level.REGION, metro.region_id),
        (Level.COUNTRY, metro.country_id),
        (Level.BOARD, None),
    ):
        if key in committees:
            return committees[key]
    raise AssertionError("the board always exists")


def seed_escalations(world: World, governance: dict) -> None:
    rng = world.rng("escalations")
    committees, members_of = governance["committees"], governance["members_of"]
    now, start = world.now, world.start
    count = max(10, round(world.spec.chapters * world.spec.months * ESCALATIONS_PER_CHAPTER_MONTH))
    eligible = [c for c in world.chapters if c.status != Chapter.Status.CLOSED and c.current()]
    escalations = Table(
        Escalation,
        [
            "id",
            "chapter_id",
            "raised_by_id",
            "is_anonymous",
            "category",
            "title",
            "description",
            "committee_id",
            "status",
            "assigned_to_id",
            "routed_at",
            "deadline_at",
            "acknowledged_at",
            "acknowledged_by_id",
            "resolved_at",
            "resolved_by_id",
            "decision",
            "created",
            "modified",
        ],
    )
    routings = Table(
        EscalationRouting,
        ["id", "escalation_id", "committee_id", "kind", "reason", "routed_by_id", "created"],
    )
    events = Table(
        EscalationEvent,
        ["id", "escalation_id", "kind", "actor_id", "by_raiser", "committee_id", "note", "created"],
    )
    comments = Table(
        EscalationComment,
        ["id", "escalation_id", "author_id", "from_raiser", "committee_id", "body", "created"],
    )
    deadline = dt.timedelta(days=GovernanceSettings.load().escalation_deadline_days)

    def add(chapter, created: dt.datetime, roll: float) -> None:
        raiser = rng.choice(chapter.current()).person.id
        age = now - created
        committee = _route(committees, chapter.metro)
        members = members_of.get(committee) or [world.board_chair_id]
        chair = members[0]
        if age < dt.timedelta(days=14):
            status = "open" if roll < 0.55 else "acknowledged"
        elif age < dt.timedelta(days=45):
            status = "acknowledged" if roll < 0.4 else "resolved"
        else:
            status = "acknowledged" if roll < 0.08 else "resolved"
        category, title = rng.choice(data.ESCALATION_TITLES)
        acknowledged = resolved = None
        if status != "open":
            acknowledged = min(created + dt.timedelta(hours=rng.randint(4, 120)), now)
        if status == "resolved":
            resolved = min(acknowledged + dt.timedelta(days=rng.randint(2, 30)), now)
        assigned = rng.choice(members) if status != "open" and rng.random() < 0.5 else None
        pk = world.ids.take(Escalation)
        escalations.add(
            pk,
            chapter.id,
            raiser,
            rng.random() < 0.15,
            category,
            title,
            "What happened, who is involved and what the chapter has tried so far.",
            committee,
            status,
            assigned,
            created,
            created + deadline,
            acknowledged,
            chair if acknowledged else None,
            resolved,
            chair if resolved else None,
            "Discussed with the chapter; agreed next steps with both parties." if resolved else "",
            created,
            resolved or acknowledged or created,
        )
        routings.add(
            world.ids.take(EscalationRouting),
            pk,
            committee,
            "raised",
            f"The lowest committee covering {chapter.metro.name}.",
            None,
            created,
        )
        events.add(world.ids.take(EscalationEvent), pk, "raised", raiser, True, None, "", created)
        events.add(
            world.ids.take(EscalationEvent), pk, "routed", None, False, committee, "", created
        )
        if acknowledged:
            events.add(
                world.ids.take(EscalationEvent),
                pk,
                "acknowledged",
                chair,
                False,
                committee,
                "",
                acknowledged,
            )
            if rng.random() < 0.3:
                comments.add(
                    world.ids.take(EscalationComment),
                    pk,
                    chair,
                    False,
                    committee,
                    "Thank you; we will talk to the chapter's facilitator this week.",
                    acknowledged,
                )
                comments.add(
                    world.ids.take(EscalationComment),
                    pk,
                    raiser,
                    True,
                    None,
                    "Thanks, that would help.",
                    min(acknowledged + dt.timedelta(hours=3), now),
                )
        if resolved:
            events.add(
                world.ids.take(EscalationEvent),
                pk,
                "resolved",
                chair,
                False,
                committee,
                "",
                resolved,
            )

    for _ in range(count):
        chapter = rng.choice(eligible)
        created = max(chapter.created, start + (now - start) * rng.random()).replace(microsecond=0)
        add(chapter, created, rng.random())
    # What is waiting now in the largest metro's queue (the benchmark member's committee):
    # a few recent escalations, whatever the size.
    largest = [c for c in eligible if c.metro.id == world.metros[0].id] or eligible
    for _ in range(max(3, count // 50)):
        created = (now - dt.timedelta(hours=rng.randint(2, 240))).replace(microsecond=0)
        add(rng.choice(largest), created, rng.random())
    for table in (escalations, routings, events, comments):
        table.flush()
    world.count("escalations", escalations.written)
