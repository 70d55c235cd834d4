"""The API follows the same rules as the pages."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from chapters.models import Chapter, Invitation, JoinRequest, Membership
from tests.factories import UserFactory

from .factories import ChapterFactory, join, sent_invitation


@pytest.fixture
def api(client_a):
    def login(user) -> Client:
        client_a.force_login(user)
        return client_a

    return login


def test_anonymous_is_refused(client_a, chapter):
    assert client_a.get("/api/v1/chapters/").status_code in (401, 403)
    assert client_a.get(f"/api/v1/chapters/{chapter.pk}/").status_code in (401, 403)


def test_list_and_detail_per_role(api, chapter, person, admin_a):
    stranger = person("Media")
    join(ChapterFactory(metro=chapter.metro), stranger, "facilitator")

    mine = api(chapter.mia.user).get("/api/v1/chapters/").json()
    assert [c["name"] for c in mine["results"]] == ["Lyon Founders"]
    assert mine["results"][0]["size"] == 3 and isinstance(mine["results"][0]["health"], int)

    detail = api(chapter.mia.user).get(f"/api/v1/chapters/{chapter.pk}/").json()
    assert {m["name"] for m in detail["members"]} == {
        "Fatou Facilitator",
        "Mia Member",
        "Hugo Health",
    }
    assert detail["health_parts"][0]["name"] == "Size within bounds"

    assert api(stranger.user).get(f"/api/v1/chapters/{chapter.pk}/").status_code == 404

    admin_detail = api(admin_a).get(f"/api/v1/chapters/{chapter.pk}/").json()
    assert admin_detail["health_parts"] is None and isinstance(admin_detail["health"], int)
    everything = api(admin_a).get("/api/v1/chapters/?scope=all").json()
    assert everything["count"] == 2
    assert api(chapter.mia.user).get("/api/v1/chapters/?scope=all").json()["count"] == 1


def test_propose_via_api(api, person):
    founder = person("Food")
    friend = person("Fintech")
    response = api(founder.user).post(
        "/api/v1/chapters/",
        {
            "name": "API Chapter",
            "invitee_ids": [friend.pk],
            "accept_agreement": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "forming"
    rival = person("Food")
    response = api(founder.user).post(
        "/api/v1/chapters/",
        {
            "name": "Clash",
            "invitee_ids": [rival.pk],
            "accept_agreement": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "seat_taken"
    assert "Food" in response.json()["error"]["message"]


def test_invitations_via_api(api, chapter, sectors):
    response = api(chapter.mia.user).post(
        f"/api/v1/chapters/{chapter.pk}/invitations/",
        {
            "email": "friend@alpha.test",
            "sector_id": sectors["Media"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "proposed"
    pk = response.json()["id"]

    listed = api(chapter.hugo.user).get(f"/api/v1/chapters/{chapter.pk}/invitations/").json()
    assert "email" not in listed["results"][0] and "objections" not in listed["results"][0]
    response = api(chapter.hugo.user).post(
        f"/api/v1/invitations/{pk}/objections/",
        {"reason": "Works for my competitor"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "held"

    listed = api(chapter.fatou.user).get(f"/api/v1/chapters/{chapter.pk}/invitations/").json()
    assert listed["results"][0]["objections"][0]["reason"] == "Works for my competitor"
    assert (
        api(chapter.hugo.user)
        .post(
            f"/api/v1/invitations/{pk}/decide/", {"proceed": True}, content_type="application/json"
        )
        .status_code
        == 403
    )
    response = api(chapter.fatou.user).post(
        f"/api/v1/invitations/{pk}/decide/", {"proceed": True}, content_type="application/json"
    )
    assert response.json()["status"] == "proposed"
    response = api(chapter.fatou.user).post(f"/api/v1/invitations/{pk}/send/")
    assert response.status_code == 200 and response.json()["status"] == "sent"

    rival = api(chapter.fatou.user).post(
        f"/api/v1/chapters/{chapter.pk}/invitations/",
        {
            "email": "rival@alpha.test",
            "sector_id": sectors["Fintech"].pk,
        },
        content_type="application/json",
    )
    assert rival.status_code == 409
    assert "The Fintech seat" in rival.json()["error"]["message"]


def test_accept_and_decline_by_token_via_api(api, client_a, chapter, sectors):
    sent_invitation(chapter, email="tok@alpha.test", sector=sectors["Media"], token="api-tok")
    user = UserFactory(email="tok@alpha.test")
    response = api(user).post(
        "/api/v1/invitations/accept/",
        {"token": "api-tok", "accept_agreement": True},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["sector"] == "Media"
    again = api(user).post(
        "/api/v1/invitations/accept/",
        {"token": "api-tok", "accept_agreement": True},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["error"]["code"] == "used"
    bad = api(user).post(
        "/api/v1/invitations/accept/",
        {"token": "nope", "accept_agreement": True},
        content_type="application/json",
    )
    assert bad.status_code == 404

    sent_invitation(chapter, email="no@alpha.test", sector=sectors["Retail"], token="api-no")
    anonymous = Client(HTTP_HOST="alpha.localhost")
    response = anonymous.post(
        "/api/v1/invitations/decline/", {"token": "api-no"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "declined"


def test_memberships_via_api(api, chapter):
    hugo = Membership.objects.get(chapter=chapter, user=chapter.hugo.user)
    members = api(chapter.mia.user).get(f"/api/v1/chapters/{chapter.pk}/memberships/").json()
    assert members["count"] == 3 and members["results"][0]["company"]
    assert api(chapter.mia.user).post(f"/api/v1/memberships/{hugo.pk}/remove/").status_code == 403
    response = api(chapter.fatou.user).patch(
        f"/api/v1/memberships/{hugo.pk}/", {"role": "facilitator"}, content_type="application/json"
    )
    assert response.json()["role"] == "facilitator"
    response = api(chapter.mia.user).post(f"/api/v1/chapters/{chapter.pk}/leave/")
    assert response.status_code == 200 and response.json()["end_reason"] == "left"
    history = (
        api(chapter.fatou.user).get(f"/api/v1/chapters/{chapter.pk}/memberships/?history=1").json()
    )
    assert history["count"] == 3


def test_join_requests_via_api(api, chapter, person):
    seeker = person("Media")
    joinable = api(seeker.user).get("/api/v1/chapters/joinable/").json()
    assert [c["name"] for c in joinable] == ["Lyon Founders"]
    response = api(seeker.user).post(
        "/api/v1/join-requests/", {"chapter_id": chapter.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert (
        api(chapter.mia.user).get(f"/api/v1/chapters/{chapter.pk}/join-requests/").status_code
        == 404
    )
    pending = api(chapter.fatou.user).get(f"/api/v1/chapters/{chapter.pk}/join-requests/").json()
    assert [r["id"] for r in pending["results"]] == [pk]
    response = api(chapter.fatou.user).post(f"/api/v1/join-requests/{pk}/approve/")
    assert response.json()["status"] == "approved"
    assert Invitation.objects.filter(email=seeker.user.email, status="sent").exists()

    rival = person("Fintech")
    response = api(rival.user).post(
        "/api/v1/join-requests/", {"chapter_id": chapter.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert JoinRequest.objects.count() == 1


def test_close_via_api(api, chapter):
    assert (
        api(chapter.mia.user)
        .post(
            f"/api/v1/chapters/{chapter.pk}/close/",
            {"reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    response = api(chapter.fatou.user).post(
        f"/api/v1/chapters/{chapter.pk}/close/", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["fields"]["reason"]
    response = api(chapter.fatou.user).post(
        f"/api/v1/chapters/{chapter.pk}/close/", {"reason": "Done"}, content_type="application/json"
    )
    assert response.json()["status"] == "closed"
    assert Chapter.objects.get(pk=chapter.pk).status == "closed"


def test_coverage_via_api(api, chapter):
    data = api(chapter.mia.user).get("/api/v1/coverage/").json()
    cells = {(c["metro"], c["sector"]): c for c in data["cells"]}
    fintech = chapter.mia.sector_id
    assert cells[(chapter.metro_id, fintech)]["members"] == 1
    assert cells[(chapter.metro_id, fintech)]["in_chapters"] == 1
    assert cells[(chapter.metro_id, fintech)]["open_seats"] == 0


def test_other_organisation_sees_nothing(chapter, org_b):
    with schema_context(org_b.schema_name):
        user = UserFactory(email="b@beta.test")
        client = Client(HTTP_HOST="beta.localhost")
        client.force_login(user)
        assert client.get("/api/v1/chapters/").json()["count"] == 0
        assert client.get(f"/api/v1/chapters/{chapter.pk}/invitations/").status_code == 404
    connection.set_schema_to_public()
