"""The chapters' part of the scale seed: chapters in every metro, filled from the metro's
members within the sector rule (one current seat per sector), with facilitators, the
collaboration agreement accepted by every member, former members, status history, open
invitations and join requests. `Entrepreneur.active_chapter_count` is written from the
current seats, as the chapters' services keep it."""

from __future__ import annotations

import datetime as dt
import hashlib

from chapters.models import (
    AgreementAcceptance,
    Chapter,
    ChapterStatusChange,
    Invitation,
    JoinRequest,
    Membership,
)
from chapters.services.agreement import agreement_ensure

from .copy import Table
from .network import allocate, metro_weights, write_profiles
from .world import ChapterRow, Person, Seat, World, monthly_occurrences

SIZES = (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
SIZE_WEIGHTS = (1, 2, 6, 9, 12, 14, 12, 10, 7, 4, 3)  # about 7 current members
START_TIMES = (dt.time(18, 30), dt.time(19, 0), dt.time(8, 0), dt.time(12, 30))


def _status(rng, index: int) -> str:
    if index == 0:
        return Chapter.Status.ACTIVE  # the benchmark member's chapter
    roll = rng.random()
    if roll < 0.04:
        return Chapter.Status.FORMING
    if roll < 0.07:
        return Chapter.Status.DORMANT
    if roll < 0.09:
        return Chapter.Status.CLOSED
    return Chapter.Status.ACTIVE


def _fill(
    chapter: ChapterRow, pool: list[Person], size: int, rng, now: dt.datetime, plain: int
) -> None:
    """Take up to `size` people from the pool, at most one per sector. Three founders and
    most others joined when the chapter started; the rest joined later. `plain` (the
    benchmark member) stays a plain member."""
    taken: set[int] = set()
    picked: list[Person] = []
    rest: list[Person] = []
    for index, person in enumerate(pool):
        if len(picked) == size:
            rest.extend(pool[index:])
            break
        if person.sector_id in taken:
            rest.append(person)
        else:
            taken.add(person.sector_id)
            picked.append(person)
    pool[:] = rest
    end = min(chapter.closed_at or now, now)
    for number, person in enumerate(picked):
        if number < 3 or rng.random() < 0.7:
            joined = chapter.created
        else:
            joined = chapter.created + (end - chapter.created) * rng.random()
        joined = max(joined, person.joined).replace(microsecond=0)
        chapter.seats.append(Seat(0, person, person.sector_id, Membership.Role.MEMBER, joined))
    if chapter.seats:
        chapter.seats[0].role = Membership.Role.FACILITATOR
        second = chapter.seats[1] if len(chapter.seats) > 4 else None
        if second is not None and rng.random() < 0.2 and second.person.id != plain:
            second.role = Membership.Role.FACILITATOR


def plan_chapters(world: World) -> None:
    rng = world.rng("chapters")
    spec = world.spec
    now, start = world.now, world.start
    per_metro = allocate(spec.chapters, metro_weights(len(world.metros)))
    by_metro: dict[int, list[Person]] = {}
    for person in world.people:
        by_metro.setdefault(person.metro.id, []).append(person)
    chapter_id = world.ids.take(Chapter, spec.chapters)
    for metro, count in zip(world.metros, per_metro, strict=True):
        pool = list(by_metro.get(metro.id, []))
        bench = [p for p in pool if p.id == world.bench_user_id]
        rest = [p for p in pool if p.id != world.bench_user_id]
        rng.shuffle(rest)
        # The benchmark member joins the metro's first chapter, after its facilitator.
        pool = rest[:1] + bench + rest[1:]
        for number in range(count):
            status = _status(rng, len(world.chapters))
            if status == Chapter.Status.FORMING:
                created = now - dt.timedelta(days=rng.randint(5, 55))
            else:
                created = start - dt.timedelta(days=rng.randint(25, 400))
            chapter = ChapterRow(
                id=chapter_id,
                name=f"{metro.name} {number + 1}",
                metro=metro,
                status=status,
                created=created.replace(microsecond=0),
                weekday=rng.randint(0, 3),
                position=rng.randint(1, 4),
                start_time=rng.choice(START_TIMES),
            )
            chapter_id += 1
            if status == Chapter.Status.CLOSED:
                chapter.closed_at = (now - (now - start) * rng.uniform(0.05, 0.9)).replace(
                    microsecond=0
                )
                chapter.meetings_until = chapter.closed_at - dt.timedelta(days=10)
            elif status == Chapter.Status.DORMANT:
                chapter.meetings_until = now - dt.timedelta(days=rng.randint(100, 200))
                chapter.dormant_at = chapter.meetings_until + dt.timedelta(days=92)
            if status != Chapter.Status.FORMING:
                chapter.activated_at = chapter.created + dt.timedelta(days=rng.randint(7, 24))
            size = rng.choices(SIZES, weights=SIZE_WEIGHTS)[0]
            if status == Chapter.Status.FORMING:
                size = min(size, rng.randint(2, 4))
            else:
                size = max(size, 3)
            _fill(chapter, pool, size, rng, now, world.bench_user_id)
            if status == Chapter.Status.CLOSED:
                for seat in chapter.seats:
                    seat.left = chapter.closed_at
                    seat.end_reason = Membership.EndReason.CHAPTER_CLOSED
            elif status != Chapter.Status.FORMING and pool and rng.random() < 0.08:
                # A former member, who left during the history.
                person = pool.pop()
                joined = max(chapter.created, person.joined)
                left = joined + (now - joined) * rng.uniform(0.2, 0.9)
                chapter.seats.append(
                    Seat(
                        0,
                        person,
                        person.sector_id,
                        Membership.Role.MEMBER,
                        joined.replace(microsecond=0),
                        left.replace(microsecond=0),
                        Membership.EndReason.LEFT,
                    )
                )
            past = monthly_occurrences(
                chapter,
                max(start, chapter.activated_at or chapter.created),
                min(now, chapter.meetings_until or now),
            )
            chapter.last_meeting_at = past[-1] if past else chapter.activated_at
            if status == Chapter.Status.DORMANT and chapter.last_meeting_at:
                chapter.dormant_at = max(chapter.dormant_at, chapter.last_meeting_at)
            world.chapters.append(chapter)
        world.leftovers[metro.id] = pool


def seed_chapters(world: World) -> None:
    plan_chapters(world)
    rng = world.rng("chapter-rows")
    agreement = agreement_ensure()
    chapters = Table(
        Chapter,
        [
            "id",
            "name",
            "metro_id",
            "description",
            "status",
            "created_by_id",
            "created",
            "status_changed_at",
            "activated_at",
            "closed_at",
            "last_meeting_at",
        ],
    )
    seats = Table(
        Membership,
        [
            "id",
            "chapter_id",
            "user_id",
            "sector_id",
            "seat_number",
            "role",
            "joined_at",
            "left_at",
            "end_reason",
        ],
    )
    acceptances = Table(AgreementAcceptance, ["id", "membership_id", "agreement_id", "accepted_at"])
    changes = Table(
        ChapterStatusChange,
        ["id", "chapter_id", "from_status", "to_status", "changed_by_id", "reason", "created"],
    )
    chapter_counts: dict[int, int] = {}
    total_seats = sum(len(chapter.seats) for chapter in world.chapters)
    seat_id = world.ids.take(Membership, total_seats)
    acceptance_id = world.ids.take(AgreementAcceptance, total_seats)
    for chapter in world.chapters:
        founder = chapter.seats[0].person.id if chapter.seats else None
        status_changed = {
            Chapter.Status.FORMING: chapter.created,
            Chapter.Status.ACTIVE: chapter.activated_at,
            Chapter.Status.DORMANT: chapter.dormant_at,
            Chapter.Status.CLOSED: chapter.closed_at,
        }[chapter.status]
        chapters.add(
            chapter.id,
            chapter.name,
            chapter.metro.id,
            f"Entrepreneurs of {chapter.metro.name} who meet every month.",
            chapter.status,
            founder,
            chapter.created,
            status_changed,
            chapter.activated_at,
            chapter.closed_at,
            chapter.last_meeting_at if chapter.status != Chapter.Status.FORMING else None,
        )
        history = [("", Chapter.Status.FORMING, chapter.created, founder, "Proposed")]
        if chapter.activated_at:
            history.append(
                (
                    Chapter.Status.FORMING,
                    Chapter.Status.ACTIVE,
                    chapter.activated_at,
                    None,
                    "Held its first meeting",
                )
            )
        if chapter.dormant_at:
            history.append(
                (
                    Chapter.Status.ACTIVE,
                    Chapter.Status.DORMANT,
                    chapter.dormant_at,
                    None,
                    "No meeting for 3 months",
                )
            )
        if chapter.closed_at:
            history.append(
                (
                    Chapter.Status.ACTIVE,
                    Chapter.Status.CLOSED,
                    chapter.closed_at,
                    founder,
                    "The members decided to stop",
                )
            )
        for from_status, to_status, when, actor, reason in history:
            changes.add(
                world.ids.take(ChapterStatusChange),
                chapter.id,
                from_status,
                to_status,
                actor,
                reason,
                when,
            )
        for seat in chapter.seats:
            seat.id = seat_id
            seat_id += 1
            seats.add(
                seat.id,
                chapter.id,
                seat.person.id,
                seat.sector_id,
                1,
                seat.role,
                seat.joined,
                seat.left,
                seat.end_reason,
            )
            acceptances.add(acceptance_id, seat.id, agreement.pk, seat.joined)
            acceptance_id += 1
            if seat.left is None:
                chapter_counts[seat.person.id] = chapter_counts.get(seat.person.id, 0) + 1
    for table in (chapters, seats, acceptances, changes):
        table.flush()
    write_profiles(world, chapter_counts)
    _seed_pending(world, rng)
    world.count("chapters", len(world.chapters))
    world.count("memberships", total_seats)
    world.count("unaffiliated", len(world.people) - len(chapter_counts))


def _seed_pending(world: World, rng) -> None:
    """Open invitations and join requests in a few open chapters, from the metro's
    unaffiliated members with a sector the chapter does not have yet."""
    invitations = Table(
        Invitation,
        [
            "id",
            "chapter_id",
            "email",
            "name",
            "invitee_id",
            "sector_id",
            "message",
            "status",
            "proposed_by_id",
            "sent_by_id",
            "token_hash",
            "created",
            "objection_window_ends_at",
            "sent_at",
            "expires_at",
        ],
    )
    requests = Table(
        JoinRequest, ["id", "chapter_id", "user_id", "sector_id", "message", "status", "created"]
    )
    now = world.now
    for chapter in world.chapters:
        if chapter.status not in Chapter.OPEN_STATUSES:
            continue
        current = chapter.current()
        if len(current) >= 12:
            continue
        taken = {seat.sector_id for seat in current}
        candidates = [
            p for p in world.leftovers.get(chapter.metro.id, [])[:40] if p.sector_id not in taken
        ]
        if not candidates or not current:
            continue
        roll = rng.random()
        if roll < 0.10:
            person = rng.choice(candidates)
            created = (now - dt.timedelta(days=rng.randint(4, 10))).replace(microsecond=0)
            window = created + dt.timedelta(days=3)
            token = hashlib.sha256(f"{world.spec.seed}:{chapter.id}:{person.id}".encode())
            invitations.add(
                world.ids.take(Invitation),
                chapter.id,
                person.email,
                person.name,
                person.id,
                person.sector_id,
                "We would love to have you in the chapter.",
                "sent",
                current[-1].person.id,
                current[0].person.id,
                token.hexdigest(),
                created,
                window,
                window,
                window + dt.timedelta(days=14),
            )
        elif roll < 0.15:
            person = rng.choice(candidates)
            requests.add(
                world.ids.take(JoinRequest),
                chapter.id,
                person.id,
                person.sector_id,
                "I run a company nearby and would like to join.",
                "pending",
                (now - dt.timedelta(days=rng.randint(1, 12))).replace(microsecond=0),
            )
    invitations.flush()
    requests.flush()
    world.count("invitations", invitations.written)
    world.count("join_requests", requests.written)
