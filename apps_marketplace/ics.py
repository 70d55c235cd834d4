"""An event as an iCalendar file (RFC 5545), written by hand: UTC times (so no VTIMEZONE is
needed and every calendar shows the right local time), escaped text, lines folded at 75 octets,
CRLF line ends."""

import datetime

from django.utils import timezone

from .models import Event


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character;
    continuation lines start with one space (§3.1)."""
    chunks: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def utc_stamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event: Event, *, url: str, host: str) -> str:
    location = ", ".join(part for part in (event.venue, event.address, event.metro.name) if part)
    status = {
        Event.Status.CANCELLED: "CANCELLED",
        Event.Status.DRAFT: "TENTATIVE",
    }.get(event.status, "CONFIRMED")
    description = "\n\n".join(part for part in (event.description, url) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Commons//Apps marketplace//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:marketplace-event-{event.pk}@{host}",
        f"DTSTAMP:{utc_stamp(timezone.now())}",
        f"LAST-MODIFIED:{utc_stamp(event.modified)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
