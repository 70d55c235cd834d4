"""iCalendar (RFC 5545) output for meetings: events in the metro's time zone (TZID with its
VTIMEZONE), an alarm an hour before, cancellations as STATUS:CANCELLED with a higher SEQUENCE so
subscribed calendars update. Only time, place and link: never what was shared."""

from collections.abc import Iterable
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from core.hosts import absolute_url

from .models import Meeting

ALARM_BEFORE = timedelta(hours=1)


def _uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{connection.schema_name}.commons"


def meeting_event(meeting: Meeting) -> Event:
    tz = meeting.chapter.metro.tzinfo
    url = absolute_url(reverse("meetings:meeting", args=[meeting.pk]))
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.modified)
    event.add("dtstart", timezone.localtime(meeting.starts_at, tz))
    event.add("dtend", timezone.localtime(meeting.ends_at, tz))
    event.add("summary", f"{meeting.chapter.name} — chapter meeting")
    if meeting.location:
        event.add("location", meeting.location)
    description = [url]
    if meeting.video_url:
        description.insert(0, meeting.video_url)
    if meeting.is_cancelled and meeting.cancel_reason:
        description.insert(0, meeting.cancel_reason)
    event.add("description", "\n".join(description))
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if not meeting.is_cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{meeting.chapter.name}: meeting in one hour")
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    return event


def calendar_for(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Commons//Chapter meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()
