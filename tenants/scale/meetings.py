"""The meetings' part of the scale seed: each chapter's monthly schedule, its meetings over
the history (held and closed, a few cancelled) and for the next three months (scheduled),
attendance of the members seated at the time, shares of those who came, stories answering
their challenges, follow-ups at the next meeting, and RSVPs around the present."""

from __future__ import annotations

import datetime as dt

from chapters.models import Chapter
from meetings.models import (
    Attendance,
    FollowUp,
    Meeting,
    MeetingSchedule,
    Rsvp,
    Share,
    Story,
)
from meetings.services.schedule import MONTHS_AHEAD

from . import data
from .copy import Table
from .world import ChapterRow, World, monthly_occurrences

DURATION = dt.timedelta(minutes=120)
ATTENDANCE = ("present", "late", "excused", "absent")
ATTENDANCE_WEIGHTS = (85, 5, 6, 4)
SHARE_RATE = 0.92
STORY_RATE = 0.42
FOLLOW_UP_RATE = 0.6
RSVP_ANSWERS = ("yes", "maybe", "no")
RSVP_WEIGHTS = (70, 15, 15)


class MeetingWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng("meetings")
        self.schedules = Table(
            MeetingSchedule,
            [
                "id",
                "chapter_id",
                "frequency",
                "weekday",
                "week_position",
                "start_time",
                "duration_minutes",
                "starts_on",
                "location",
                "is_active",
                "created",
                "modified",
            ],
        )
        self.meetings = Table(
            Meeting,
            [
                "id",
                "chapter_id",
                "schedule_id",
                "occurrence_start",
                "starts_at",
                "duration_minutes",
                "location",
                "status",
                "cancel_reason",
                "minutes",
                "closed_at",
                "closed_by_id",
                "created",
                "modified",
            ],
        )
        self.attendance = Table(
            Attendance, ["id", "meeting_id", "user_id", "status", "recorded_by_id", "recorded_at"]
        )
        self.shares = Table(
            Share, ["id", "meeting_id", "author_id", "success", "challenge", "created", "modified"]
        )
        self.stories = Table(Story, ["id", "share_id", "author_id", "text", "created", "modified"])
        self.follow_ups = Table(
            FollowUp, ["id", "share_id", "meeting_id", "text", "created", "modified"]
        )
        self.rsvps = Table(Rsvp, ["id", "meeting_id", "user_id", "answer", "answered_at"])

    def tables(self) -> list[Table]:
        return [
            self.schedules,
            self.meetings,
            self.attendance,
            self.shares,
            self.stories,
            self.follow_ups,
            self.rsvps,
        ]

    def chapter(self, chapter: ChapterRow) -> None:
        world, rng = self.world, self.rng
        ids = world.ids
        now = world.now
        schedule_id = ids.take(MeetingSchedule)
        location = f"{rng.choice(data.VENUES)}, {chapter.metro.name}"
        is_open = chapter.status in Chapter.OPEN_STATUSES
        self.schedules.add(
            schedule_id,
            chapter.id,
            MeetingSchedule.Frequency.MONTHLY_WEEKDAY,
            chapter.weekday,
            chapter.position,
            chapter.start_time,
            120,
            chapter.created.date(),
            location,
            is_open,
            chapter.created,
            chapter.created,
        )
        facilitator = next((s.person.id for s in chapter.seats if s.role == "facilitator"), None)
        past = monthly_occurrences(
            chapter,
            max(world.start, chapter.activated_at or chapter.created),
            min(now, chapter.meetings_until or now),
        )
        sector = world.sector_names
        sector_of = {seat.person.id: seat.sector_id for seat in chapter.seats}
        previous_shares: dict[int, int] = {}  # author -> share id at the previous meeting
        for number, starts in enumerate(past):
            meeting_id = ids.take(Meeting)
            is_last = number == len(past) - 1
            cancelled = not is_last and rng.random() < 0.03
            closed_at = min(starts + DURATION + dt.timedelta(hours=2), now)
            self.meetings.add(
                meeting_id,
                chapter.id,
                schedule_id,
                starts,
                starts,
                120,
                location,
                "cancelled" if cancelled else "closed",
                "Venue unavailable" if cancelled else "",
                "" if cancelled else "We went round the table; two members followed up.",
                None if cancelled else closed_at,
                None if cancelled else facilitator,
                starts - dt.timedelta(days=60),
                closed_at,
            )
            if cancelled:
                continue
            seated = [seat for seat in chapter.seats if seat.present_at(starts)]
            came: list[int] = []
            for seat in seated:
                status = rng.choices(ATTENDANCE, weights=ATTENDANCE_WEIGHTS)[0]
                self.attendance.add(
                    ids.take(Attendance),
                    meeting_id,
                    seat.person.id,
                    status,
                    facilitator,
                    closed_at,
                )
                if status in ("present", "late"):
                    came.append(seat.person.id)
            shares_now: dict[int, int] = {}
            written = starts + dt.timedelta(minutes=30)
            for author in came:
                earlier = previous_shares.get(author)
                if earlier is not None and rng.random() < FOLLOW_UP_RATE:
                    self.follow_ups.add(
                        ids.take(FollowUp),
                        earlier,
                        meeting_id,
                        rng.choice(data.FOLLOW_UPS),
                        written,
                        written,
                    )
                if rng.random() >= SHARE_RATE:
                    continue
                share_id = ids.take(Share)
                shares_now[author] = share_id
                values = {"sector": sector[sector_of[author]], "metro": chapter.metro.name}
                self.shares.add(
                    share_id,
                    meeting_id,
                    author,
                    rng.choice(data.SUCCESSES).format(**values),
                    rng.choice(data.CHALLENGES).format(**values),
                    written,
                    written,
                )
                for teller in came:
                    if teller != author and rng.random() < STORY_RATE:
                        self.stories.add(
                            ids.take(Story),
                            share_id,
                            teller,
                            rng.choice(data.STORIES).format(**values),
                            written,
                            written,
                        )
            previous_shares = shares_now
            if number >= len(past) - 3:
                self._rsvps(meeting_id, seated, starts)
        if not is_open:
            return
        upcoming = monthly_occurrences(
            chapter, now, now + dt.timedelta(days=round(30.4375 * MONTHS_AHEAD))
        )
        current = chapter.current()
        for number, starts in enumerate(upcoming):
            meeting_id = ids.take(Meeting)
            self.meetings.add(
                meeting_id,
                chapter.id,
                schedule_id,
                starts,
                starts,
                120,
                location,
                "scheduled",
                "",
                "",
                None,
                None,
                now - dt.timedelta(days=20),
                now - dt.timedelta(days=20),
            )
            if number == 0:
                self._rsvps(meeting_id, current, min(starts, now))

    def _rsvps(self, meeting_id: int, seats, before: dt.datetime) -> None:
        for seat in seats:
            if self.rng.random() < 0.7:
                answered = max(seat.joined, before - dt.timedelta(days=self.rng.randint(1, 6)))
                self.rsvps.add(
                    self.world.ids.take(Rsvp),
                    meeting_id,
                    seat.person.id,
                    self.rng.choices(RSVP_ANSWERS, weights=RSVP_WEIGHTS)[0],
                    answered,
                )


def seed_meetings(world: World) -> None:
    writer = MeetingWriter(world)
    for chapter in world.chapters:
        writer.chapter(chapter)
    for table in writer.tables():
        table.flush()
    world.count("meetings", writer.meetings.written)
    world.count("attendance", writer.attendance.written)
    world.count("shares", writer.shares.written)
    world.count("stories", writer.stories.written)
    world.count("follow_ups", writer.follow_ups.written)
    world.count("rsvps", writer.rsvps.written)
