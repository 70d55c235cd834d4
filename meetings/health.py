"""The meeting parts of chapter health, given to the chapters app through its provider hook
(chapters cannot import meetings). Counts and rates only — never any shared text.

For every chapter on a page, over the last six months, in three aggregate queries:
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

from .models import Attendance, Meeting, Share

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
    held = Meeting.objects.filter(
        chapter_id__in=ids, status=Meeting.Status.CLOSED, starts_at__gte=since
    )
    meetings_held = dict(
        held.values("chapter_id").annotate(n=Count("pk")).values_list("chapter_id", "n")
    )
    attendance = {
        row["meeting__chapter_id"]: row
        for row in Attendance.objects.filter(meeting__in=held)
        .values("meeting__chapter_id")
        .annotate(
            recorded=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED))
        )
    }
    shares = dict(
        Share.objects.filter(meeting__in=held)
        .values("meeting__chapter_id")
        .annotate(n=Count("pk"))
        .values_list("meeting__chapter_id", "n")
    )

    parts: dict[int, list[HealthPart]] = {}
    for chapter_id in ids:
        held_count = meetings_held.get(chapter_id, 0)
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
        marks = attendance.get(chapter_id)
        if marks and marks["recorded"]:
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
                share_rate = min(shares.get(chapter_id, 0) / marks["attended"], 1.0)
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
