"""iCalendar output, parsed back with the `icalendar` package: TZID with its VTIMEZONE, an
alarm, cancellations; secret, revocable feeds."""

from datetime import datetime, time, timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import CalendarFeed, Meeting
from meetings.services.calendars import hash_feed_key


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_a_meeting_downloads_as_an_event_in_the_metros_time_zone(world, client_for):
    paris = world.chapter.metro.tzinfo
    local_day = timezone.localdate(timezone=paris) + timedelta(days=20)
    starts_at = datetime.combine(local_day, time(18, 30), tzinfo=paris)
    meeting = Meeting.objects.create(
        chapter=world.chapter,
        occurrence_start=starts_at,
        starts_at=starts_at,
        duration_minutes=120,
        location="Station F",
        video_url="https://meet.example/x",
    )
    response = client_for(world.members[0]).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    calendar = parse(response)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == starts_at
    assert event.decoded("DTSTART").astimezone(paris).strftime("%H:%M") == "18:30"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=2)
    assert str(event["LOCATION"]) == "Station F"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert f"/meetings/{meeting.pk}/" in str(event["URL"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    alarms = list(event.walk("VALARM"))
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -timedelta(hours=1)


def test_feeds_are_secret_revocable_and_members_only(world, client_for):
    marco = world.members[0]
    feed, key = services.calendar_feed_create(user=marco)
    assert key not in {feed.key_hash, feed.prefix}
    assert CalendarFeed.objects.get(pk=feed.pk).key_hash == hash_feed_key(key)
    anonymous = client_for(None)  # a calendar program: no session
    url = reverse("meetings:feed", args=[key])

    calendar = parse(anonymous.get(url))
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert {f"meeting-{world.upcoming.pk}", f"meeting-{world.started.pk}"} <= {
        uid.split("@")[0] for uid in uids
    }

    # A new link for the same scope replaces the old one.
    _feed2, key2 = services.calendar_feed_create(user=marco)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("meetings:feed", args=[key2])).status_code == 200
    assert anonymous.get(reverse("meetings:feed", args=["cal_guess_me"])).status_code == 404

    # Leaving the chapter empties the personal feed and closes the chapter feed.
    _chapter_feed, chapter_key = services.calendar_feed_create(user=marco, chapter=world.chapter)
    world.chapter.memberships.filter(user=marco).update(left_at=timezone.now())
    assert anonymous.get(reverse("meetings:feed", args=[chapter_key])).status_code == 404
    emptied = parse(anonymous.get(reverse("meetings:feed", args=[key2])))
    assert list(emptied.walk("VEVENT")) == []


def test_cancelled_meetings_stay_in_feeds_as_cancelled(world, client_for):
    services.meeting_cancel(meeting=world.upcoming, actor=world.facilitator, reason="Holiday")
    _feed, key = services.calendar_feed_create(user=world.members[1], chapter=world.chapter)
    calendar = parse(client_for(None).get(reverse("meetings:feed", args=[key])))
    event = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith(f"meeting-{world.upcoming.pk}@")
    )
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert list(event.walk("VALARM")) == []


def test_the_calendar_page_shows_a_new_link_once_and_revokes(world, client_for):
    client = client_for(world.members[0])
    assert client.get(reverse("meetings:calendars")).status_code == 200
    made = client.post(reverse("meetings:calendars"), {"chapter": world.chapter.pk})
    assert made.status_code == 200
    page = made.content.decode()
    assert "/meetings/feed/cal_" in page and "webcal://" in page
    feed = CalendarFeed.objects.get(user=world.members[0], revoked_at__isnull=True)
    again = client.get(reverse("meetings:calendars")).content.decode()
    assert "/meetings/feed/cal_" not in again  # shown once
    client.post(reverse("meetings:calendar-revoke", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    # Another chapter's feed cannot be made by a non-member.
    refused = client.post(reverse("meetings:calendars"), {"chapter": world.other_chapter.pk})
    assert refused.status_code == 404
    other = client_for(world.outsider).post(reverse("meetings:calendar-revoke", args=[feed.pk]))
    assert other.status_code == 404
