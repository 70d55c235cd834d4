"""Where the network stands and where it can grow: the metro x sector coverage grid, the
proposals of where to seed the next chapters, and growth against the organisation's target.

Every function here reads with a fixed number of aggregate queries, whatever the number of
members or chapters."""

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import pagecache
from network.models import Country, Entrepreneur, Metro, NetworkSettings, Region, Sector

from .models import Chapter, ChapterSettings, Invitation, Membership

MEASURES = {
    "members": gettext_lazy("Members"),
    "in_chapters": gettext_lazy("Members in chapters"),
    "open_seats": gettext_lazy("Open seats"),
}


@dataclass
class Cell:
    members: int = 0
    in_chapters: int = 0
    open_seats: int = 0

    def value(self, measure: str) -> int:
        return getattr(self, measure)


@dataclass
class CoverageGrid:
    metros: list[Metro]
    sectors: list[Sector]
    cells: dict[tuple[int, int], Cell]
    scope: str = "the whole organisation"

    def cell(self, metro: Metro, sector: Sector) -> Cell:
        return self.cells.get((metro.pk, sector.pk)) or Cell()

    def rows(self) -> list[tuple[Metro, list[Cell], Cell]]:
        """Each metro with its cells in sector order and its row total."""
        out = []
        for metro in self.metros:
            cells = [self.cell(metro, sector) for sector in self.sectors]
            out.append((metro, cells, _total(cells)))
        return out

    def column_totals(self) -> list[Cell]:
        return [_total([self.cell(m, s) for m in self.metros]) for s in self.sectors]

    def grand_total(self) -> Cell:
        return _total(list(self.cells.values()))

    def max_value(self, measure: str) -> int:
        return max((cell.value(measure) for cell in self.cells.values()), default=0)


def _total(cells: list[Cell]) -> Cell:
    return Cell(
        members=sum(c.members for c in cells),
        in_chapters=sum(c.in_chapters for c in cells),
        open_seats=sum(c.open_seats for c in cells),
    )


def scope_metros(*, country_id: int | None = None, region_id: int | None = None):
    metros = Metro.objects.select_related("region__country").order_by(
        "region__country__name", "region__name", "name"
    )
    if region_id:
        metros = metros.filter(region_id=region_id)
    elif country_id:
        metros = metros.filter(region__country_id=country_id)
    return metros


def scope_label(*, country_id: int | None = None, region_id: int | None = None) -> str:
    if region_id:
        region = Region.objects.select_related("country").filter(pk=region_id).first()
        return f"{region.name}, {region.country.name}" if region else _("an unknown region")
    if country_id:
        country = Country.objects.filter(pk=country_id).first()
        return country.name if country else _("an unknown country")
    return _("the whole organisation")


def coverage_grid(*, country_id: int | None = None, region_id: int | None = None) -> CoverageGrid:
    """Per metro x sector: active members, members in at least one chapter, and open seats
    (free seats of that sector in the metro's forming and active chapters that have room)."""
    rules = ChapterSettings.load()
    metros = list(scope_metros(country_id=country_id, region_id=region_id))
    metro_ids = [m.pk for m in metros]
    sectors = list(Sector.objects.filter(is_active=True).order_by("name"))
    cells: dict[tuple[int, int], Cell] = defaultdict(Cell)

    people = (
        Entrepreneur.objects.filter(is_active=True, metro_id__in=metro_ids, sector__isnull=False)
        .values("metro_id", "sector_id")
        .annotate(
            members=Count("pk"), in_chapters=Count("pk", filter=Q(active_chapter_count__gt=0))
        )
    )
    for row in people:
        cell = cells[(row["metro_id"], row["sector_id"])]
        cell.members = row["members"]
        cell.in_chapters = row["in_chapters"]

    chapters = list(
        Chapter.objects.filter(metro_id__in=metro_ids, status__in=Chapter.OPEN_STATUSES)
        .annotate(size=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        .filter(size__lt=rules.max_size)
        .values_list("pk", "metro_id")
    )
    taken: dict[tuple[int, int], int] = {
        (row["chapter_id"], row["sector_id"]): row["n"]
        for row in Membership.objects.filter(
            chapter_id__in=[pk for pk, _ in chapters], left_at__isnull=True
        )
        .values("chapter_id", "sector_id")
        .annotate(n=Count("pk"))
    }
    for chapter_id, metro_id in chapters:
        for sector in sectors:
            free = rules.seats_per_sector - taken.get((chapter_id, sector.pk), 0)
            if free > 0:
                cells[(metro_id, sector.pk)].open_seats += free
    return CoverageGrid(
        metros=metros,
        sectors=sectors,
        cells=dict(cells),
        scope=scope_label(country_id=country_id, region_id=region_id),
    )


# --- The grid, cached -----------------------------------------------------------------------------
# The grid reads every member and chapter of the scope: at ten times the seed's year (3,000
# chapters, 24,000 members) that is tenths of a second of aggregation and, on the page, thousands
# of cells to draw. It is kept in Redis (keys per organisation) under a version that any change
# to what it counts replaces (signals in chapters.apps); bulk writes that send no signal (the CSV
# import) show within CACHE_SECONDS.

CACHE_SECONDS = 120
_VERSION_KEY = "chapters:coverage:version"


def coverage_version() -> str:
    """Changes whenever members, chapters, seats, the geography or the chapter rules change."""
    pagecache.depends_on(_VERSION_KEY)
    return cache.get_or_set(_VERSION_KEY, uuid.uuid4().hex, None)


def coverage_changed(**kwargs) -> None:
    """Signal receiver: what the grid counts has changed."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)
    pagecache.changed(_VERSION_KEY)


def chapter_rules_changed(created: bool = False, **kwargs) -> None:
    """The chapter rules were edited; their row made with the defaults on first use changes
    nothing (the grid was counted with the same defaults)."""
    if not created:
        coverage_changed()


def cached_coverage_grid(
    *, country_id: int | None = None, region_id: int | None = None
) -> CoverageGrid:
    """coverage_grid, from the cache when nothing it counts has changed since."""
    key = f"chapters:coverage:grid:{coverage_version()}:{country_id or 0}:{region_id or 0}"
    grid = cache.get(key)
    if grid is None:
        grid = coverage_grid(country_id=country_id, region_id=region_id)
        cache.set(key, grid, CACHE_SECONDS)
    else:
        # The label is in the reader's language, not in the language of whoever filled the cache.
        grid.scope = scope_label(country_id=country_id, region_id=region_id)
    return grid


# --- Heat map geometry --------------------------------------------------------------------------

HEAT_COLOURS = ("#f3f6f4", "#cfe8e0", "#97cfbf", "#52a894", "#1f7f6b", "#0a5044")
HEAT_LABEL_WIDTH = 150
HEAT_HEADER_HEIGHT = 120
HEAT_CELL_W = 46
HEAT_CELL_H = 30


def heat_colour(value: int, maximum: int) -> str:
    if value <= 0 or maximum <= 0:
        return HEAT_COLOURS[0]
    step = 1 + min(len(HEAT_COLOURS) - 2, int((value / maximum) * (len(HEAT_COLOURS) - 1) - 1e-9))
    return HEAT_COLOURS[step]


@dataclass
class HeatMap:
    width: int
    height: int
    columns: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    measure_label: str = ""
    maximum: int = 0
    text_y: int = HEAT_CELL_H // 2 + 4  # a number's baseline within its row


def heat_map(grid: CoverageGrid, measure: str) -> HeatMap:
    maximum = grid.max_value(measure)
    columns = [
        {"name": sector.name, "x": HEAT_LABEL_WIDTH + i * HEAT_CELL_W + HEAT_CELL_W // 2}
        for i, sector in enumerate(grid.sectors)
    ]
    rows = []
    for j, (metro, cells, _total_cell) in enumerate(grid.rows()):
        y = HEAT_HEADER_HEIGHT + j * HEAT_CELL_H
        row_cells = []
        for i, (sector, cell) in enumerate(zip(grid.sectors, cells, strict=True)):
            value = cell.value(measure)
            colour = heat_colour(value, maximum)
            row_cells.append(
                {
                    "x": HEAT_LABEL_WIDTH + i * HEAT_CELL_W,
                    "value": value,
                    "fill": colour,
                    "light": colour in HEAT_COLOURS[4:],  # white numbers on the darkest
                    "sector": sector.name,
                    "text_x": HEAT_LABEL_WIDTH + i * HEAT_CELL_W + HEAT_CELL_W // 2,
                }
            )
        rows.append({"metro": metro.name, "y": y, "cells": row_cells})
    legend = []
    if maximum:
        steps = len(HEAT_COLOURS) - 1
        for k in range(steps):
            low = int(maximum * k / steps) + 1
            high = int(maximum * (k + 1) / steps)
            if high >= low:
                legend.append(
                    {
                        "fill": HEAT_COLOURS[k + 1],
                        "label": str(low) if low == high else f"{low}-{high}",
                    }
                )
    legend.insert(0, {"fill": HEAT_COLOURS[0], "label": "0"})
    legend_y = HEAT_HEADER_HEIGHT + len(rows) * HEAT_CELL_H + 20
    for k, item in enumerate(legend):
        item["x"] = HEAT_LABEL_WIDTH + k * 90
        item["y"] = legend_y
        item["text_x"] = item["x"] + 24
        item["text_y"] = legend_y + 13
    return HeatMap(
        width=HEAT_LABEL_WIDTH + max(len(columns), 1) * HEAT_CELL_W + 20,
        height=legend_y + 40,
        columns=columns,
        rows=rows,
        legend=legend,
        measure_label=MEASURES[measure],
        maximum=maximum,
    )


def coverage_csv_rows(grid: CoverageGrid):
    yield ["country", "region", "metro", "sector", "members", "members_in_chapters", "open_seats"]
    for metro, cells, _total_cell in grid.rows():
        for sector, cell in zip(grid.sectors, cells, strict=True):
            yield [
                metro.region.country.name,
                metro.region.name,
                metro.name,
                sector.name,
                cell.members,
                cell.in_chapters,
                cell.open_seats,
            ]


# --- Where to seed next -------------------------------------------------------------------------


@dataclass
class SeedProposal:
    metro: Metro
    roster: list[Entrepreneur]

    @property
    def key(self) -> str:
        return f"{self.metro.pk}-" + "-".join(str(person.pk) for person in self.roster)


def seed_proposals(
    *, country_id: int | None = None, region_id: int | None = None
) -> list[SeedProposal]:
    """Metros with enough unaffiliated members in distinct sectors to form a chapter without
    direct competitors; each proposal is a founding roster of one person per sector (at least
    the minimum size, at most the maximum). A metro with many such people gets several.
    People who already have an open invitation are left out. Two queries."""
    rules = ChapterSettings.load()
    metros = scope_metros(country_id=country_id, region_id=region_id)
    invited = Invitation.objects.filter(
        status__in=Invitation.OPEN_STATUSES, email__iexact=OuterRef("user__email")
    )
    people = (
        Entrepreneur.objects.filter(
            is_active=True,
            active_chapter_count=0,
            metro__in=metros,
            sector__is_active=True,
            user__is_active=True,
        )
        .exclude(Exists(invited))
        .select_related("user", "sector", "metro__region__country")
        .order_by("metro__name", "metro_id", "created", "pk")
    )
    by_metro: dict[int, dict[int, list[Entrepreneur]]] = {}
    metro_of: dict[int, Metro] = {}
    for person in people:
        metro_of[person.metro_id] = person.metro
        by_metro.setdefault(person.metro_id, {}).setdefault(person.sector_id, []).append(person)

    proposals = []
    for metro_id, queues in by_metro.items():
        while True:
            waiting = [queue for queue in queues.values() if queue]
            if len(waiting) < rules.min_size:
                break
            # Longest queues first, so the metro yields as many chapters as it can.
            waiting.sort(key=lambda queue: (-len(queue), queue[0].sector.name))
            roster = [queue.pop(0) for queue in waiting[: rules.max_size]]
            roster.sort(key=lambda person: person.sector.name)
            proposals.append(SeedProposal(metro=metro_of[metro_id], roster=roster))
    proposals.sort(key=lambda p: (p.metro.name, -len(p.roster)))
    return proposals


# --- Growth against the target ------------------------------------------------------------------


@dataclass
class GrowthPoint:
    date: dt.date
    chapters: int  # -1 for dates still to come
    target: int

    @property
    def gap(self) -> int:
        return self.chapters - self.target


@dataclass
class Growth:
    launch_date: dt.date
    target_chapters: int
    target_months: int
    target_date: dt.date
    today: dt.date
    current: int
    points: list[GrowthPoint]
    projected_date: dt.date | None
    pace_per_month: float

    @property
    def reached(self) -> bool:
        return self.current >= self.target_chapters

    @property
    def on_track(self) -> bool:
        return self.reached or (
            self.projected_date is not None and self.projected_date <= self.target_date
        )

    @property
    def target_today(self) -> int:
        return target_on(self.today, self.launch_date, self.target_date, self.target_chapters)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def target_on(day: dt.date, launch: dt.date, target_date: dt.date, target: int) -> int:
    if day <= launch:
        return 0
    if day >= target_date:
        return target
    return round(target * (day - launch).days / max((target_date - launch).days, 1))


def growth_series(*, today: dt.date | None = None) -> Growth:
    """Chapters formed (activated and not closed) at each month since launch, the target line
    (linear from launch to the target date) and the projected date at the pace since launch.
    One query for the chapters, one for the settings."""
    settings_row = NetworkSettings.load()
    today = today or timezone.localdate()
    launch = settings_row.launch_date
    target_date = add_months(launch, settings_row.target_months)
    spans = list(
        Chapter.objects.filter(activated_at__isnull=False).values_list("activated_at", "closed_at")
    )

    def formed_on(day: dt.date) -> int:
        end = dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        return sum(
            1 for start, closed in spans if start <= end and (closed is None or closed > end)
        )

    dates = []
    month = 0
    last = max(target_date, today)
    while (day := add_months(launch, month)) <= last:
        dates.append(day)
        month += 1
    if today > launch and today not in dates:
        dates.append(today)
    dates.sort()
    points = [
        GrowthPoint(
            date=day,
            chapters=formed_on(day) if day <= today else -1,
            target=target_on(day, launch, target_date, settings_row.target_chapters),
        )
        for day in dates
    ]
    current = formed_on(today)
    elapsed = (today - launch).days
    pace_per_day = current / elapsed if elapsed > 0 else 0.0
    projected = None
    if current >= settings_row.target_chapters:
        projected = today
    elif pace_per_day > 0:
        remaining_days = (settings_row.target_chapters - current) / pace_per_day
        projected = today + dt.timedelta(days=min(round(remaining_days), 365 * 50))
    return Growth(
        launch_date=launch,
        target_chapters=settings_row.target_chapters,
        target_months=settings_row.target_months,
        target_date=target_date,
        today=today,
        current=current,
        points=points,
        projected_date=projected,
        pace_per_month=round(pace_per_day * 30.4375, 1),
    )


@dataclass
class Chart:
    width: int
    height: int
    actual: str
    target: str
    projection: str
    x_ticks: list[dict]
    y_ticks: list[dict]
    plot: dict


def growth_chart(growth: Growth) -> Chart:
    """SVG geometry: x is time from launch to the later of the target date and today, y is
    chapters from 0 to the larger of the target and the current count."""
    width, height = 760, 320
    left, right, top, bottom = 56, 36, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    start = growth.launch_date
    end = max(growth.target_date, growth.today)
    span = max((end - start).days, 1)
    y_max = max(growth.target_chapters, growth.current, 1)

    def x(day: dt.date) -> float:
        return round(left + plot_w * min(max((day - start).days, 0), span) / span, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - min(value, y_max) / y_max), 1)

    actual = " ".join(f"{x(p.date)},{y(p.chapters)}" for p in growth.points if p.chapters >= 0)
    target = f"{x(start)},{y(0)} {x(growth.target_date)},{y(growth.target_chapters)}"
    projection = ""
    if growth.projected_date and not growth.reached and growth.today > start:
        end_day = min(growth.projected_date, end)
        total = (growth.projected_date - growth.today).days or 1
        reached_value = growth.current + (growth.target_chapters - growth.current) * (
            (end_day - growth.today).days / total
        )
        projection = f"{x(growth.today)},{y(growth.current)} {x(end_day)},{y(reached_value)}"
    x_ticks = []
    months = 0
    step = max(1, round(span / 30.4 / 8))
    while (day := add_months(start, months)) <= end:
        x_ticks.append({"x": x(day), "label": date_format(day, "M Y")})
        months += step
    y_ticks = [{"y": y(y_max * k / 4), "label": round(y_max * k / 4)} for k in range(5)]
    return Chart(
        width=width,
        height=height,
        actual=actual,
        target=target,
        projection=projection,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        plot={
            "left": left,
            "top": top,
            "right": left + plot_w,
            "bottom": top + plot_h,
            "width": plot_w,
            "height": plot_h,
        },
    )
