"""The pages: forms end to end, facilitator-only pages, the htmx advice hint, and query counts
that do not grow with members, shares or stories."""

from datetime import datetime, time, timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from chapters.models import Membership
from meetings import services
from meetings.models import Attendance, Meeting, MeetingSchedule, Rsvp, Share, Story

from . import factories


def test_my_meetings_and_the_chapters_list(world, client_for):
    client = client_for(world.members[0])
    mine = client.get(reverse("meetings:mine"))
    assert mine.status_code == 200
    assert reverse("meetings:meeting", args=[world.upcoming.pk]) in mine.content.decode()
    chapter = client.get(reverse("meetings:chapter", args=[world.chapter.pk]))
    assert chapter.status_code == 200
    assert "Station F" in chapter.content.decode()
    assert (
        client_for(world.outsider)
        .get(reverse("meetings:chapter", args=[world.chapter.pk]))
        .status_code
        == 404
    )
    home = client.get("/").content.decode()
    assert 'href="/meetings/"' in home


def test_the_facilitator_sets_the_schedule_with_the_form(world, client_for):
    url = reverse("meetings:schedule", args=[world.chapter.pk])
    assert client_for(world.members[0]).get(url).status_code == 403
    client = client_for(world.facilitator)
    assert client.get(url).status_code == 200
    form = {
        "frequency": "monthly_weekday",
        "week_position": "3",
        "weekday": "3",
        "day_of_month": "",
        "start_time": "19:00",
        "duration_minutes": "90",
        "starts_on": timezone.localdate().isoformat(),
        "location": "Le Loft",
        "video_url": "",
        "is_active": "on",
    }
    bad = client.post(url, {**form, "frequency": "monthly_day"})
    assert bad.status_code == 400 and "Choose the day of the month." in bad.content.decode()
    response = client.post(url, form)
    assert response.status_code == 302
    schedule = MeetingSchedule.objects.get(chapter=world.chapter)
    assert schedule.rrule == "FREQ=MONTHLY;BYDAY=3TH"
    generated = Meeting.objects.filter(schedule=schedule)
    assert generated.exists()
    for meeting in generated:
        local = meeting.starts_at.astimezone(world.chapter.metro.tzinfo)
        assert (local.weekday(), local.hour, 15 <= local.day <= 21) == (3, 19, True)
    page = client.get(reverse("meetings:chapter", args=[world.chapter.pk])).content.decode()
    assert "Every third Thursday of the month at 19:00" in page


def test_a_one_off_is_entered_in_local_time(world, client_for):
    client = client_for(world.facilitator)
    day = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("meetings:add", args=[world.chapter.pk]),
        {
            "date": day.isoformat(),
            "start_time": "08:15",
            "duration_minutes": "60",
            "location": "",
            "video_url": "https://meet.example/abc",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(
        chapter=world.chapter, schedule__isnull=True, video_url="https://meet.example/abc"
    )
    tz = world.chapter.metro.tzinfo
    assert meeting.starts_at == datetime.combine(day, time(8, 15), tzinfo=tz)
    past = client.post(
        reverse("meetings:add", args=[world.chapter.pk]),
        {
            "date": "2020-01-01",
            "start_time": "08:15",
            "duration_minutes": "60",
        },
    )
    assert past.status_code == 400 and "Choose a time in the future." in past.content.decode()


def test_move_and_cancel_from_the_pages(world, client_for):
    client = client_for(world.facilitator)
    edit = reverse("meetings:edit", args=[world.upcoming.pk])
    assert client_for(world.members[0]).get(edit).status_code == 403
    local = timezone.localtime(world.upcoming.starts_at, world.chapter.metro.tzinfo)
    moved = client.post(
        edit,
        {
            "date": (local.date() + timedelta(days=1)).isoformat(),
            "start_time": "20:00",
            "duration_minutes": "120",
            "location": "Station F",
            "video_url": "",
        },
    )
    assert moved.status_code == 302
    world.upcoming.refresh_from_db()
    assert (
        timezone.localtime(world.upcoming.starts_at, world.chapter.metro.tzinfo).strftime("%H:%M")
        == "20:00"
    )
    client.post(reverse("meetings:cancel", args=[world.upcoming.pk]), {"reason": "Strike"})
    world.upcoming.refresh_from_db()
    assert world.upcoming.is_cancelled and world.upcoming.cancel_reason == "Strike"


def test_members_answer_and_prepare_from_the_meeting_page(world, client_for):
    marco = world.members[0]
    client = client_for(marco)
    url = reverse("meetings:meeting", args=[world.upcoming.pk])
    assert (
        client.post(
            reverse("meetings:rsvp", args=[world.upcoming.pk]), {"answer": "yes"}
        ).status_code
        == 302
    )
    assert Rsvp.objects.get(meeting=world.upcoming, user=marco).answer == "yes"
    empty = client.post(
        reverse("meetings:share", args=[world.upcoming.pk]), {"success": "", "challenge": "Cash"}
    )
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert (
        client.post(
            reverse("meetings:share", args=[world.upcoming.pk]),
            {
                "success": "First enterprise client",
                "challenge": "Cash runway",
            },
        ).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "First enterprise client" in page and "1 of 4 have prepared" in page


def test_stories_with_the_gentle_advice_hint(world, client_for):
    share = services.share_save(
        meeting=world.started,
        user=world.members[0],
        success="S",
        challenge="Our biggest customer pays late",
    )
    client = client_for(world.members[1])
    response = client.post(
        reverse("meetings:story", args=[world.started.pk, share.pk]),
        {"text": "You should send a lawyer's letter."},
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("reads a little like advice" in text for text in texts)
    assert Story.objects.get(share=share).text == "You should send a lawyer's letter."
    own = client_for(world.members[0]).post(
        reverse("meetings:story", args=[world.started.pk, share.pk]), {"text": "Me"}
    )
    assert own.status_code == 302
    assert any("not your own" in str(m) for m in get_messages(own.wsgi_request))
    assert Story.objects.filter(share=share).count() == 1


def test_the_live_advice_check(world, client_for):
    client = client_for(world.members[0])
    url = reverse("meetings:advice-check")
    hint = client.post(url, {"text": "Vous devriez changer de banque."}, HTTP_HX_REQUEST="true")
    assert "reads a little like advice" in hint.content.decode()
    calm = client.post(
        url, {"text": "When it happened to us, we changed banks."}, HTTP_HX_REQUEST="true"
    )
    assert calm.status_code == 200 and "advice" not in calm.content.decode()


def test_the_facilitator_runs_and_closes_the_meeting(world, client_for):
    marco, ines, tom = world.members
    run = reverse("meetings:run", args=[world.started.pk])
    assert client_for(marco).get(run).status_code == 403
    client = client_for(world.facilitator)
    page = client.get(run).content.decode()
    for step in (
        "What is said here stays here",
        "Round of successes",
        "Challenges, answered with stories",
        "Follow-ups from last time",
        "Housekeeping and minutes",
    ):
        assert step in page
    assert "data-speaker-timer" in page and "js/meetings.js" in page
    assert "<script>" not in page  # the timer is a static file

    early = client.post(
        reverse("meetings:minutes", args=[world.started.pk]), {"minutes": "Draft", "close": "1"}
    )
    assert early.status_code == 400 and "Record who was there" in early.content.decode()
    client.post(
        reverse("meetings:attendance", args=[world.started.pk]),
        {
            f"status_{world.facilitator.pk}": "present",
            f"status_{marco.pk}": "late",
            f"status_{ines.pk}": "excused",
            f"status_{tom.pk}": "",
        },
    )
    assert dict(Attendance.objects.filter(meeting=world.started).values_list("user", "status")) == {
        world.facilitator.pk: "present",
        marco.pk: "late",
        ines.pk: "excused",
    }
    client.post(reverse("meetings:minutes", args=[world.started.pk]), {"minutes": "Draft"})
    assert Meeting.objects.get(pk=world.started.pk).minutes == "Draft"
    closed = client.post(
        reverse("meetings:minutes", args=[world.started.pk]),
        {"minutes": "Venue moves to Le Loft.", "close": "1"},
    )
    assert closed.status_code == 302
    meeting = Meeting.objects.get(pk=world.started.pk)
    assert meeting.is_closed and meeting.minutes == "Venue moves to Le Loft."
    assert Attendance.objects.get(meeting=meeting, user=tom).status == "absent"
    locked = client_for(marco).post(
        reverse("meetings:share", args=[meeting.pk]), {"success": "S", "challenge": "C"}
    )
    assert locked.status_code == 400 and "closed" in locked.content.decode()


def test_the_chapter_page_shows_the_next_meeting(world, client_for):
    url = reverse("chapters:detail", args=[world.chapter.pk])
    page = client_for(world.members[0]).get(url).content.decode()
    # The meeting under way (started an hour ago) comes first; then the next one.
    assert reverse("meetings:meeting", args=[world.started.pk]) in page
    services.meeting_cancel(meeting=world.started, actor=world.facilitator)
    page = client_for(world.members[0]).get(url).content.decode()
    assert reverse("meetings:meeting", args=[world.upcoming.pk]) in page


def test_preferences_page(world, client_for):
    client = client_for(world.members[0])
    assert client.get(reverse("meetings:preferences")).status_code == 200
    client.post(reverse("meetings:preferences"), {"prepare": "on"})
    assert world.members[0].meeting_reminders.upcoming is False


def _fill(meeting, chapter, members: int):
    """Add `members` members, each with a share and a story on the first share."""
    users = [factories.membership(chapter).user for _ in range(members)]
    shares = [
        Share.objects.create(meeting=meeting, author=u, success="S", challenge="C") for u in users
    ]
    for user in users:
        Rsvp.objects.create(meeting=meeting, user=user, answer="yes")
        Attendance.objects.create(meeting=meeting, user=user, status="present")
        for share in shares[:3]:
            if share.author_id != user.pk:
                Story.objects.create(share=share, author=user, text="We did this.")


def test_meeting_page_query_count_does_not_grow(
    pages_drawn, world, client_for, django_assert_num_queries
):
    last = factories.meeting(world.chapter, starts_in=timedelta(days=-30))
    Meeting.objects.filter(pk=last.pk).update(status="closed", closed_at=timezone.now())
    for user in world.everyone_in_chapter:
        Share.objects.create(meeting=last, author=user, success="S", challenge="Old")
    _fill(world.started, world.chapter, 2)
    client = client_for(world.facilitator)
    url = reverse("meetings:meeting", args=[world.started.pk])
    client.get(url)
    # search path, session, user (with their roles and unread count: core.userfacts); meeting;
    # members, RSVPs, attendance, shares, their stories; last held meeting, its shares with
    # follow-ups (the host lookup is cached)
    with django_assert_num_queries(11) as few:
        assert client.get(url).status_code == 200
    _fill(world.started, world.chapter, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert Membership.objects.filter(chapter=world.chapter, left_at__isnull=True).count() == 11


def test_run_page_query_count_does_not_grow(world, client_for, django_assert_num_queries):
    _fill(world.started, world.chapter, 2)
    client = client_for(world.facilitator)
    url = reverse("meetings:run", args=[world.started.pk])
    client.get(url)
    # as the meeting page (the facilitator check comes first), without a previous meeting
    with django_assert_num_queries(10) as few:
        client.get(url)
    _fill(world.started, world.chapter, 4)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
