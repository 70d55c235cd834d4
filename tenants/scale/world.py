"""What the scale seed's generators share: the parameters, one random stream per generator
(so that changing one generator does not reshuffle the others), the ids handed out and the
rows later generators build on."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from .copy import Ids
from .data import PLACES

# Bumped whenever a generator changes what it writes, so that an organisation seeded by an
# older version is not reused as if it were the same data.
GENERATOR_VERSION = 2
BENCH_PASSWORD = "commons-bench-2024"  # noqa: S105  (synthetic benchmark accounts only)
BENCH_EMAIL = "bench@scale.example"
ADMIN_EMAIL = "admin@scale.example"


@dataclass(frozen=True)
class Spec:
    slug: str
    chapters: int
    months: int
    members_per_chapter: int = 8
    seed: int = 2024

    def __post_init__(self) -> None:
        if self.chapters < 1 or self.months < 1 or self.members_per_chapter < 4:
            raise ValueError("chapters and months must be positive, members per chapter >= 4")

    @property
    def members(self) -> int:
        return self.chapters * self.members_per_chapter

    @property
    def metro_count(self) -> int:
        """A young network is concentrated in a few metros; about 25 chapters per metro."""
        available = sum(len(metros) for *_rest, metros in PLACES)
        return max(1, min(available, round(self.chapters / 25) or 1))

    def params(self) -> dict:
        return {
            "chapters": self.chapters,
            "months": self.months,
            "members_per_chapter": self.members_per_chapter,
            "seed": self.seed,
            "generator": GENERATOR_VERSION,
        }


@dataclass
class MetroRow:
    id: int
    name: str
    region_id: int
    country_id: int
    tz: zoneinfo.ZoneInfo


@dataclass
class Person:
    id: int
    name: str
    email: str
    metro: MetroRow
    sector_id: int
    joined: dt.datetime


@dataclass
class Seat:
    id: int
    person: Person
    sector_id: int
    role: str
    joined: dt.datetime
    left: dt.datetime | None = None
    end_reason: str = ""

    def present_at(self, when: dt.datetime) -> bool:
        return self.joined <= when and (self.left is None or when < self.left)


@dataclass
class ChapterRow:
    id: int
    name: str
    metro: MetroRow
    status: str
    created: dt.datetime
    seats: list[Seat] = field(default_factory=list)
    activated_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    dormant_at: dt.datetime | None = None
    last_meeting_at: dt.datetime | None = None
    # schedule: weekday (0 = Monday), position in the month (1-4), local start time
    weekday: int = 1
    position: int = 1
    start_time: dt.time = dt.time(18, 30)
    meetings_until: dt.datetime | None = None  # no meetings from then on (dormant, closed)

    def current(self) -> list[Seat]:
        return [seat for seat in self.seats if seat.left is None]


class World:
    def __init__(self, spec: Spec, *, now: dt.datetime | None = None) -> None:
        self.spec = spec
        self.now = now or timezone.now().replace(microsecond=0)
        self.start = self.now - dt.timedelta(days=round(30.4375 * spec.months))
        self.ids = Ids()
        self.metros: list[MetroRow] = []
        self.sector_ids: list[int] = []
        self.people: list[Person] = []
        self.chapters: list[ChapterRow] = []
        self.password_hash = ""
        self.bench_user_id = 0
        self.admin_user_id = 0
        self.committee_member_ids: list[int] = []
        self.board_chair_id = 0
        self.counts: dict[str, int] = {}
        self.profile_table = None
        self.leftovers: dict[int, list[Person]] = {}
        self.sector_names: dict[int, str] = {}
        self.entrepreneur_first = 0

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.spec.seed}:{name}")

    def count(self, name: str, value: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + value


def nth_weekday(year: int, month: int, weekday: int, position: int) -> dt.date:
    """The `position`-th (1-4, or -1 for the last) `weekday` of a month."""
    if position > 0:
        first = dt.date(year, month, 1)
        offset = (weekday - first.weekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (position - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def monthly_occurrences(
    chapter: ChapterRow, begin: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """The chapter's schedule ("second Tuesday, 18:30 local") between two instants, in UTC:
    computed in the metro's time, so daylight-saving changes keep the local hour."""
    tz = chapter.metro.tz
    local = begin.astimezone(tz)
    year, month = local.year, local.month
    out: list[dt.datetime] = []
    while True:
        day = nth_weekday(year, month, chapter.weekday, chapter.position)
        start = dt.datetime.combine(day, chapter.start_time, tzinfo=tz).astimezone(dt.UTC)
        if start >= end:
            return out
        if start >= begin:
            out.append(start)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
