"""Recurrence in local time: an RFC 5545 rule is expanded on naive local date-times (what a
person means by "first Tuesday at 18:30"), and only then is each occurrence placed in the metro's
time zone and turned into UTC. Daylight-saving changes therefore keep 18:30 local, and the UTC
hour moves instead.

No Django here: plain functions over dateutil and zoneinfo."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr


def local_to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall time in `tz` as an aware UTC datetime. A wall time that does not exist
    (skipped by a spring-forward change) moves forward by the gap, as calendar programs do; an
    ambiguous one (repeated in autumn) takes its first occurrence."""
    # PEP 495: with fold=0 a skipped time uses the offset from before the change, which lands
    # after the gap (02:30 → 03:30), and a repeated time resolves to its first occurrence.
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def occurrences(
    *,
    rule: str,
    start_date: date,
    start_time: time,
    tz: ZoneInfo,
    after: datetime,
    before: datetime,
) -> list[datetime]:
    """UTC starts of the rule's occurrences with `after <= start < before` (both aware).

    `rule` is an RRULE value (e.g. "FREQ=MONTHLY;BYDAY=1TU"); the series starts on
    `start_date` at `start_time`, in local time."""
    dtstart = datetime.combine(start_date, start_time)
    # Expand in local wall time, a day of margin either side of the UTC window.
    local_after = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    local_before = before.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    series = rrulestr(rule, dtstart=dtstart)
    found = []
    for local in series.between(max(local_after, dtstart - timedelta(seconds=1)), local_before):
        start = local_to_utc(local, tz)
        if after <= start < before:
            found.append(start)
    return found
