"""The meeting parts of chapter health, given to the chapters app through its provider hook
(chapters cannot import meetings). Counts and rates only — never any shared text.

For every chapter on a page, over the last six months, in one aggregate query:
attendance rate (present or late / attendance recorded), regularity (held meetings per month,
monthly being the format) and shares recorded (shares / attendees). A part with nothing to
measure yet (no meeting held) is left out rather than scored zero."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapters.health import HealthPart
from chapters.models import Chapter

from .models import Attendance, Meeting

WINDOW_MONTHS = 6
ATTENDANCE_POINTS = 20
REGULARITY_POINTS = 20
SHARES_POINTS = 10


def meeting_health_provider(
    chapters: Sequence[Chapter], now: dt.datetime
) -> dict[int, list[HealthPart]]:
    ids = [chapter.pk for chapter in chapters]
    if not ids:
        return {}
    since = now - dt.timedelta(days=round(WINDOW_MONTHS * 30.44))
    rows = (
        Meeting.objects.filter(
            chapter_id__in=ids, status=Meeting.Status.CLOSED, starts_at__gte=since
        )
        .values("chapter_id")
        .annotate(
            held=Count("pk", distinct=True),
            recorded=Count("attendances", distinct=True),
            attended=Count(
                "attendances",
                filter=Q(attendances__status__in=Attendance.ATTENDED),
                distinct=True,
            ),
            shares=Count("shares", distinct=True),
        )
    )
    counts = {row["chapter_id"]: row for row in rows}

    parts: dict[int, list[HealthPart]] = {}
    for chapter_id in ids:
        marks = counts.get(chapter_id)
        held_count = marks["held"] if marks else 0
        if not held_count:
            continue
        chapter_parts = []
        regularity = min(held_count / WINDOW_MONTHS, 1.0)
        chapter_parts.append(
            HealthPart(
                _("Meeting regularity"),
                round(REGULARITY_POINTS * regularity),
                REGULARITY_POINTS,
                ngettext(
                    "%(n)s meeting held in %(months)s months.",
                    "%(n)s meetings held in %(months)s months.",
                    held_count,
                )
                % {"n": held_count, "months": WINDOW_MONTHS},
            )
        )
        if marks["recorded"]:
            rate = marks["attended"] / marks["recorded"]
            chapter_parts.append(
                HealthPart(
                    _("Attendance"),
                    round(ATTENDANCE_POINTS * rate),
                    ATTENDANCE_POINTS,
                    _("%(percent)s%% of places taken at held meetings.")
                    % {"percent": round(rate * 100)},
                )
            )
            if marks["attended"]:
                share_rate = min(marks["shares"] / marks["attended"], 1.0)
                chapter_parts.append(
                    HealthPart(
                        _("Shares recorded"),
                        round(SHARES_POINTS * share_rate),
                        SHARES_POINTS,
                        _("%(percent)s%% of attendees recorded a success and a challenge.")
                        % {"percent": round(share_rate * 100)},
                    )
                )
        parts[chapter_id] = chapter_parts
    return parts
