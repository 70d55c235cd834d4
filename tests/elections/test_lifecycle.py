"""The election's life on the clock: the periodic sweep opens nominations, opens voting (fixing
candidates and roll), closes, counts — each once however often it runs — sends each reminder
once, records a quorum failure, and certification seats the elected on the board."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from core.models import AuditEntry
from governance.elections import services, tasks
from governance.elections.errors import ElectionPermissionDenied, ElectionStateConflict
from governance.elections.models import Candidate, Election, Elector, Method, ReminderSent
from governance.models import CommitteeMembership, Level
from tests.factories import UserFactory

from .factories import (
    board_member,
    committee_member,
    election,
    metro_committee,
    standing,
    voting_election,
)


def _sweep_twice(django_capture_on_commit_callbacks, now=None):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.elections_advance(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.elections_advance(now=now)
    return first, second


def test_sweep_opens_nominations_once(in_a, django_capture_on_commit_callbacks):
    candidate = committee_member()
    record = election(state=Election.State.SETUP)
    Election.objects.filter(pk=record.pk).update(nominations_open=timezone.now())
    first, second = _sweep_twice(django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.state == Election.State.NOMINATIONS
    assert (first["nominations"], second["nominations"]) == (1, 0)
    assert AuditEntry.objects.filter(action="election.nominations_open").count() == 1
    assert [m.to for m in mail.outbox] == [[candidate.email]]


def test_sweep_opens_voting_numbering_candidates_and_fixing_the_roll(
    in_a, django_capture_on_commit_callbacks
):
    committee = metro_committee()
    zoe = committee_member(committee, name="Zoe Zed")
    amy = committee_member(committee, name="Amy Ash")
    pending = committee_member(committee, name="Pat Pending")
    chair = board_member()
    record = election(state=Election.State.NOMINATIONS)
    standing(record, zoe, amy)
    Candidate.objects.create(election=record, user=pending, nominated_by=amy)
    Election.objects.filter(pk=record.pk).update(
        nominations_close=timezone.now() - dt.timedelta(hours=1), voting_open=timezone.now()
    )
    first, second = _sweep_twice(django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.state == Election.State.VOTING
    assert (first["voting"], second["voting"]) == (1, 0)
    numbers = dict(record.candidates.values_list("user__name", "number"))
    assert numbers == {"Amy Ash": 1, "Zoe Zed": 2, "Pat Pending": None}
    assert record.candidates.get(user=pending).status == Candidate.Status.LAPSED
    roll = set(Elector.objects.filter(election=record).values_list("user_id", flat=True))
    assert {zoe.pk, amy.pk, pending.pk, chair.pk} <= roll
    assert record.electorate_size == len(roll)
    # "Voting is open" goes to each elector once, however often the sweep runs.
    assert ReminderSent.objects.filter(election=record, kind="voting_open").count() == 1
    assert len(mail.outbox) == len(roll) + 0  # nominations were already open: no other mail


def test_voting_never_opens_without_candidates(in_a):
    record = election(state=Election.State.NOMINATIONS)
    Election.objects.filter(pk=record.pk).update(
        nominations_close=timezone.now() - dt.timedelta(hours=1), voting_open=timezone.now()
    )
    services.elections_advance()
    record.refresh_from_db()
    assert record.state == Election.State.CANCELLED
    assert "No candidate" in record.cancel_reason


def test_close_and_count_run_once(in_a, django_capture_on_commit_callbacks):
    record, candidates, voters = voting_election(electors=3)
    for voter in voters:
        services.ballot_cast(election=record, voter=voter, choices=[candidates[1].number])
    later = record.voting_close + dt.timedelta(minutes=1)
    first, second = _sweep_twice(django_capture_on_commit_callbacks, now=later)
    record.refresh_from_db()
    assert (first["closed"], first["counted"]) == (1, 1)
    assert (second["closed"], second["counted"]) == (0, 0)
    assert record.state == Election.State.COUNTED
    assert record.outcome == Election.Outcome.ELECTED
    assert record.result["elected"] == [1]
    assert record.result["seed"] == str(record.pk) == record.result_seed
    assert record.voters_count == 3
    assert AuditEntry.objects.filter(action="election.count", target_id=str(record.pk)).count() == 1


def test_turnout_below_quorum_gives_no_result(in_a):
    record, candidates, voters = voting_election(electors=4, quorum_percent=Decimal("30"))
    services.ballot_cast(election=record, voter=voters[0], choices=[candidates[0].number])
    services.elections_advance(now=record.voting_close)
    record.refresh_from_db()
    assert record.state == Election.State.COUNTED
    assert record.outcome == Election.Outcome.NO_QUORUM
    assert record.result is None
    assert record.turnout_percent == 25.0
    with pytest.raises(ElectionStateConflict):
        services.election_certify(election=record, actor=board_member())


def test_quorum_met_exactly_counts(in_a):
    record, candidates, voters = voting_election(electors=4, quorum_percent=Decimal("25"))
    services.ballot_cast(election=record, voter=voters[0], choices=[candidates[0].number])
    services.elections_advance(now=record.voting_close)
    record.refresh_from_db()
    assert record.outcome == Election.Outcome.ELECTED


def test_no_ballots_no_result(in_a):
    record, _candidates, _voters = voting_election()
    services.elections_advance(now=record.voting_close)
    record.refresh_from_db()
    assert record.outcome == Election.Outcome.NO_BALLOTS


def test_closing_soon_reminder_goes_once_to_those_who_have_not_voted(
    in_a, django_capture_on_commit_callbacks
):
    record, candidates, voters = voting_election(electors=3)
    ReminderSent.objects.create(election=record, kind=ReminderSent.Kind.VOTING_OPEN)
    services.ballot_cast(election=record, voter=voters[0], choices=[candidates[0].number])
    soon = record.voting_close - dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(election=record, now=soon) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(election=record, now=soon) == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(v.email for v in voters[1:])
    for message in mail.outbox:
        assert "Candidate" not in message.body  # says nothing about candidates or ballots


def test_ballots_are_remixed_while_voting(in_a):
    record, candidates, voters = voting_election(electors=2)
    services.ballot_cast(election=record, voter=voters[0], choices=[candidates[0].number])
    assert services.elections_advance()["mixed"] == 1
    assert services.elections_advance()["mixed"] == 0
    record.refresh_from_db()
    assert record.mixed_ballot_count == 1


def test_the_task_runs_the_sweep_in_the_organisation(in_a):
    record = election(state=Election.State.SETUP)
    Election.objects.filter(pk=record.pk).update(nominations_open=timezone.now())
    tasks.advance_elections.apply()
    record.refresh_from_db()
    assert record.state == Election.State.NOMINATIONS


def test_certification_seats_the_elected_on_the_board(in_a, django_capture_on_commit_callbacks):
    record, candidates, voters = voting_election(electors=3, seats=2)
    for voter, choices in zip(voters, ([1, 2], [2, 1], [1, 3]), strict=True):
        services.ballot_cast(election=record, voter=voter, choices=choices)
    services.elections_advance(now=record.voting_close)
    record.refresh_from_db()
    elected = [candidates[i].user for i in record.result["elected"]]
    chair = board_member()
    with pytest.raises(ElectionPermissionDenied):
        services.election_certify(election=record, actor=voters[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.election_certify(election=record, actor=chair)
    record.refresh_from_db()
    assert record.state == Election.State.CERTIFIED
    assert record.certified_by == chair
    seats = CommitteeMembership.objects.filter(committee__level=Level.BOARD, user__in=elected)
    assert {(s.user_id, s.term_start, s.term_end) for s in seats} == {
        (user.pk, record.term_start, record.term_end) for user in elected
    }
    with pytest.raises(ElectionStateConflict):
        services.election_certify(election=record, actor=chair)


def test_setup_is_editable_until_nominations_open_and_audited(in_a):
    chair = board_member()
    now = timezone.now()
    record = services.election_create(
        actor=chair,
        title="Board 2027",
        seats=3,
        nominations_open=now + dt.timedelta(days=1),
        nominations_close=now + dt.timedelta(days=8),
        voting_open=now + dt.timedelta(days=9),
        voting_close=now + dt.timedelta(days=16),
        term_start=(now + dt.timedelta(days=30)).date(),
        term_end=(now + dt.timedelta(days=395)).date(),
    )
    assert record.method == Method.MEEK
    assert record.electorate == "committee_members"
    services.election_update(election=record, actor=chair, seats=5)
    entry = AuditEntry.objects.get(action="election.update", target_id=str(record.pk))
    assert entry.data == {"seats": [3, 5]}
    Election.objects.filter(pk=record.pk).update(state=Election.State.NOMINATIONS)
    record.refresh_from_db()
    with pytest.raises(ElectionStateConflict):
        services.election_update(election=record, actor=chair, seats=2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"voting_open": "before nominations close"}, "voting_open"),
        ({"seats": 0}, "seats"),
        ({"quorum_percent": Decimal("150")}, "quorum_percent"),
        ({"term_end": "before start"}, "term_end"),
    ],
)
def test_setup_rejects_inconsistent_settings(in_a, change, field):
    chair = board_member()
    now = timezone.now()
    fields = {
        "title": "Board",
        "seats": 3,
        "nominations_open": now + dt.timedelta(days=1),
        "nominations_close": now + dt.timedelta(days=8),
        "voting_open": now + dt.timedelta(days=9),
        "voting_close": now + dt.timedelta(days=16),
        "term_start": (now + dt.timedelta(days=30)).date(),
        "term_end": (now + dt.timedelta(days=395)).date(),
    }
    if change.get("voting_open"):
        change = {"voting_open": now + dt.timedelta(days=2)}
    if change.get("term_end"):
        change = {"term_end": (now + dt.timedelta(days=20)).date()}
    fields.update(change)
    from governance.elections.errors import ElectionError

    with pytest.raises(ElectionError) as error:
        services.election_create(actor=chair, **fields)
    assert error.value.field == field
    assert not Election.objects.filter(title="Board").exists()


def test_only_the_board_calls_elections(in_a):
    from governance.elections.errors import ElectionPermissionDenied as Denied

    with pytest.raises(Denied):
        services.election_create(actor=committee_member(), title="x")
    with pytest.raises(Denied):
        services.election_create(actor=UserFactory(), title="x")
