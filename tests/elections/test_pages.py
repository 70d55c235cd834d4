"""The pages per role (anonymous, member, committee member, board member, officer, organisation
admin, someone of another organisation), the ballot form, and query counts that stay constant."""

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Role
from core.services import role_grant
from governance.elections import services
from governance.elections.models import Ballot, Election, ElectionOfficer, VoterRecord
from tests.factories import UserFactory

from .factories import board_member, committee_member, election, voting_election

ROLES = ["member", "committee", "board", "officer", "admin"]


def _user_for(role: str, record: Election):
    if role == "member":
        return UserFactory()
    if role == "committee":
        return committee_member()
    if role == "board":
        return board_member()
    if role == "officer":
        user = UserFactory()
        ElectionOfficer.objects.create(election=record, user=user)
        return user
    user = UserFactory()
    role_grant(user=user, role=Role.ORGANIZATION_ADMIN)
    return user


def test_anonymous_is_sent_to_sign_in(in_a, client_a):
    record = election(state=Election.State.NOMINATIONS)
    for path in ("", f"{record.pk}/", f"{record.pk}/vote/", "new/"):
        response = client_a.get(f"/elections/{path}")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert client_a.get("/api/v1/elections/").status_code in (401, 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_an_election_being_set_up(in_a, client_a, role):
    record = election(state=Election.State.SETUP, title="Secret plans")
    client_a.force_login(_user_for(role, record))
    allowed = role in ("board", "officer")
    detail = client_a.get(f"/elections/{record.pk}/")
    assert detail.status_code == (200 if allowed else 404)
    listing = client_a.get("/elections/").content.decode()
    assert ("Secret plans" in listing) is allowed
    edit = client_a.get(f"/elections/{record.pk}/edit/")
    assert edit.status_code == (200 if allowed else 404)
    api = client_a.get(f"/api/v1/elections/{record.pk}/")
    assert api.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_sees_a_published_election(in_a, client_a, role):
    record = election(state=Election.State.NOMINATIONS, title="Open call")
    client_a.force_login(_user_for(role, record))
    assert client_a.get(f"/elections/{record.pk}/").status_code == 200
    assert "Open call" in client_a.get("/elections/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_board_calls_an_election(in_a, client_a, role):
    record = election(state=Election.State.NOMINATIONS)
    client_a.force_login(_user_for(role, record))
    assert client_a.get("/elections/new/").status_code == (200 if role == "board" else 403)


def test_board_member_calls_an_election_through_the_page(in_a, client_a):
    chair = board_member()
    chair.refresh_from_db()
    client_a.force_login(chair)
    now = timezone.localtime(timezone.now() + timezone.timedelta(days=2))
    fmt = "%Y-%m-%dT%H:%M"
    response = client_a.post(
        "/elections/new/",
        {
            "title": "Board 2027",
            "seats": 3,
            "method": "scottish",
            "electorate": "committee_members",
            "nominations_open": now.strftime(fmt),
            "nominations_close": (now + timezone.timedelta(days=7)).strftime(fmt),
            "voting_open": (now + timezone.timedelta(days=8)).strftime(fmt),
            "voting_close": (now + timezone.timedelta(days=15)).strftime(fmt),
            "term_start": (now + timezone.timedelta(days=30)).date().isoformat(),
            "term_end": (now + timezone.timedelta(days=400)).date().isoformat(),
        },
    )
    record = Election.objects.get(title="Board 2027")
    assert response.status_code == 302
    assert record.method == "scottish" and record.state == Election.State.SETUP
    bad = client_a.post(
        "/elections/new/",
        {
            "title": "Bad",
            "seats": 1,
            "method": "meek",
            "electorate": "committee_members",
            "nominations_open": now.strftime(fmt),
            "nominations_close": now.strftime(fmt),
            "voting_open": now.strftime(fmt),
            "voting_close": now.strftime(fmt),
            "term_start": "2030-01-01",
            "term_end": "2031-01-01",
        },
    )
    assert bad.status_code == 200
    assert "Nominations must close after they open." in bad.content.decode()
    assert not Election.objects.filter(title="Bad").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_electors_open_the_ballot(in_a, client_a, role):
    record, _candidates, voters = voting_election()
    client_a.force_login(_user_for(role, record))
    assert client_a.get(f"/elections/{record.pk}/vote/").status_code == 403
    client_a.force_login(voters[0])
    assert client_a.get(f"/elections/{record.pk}/vote/").status_code == 200


def test_voting_through_the_page_shows_the_receipt_once(in_a, client_a):
    record, _candidates, voters = voting_election()
    client_a.force_login(voters[0])
    page = client_a.get(f"/elections/{record.pk}/vote/").content.decode()
    assert page.count('type="number"') == 3
    refused = client_a.post(f"/elections/{record.pk}/vote/", {"c1": "1", "c2": "1"})
    assert "more than one candidate" in refused.content.decode()
    gap = client_a.post(f"/elections/{record.pk}/vote/", {"c1": "1", "c3": "3"})
    assert "rank 2 is missing" in gap.content.decode()
    assert not VoterRecord.objects.exists()
    cast = client_a.post(f"/elections/{record.pk}/vote/", {"c3": "1", "c1": "2"})
    assert cast.status_code == 200
    assert cast["Cache-Control"] == "no-store"
    assert Ballot.objects.get(election=record).choices == [3, 1]
    code = cast.context["receipt"].code
    assert code in cast.content.decode()
    again = client_a.post(f"/elections/{record.pk}/vote/", {"c1": "1"})
    assert again.status_code == 302
    assert Ballot.objects.filter(election=record).count() == 1
    verify = client_a.post(f"/elections/{record.pk}/verify/", {"code": code})
    assert "Your ballot was received" in verify.content.decode()


def test_certify_button_is_for_the_board(in_a, client_a):
    record, _candidates, voters = voting_election()
    services.ballot_cast(election=record, voter=voters[0], choices=[1])
    services.elections_advance(now=record.voting_close)
    officer = _user_for("officer", record)
    client_a.force_login(officer)
    assert client_a.post(f"/elections/{record.pk}/certify/").status_code == 403
    client_a.force_login(board_member())
    assert client_a.get(f"/elections/{record.pk}/results/").status_code == 200
    assert client_a.post(f"/elections/{record.pk}/certify/").status_code == 302
    record.refresh_from_db()
    assert record.state == Election.State.CERTIFIED


def test_results_show_quorum_failure(in_a, client_a):
    record, _candidates, voters = voting_election(electors=4, quorum_percent=30)
    services.ballot_cast(election=record, voter=voters[0], choices=[1])
    services.elections_advance(now=record.voting_close)
    client_a.force_login(voters[1])
    body = client_a.get(f"/elections/{record.pk}/results/").content.decode()
    assert "Turnout 25% is below the 30% quorum — no result." in body


def test_election_of_one_organisation_is_404_on_another(in_a, org_b, client_b):
    record, _candidates, voters = voting_election()
    pk = record.pk
    connection.set_tenant(org_b)
    outsider = UserFactory(email=voters[0].email)
    client_b.force_login(outsider)
    assert not Election.objects.filter(pk=pk).exists()
    for path in (f"/elections/{pk}/", f"/elections/{pk}/vote/", f"/api/v1/elections/{pk}/"):
        assert client_b.get(path).status_code == 404
    assert client_b.get("/api/v1/elections/").json()["count"] == 0


# --- Query counts ------------------------------------------------------------------------------
# The whole page's queries are counted twice, with little and with much data, and must be equal;
# the queries of this app are counted exactly (the header and the other apps' navigation add a
# few of their own, which are theirs to count).


def _queries(client, url: str) -> tuple[int, int]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    ours = [q["sql"] for q in context.captured_queries if '"elections_' in q["sql"]]
    return len(context.captured_queries), len(ours)


def _counted_election(candidates: int = 3, electors: int = 2):
    record, _candidates, voters = voting_election(candidates=candidates, electors=electors, seats=2)
    for voter in voters:
        services.ballot_cast(election=record, voter=voter, choices=[2, 1])
    services.elections_advance(now=record.voting_close)
    return record, voters


def test_election_list_queries_are_constant(in_a, client_a):
    chair = board_member()
    _counted_election()
    election(state=Election.State.NOMINATIONS)
    client_a.force_login(chair)
    client_a.get("/elections/")
    total, ours = _queries(client_a, "/elections/")
    # elections (with can-vote and has-voted annotations), nominations waiting for me
    assert ours == 2
    for _ in range(3):
        _counted_election()
    election(state=Election.State.SETUP)
    assert _queries(client_a, "/elections/") == (total, ours)


def test_results_page_queries_are_constant(pages_drawn, in_a, client_a):
    small, voters = _counted_election(candidates=3, electors=3)
    client_a.force_login(voters[0])
    client_a.get(f"/elections/{small.pk}/results/")
    total, ours = _queries(client_a, f"/elections/{small.pk}/results/")
    # the election, its candidates on the ballot paper
    assert ours == 2
    large, large_voters = _counted_election(candidates=9, electors=12)
    client_a.force_login(large_voters[0])
    client_a.get(f"/elections/{large.pk}/results/")
    assert _queries(client_a, f"/elections/{large.pk}/results/") == (total, ours)


def test_election_page_queries_are_constant(in_a, client_a):
    small, voters = _counted_election(candidates=2)
    client_a.force_login(voters[0])
    client_a.get(f"/elections/{small.pk}/")
    total, ours = _queries(client_a, f"/elections/{small.pk}/")
    large, large_voters = _counted_election(candidates=9, electors=6)
    client_a.force_login(large_voters[0])
    client_a.get(f"/elections/{large.pk}/")
    assert _queries(client_a, f"/elections/{large.pk}/") == (total, ours)


def test_nominating_a_colleague_and_accepting_through_the_pages(in_a, client_a):
    record = election(state=Election.State.NOMINATIONS)
    nominee = committee_member(name="Nadia Nominee")
    colleague = committee_member()
    client_a.force_login(colleague)
    form = client_a.get(f"/elections/{record.pk}/nominate/")
    assert form.status_code == 200 and "Nadia Nominee" in form.content.decode()
    missing = client_a.post(f"/elections/{record.pk}/nominate/", {"who": "other"})
    assert "Choose the colleague you nominate." in missing.content.decode()
    done = client_a.post(
        f"/elections/{record.pk}/nominate/", {"who": "other", "nominee": nominee.pk}
    )
    assert done.status_code == 302
    candidate = record.candidates.get(user=nominee)
    assert candidate.status == "pending"
    client_a.force_login(nominee)
    page = f"/elections/{record.pk}/nominations/{candidate.pk}/"
    assert "Accept and stand" in client_a.get(page).content.decode()
    client_a.post(page, {"action": "accept", "statement": "I accept."})
    candidate.refresh_from_db()
    assert (candidate.status, candidate.statement) == ("accepted", "I accept.")
    detail = client_a.get(f"/elections/{record.pk}/").content.decode()
    assert "Nadia Nominee" in detail and "I accept." in detail


def test_plain_member_cannot_open_the_nomination_form(in_a, client_a):
    record = election(state=Election.State.NOMINATIONS)
    client_a.force_login(UserFactory())
    assert client_a.get(f"/elections/{record.pk}/nominate/").status_code == 403


def test_officer_edits_and_cancels_through_the_pages(in_a, client_a):
    record = election(state=Election.State.SETUP, title="Before")
    officer = _user_for("officer", record)
    client_a.force_login(officer)
    form = client_a.get(f"/elections/{record.pk}/edit/").context["form"]
    # What the browser would send back: every field as the page rendered it.
    data = {}
    for name, field in form.fields.items():
        value = field.widget.format_value(form[name].value())
        data[name] = "" if value is None else value
    data["title"] = "After"
    response = client_a.post(f"/elections/{record.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    record.refresh_from_db()
    assert record.title == "After"
    client_a.post(f"/elections/{record.pk}/cancel/", {"reason": "Called by mistake."})
    record.refresh_from_db()
    assert record.state == Election.State.CANCELLED
