"""Meetings give chapter health its meeting parts: counts and rates only, in a fixed number of
queries whatever the number of chapters."""

from datetime import timedelta

from django.utils import timezone

from chapters.health import healths_of
from chapters.models import ChapterSettings
from chapters.selectors import with_size
from meetings import services
from meetings.health import meeting_health_provider

from . import factories


def _hold(world, *, days_ago: int, present: list, shares: list):
    meeting = factories.meeting(world.chapter, starts_in=timedelta(days=-days_ago))
    for user in shares:
        services.share_save(meeting=meeting, user=user, success="S", challenge="C")
    services.attendance_record(
        meeting=meeting, actor=world.facilitator, statuses={u.pk: "present" for u in present}
    )
    services.meeting_close(meeting=meeting, actor=world.facilitator, minutes="")
    return meeting


def test_a_chapter_that_never_met_has_no_meeting_parts(world):
    assert meeting_health_provider([world.chapter], timezone.now()) == {}


def test_meeting_parts_count_regularity_attendance_and_shares(
    world, django_capture_on_commit_callbacks
):
    marco, ines, tom = world.members
    with django_capture_on_commit_callbacks(execute=True):
        _hold(world, days_ago=60, present=[marco, ines, tom, world.facilitator], shares=[marco])
        _hold(world, days_ago=30, present=[marco, ines], shares=[marco, ines])
    parts = {
        p.name: p
        for p in meeting_health_provider([world.chapter], timezone.now())[world.chapter.pk]
    }
    assert (parts["Meeting regularity"].points, parts["Meeting regularity"].max_points) == (7, 20)
    # 6 present out of 8 marks recorded (the absent are marked absent at close)
    assert parts["Attendance"].points == 15
    # 3 shares for 6 attendees
    assert parts["Shares recorded"].points == 5

    health = healths_of(
        with_size(type(world.chapter).objects.filter(pk=world.chapter.pk)), ChapterSettings.load()
    )[world.chapter.pk]
    assert {"Meeting regularity", "Attendance", "Shares recorded"} <= {p.name for p in health.parts}
    assert 0 <= health.score <= 100


def test_provider_queries_do_not_grow_with_chapters(world, django_assert_num_queries):
    chapters = [world.chapter, world.other_chapter]
    with django_assert_num_queries(1):
        meeting_health_provider(chapters, timezone.now())
    more = chapters + [
        factories.chapter(in_metro=world.chapter.metro, name=f"C{i}") for i in range(4)
    ]
    with django_assert_num_queries(1):
        meeting_health_provider(more, timezone.now())
