"""RSVPs, attendance, shares (exactly one per member and meeting), stories, follow-ups, and
closing, which locks the record and tells chapters a meeting was held."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from chapters.models import Chapter
from meetings import selectors, services
from meetings.errors import MeetingError, MeetingLocked, MeetingPermissionDenied
from meetings.models import Attendance, FollowUp, Meeting, Rsvp, Share, Story

from . import factories


def test_rsvp_answers_and_changes(world):
    member = world.members[0]
    assert not Rsvp.objects.filter(meeting=world.upcoming).exists()
    services.rsvp_set(meeting=world.upcoming, user=member, answer="maybe")
    services.rsvp_set(meeting=world.upcoming, user=member, answer="yes")
    assert list(Rsvp.objects.filter(meeting=world.upcoming).values_list("user", "answer")) == [
        (member.pk, "yes")
    ]
    with pytest.raises(MeetingError):
        services.rsvp_set(meeting=world.upcoming, user=member, answer="perhaps")
    with pytest.raises(MeetingPermissionDenied):
        services.rsvp_set(meeting=world.upcoming, user=world.outsider, answer="yes")
    with pytest.raises(MeetingPermissionDenied):
        services.rsvp_set(meeting=world.upcoming, user=world.admin, answer="yes")


def test_attendance_is_recorded_by_the_facilitator_only(world):
    marco, ines, tom = world.members
    with pytest.raises(MeetingPermissionDenied):
        services.attendance_record(
            meeting=world.started, actor=marco, statuses={marco.pk: "present"}
        )
    services.attendance_record(
        meeting=world.started,
        actor=world.facilitator,
        statuses={marco.pk: "present", ines.pk: "late", tom.pk: "excused"},
    )
    services.attendance_record(
        meeting=world.started, actor=world.facilitator, statuses={tom.pk: ""}
    )  # cleared
    assert dict(Attendance.objects.filter(meeting=world.started).values_list("user", "status")) == {
        marco.pk: "present",
        ines.pk: "late",
    }
    with pytest.raises(MeetingError, match="current members"):
        services.attendance_record(
            meeting=world.started, actor=world.facilitator, statuses={world.outsider.pk: "present"}
        )
    with pytest.raises(MeetingError):
        services.attendance_record(
            meeting=world.started, actor=world.facilitator, statuses={marco.pk: "asleep"}
        )


def test_one_share_per_member_per_meeting(world):
    member = world.members[0]
    first = services.share_save(
        meeting=world.upcoming, user=member, success="Closed a round", challenge="Hiring a CTO"
    )
    again = services.share_save(
        meeting=world.upcoming, user=member, success="Closed a round!", challenge="Hiring a CTO"
    )
    assert again.pk == first.pk
    assert Share.objects.filter(meeting=world.upcoming, author=member).count() == 1
    # The database itself refuses a second row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Share.objects.create(meeting=world.upcoming, author=member, success="x", challenge="y")
    # And a share without both halves.
    with pytest.raises(IntegrityError), transaction.atomic():
        Share.objects.create(
            meeting=world.upcoming, author=world.members[1], success="x", challenge=""
        )


def test_share_needs_both_a_success_and_a_challenge(world):
    with pytest.raises(MeetingError) as error:
        services.share_save(
            meeting=world.upcoming, user=world.members[0], success="  ", challenge="Cash"
        )
    assert error.value.field == "success"
    with pytest.raises(MeetingError):
        services.share_save(
            meeting=world.upcoming, user=world.members[0], success="Good", challenge="x" * 4001
        )
    assert not Share.objects.exists()


def test_members_recorded_absent_have_no_share(world):
    member = world.members[0]
    services.attendance_record(
        meeting=world.started, actor=world.facilitator, statuses={member.pk: "excused"}
    )
    with pytest.raises(MeetingError, match="not attending"):
        services.share_save(meeting=world.started, user=member, success="S", challenge="C")


def test_stories_answer_others_challenges_once_the_meeting_started(world):
    marco, ines, _tom = world.members
    upcoming_share = services.share_save(
        meeting=world.upcoming, user=marco, success="S", challenge="C"
    )
    with pytest.raises(MeetingError, match="once the meeting has started"):
        services.story_save(share=upcoming_share, user=ines, text="When we…")

    share = services.share_save(meeting=world.started, user=marco, success="S", challenge="C")
    with pytest.raises(MeetingError, match="not your own"):
        services.story_save(share=share, user=marco, text="Me too")
    with pytest.raises(MeetingPermissionDenied):
        services.story_save(share=share, user=world.outsider, text="Elsewhere…")
    with pytest.raises(MeetingPermissionDenied):
        services.story_save(share=share, user=world.admin, text="As admin…")

    story, advice = services.story_save(
        share=share, user=ines, text="When this happened to us, we paused hiring."
    )
    assert advice is False
    story, advice = services.story_save(share=share, user=ines, text="You should pause hiring.")
    assert advice is True  # a hint, and saved anyway
    assert Story.objects.get(pk=story.pk).text == "You should pause hiring."
    assert Story.objects.filter(share=share).count() == 1

    with pytest.raises(MeetingPermissionDenied):
        services.story_delete(story=story, user=world.facilitator)
    services.story_delete(story=story, user=ines)
    assert not Story.objects.filter(share=share).exists()


def _close(meeting, world, minutes="Next time: venue change."):
    services.attendance_record(
        meeting=meeting,
        actor=world.facilitator,
        statuses={world.facilitator.pk: "present", world.members[0].pk: "present"},
    )
    return services.meeting_close(meeting=meeting, actor=world.facilitator, minutes=minutes)


def test_closing_locks_the_record(world):
    marco, ines, tom = world.members
    share = services.share_save(meeting=world.started, user=marco, success="S", challenge="C")
    story, _ = services.story_save(share=share, user=world.facilitator, text="We did…")
    closed = _close(world.started, world)

    assert closed.is_closed and closed.closed_by == world.facilitator
    assert closed.minutes == "Next time: venue change."
    # Members without an entry are marked absent.
    assert dict(Attendance.objects.filter(meeting=closed).values_list("user", "status")) == {
        world.facilitator.pk: "present",
        marco.pk: "present",
        ines.pk: "absent",
        tom.pk: "absent",
    }
    for attempt in (
        lambda: services.share_save(meeting=closed, user=marco, success="S2", challenge="C2"),
        lambda: services.story_save(share=share, user=ines, text="Late story"),
        lambda: services.story_delete(story=story, user=world.facilitator),
        lambda: services.attendance_record(
            meeting=closed, actor=world.facilitator, statuses={ines.pk: "present"}
        ),
        lambda: services.rsvp_set(meeting=closed, user=ines, answer="yes"),
        lambda: services.minutes_save(meeting=closed, actor=world.facilitator, minutes="x"),
        lambda: services.meeting_close(meeting=closed, actor=world.facilitator, minutes="x"),
    ):
        with pytest.raises(MeetingLocked):
            attempt()
    share.refresh_from_db()
    assert share.success == "S"


def test_closing_needs_a_started_meeting_with_someone_present_and_a_facilitator(world):
    with pytest.raises(MeetingError, match="once it has started"):
        services.meeting_close(meeting=world.upcoming, actor=world.facilitator, minutes="")
    with pytest.raises(MeetingError, match="Record who was there"):
        services.meeting_close(meeting=world.started, actor=world.facilitator, minutes="")
    with pytest.raises(MeetingPermissionDenied):
        services.meeting_close(meeting=world.started, actor=world.members[0], minutes="")
    assert Meeting.objects.get(pk=world.started.pk).status == Meeting.Status.SCHEDULED


def test_closing_records_the_held_meeting_in_chapters(world):
    Chapter.objects.filter(pk=world.chapter.pk).update(status=Chapter.Status.FORMING)
    world.started.chapter.refresh_from_db()
    assert world.started.chapter.last_meeting_at is None
    _close(world.started, world)
    chapter = Chapter.objects.get(pk=world.chapter.pk)
    assert chapter.last_meeting_at == world.started.starts_at
    # Four members, a facilitator, at least the default minimum of three: the first meeting
    # makes a forming chapter active.
    assert chapter.status == Chapter.Status.ACTIVE


def test_follow_ups_answer_last_meetings_challenge(world):
    marco, ines, _tom = world.members
    last = factories.meeting(world.chapter, starts_in=timedelta(days=-30))
    previous = services.share_save(meeting=last, user=marco, success="S", challenge="Churn")
    _close(last, world)

    with pytest.raises(MeetingError, match="no challenge"):
        services.follow_up_save(meeting=world.started, user=ines, text="…")
    follow_up = services.follow_up_save(
        meeting=world.started, user=marco, text="Churn halved after the pricing change."
    )
    assert follow_up.share == previous and follow_up.meeting == world.started
    services.follow_up_save(meeting=world.started, user=marco, text="Churn halved.")
    assert FollowUp.objects.get().text == "Churn halved."

    view = selectors.meeting_view_for(world.started, ines)
    rows = {row.user.pk: row for row in view.follow_up_rows}
    assert list(rows) == [marco.pk]
    assert rows[marco.pk].previous_share.challenge == "Churn"
    assert rows[marco.pk].previous_share.follow_up.text == "Churn halved."


def test_only_current_members_take_part(world):
    membership = world.chapter.memberships.get(user=world.members[2])
    membership.left_at = timezone.now()
    membership.save()
    with pytest.raises(MeetingPermissionDenied):
        services.share_save(
            meeting=world.upcoming, user=world.members[2], success="S", challenge="C"
        )


def test_follow_ups_belong_to_the_next_meeting_only(world):
    marco = world.members[0]
    last = factories.meeting(world.chapter, starts_in=timedelta(days=-30))
    services.share_save(meeting=last, user=marco, success="S", challenge="Churn")
    _close(last, world)
    later = factories.meeting(world.chapter, starts_in=timedelta(days=40))
    # `started` (an hour ago) comes between `last` and `later`.
    assert selectors.previous_share_of(world.started, marco) is not None
    assert selectors.previous_share_of(later, marco) is None
    with pytest.raises(MeetingError, match="no challenge"):
        services.follow_up_save(meeting=later, user=marco, text="…")
    # A cancelled meeting in between does not count.
    services.meeting_cancel(meeting=world.upcoming, actor=world.facilitator)
    Meeting.objects.filter(pk=world.started.pk).update(status=Meeting.Status.CANCELLED)
    assert selectors.previous_share_of(later, marco) is not None
