"""Chapter health: a 0-100 score with its parts.

The chapters app knows three parts: size within bounds, a facilitator present and recent
activity (days since the last meeting, or since the chapter started while it has not met).
Apps above it add parts they know (the meetings app: attendance, regularity, shares recorded,
retention) by registering a provider at start-up:

    from chapters.health import register_health_provider
    register_health_provider(meeting_health_parts)  # (chapters, now) -> {chapter id: [HealthPart]}

A provider is called once per page with every chapter shown, so it can answer with a fixed
number of aggregate queries. The score is the share of points earned over all parts, so it stays
0-100 whatever the providers add. Computed, never stored."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Chapter, ChapterSettings

SIZE_POINTS = 40
FACILITATOR_POINTS = 30
ACTIVITY_POINTS = 30
FRESH_DAYS = 35  # a monthly chapter that met within five weeks is on rhythm


@dataclass(frozen=True)
class HealthPart:
    name: str
    points: int
    max_points: int
    explanation: str


@dataclass(frozen=True)
class Health:
    score: int
    parts: tuple[HealthPart, ...]

    @property
    def level(self) -> str:
        if self.score >= 75:
            return "good"
        if self.score >= 45:
            return "fair"
        return "poor"


def chapter_health(
    chapter: Chapter,
    *,
    size: int,
    facilitator_count: int,
    rules: ChapterSettings,
    now: dt.datetime | None = None,
) -> Health:
    now = now or timezone.now()
    if chapter.status == Chapter.Status.CLOSED:
        return Health(0, (HealthPart(_("Closed"), 0, 100, _("The chapter has closed.")),))

    if rules.min_size <= size <= rules.max_size:
        size_points = SIZE_POINTS
        size_text = _("%(size)s members, within %(min)s to %(max)s.") % {
            "size": size,
            "min": rules.min_size,
            "max": rules.max_size,
        }
    elif size < rules.min_size:
        size_points = round(SIZE_POINTS * size / rules.min_size)
        size_text = _("%(size)s members; %(min)s are needed to be active.") % {
            "size": size,
            "min": rules.min_size,
        }
    else:
        size_points = round(SIZE_POINTS * rules.max_size / size)
        size_text = _("%(size)s members, above the maximum of %(max)s.") % {
            "size": size,
            "max": rules.max_size,
        }

    facilitator_points = FACILITATOR_POINTS if facilitator_count else 0
    facilitator_text = (
        ngettext("%(n)s facilitator.", "%(n)s facilitators.", facilitator_count)
        % {"n": facilitator_count}
        if facilitator_count
        else _("Nobody facilitates the chapter.")
    )

    window_days = max(round(30.4375 * rules.dormant_after_months), FRESH_DAYS + 1)
    if chapter.last_meeting_at:
        days = max((now - chapter.last_meeting_at).days, 0)
        activity_text = ngettext("Last met %(n)s day ago.", "Last met %(n)s days ago.", days) % {
            "n": days
        }
    else:
        days = max((now - chapter.created).days, 0)
        activity_text = ngettext(
            "Has not met yet; started %(n)s day ago.",
            "Has not met yet; started %(n)s days ago.",
            days,
        ) % {"n": days}
    if days <= FRESH_DAYS:
        activity_points = ACTIVITY_POINTS
    elif days >= window_days:
        activity_points = 0
    else:
        remaining = (window_days - days) / (window_days - FRESH_DAYS)
        activity_points = round(ACTIVITY_POINTS * remaining)

    parts = (
        HealthPart(_("Size within bounds"), size_points, SIZE_POINTS, size_text),
        HealthPart(
            _("Facilitator present"), facilitator_points, FACILITATOR_POINTS, facilitator_text
        ),
        HealthPart(_("Recent activity"), activity_points, ACTIVITY_POINTS, activity_text),
    )
    return Health(sum(part.points for part in parts), parts)


HealthProvider = Callable[[Sequence[Chapter], dt.datetime], dict[int, list[HealthPart]]]

_providers: list[HealthProvider] = []


def register_health_provider(func: HealthProvider) -> HealthProvider:
    """Register `func(chapters, now) -> {chapter id: [HealthPart, ...]}`; harmless twice."""
    if func not in _providers:
        _providers.append(func)
    return func


def unregister_health_provider(func: HealthProvider) -> None:
    if func in _providers:
        _providers.remove(func)


def combine(parts: Sequence[HealthPart]) -> Health:
    earned = sum(part.points for part in parts)
    possible = sum(part.max_points for part in parts)
    return Health(round(100 * earned / possible) if possible else 0, tuple(parts))


def healths_of(
    chapters: Sequence[Chapter], rules: ChapterSettings, now: dt.datetime | None = None
) -> dict[int, Health]:
    """Health of chapters annotated by selectors.with_size (size, facilitator_count), with the
    parts of every registered provider."""
    now = now or timezone.now()
    chapters = list(chapters)
    extra: dict[int, list[HealthPart]] = defaultdict(list)
    if chapters:
        for provider in _providers:
            for pk, parts in provider(chapters, now).items():
                extra[pk].extend(parts)
    healths = {}
    for chapter in chapters:
        base = chapter_health(
            chapter,
            size=chapter.size,
            facilitator_count=chapter.facilitator_count,
            rules=rules,
            now=now,
        )
        if chapter.status == Chapter.Status.CLOSED or not extra.get(chapter.pk):
            healths[chapter.pk] = base
        else:
            healths[chapter.pk] = combine([*base.parts, *extra[chapter.pk]])
    return healths
