"""Who sees what, per role, on the pages and in the API. The rule: the raiser and the current
members of the committees an escalation passed through; admins see counts only unless they sit
on such a committee; the board sees what reached it and counts for the rest."""

import pytest
from django.test import Client

from governance.models import Escalation

from .test_routing import raise_from


@pytest.fixture
def escalation(world):
    return raise_from(world.chapter, world.member)


def client_for(client, user):
    client.force_login(user)
    return client


ROLES_WHO_SEE = ["member", "chair", "committee_member"]
ROLES_WHO_DONT = ["facilitator", "outsider", "board_member", "admin"]


@pytest.mark.parametrize("role", ROLES_WHO_SEE)
def test_raiser_and_committee_see_the_escalation(world, escalation, client_a, role):
    client = client_for(client_a, getattr(world, role))
    page = client.get(f"/governance/escalations/{escalation.pk}/")
    assert page.status_code == 200
    assert "Something the chapter cannot settle." in page.content.decode()
    api = client.get(f"/api/v1/governance/escalations/{escalation.pk}/")
    assert api.status_code == 200
    ids = [row["id"] for row in client.get("/api/v1/governance/escalations/").json()["results"]]
    assert escalation.pk in ids


@pytest.mark.parametrize("role", ROLES_WHO_DONT)
def test_others_get_the_same_404_as_for_nothing(world, escalation, client_a, role):
    """A fellow chapter member who did not raise it, a member of another chapter, the board
    before it reached the board, the organisation admin: 404, like a missing one."""
    client = client_for(client_a, getattr(world, role))
    assert client.get(f"/governance/escalations/{escalation.pk}/").status_code == 404
    assert client.get("/governance/escalations/999999/").status_code == 404
    assert client.get(f"/api/v1/governance/escalations/{escalation.pk}/").status_code == 404
    listed = client.get("/api/v1/governance/escalations/").json()["results"]
    assert escalation.pk not in [row["id"] for row in listed]
    acted = client.post(f"/api/v1/governance/escalations/{escalation.pk}/acknowledge/", {})
    assert acted.status_code == 404


def test_the_board_sees_what_reached_it_and_counts_for_the_rest(world, escalation, client_a):
    other = raise_from(world.chapter, world.facilitator)
    client = client_for(client_a, world.board_member)
    counts = client.get("/api/v1/governance/escalations/counts/").json()
    assert counts["totals"]["total"] == 2
    assert client.get(f"/api/v1/governance/escalations/{other.pk}/").status_code == 404

    client_for(Client(HTTP_HOST="alpha.localhost"), world.chair).post(
        f"/api/v1/governance/escalations/{other.pk}/escalate/", {"reason": "For the board."}
    )
    assert client.get(f"/api/v1/governance/escalations/{other.pk}/").status_code == 200
    assert client.get(f"/governance/escalations/{other.pk}/").status_code == 200


def test_admins_see_counts_only(world, escalation, client_a):
    client = client_for(client_a, world.admin)
    assert client.get("/api/v1/governance/escalations/counts/").json()["totals"]["open"] == 1
    home = client.get("/governance/")
    assert home.status_code == 200
    assert "Escalations across the organisation" in home.content.decode()
    assert escalation.title not in home.content.decode()


def test_members_and_committees_do_not_see_counts(world, escalation, client_a):
    for user in (world.member, world.chair):
        client = client_for(Client(HTTP_HOST="alpha.localhost"), user)
        assert client.get("/api/v1/governance/escalations/counts/").status_code == 403


def test_only_the_current_committee_acts_through_the_api(world, escalation, client_a):
    member = client_for(client_a, world.member)
    response = member.post(f"/api/v1/governance/escalations/{escalation.pk}/acknowledge/", {})
    assert response.status_code == 403
    assert "another member" in response.json()["error"]["message"]
    facilitator = client_for(Client(HTTP_HOST="alpha.localhost"), world.facilitator)
    hidden = facilitator.post(f"/api/v1/governance/escalations/{escalation.pk}/acknowledge/", {})
    assert hidden.status_code == 404

    chair = client_for(Client(HTTP_HOST="alpha.localhost"), world.chair)
    response = chair.post(f"/api/v1/governance/escalations/{escalation.pk}/acknowledge/", {})
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    again = chair.post(f"/api/v1/governance/escalations/{escalation.pk}/acknowledge/", {})
    assert again.status_code == 409


def test_a_former_committee_member_loses_access(world, escalation, client_a):
    from governance import services

    seat = world.lyon_committee.memberships.get(user=world.committee_member)
    services.committee_membership_end(membership=seat, actor=world.admin)
    client = client_for(client_a, world.committee_member)
    assert client.get(f"/governance/escalations/{escalation.pk}/").status_code == 404


def test_committee_members_keep_seeing_what_they_passed_up(world, escalation, client_a):
    from governance import services

    services.escalation_escalate(escalation=escalation, actor=world.chair, reason="Up.")
    client = client_for(client_a, world.committee_member)
    page = client.get(f"/governance/escalations/{escalation.pk}/")
    assert page.status_code == 200
    assert "Act on it" not in page.content.decode()  # read-only now
    response = client.post(
        f"/api/v1/governance/escalations/{escalation.pk}/resolve/", {"decision": "x"}
    )
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(world, escalation, client_a):
    for path in (
        "/governance/",
        f"/governance/escalations/{escalation.pk}/",
        "/governance/queue/",
        "/governance/density/",
        "/governance/escalations/new/",
    ):
        response = client_a.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_a.get("/api/v1/governance/escalations/").status_code in (401, 403)


def test_another_organisation_never_sees_it(world, escalation, client_b, org_b):
    from django_tenants.utils import schema_context

    from tests.factories import UserFactory

    with schema_context(org_b.schema_name):
        twin = UserFactory(email=world.chair.email)
        client_b.force_login(twin)
    assert client_b.get(f"/governance/escalations/{escalation.pk}/").status_code == 404
    assert client_b.get(f"/api/v1/governance/escalations/{escalation.pk}/").status_code == 404
    assert (
        client_b.get(f"/api/v1/governance/committees/{world.lyon_committee.pk}/").status_code == 404
    )
    with schema_context(org_b.schema_name):
        assert not Escalation.objects.exists()


def test_pages_per_role(world, escalation, client_a):
    """Queue: committee members only; density: admins and committee members; settings and
    committee forming: admins only; raising: chapter members only."""
    expectations = {
        "/governance/queue/": {
            "chair": 200,
            "committee_member": 200,
            "board_member": 200,
            "member": 403,
            "admin": 403,
        },
        "/governance/density/": {"chair": 200, "admin": 200, "member": 403, "outsider": 403},
        "/governance/settings/": {"admin": 200, "chair": 403, "board_member": 403},
        "/governance/committees/new/": {"admin": 200, "board_member": 403},
        "/governance/escalations/new/": {"member": 200, "facilitator": 200, "admin": 302},
        "/governance/": {"member": 200, "admin": 200, "chair": 200},
        f"/governance/committees/{world.lyon_committee.pk}/": {"member": 200, "admin": 200},
    }
    for path, by_role in expectations.items():
        for role, status in by_role.items():
            client = client_for(Client(HTTP_HOST="alpha.localhost"), getattr(world, role))
            assert client.get(path).status_code == status, (path, role)
