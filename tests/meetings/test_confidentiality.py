"""Rule 1: shares, stories, follow-ups and minutes are for the chapter's current members only —
not organisation admins, committees, the board, superusers in the Django admin, other members'
API calls, other organisations, exports or logs. Upward reports get counts and rates."""

import logging
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, Notification
from meetings import selectors, services
from meetings.models import Meeting
from tests.factories import UserFactory

from . import factories

SECRETS = {
    "success": "SECRET-SUCCESS-7f3a",
    "challenge": "SECRET-CHALLENGE-7f3a",
    "story": "SECRET-STORY-7f3a",
    "follow_up": "SECRET-FOLLOWUP-7f3a",
    "minutes": "SECRET-MINUTES-7f3a",
    "old_challenge": "SECRET-OLDCHALLENGE-7f3a",
}


def leaked(text: str) -> list[str]:
    return [name for name, secret in SECRETS.items() if secret in text]


@pytest.fixture
def confidential(world, caplog, django_capture_on_commit_callbacks):
    """Last month's meeting, closed with minutes; the running meeting with a share, a story and
    a follow-up. Every log record made while writing them is kept in `caplog`."""
    caplog.set_level(logging.DEBUG)
    marco, ines, _tom = world.members
    last = factories.meeting(world.chapter, starts_in=timedelta(days=-30))
    with django_capture_on_commit_callbacks(execute=True):
        services.share_save(
            meeting=last, user=marco, success="Old success", challenge=SECRETS["old_challenge"]
        )
        services.attendance_record(
            meeting=last,
            actor=world.facilitator,
            statuses={marco.pk: "present", ines.pk: "present"},
        )
        services.meeting_close(meeting=last, actor=world.facilitator, minutes=SECRETS["minutes"])
        share = services.share_save(
            meeting=world.started,
            user=marco,
            success=SECRETS["success"],
            challenge=SECRETS["challenge"],
        )
        services.story_save(share=share, user=ines, text=SECRETS["story"])
        services.follow_up_save(meeting=world.started, user=marco, text=SECRETS["follow_up"])
    return {"last": last, "running": world.started, "share": share}


def pages(world, confidential) -> list[str]:
    running, last = confidential["running"], confidential["last"]
    return [
        reverse("meetings:meeting", args=[running.pk]),
        reverse("meetings:meeting", args=[last.pk]),
        reverse("meetings:run", args=[running.pk]),
        reverse("meetings:chapter", args=[world.chapter.pk]),
        reverse("meetings:attendance-history", args=[world.chapter.pk]),
        reverse("meetings:ics", args=[running.pk]),
    ]


def api_paths(confidential) -> list[str]:
    running, last = confidential["running"], confidential["last"]
    return [
        f"/api/v1/meetings/{running.pk}/",
        f"/api/v1/meetings/{last.pk}/",
        f"/api/v1/meetings/{running.pk}/shares/",
        f"/api/v1/meetings/{last.pk}/shares/",
        f"/api/v1/meetings/{running.pk}/rsvps/",
        f"/api/v1/meetings/{running.pk}/attendance/",
    ]


def test_members_see_everything_of_their_chapter(world, confidential, client_for):
    client = client_for(world.members[1])
    running = client.get(reverse("meetings:meeting", args=[confidential["running"].pk]))
    assert running.status_code == 200
    page = running.content.decode()
    for name in ("success", "challenge", "story", "follow_up", "old_challenge"):
        assert SECRETS[name] in page, name
    last = client.get(reverse("meetings:meeting", args=[confidential["last"].pk]))
    assert SECRETS["minutes"] in last.content.decode()
    shares = client.get(f"/api/v1/meetings/{confidential['running'].pk}/shares/").json()
    assert shares[0]["challenge"] == SECRETS["challenge"]
    assert shares[0]["stories"][0]["text"] == SECRETS["story"]
    minutes = client.get(f"/api/v1/meetings/{confidential['last'].pk}/").json()["minutes"]
    assert minutes == SECRETS["minutes"]


def test_the_facilitator_runs_the_meeting_with_the_content(world, confidential, client_for):
    run = client_for(world.facilitator).get(
        reverse("meetings:run", args=[confidential["running"].pk])
    )
    assert run.status_code == 200
    assert SECRETS["challenge"] in run.content.decode()


@pytest.mark.parametrize("who", ["outsider", "admin", "superuser", "former_member", "stranger"])
def test_nobody_else_gets_a_page_or_an_api_answer(who, world, confidential, client_for):
    people = {
        "outsider": world.outsider,  # a member of another chapter
        "admin": world.admin,  # organisation admin (committees and the board hold no more)
        "superuser": UserFactory(email="root@alpha.test", is_staff=True, is_superuser=True),
        "former_member": world.members[2],
        "stranger": UserFactory(email="new@alpha.test"),  # in no chapter
    }
    if who == "former_member":
        world.chapter.memberships.filter(user=world.members[2]).update(left_at=timezone.now())
    client = client_for(people[who])
    for path in pages(world, confidential):
        response = client.get(path)
        assert response.status_code == 404, path
        assert not leaked(response.content.decode())
    for path in api_paths(confidential):
        response = client.get(path)
        assert response.status_code == 404, path
        assert not leaked(response.content.decode())
    listed = client.get("/api/v1/meetings/").json()
    assert world.chapter.pk not in {row["chapter"]["id"] for row in listed["results"]}
    put = client.put(
        f"/api/v1/meetings/{confidential['running'].pk}/shares/mine/",
        {"success": "x", "challenge": "y"},
        content_type="application/json",
    )
    assert put.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, confidential, client_for):
    client = client_for(None)
    for path in pages(world, confidential):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for path in api_paths(confidential):
        assert client.get(path).status_code in (401, 403)
    assert client.get("/meetings/feed/cal_nothing_here.ics").status_code == 404


def test_another_organisation_sees_nothing(world, confidential, org_b, client_b):
    from django_tenants.utils import schema_context

    with schema_context(org_b.schema_name):
        twin = UserFactory(email=world.members[1].email)  # same person, other organisation
        client_b.force_login(twin)
    running = confidential["running"].pk
    for path in (
        f"/meetings/{running}/",
        f"/meetings/{running}/run/",
        f"/api/v1/meetings/{running}/",
        f"/api/v1/meetings/{running}/shares/",
    ):
        response = client_b.get(path)
        assert response.status_code == 404, path
        assert not leaked(response.content.decode())


def test_before_the_meeting_others_see_who_prepared_not_what(world, client_for):
    marco, ines, _tom = world.members
    services.share_save(
        meeting=world.upcoming,
        user=marco,
        success=SECRETS["success"],
        challenge=SECRETS["challenge"],
    )
    for viewer in (ines, world.facilitator):
        client = client_for(viewer)
        page = client.get(reverse("meetings:meeting", args=[world.upcoming.pk])).content.decode()
        assert not leaked(page)
        assert "1 of 4 have prepared" in page
        shares = client.get(f"/api/v1/meetings/{world.upcoming.pk}/shares/").json()
        assert shares == []
    own = client_for(marco).get(reverse("meetings:meeting", args=[world.upcoming.pk]))
    assert SECRETS["challenge"] in own.content.decode()


def test_the_django_admin_shows_no_meeting_content(world, confidential, client_for):
    superuser = UserFactory(email="root@alpha.test", is_staff=True, is_superuser=True)
    client = client_for(superuser)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/meetings/" not in index.content.decode()
    for model in ("share", "story", "followup", "meeting"):
        assert client.get(f"/admin/meetings/{model}/").status_code == 404
    assert not any(model._meta.app_label == "meetings" for model in admin.site._registry)
    # No registered model's list or detail pages carry the text (the audit log included).
    for model in admin.site._registry:
        if model._meta.app_label in {"tenants"}:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        assert not leaked(response.content.decode()), url
    for entry in AuditEntry.objects.all()[:50]:
        detail = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
        assert not leaked(detail.content.decode())


def test_audit_entries_notifications_and_logs_never_hold_the_text(world, confidential, caplog):
    entries = list(AuditEntry.objects.filter(action__startswith="meetings."))
    assert {e.action for e in entries} >= {
        "meetings.share.create",
        "meetings.story.create",
        "meetings.follow_up.create",
        "meetings.meeting.close",
    }
    for entry in entries:
        assert not leaked(repr(entry.data) + entry.target_id + entry.target_type + str(entry))
    for notification in Notification.objects.all():
        assert not leaked(notification.title + notification.body)
    assert not leaked(caplog.text)
    for record in caplog.records:
        assert not leaked(record.getMessage() + repr(record.args))
    # Objects' text representations are ids only.
    assert not leaked(str(confidential["share"]) + str(confidential["running"]))


def test_upward_reports_get_counts_and_rates_only(world, confidential):
    stats = selectors.meeting_stats_for_chapter(world.chapter)
    assert stats["meetings_held"] == 1
    assert stats["attendance_recorded"] == 4  # two present, two marked absent at closing
    assert stats["attendance_rate"] == 0.5
    assert stats["shares_recorded"] == 1
    assert stats["share_rate"] == 0.5
    for value in stats.values():
        assert value is None or isinstance(value, int | float) or hasattr(value, "tzinfo")
    parts = selectors.meeting_health_parts(world.chapter)
    assert set(parts) == {
        "attendance_rate",
        "regularity",
        "shares_recorded",
        "meetings_held",
        "last_held_at",
    }
    assert not leaked(repr(stats) + repr(parts))


def test_the_chapter_page_shows_admins_the_time_not_the_content(world, confidential, client_for):
    response = client_for(world.admin).get(reverse("chapters:detail", args=[world.chapter.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert not leaked(page)
    assert reverse("meetings:meeting", args=[world.upcoming.pk]) not in page


def test_meetings_of_another_chapter_are_not_listed(world, confidential, client_for):
    factories.meeting(world.other_chapter, starts_in=timedelta(days=3))
    mine = client_for(world.outsider).get("/api/v1/meetings/").json()
    assert {row["chapter"]["id"] for row in mine["results"]} == {world.other_chapter.pk}
    assert Meeting.objects.filter(chapter=world.chapter).count() >= 3
