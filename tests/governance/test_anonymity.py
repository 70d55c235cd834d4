"""An anonymous raiser is never named to the committees — not on the page, not in the API, not in
comments, the history or notifications — and stays known to the system for follow-up."""

import json

import pytest
from django.test import Client

from core.models import AuditEntry, Notification
from governance import services


@pytest.fixture
def anonymous(world):
    escalation = services.escalation_raise(
        chapter=world.chapter,
        user=world.member,
        category="confidentiality",
        title="Something leaked",
        description="A challenge was repeated outside.",
        anonymous=True,
    )
    services.escalation_comment(escalation=escalation, actor=world.member, body="More detail.")
    services.escalation_comment(escalation=escalation, actor=world.chair, body="Thanks.")
    services.escalation_acknowledge(escalation=escalation, actor=world.chair)
    return escalation


IDENTITY = ("Marco Member", "member@gov.test")


def _client(user) -> Client:
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["chair", "committee_member"])
def test_committee_pages_and_api_never_name_the_raiser(world, anonymous, role):
    client = _client(getattr(world, role))
    responses = [
        client.get(f"/governance/escalations/{anonymous.pk}/"),
        client.get(f"/governance/queue/?committee={world.lyon_committee.pk}"),
        client.get(f"/api/v1/governance/escalations/{anonymous.pk}/"),
        client.get("/api/v1/governance/escalations/"),
        client.get(f"/api/v1/governance/escalations/{anonymous.pk}/comments/"),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        for identity in IDENTITY:
            assert identity not in text
    page = responses[0].content.decode()
    assert "The raiser (anonymous)" in page
    assert "The raiser" in page
    detail = responses[2].json()
    assert detail["raiser"] == {"id": None, "label": "The raiser (anonymous)"}
    assert str(world.member.pk) not in json.dumps(detail["raiser"])
    assert detail["comments"][0]["author"] == "The raiser"
    assert all(event["actor"] != "Marco Member" for event in detail["events"])


def test_the_raiser_sees_their_own_name_as_you(world, anonymous):
    detail = _client(world.member).get(f"/api/v1/governance/escalations/{anonymous.pk}/").json()
    assert detail["raiser"] == {"id": world.member.pk, "label": "You"}
    assert detail["comments"][0]["author"] == "You"


def test_notifications_to_the_committee_do_not_name_the_raiser(world, anonymous):
    for note in Notification.objects.filter(user__in=[world.chair, world.committee_member]):
        for identity in IDENTITY:
            assert identity not in note.title + note.body


def test_the_system_still_knows_the_raiser_but_the_audit_log_does_not_name_them(world, anonymous):
    anonymous.refresh_from_db()
    assert anonymous.raised_by == world.member
    raised = AuditEntry.objects.get(
        action="governance.escalation.raise", target_id=str(anonymous.pk)
    )
    assert raised.actor is None
    assert raised.data["anonymous"] is True


def test_a_named_escalation_shows_the_raiser_to_the_committee(world):
    escalation = services.escalation_raise(
        chapter=world.chapter,
        user=world.member,
        category="conduct",
        title="Named",
        description="d",
    )
    detail = _client(world.chair).get(f"/api/v1/governance/escalations/{escalation.pk}/").json()
    assert detail["raiser"] == {"id": world.member.pk, "label": "Marco Member"}
