"""The API: same services, same rules."""

from datetime import timedelta

from meetings import services
from meetings.models import Attendance, Share

from . import factories


def test_list_and_detail(world, client_for):
    client = client_for(world.members[0])
    listed = client.get("/api/v1/meetings/").json()
    assert {row["id"] for row in listed["results"]} == {world.upcoming.pk, world.started.pk}
    upcoming = client.get("/api/v1/meetings/?upcoming=true").json()["results"]
    assert [row["id"] for row in upcoming] == [world.upcoming.pk]
    detail = client.get(f"/api/v1/meetings/{world.upcoming.pk}/").json()
    assert detail["time_zone"] == "Europe/Paris" and detail["location"] == "Station F"
    assert detail["minutes"] is None
    assert client.get("/api/v1/meetings/?chapter=abc").json()["count"] == 0


def test_rsvp_share_and_story(world, client_for):
    marco, ines, _tom = world.members
    client = client_for(marco)
    answered = client.put(
        f"/api/v1/meetings/{world.started.pk}/rsvps/",
        {"answer": "yes"},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "yes"
    bad = client.put(
        f"/api/v1/meetings/{world.started.pk}/rsvps/",
        {"answer": "perhaps"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["answer"]

    shared = client.put(
        f"/api/v1/meetings/{world.started.pk}/shares/mine/",
        {"success": "Launched", "challenge": "Pricing"},
        content_type="application/json",
    )
    assert shared.status_code == 200
    share_id = shared.json()["id"]
    again = client.put(
        f"/api/v1/meetings/{world.started.pk}/shares/mine/",
        {"success": "Launched v2", "challenge": "Pricing"},
        content_type="application/json",
    )
    assert again.json()["id"] == share_id
    assert Share.objects.filter(meeting=world.started, author=marco).count() == 1

    story = client_for(ines).put(
        f"/api/v1/meetings/{world.started.pk}/shares/{share_id}/story/",
        {"text": "Have you tried raising prices?"},
        content_type="application/json",
    )
    assert story.status_code == 200 and story.json()["reads_as_advice"] is True
    own = client.put(
        f"/api/v1/meetings/{world.started.pk}/shares/{share_id}/story/",
        {"text": "Mine"},
        content_type="application/json",
    )
    assert own.status_code == 400
    assert own.json()["error"]["message"] == "Stories answer the others' challenges, not your own."
    shares = (
        client_for(world.facilitator).get(f"/api/v1/meetings/{world.started.pk}/shares/").json()
    )
    assert shares[0]["stories"][0]["author"]["id"] == ines.pk

    deleted = client_for(ines).delete(
        f"/api/v1/meetings/{world.started.pk}/stories/{story.json()['id']}/"
    )
    assert deleted.status_code == 204


def test_attendance_and_closing_are_for_facilitators(world, client_for):
    marco = world.members[0]
    payload = {"entries": [{"user": marco.pk, "status": "present"}]}
    refused = client_for(marco).put(
        f"/api/v1/meetings/{world.started.pk}/attendance/", payload, content_type="application/json"
    )
    assert refused.status_code == 403
    client = client_for(world.facilitator)
    recorded = client.put(
        f"/api/v1/meetings/{world.started.pk}/attendance/", payload, content_type="application/json"
    )
    assert recorded.status_code == 200 and recorded.json()[0]["status"] == "present"
    assert (
        client_for(marco)
        .post(
            f"/api/v1/meetings/{world.started.pk}/close/",
            {"minutes": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    closed = client.post(
        f"/api/v1/meetings/{world.started.pk}/close/",
        {"minutes": "Good meeting"},
        content_type="application/json",
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["minutes"] == "Good meeting"
    locked = client_for(marco).put(
        f"/api/v1/meetings/{world.started.pk}/shares/mine/",
        {"success": "S", "challenge": "C"},
        content_type="application/json",
    )
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "meeting_locked"
    assert Attendance.objects.filter(meeting=world.started).count() == 4


def test_personal_api_tokens_follow_the_same_rules(world, client_for):
    from core.services import api_token_create

    share = services.share_save(
        meeting=world.started, user=world.members[0], success="S", challenge="C"
    )
    _token, admin_key = api_token_create(user=world.admin, name="reports")
    _token, member_key = api_token_create(user=world.members[1], name="script")
    anonymous = client_for(None)
    path = f"/api/v1/meetings/{world.started.pk}/shares/"
    assert anonymous.get(path, HTTP_AUTHORIZATION=f"Bearer {admin_key}").status_code == 404
    as_member = anonymous.get(path, HTTP_AUTHORIZATION=f"Bearer {member_key}")
    assert as_member.status_code == 200 and as_member.json()[0]["id"] == share.pk


def test_the_schema_documents_the_endpoints(world, client_for):
    factories.meeting(world.chapter, starts_in=timedelta(days=40))
    schema = client_for(world.members[0]).get("/api/schema/").content.decode()
    assert "/api/v1/meetings/{id}/shares/mine/" in schema
