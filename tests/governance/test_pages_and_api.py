"""End to end through the pages and the API: raise, acknowledge, comment, escalate, resolve;
admins manage committees and seats; settings; density."""

from django.test import Client

from chapters.models import Chapter
from governance.models import Committee, CommitteeMembership, Escalation, GovernanceSettings

from .factories import ChapterFactory


def _client(user) -> Client:
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(user)
    return client


def test_an_escalation_through_the_pages(world):
    member = _client(world.member)
    form = member.get(f"/governance/escalations/new/?chapter={world.chapter.pk}")
    assert "Lyon Makers" in form.content.decode()
    response = member.post(
        "/governance/escalations/new/",
        {
            "chapter": world.chapter.pk,
            "category": "conduct",
            "title": "Rude remarks",
            "description": "A member was rude to a guest.",
        },
    )
    escalation = Escalation.objects.get(title="Rude remarks")
    assert response["Location"] == f"/governance/escalations/{escalation.pk}/"
    page = member.get(response["Location"]).content.decode()
    assert "Lyon has a metro committee." in page
    assert "Act on it" not in page

    chair = _client(world.chair)
    assert "Act on it" in chair.get(f"/governance/escalations/{escalation.pk}/").content.decode()
    base = f"/governance/escalations/{escalation.pk}"
    assert (
        chair.post(f"{base}/acknowledge/", {"committee": world.lyon_committee.pk}).status_code
        == 302
    )
    assert chair.post(f"{base}/comments/", {"body": "When did it happen?"}).status_code == 302
    assert member.post(f"{base}/comments/", {"body": "Last Tuesday."}).status_code == 302
    assert chair.post(f"{base}/assign/", {"assignee": world.committee_member.pk}).status_code == 302
    empty = chair.post(f"{base}/escalate/", {"reason": ""})
    assert empty.status_code == 400
    assert (
        chair.post(
            f"{base}/escalate/",
            {"reason": "Needs the board.", "committee": world.lyon_committee.pk},
        ).status_code
        == 302
    )
    stale = chair.post(f"{base}/resolve/", {"decision": "x", "committee": world.lyon_committee.pk})
    assert stale.status_code == 400  # shown on the page, not a 500

    board = _client(world.board_member)
    assert board.post(f"{base}/resolve/", {"decision": "Apology to the guest."}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED
    page = member.get(f"{base}/").content.decode()
    assert "Apology to the guest." in page and "Last Tuesday." in page
    assert "Needs the board." in page


def test_raising_requires_a_chapter_of_ones_own(world):
    response = _client(world.member).post(
        "/governance/escalations/new/",
        {
            "chapter": world.other_chapter.pk,
            "category": "conduct",
            "title": "t",
            "description": "d",
        },
    )
    assert response.status_code == 400
    assert not Escalation.objects.exists()


def test_admins_manage_committees_through_the_pages(world):
    admin = _client(world.admin)
    response = admin.post("/governance/committees/new/", {"place": f"region:{world.ara.pk}"})
    committee = Committee.objects.get(region=world.ara)
    assert response["Location"] == f"/governance/committees/{committee.pk}/"
    again = admin.post("/governance/committees/new/", {"place": f"region:{world.ara.pk}"})
    assert again.status_code == 400 and "already has" in again.content.decode()

    add = admin.post(
        f"/governance/committees/{committee.pk}/members/",
        {"email": world.member.email, "role": "chair"},
    )
    assert add.status_code == 302
    unknown = admin.post(
        f"/governance/committees/{committee.pk}/members/",
        {"email": "nobody@x.test", "role": "member"},
    )
    assert unknown.status_code == 400
    seat = CommitteeMembership.objects.get(committee=committee, user=world.member)
    assert admin.post(f"/governance/seats/{seat.pk}/", {"role": "member"}).status_code == 302
    assert admin.post(f"/governance/seats/{seat.pk}/end/").status_code == 302
    assert admin.post(f"/governance/committees/{committee.pk}/stand-down/").status_code == 302
    committee.refresh_from_db()
    assert committee.status == Committee.Status.STOOD_DOWN

    chair = _client(world.chair)
    assert (
        chair.post(
            "/governance/committees/new/", {"place": f"metro:{world.grenoble.pk}"}
        ).status_code
        == 403
    )
    assert (
        chair.post(f"/governance/committees/{world.lyon_committee.pk}/stand-down/").status_code
        == 403
    )


def test_settings_page_validates(world):
    admin = _client(world.admin)
    data = {
        "metro_threshold": 3,
        "region_threshold": 6,
        "country_threshold": 12,
        "escalation_deadline_days": 7,
        "reminder_days_before_deadline": 7,
        "election_electorate": "all_members",
    }
    assert admin.post("/governance/settings/", data).status_code == 400
    data["reminder_days_before_deadline"] = 2
    assert admin.post("/governance/settings/", data).status_code == 302
    rules = GovernanceSettings.load()
    assert (rules.metro_threshold, rules.escalation_deadline_days) == (3, 7)


def test_density_page_shows_counts_thresholds_and_committees(world, django_assert_num_queries):
    admin = _client(world.admin)
    admin.get("/governance/density/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        page = admin.get("/governance/density/").content.decode()
    assert "Lyon" in page and "Auvergne-Rhône-Alpes" in page
    for _ in range(6):
        ChapterFactory(metro=world.grenoble)
    ChapterFactory(metro=world.grenoble, status=Chapter.Status.FORMING)
    with django_assert_num_queries(len(few)):
        page = admin.get("/governance/density/").content.decode()
    assert "Form committee" in page  # Grenoble: 6 ≥ 5


def test_committee_api(world):
    admin = _client(world.admin)
    listed = admin.get("/api/v1/governance/committees/").json()["results"]
    lyon = next(c for c in listed if c["id"] == world.lyon_committee.pk)
    assert lyon["place"] == {"type": "metro", "id": world.lyon.pk, "name": "Lyon"}
    assert {m["role"] for m in lyon["members"]} == {"chair", "member"}

    created = admin.post(
        "/api/v1/governance/committees/",
        {"level": "country", "place_id": world.france.pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    committee_id = created.json()["id"]
    seat = admin.post(
        f"/api/v1/governance/committees/{committee_id}/seats/",
        {"user": world.chair.pk, "role": "chair"},
        content_type="application/json",
    )
    assert seat.status_code == 201
    patched = admin.patch(
        f"/api/v1/governance/seats/{seat.json()['id']}/",
        {"term_end": "2099-01-01"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["term_end"] == "2099-01-01"
    bad = admin.post(
        "/api/v1/governance/committees/",
        {"level": "country", "place_id": world.france.pk},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "already has" in bad.json()["error"]["message"]

    member = _client(world.member)
    assert member.get("/api/v1/governance/committees/").status_code == 200
    refused = member.post(
        "/api/v1/governance/committees/",
        {"level": "metro", "place_id": world.grenoble.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert member.get("/api/v1/governance/settings/").status_code == 403
    assert member.get("/api/v1/governance/density/").status_code == 403
    assert admin.get("/api/v1/governance/density/").status_code == 200
    assert _client(world.chair).get("/api/v1/governance/density/").status_code == 200


def test_escalation_api_flow(world):
    member = _client(world.member)
    raised = member.post(
        "/api/v1/governance/escalations/",
        {
            "chapter": world.chapter.pk,
            "category": "resources",
            "title": "Venue",
            "description": "We lost our venue.",
            "anonymous": True,
        },
        content_type="application/json",
    )
    assert raised.status_code == 201
    body = raised.json()
    assert body["committee"]["id"] == world.lyon_committee.pk
    assert body["routings"][0]["reason"] == "Lyon has a metro committee."
    pk = body["id"]

    wrong = member.post(
        "/api/v1/governance/escalations/",
        {
            "chapter": world.other_chapter.pk,
            "category": "resources",
            "title": "x",
            "description": "y",
        },
        content_type="application/json",
    )
    assert wrong.status_code == 400

    chair = _client(world.chair)
    comment = chair.post(
        f"/api/v1/governance/escalations/{pk}/comments/",
        {"body": "Budget?"},
        content_type="application/json",
    )
    assert comment.status_code == 201
    assign = chair.post(
        f"/api/v1/governance/escalations/{pk}/assign/",
        {"assignee": world.committee_member.pk},
        content_type="application/json",
    )
    assert assign.json()["assigned_to"]["id"] == world.committee_member.pk
    escalated = chair.post(
        f"/api/v1/governance/escalations/{pk}/escalate/",
        {"reason": "Budget decision."},
        content_type="application/json",
    )
    assert escalated.json()["committee"]["level"] == "board"
    resolved = _client(world.board_member).post(
        f"/api/v1/governance/escalations/{pk}/resolve/",
        {"decision": "€200 granted."},
        content_type="application/json",
    )
    assert resolved.json()["status"] == "resolved"
    mine = member.get("/api/v1/governance/escalations/?mine=1&status=resolved").json()
    assert [row["id"] for row in mine["results"]] == [pk]
