"""Demo meetings for `make run`: every active demo chapter gets a schedule matching the day it
last met (e.g. "second Tuesday, 18:30"), its last three meetings held and closed — attendance,
shares, stories, follow-ups, minutes, all fictional — and the next three months planned. The
demo facilitator's chapter always has a meeting within the coming week.

Runs after chapters' seed. Idempotent: once schedules exist it only tops up; without chapters it
does nothing."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chapters.models import Chapter, Membership

from . import selectors, services
from .models import Meeting, MeetingSchedule
from .recurrence import occurrences

FACILITATOR_EMAIL = "facilitator@demo.localhost"
PAST_MEETINGS = 3

SUCCESSES = (
    "Signed our first enterprise customer after four months of pilots.",
    "Closed a seed extension with two existing angels.",
    "Hired a senior engineer who turned down a big-tech offer to join us.",
    "Cut our cloud bill by a third by moving batch jobs to off-peak.",
    "Our NPS went from 31 to 52 after we rewrote onboarding.",
    "Got listed in the regional public-procurement catalogue.",
    "Shipped the mobile app; 2,000 installs in the first week.",
    "Renewed our three largest contracts, two of them with price increases.",
)
# Each challenge with stories that answer it and what became of it by the next meeting.
CHALLENGES = (
    (
        "Our biggest client pays 90 days late and it is straining cash.",
        (
            "When this happened to us, we offered a 2% discount for payment within 15 days. "
            "Half the customers took it; the other half paid no later than before.",
            "A supplier of ours simply stopped delivering after 60 days unpaid. It felt brutal, "
            "but the client paid within a week and we are still working together.",
        ),
        "Introduced early-payment terms; the client now pays in 35 days.",
    ),
    (
        "My co-founder and I disagree on whether to raise now or wait a year.",
        (
            "A founder I worked with had the same split. They set a date three months out and "
            "agreed on the numbers that would decide it; by the date the answer was obvious.",
            "We raised too early once. The money came with a board that wanted growth we could "
            "not deliver, and the next two years were about that, not the product.",
        ),
        "We agreed on three numbers to decide by March; two are already there.",
    ),
    (
        "Sales cycles with hospitals take 9 to 12 months; I cannot plan hiring.",
        (
            "In medtech we hired against signed letters of intent, not forecasts. It slowed us "
            "down a little and saved us from one painful round of layoffs.",
        ),
        "Two letters of intent signed; the first hire starts in January.",
    ),
    (
        "A larger competitor is copying our features and undercutting our price.",
        (
            "We lived through a copycat in 2019. We stopped watching them and spent the quarter "
            "on support quality; our renewal rate is what carried us through.",
            "A friend's company answered a price war by moving up-market. They lost a third of "
            "their small customers and doubled revenue within the year.",
        ),
        "Stopped matching their price; we lost one customer and won two on service.",
    ),
    (
        "I am still doing all the sales myself and it does not scale.",
        (
            "At my previous company the founder kept sales for two years. What changed things "
            "was writing down every objection for a month — the first hire onboarded from it.",
        ),
        "Hired a part-time sales lead; she closed her first deal last week.",
    ),
    (
        "We are unsure whether to expand to Germany or deepen in France first.",
        (
            "When we opened Germany too early, we spent a year with one unhappy reseller. The "
            "second time we waited for three inbound German customers before hiring anyone.",
        ),
        "Decided to deepen in France this year and revisit Germany in September.",
    ),
    (
        "Our churn among small customers doubled this quarter.",
        (
            "In our case churn came from customers who never finished setup. We called each "
            "of them and found the same missing integration; building it brought churn down.",
        ),
        "Called the twenty who left: most never finished onboarding. Fix ships next week.",
    ),
)
MINUTES = (
    "Round of successes and challenges. Next meeting at the usual place. {name} brings a guest "
    "for the objection window.",
    "Good energy. Agreed to keep the 3-minute successes round. Venue confirmed for next time.",
    "Short meeting (two apologies). Housekeeping: the seat for fintech is still open.",
)


def seed() -> None:
    chapters = list(Chapter.objects.filter(status=Chapter.Status.ACTIVE).select_related("metro"))
    if not chapters:
        return
    if not MeetingSchedule.objects.exists():
        for index, chapter in enumerate(chapters):
            _seed_chapter(chapter, index)
    services.meetings_generate_all()
    _facilitator_meets_this_week()


def _facilitator(chapter: Chapter):
    membership = (
        Membership.objects.filter(
            chapter=chapter, left_at__isnull=True, role=Membership.Role.FACILITATOR
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _rule_for(day: date) -> dict:
    """The monthly-by-weekday rule that lands on `day`: its weekday and its position in the
    month (a fifth one is "the last")."""
    position = (day.day - 1) // 7 + 1
    return {"weekday": day.weekday(), "week_position": -1 if position == 5 else position}


@transaction.atomic
def _seed_chapter(chapter: Chapter, index: int) -> None:
    facilitator = _facilitator(chapter)
    if facilitator is None:
        return
    tz = chapter.metro.tzinfo
    now = timezone.now()
    last_day = timezone.localtime(chapter.last_meeting_at or now - timedelta(days=20), tz).date()
    rule = _rule_for(last_day)
    start_time = time(18, 30) if index % 3 else time(8, 0)
    schedule = services.schedule_save(
        chapter=chapter,
        actor=facilitator,
        frequency=MeetingSchedule.Frequency.MONTHLY_WEEKDAY,
        weekday=rule["weekday"],
        week_position=rule["week_position"],
        day_of_month=None,
        start_time=start_time,
        duration_minutes=120 if index % 3 else 90,
        starts_on=last_day - timedelta(days=100),
        location=(
            "Station F, 5 parvis Alan Turing"
            if chapter.metro.name == "Paris"
            else f"{chapter.name} — members' office"
        ),
        video_url="",
    )
    past = occurrences(
        rule=schedule.rrule,
        start_date=schedule.starts_on,
        start_time=start_time,
        tz=tz,
        after=now - timedelta(days=100),
        before=now - timedelta(hours=6),
    )[-PAST_MEETINGS:]
    members = [
        m.user
        for m in Membership.objects.filter(chapter=chapter, left_at__isnull=True)
        .select_related("user")
        .order_by("joined_at", "pk")
    ]
    for number, starts_at in enumerate(past):
        meeting, _created = Meeting.objects.get_or_create(
            chapter=chapter,
            occurrence_start=starts_at,
            defaults={
                "schedule": schedule,
                "starts_at": starts_at,
                "duration_minutes": schedule.duration_minutes,
                "location": schedule.location,
            },
        )
        if not meeting.is_open:
            continue
        _hold(meeting, facilitator, members, seed=index * 7 + number)


def _hold(meeting: Meeting, facilitator, members: list, *, seed: int) -> None:
    absent = members[(seed % len(members))] if len(members) > 3 else None
    attending = [user for user in members if user != absent]
    for offset, user in enumerate(members):
        services.rsvp_set(
            meeting=meeting,
            user=user,
            answer="no" if user == absent else ("maybe" if offset == 2 else "yes"),
        )
    statuses = {user.pk: "present" for user in attending}
    if len(attending) > 2:
        statuses[attending[-1].pk] = "late"
    if absent is not None:
        statuses[absent.pk] = "excused"
    services.attendance_record(meeting=meeting, actor=facilitator, statuses=statuses)
    by_text = {challenge: index for index, (challenge, _s, _f) in enumerate(CHALLENGES)}
    shares = []
    for offset, user in enumerate(attending):
        previous = selectors.previous_share_of(meeting, user)
        if previous is not None and previous.challenge in by_text:
            services.follow_up_save(
                meeting=meeting, user=user, text=CHALLENGES[by_text[previous.challenge]][2]
            )
        index = (seed + 3 * offset) % len(CHALLENGES)
        share = services.share_save(
            meeting=meeting,
            user=user,
            success=SUCCESSES[(seed + offset) % len(SUCCESSES)],
            challenge=CHALLENGES[index][0],
        )
        shares.append((share, CHALLENGES[index][1]))
    for offset, (share, stories) in enumerate(shares):
        tellers = [u for u in attending if u.pk != share.author_id]
        tellers = tellers[offset % len(tellers) :] + tellers[: offset % len(tellers)]
        for teller, story in zip(tellers, stories, strict=False):
            services.story_save(share=share, user=teller, text=story)
    services.meeting_close(
        meeting=meeting,
        actor=facilitator,
        minutes=MINUTES[seed % len(MINUTES)].format(name=attending[0].get_short_name()),
    )


def _facilitator_meets_this_week() -> None:
    """The demo facilitator's chapter has a meeting within the next seven days."""
    membership = (
        Membership.objects.filter(
            user__email=FACILITATOR_EMAIL, left_at__isnull=True, role=Membership.Role.FACILITATOR
        )
        .select_related("chapter__metro", "user")
        .first()
    )
    if membership is None:
        return
    chapter = membership.chapter
    soon = timezone.now() + timedelta(days=7)
    if Meeting.objects.filter(
        chapter=chapter,
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=timezone.now(),
        starts_at__lte=soon,
    ).exists():
        return
    tz = chapter.metro.tzinfo
    day = timezone.localdate(timezone=tz) + timedelta(days=4)
    schedule = selectors.schedule_of(chapter)
    services.meeting_add_one_off(
        chapter=chapter,
        actor=membership.user,
        starts_at=datetime.combine(day, time(18, 30), tzinfo=tz),
        duration_minutes=120,
        location=schedule.location if schedule else "",
    )
