"""Secret ballot (rule 6): no path from a ballot to its voter — in the schema, in the pages, in
the API, in the admin — and the receipt code is stored nowhere."""

import uuid

import pytest
from django.contrib import admin
from django.db import models

from core.models import AuditEntry, Notification, User
from governance.elections import services
from governance.elections.ballots import receipt_digest
from governance.elections.models import Ballot, VoterRecord

from .factories import voting_election


def test_ballot_schema_has_no_voter_no_time_no_sequence():
    fields = {field.name: field for field in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "election", "choices", "receipt_digest", "ballot_hash"}
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert Ballot._meta.pk.default is uuid.uuid4
    for field in fields.values():
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        assert not isinstance(field, models.AutoField | models.BigAutoField)
        if field.is_relation:
            assert field.related_model is not User
            assert field.name == "election"
    assert Ballot._meta.ordering == ["ballot_hash"]
    # Nothing points at a ballot either (a reverse relation would be a path to it).
    assert not [f for f in Ballot._meta.get_fields() if f.auto_created and not f.concrete]


def test_voter_record_says_who_voted_and_nothing_else():
    fields = {field.name for field in VoterRecord._meta.get_fields()}
    assert fields == {"id", "election", "user"}
    assert isinstance(VoterRecord._meta.pk, models.UUIDField)


def test_cast_stores_no_receipt_and_audits_nothing_about_the_ballot(in_a):
    election, candidates, voters = voting_election()
    audit_before = AuditEntry.objects.count()
    receipt = services.ballot_cast(
        election=election, voter=voters[0], choices=[candidates[1].number]
    )
    ballot = Ballot.objects.get(election=election)
    assert ballot.receipt_digest == receipt_digest(receipt.code)
    assert receipt.code not in str(
        Ballot.objects.filter(pk=ballot.pk).values().first()
    )  # only one-way hashes of it
    assert AuditEntry.objects.count() == audit_before
    assert not Notification.objects.filter(body__contains=receipt.code).exists()
    assert VoterRecord.objects.filter(election=election, user=voters[0]).exists()


def test_ballot_admin_shows_no_voter_and_is_read_only(in_a, rf):
    ballot_admin = admin.site._registry[Ballot]
    assert set(ballot_admin.list_display) == {"ballot_hash", "election", "choices"}
    request = rf.get("/")
    assert not ballot_admin.has_add_permission(request)
    assert not ballot_admin.has_change_permission(request)
    assert not ballot_admin.has_delete_permission(request)
    assert VoterRecord not in admin.site._registry


@pytest.mark.parametrize("path", ["", "results/", "ballots/", "ballots.txt", "ballots.blt"])
def test_pages_never_name_a_voter_next_to_a_ballot(in_a, client_a, path):
    election, candidates, voters = voting_election(electors=2)
    services.ballot_cast(election=election, voter=voters[0], choices=[candidates[0].number])
    services.election_close(election=election, now=election.voting_close)
    services.election_count(election=election)
    client_a.force_login(voters[1])
    response = client_a.get(f"/elections/{election.pk}/{path}")
    assert response.status_code == 200
    body = response.content.decode()
    assert voters[0].name not in body
    assert voters[0].email not in body


def test_api_results_and_ballots_never_name_a_voter(in_a, client_a):
    election, candidates, voters = voting_election(electors=2)
    services.ballot_cast(election=election, voter=voters[0], choices=[candidates[0].number])
    services.election_close(election=election, now=election.voting_close)
    services.election_count(election=election)
    client_a.force_login(voters[1])
    for path in ("", "results/", "ballots/"):
        response = client_a.get(f"/api/v1/elections/{election.pk}/{path}")
        assert response.status_code == 200
        body = response.content.decode()
        assert voters[0].name not in body and voters[0].email not in body
        assert f'"user": {{"id": {voters[0].pk}' not in body
    rows = client_a.get(f"/api/v1/elections/{election.pk}/ballots/").json()["results"]
    assert set(rows[0]) == {"ballot_hash", "choices"}


def test_mixing_rewrites_ballots_with_new_ids_and_same_content(in_a):
    election, candidates, voters = voting_election()
    for voter, candidate in zip(voters, candidates, strict=True):
        services.ballot_cast(election=election, voter=voter, choices=[candidate.number])
    before = {b.ballot_hash: (b.pk, b.choices) for b in Ballot.objects.filter(election=election)}
    assert services.ballots_mix(election=election) == 3
    after = {b.ballot_hash: (b.pk, b.choices) for b in Ballot.objects.filter(election=election)}
    assert set(before) == set(after)
    assert all(before[h][1] == after[h][1] for h in before)
    assert not {pk for pk, _ in before.values()} & {pk for pk, _ in after.values()}
