"""Proposing, activating, closing, dormancy and the meeting hook; each change recorded."""

import datetime as dt

import pytest
from django.utils import timezone

from chapters import services
from chapters.errors import ChapterError, ChapterFull, ChapterPermissionDenied, SeatTaken
from chapters.health import chapter_health
from chapters.models import (
    AgreementAcceptance,
    Chapter,
    ChapterStatusChange,
    Invitation,
    JoinRequest,
    Membership,
)
from network.models import Entrepreneur

from .factories import ChapterFactory, EntrepreneurFactory, MetroFactory, join


def count_of(person) -> int:
    return Entrepreneur.objects.get(pk=person.pk).active_chapter_count


def test_propose_makes_a_forming_chapter_with_founder_and_invitations(
    person, rules, django_capture_on_commit_callbacks, mailoutbox
):
    founder = person("Food", email="founder@alpha.test")
    friend = person("Fintech", email="friend@alpha.test")
    other = person("Health", email="other@alpha.test")
    assert count_of(founder) == 0

    with django_capture_on_commit_callbacks(execute=True):
        chapter = services.chapter_propose(
            user=founder.user,
            name="  Lyon   Makers ",
            invitees=[friend, other],
            accept_agreement=True,
        )

    assert chapter.name == "Lyon Makers"
    assert chapter.status == Chapter.Status.FORMING
    assert chapter.metro_id == founder.metro_id
    membership = Membership.objects.get(chapter=chapter)
    assert membership.user == founder.user
    assert membership.role == Membership.Role.FACILITATOR
    assert AgreementAcceptance.objects.get(membership=membership).agreement.version == 1
    assert count_of(founder) == 1
    invitations = Invitation.objects.filter(chapter=chapter)
    assert {i.email for i in invitations} == {"friend@alpha.test", "other@alpha.test"}
    assert {i.status for i in invitations} == {Invitation.Status.SENT}
    assert all(i.token_hash and len(i.token_hash) == 64 for i in invitations)
    assert sorted(m.to[0] for m in mailoutbox) == ["friend@alpha.test", "other@alpha.test"]
    assert "/chapters/invitations/accept/" in mailoutbox[0].body
    change = ChapterStatusChange.objects.get(chapter=chapter)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "",
        "forming",
        founder.user,
    )


def test_propose_refuses_two_founders_of_one_sector_naming_it(person):
    founder = person("Food")
    rival = person("Food")
    with pytest.raises(SeatTaken, match="2 founders are in Food"):
        services.chapter_propose(
            user=founder.user, name="Clash", invitees=[rival], accept_agreement=True
        )
    assert not Chapter.objects.filter(name="Clash").exists()
    assert count_of(founder) == 0


def test_propose_needs_profile_agreement_and_same_metro(person, in_a):
    founder = person("Food")
    elsewhere = EntrepreneurFactory(metro=MetroFactory())
    with pytest.raises(ChapterError, match="collaboration agreement"):
        services.chapter_propose(
            user=founder.user, name="No rule", invitees=[], accept_agreement=False
        )
    with pytest.raises(ChapterError, match="not an active member in Lyon"):
        services.chapter_propose(
            user=founder.user, name="Far", invitees=[elsewhere], accept_agreement=True
        )
    founder.sector = None
    founder.save()
    with pytest.raises(ChapterError, match="metro and sector"):
        services.chapter_propose(
            user=founder.user, name="Incomplete", invitees=[], accept_agreement=True
        )
    assert Chapter.objects.count() == 0


def test_propose_respects_maximum_size(person, rules):
    rules.max_size = 3
    rules.save()
    founder = person("Food")
    invitees = [person(name) for name in ("Fintech", "Health", "Media")]
    with pytest.raises(ChapterFull, match="at most 3 members; this roster has 4"):
        services.chapter_propose(
            user=founder.user, name="Too big", invitees=invitees, accept_agreement=True
        )
    assert not Chapter.objects.filter(name="Too big").exists()


def test_activate_needs_minimum_size_and_a_manager(chapter, person, rules):
    forming = ChapterFactory(metro=chapter.metro, name="Small")
    founder = person("Media")
    join(forming, founder, "facilitator")
    join(forming, person("Retail"))
    with pytest.raises(ChapterError, match="at least 3 members to become active; Small has 2"):
        services.chapter_activate(chapter=forming, actor=founder.user)
    with pytest.raises(ChapterPermissionDenied):
        services.chapter_activate(chapter=forming, actor=chapter.mia.user)

    join(forming, person("Fintech"))
    services.chapter_activate(chapter=forming, actor=founder.user, reason="We are ready")
    forming.refresh_from_db()
    assert forming.status == Chapter.Status.ACTIVE
    assert forming.activated_at is not None
    change = forming.status_changes.first()
    assert (change.from_status, change.to_status, change.reason) == (
        "forming",
        "active",
        "We are ready",
    )
    assert change.changed_by == founder.user


def test_first_meeting_activates_a_full_forming_chapter(chapter, person):
    forming = ChapterFactory(metro=chapter.metro)
    join(forming, person("Media"), "facilitator")
    join(forming, person("Retail"))
    held = timezone.now() - dt.timedelta(hours=2)
    services.chapter_record_meeting(chapter=forming, held_at=held)
    forming.refresh_from_db()
    assert forming.status == Chapter.Status.FORMING  # two members: not yet
    assert forming.last_meeting_at == held

    join(forming, person("Fintech"))
    services.chapter_record_meeting(chapter=forming, held_at=timezone.now())
    forming.refresh_from_db()
    assert forming.status == Chapter.Status.ACTIVE
    change = forming.status_changes.first()
    assert change.changed_by is None and change.reason == "Held its first meeting"


def test_record_meeting_keeps_the_latest_date_and_wakes_a_dormant_chapter(chapter):
    chapter.status = Chapter.Status.DORMANT
    chapter.save()
    recent = timezone.now() - dt.timedelta(days=1)
    services.chapter_record_meeting(chapter=chapter, held_at=recent)
    services.chapter_record_meeting(chapter=chapter, held_at=recent - dt.timedelta(days=30))
    chapter.refresh_from_db()
    assert chapter.last_meeting_at == recent
    assert chapter.status == Chapter.Status.ACTIVE
    assert chapter.status_changes.first().reason == "Met again"


def test_dormancy_sweep(chapter, metro, rules):
    now = timezone.now()
    chapter.last_meeting_at = now - dt.timedelta(days=100)
    chapter.save()
    never_met_old = ChapterFactory(metro=metro, created=now - dt.timedelta(days=120))
    never_met_young = ChapterFactory(metro=metro, created=now - dt.timedelta(days=20))
    met_recently = ChapterFactory(
        metro=metro,
        status=Chapter.Status.ACTIVE,
        last_meeting_at=now - dt.timedelta(days=10),
        created=now - dt.timedelta(days=300),
    )
    closed = ChapterFactory(
        metro=metro, status=Chapter.Status.CLOSED, created=now - dt.timedelta(days=300)
    )

    assert services.chapters_mark_dormant(now=now) == 2
    assert services.chapters_mark_dormant(now=now) == 0  # idempotent

    statuses = dict(Chapter.objects.values_list("pk", "status"))
    assert statuses[chapter.pk] == "dormant"
    assert statuses[never_met_old.pk] == "dormant"
    assert statuses[never_met_young.pk] == "forming"
    assert statuses[met_recently.pk] == "active"
    assert statuses[closed.pk] == "closed"
    change = chapter.status_changes.first()
    assert change.changed_by is None and change.reason == "No meeting in 3 months"


def test_dormancy_task_runs_in_the_organisation(chapter, in_a):
    from chapters.tasks import mark_dormant_chapters

    chapter.last_meeting_at = timezone.now() - dt.timedelta(days=200)
    chapter.save()
    mark_dormant_chapters.apply()
    chapter.refresh_from_db()
    assert chapter.status == Chapter.Status.DORMANT


def test_dormancy_task_refuses_the_public_schema(db):
    from chapters.tasks import mark_dormant_chapters
    from core.tasks import PublicSchemaRefused

    with pytest.raises(PublicSchemaRefused):
        mark_dormant_chapters.apply(throw=True)


def test_schedule_goes_through_the_dispatcher():
    from chapters.schedule import BEAT_SCHEDULE

    tasks = {entry["args"][0] for entry in BEAT_SCHEDULE.values()}
    assert tasks == {"chapters.tasks.mark_dormant_chapters", "chapters.tasks.expire_invitations"}
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} == {
        "tenants.tasks.dispatch_to_organizations"
    }


def test_close_ends_memberships_and_open_work(chapter, person, sectors):
    outsider = person("Media")
    invitation = services.invitation_create(
        chapter=chapter,
        actor=chapter.fatou.user,
        email="new@alpha.test",
        sector=sectors["Retail"],
    )
    join_request = JoinRequest.objects.create(
        chapter=chapter, user=outsider.user, sector=outsider.sector
    )
    with pytest.raises(ChapterError, match="Say why"):
        services.chapter_close(chapter=chapter, actor=chapter.fatou.user, reason=" ")
    with pytest.raises(ChapterPermissionDenied):
        services.chapter_close(chapter=chapter, actor=chapter.mia.user, reason="No")

    services.chapter_close(chapter=chapter, actor=chapter.fatou.user, reason="We all moved")

    chapter.refresh_from_db()
    assert chapter.status == Chapter.Status.CLOSED and chapter.closed_at
    memberships = Membership.objects.filter(chapter=chapter)
    assert memberships.count() == 3  # history kept
    assert all(m.left_at and m.end_reason == "closed" for m in memberships)
    assert count_of(chapter.mia) == 0
    invitation.refresh_from_db()
    join_request.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert join_request.status == JoinRequest.Status.DECLINED
    with pytest.raises(ChapterError, match="closed already"):
        services.chapter_close(chapter=chapter, actor=chapter.fatou.user, reason="again")


def test_health_parts(chapter, rules):
    now = timezone.now()
    chapter.last_meeting_at = now - dt.timedelta(days=10)
    health = chapter_health(chapter, size=3, facilitator_count=1, rules=rules, now=now)
    assert health.score == 100
    assert [p.name for p in health.parts] == [
        "Size within bounds",
        "Facilitator present",
        "Recent activity",
    ]

    chapter.last_meeting_at = now - dt.timedelta(days=200)
    health = chapter_health(chapter, size=1, facilitator_count=0, rules=rules, now=now)
    assert [p.points for p in health.parts] == [13, 0, 0]
    assert health.score == 13 and health.level == "poor"

    chapter.last_meeting_at = None
    chapter.created = now - dt.timedelta(days=5)
    health = chapter_health(chapter, size=2, facilitator_count=1, rules=rules, now=now)
    assert health.parts[2].explanation == "Has not met yet; started 5 days ago."
    assert health.score == 27 + 30 + 30

    chapter.status = Chapter.Status.CLOSED
    assert chapter_health(chapter, size=0, facilitator_count=0, rules=rules).score == 0


def test_health_providers_add_parts_and_are_called_once_per_list(chapter, metro, rules):
    from chapters import health as health_module
    from chapters.selectors import with_size

    calls = []

    def attendance(chapters, now):
        calls.append(len(chapters))
        return {
            c.pk: [health_module.HealthPart("Attendance", 0, 100, "Nobody came.")]
            for c in chapters
            if c.pk == chapter.pk
        }

    other = ChapterFactory(metro=metro)
    health_module.register_health_provider(attendance)
    try:
        chapters = list(with_size(Chapter.objects.filter(pk__in=[chapter.pk, other.pk])))
        healths = health_module.healths_of(chapters, rules)
    finally:
        health_module.unregister_health_provider(attendance)
    assert calls == [2]
    mine = healths[chapter.pk]
    assert [p.name for p in mine.parts][-1] == "Attendance"
    base = chapter_health(chapter, size=3, facilitator_count=1, rules=rules).score
    assert mine.score == round(base / 2)
    assert len(healths[other.pk].parts) == 3
