"""The API: same services, same rules — elections, candidates, casting, verifying, results."""

import datetime as dt

from django.utils import timezone

from governance.elections import services
from governance.elections.models import Ballot, Election, VoterRecord
from tests.factories import UserFactory

from .factories import board_member, committee_member, election, voting_election


def test_board_member_creates_and_edits_an_election(in_a, client_a):
    client_a.force_login(board_member())
    now = timezone.now()
    payload = {
        "title": "Board 2028",
        "seats": 2,
        "method": "approval",
        "nominations_open": (now + dt.timedelta(days=1)).isoformat(),
        "nominations_close": (now + dt.timedelta(days=5)).isoformat(),
        "voting_open": (now + dt.timedelta(days=6)).isoformat(),
        "voting_close": (now + dt.timedelta(days=9)).isoformat(),
        "term_start": (now + dt.timedelta(days=30)).date().isoformat(),
        "term_end": (now + dt.timedelta(days=400)).date().isoformat(),
    }
    created = client_a.post("/api/v1/elections/", payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "setup"
    patched = client_a.patch(
        f"/api/v1/elections/{pk}/", {"seats": 4}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert Election.objects.get(pk=pk).seats == 4
    bad = client_a.patch(
        f"/api/v1/elections/{pk}/",
        {"voting_close": (now + dt.timedelta(days=2)).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"voting_close": ["Voting must close after it opens."]}


def test_member_cannot_create(in_a, client_a):
    client_a.force_login(committee_member())
    response = client_a.post("/api/v1/elections/", {}, content_type="application/json")
    assert response.status_code in (400, 403)
    full = {
        "title": "x",
        "seats": 1,
        "term_start": "2030-01-01",
        "term_end": "2031-01-01",
        "nominations_open": "2030-01-01T00:00Z",
        "nominations_close": "2030-01-02T00:00Z",
        "voting_open": "2030-01-03T00:00Z",
        "voting_close": "2030-01-04T00:00Z",
    }
    response = client_a.post("/api/v1/elections/", full, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only members of the board can call an election."


def test_nominate_and_accept_through_the_api(in_a, client_a):
    record = election(state=Election.State.NOMINATIONS)
    nominee = committee_member()
    client_a.force_login(committee_member())
    nominated = client_a.post(
        f"/api/v1/elections/{record.pk}/candidates/",
        {"nominee": nominee.pk},
        content_type="application/json",
    )
    assert nominated.status_code == 201
    assert nominated.json()["status"] == "pending"
    client_a.force_login(nominee)
    accepted = client_a.post(
        f"/api/v1/elections/{record.pk}/candidates/{nominated.json()['id']}/respond/",
        {"accept": True, "statement": "Yes."},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = client_a.get(f"/api/v1/elections/{record.pk}/candidates/").json()
    assert [c["user"]["id"] for c in listed] == [nominee.pk]


def test_plain_member_cannot_stand_through_the_api(in_a, client_a):
    record = election(state=Election.State.NOMINATIONS)
    client_a.force_login(UserFactory())
    response = client_a.post(
        f"/api/v1/elections/{record.pk}/candidates/", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "steering committee" in response.json()["error"]["message"]


def test_cast_verify_and_results_through_the_api(in_a, client_a):
    record, _candidates, voters = voting_election(electors=2)
    client_a.force_login(voters[0])
    paper = client_a.get(f"/api/v1/elections/{record.pk}/ballot/").json()
    assert paper["can_vote"] and paper["ranked"]
    assert sorted(c["number"] for c in paper["candidates"]) == [1, 2, 3]
    refused = client_a.post(
        f"/api/v1/elections/{record.pk}/ballot/",
        {"choices": [1, 1]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert not VoterRecord.objects.exists()
    cast = client_a.post(
        f"/api/v1/elections/{record.pk}/ballot/",
        {"choices": [2, 3]},
        content_type="application/json",
    )
    assert cast.status_code == 201
    receipt = cast.json()
    assert receipt["choices"] == [2, 3]
    again = client_a.post(
        f"/api/v1/elections/{record.pk}/ballot/",
        {"choices": [1]},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_voted"
    assert Ballot.objects.count() == 1
    not_yet = client_a.get(f"/api/v1/elections/{record.pk}/results/")
    assert not_yet.status_code == 409
    services.elections_advance(now=record.voting_close)
    verified = client_a.post(
        f"/api/v1/elections/{record.pk}/verify/",
        {"receipt_code": receipt["receipt_code"]},
        content_type="application/json",
    ).json()
    assert verified == {
        "found": True,
        "ballot_hash": receipt["ballot_hash"],
        "choices": [2, 3],
        "counted": True,
        "content_matches": True,
    }
    results = client_a.get(f"/api/v1/elections/{record.pk}/results/").json()
    assert results["outcome"] == "elected"
    assert [c["number"] for c in results["elected"]] == [2]
    assert results["result"]["rounds"]
    ballots = client_a.get(f"/api/v1/elections/{record.pk}/ballots/").json()
    assert ballots["results"] == [{"ballot_hash": receipt["ballot_hash"], "choices": [2, 3]}]


def test_non_elector_cannot_cast_through_the_api(in_a, client_a):
    record, _candidates, _voters = voting_election()
    client_a.force_login(committee_member())
    response = client_a.post(
        f"/api/v1/elections/{record.pk}/ballot/",
        {"choices": [1]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "electoral roll" in response.json()["error"]["message"]


def test_certify_through_the_api(in_a, client_a):
    record, _candidates, voters = voting_election()
    services.ballot_cast(election=record, voter=voters[0], choices=[1])
    services.elections_advance(now=record.voting_close)
    client_a.force_login(voters[1])
    assert client_a.post(f"/api/v1/elections/{record.pk}/certify/").status_code == 403
    client_a.force_login(board_member())
    response = client_a.post(f"/api/v1/elections/{record.pk}/certify/")
    assert response.status_code == 200
    assert response.json()["state"] == "certified"
