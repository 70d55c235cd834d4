from meetings import demo
from meetings.models import FollowUp, Meeting, MeetingSchedule, Share, Story


def test_demo_seed_is_idempotent_and_does_nothing_without_chapters(in_a):
    demo.seed()
    assert not Meeting.objects.exists()


def test_demo_seed_fills_active_chapters(world):
    Meeting.objects.all().delete()
    demo.seed()
    schedule = MeetingSchedule.objects.get(chapter=world.chapter)
    held = Meeting.objects.filter(chapter=world.chapter, status=Meeting.Status.CLOSED)
    assert held.count() == demo.PAST_MEETINGS
    assert Share.objects.filter(meeting__in=held).exists()
    assert Story.objects.filter(share__meeting__in=held).exists()
    assert FollowUp.objects.exists()
    assert Meeting.objects.filter(schedule=schedule, status="scheduled").exists()
    counts = (Meeting.objects.count(), Share.objects.count(), Story.objects.count())
    demo.seed()
    assert (Meeting.objects.count(), Share.objects.count(), Story.objects.count()) == counts
