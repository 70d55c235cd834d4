"""Casting ballots: the rules of each method, the roll, one voter one ballot (also under a real
race between database connections), receipts and their verification."""

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from governance.elections import ballots as ballot_crypto
from governance.elections import selectors, services
from governance.elections.errors import (
    AlreadyVoted,
    ElectionError,
    ElectionPermissionDenied,
    ElectionStateConflict,
)
from governance.elections.models import Ballot, Candidate, Method, VoterRecord
from tests.factories import UserFactory
from tests.races import run_together

from .factories import voting_election

THREADS = 8


def test_stv_ballot_keeps_the_order_of_preference(in_a):
    election, candidates, voters = voting_election()
    numbers = [candidates[2].number, candidates[0].number]
    receipt = services.ballot_cast(election=election, voter=voters[0], choices=numbers)
    ballot = Ballot.objects.get(election=election)
    assert ballot.choices == numbers
    assert receipt.choices == tuple(numbers)
    assert ballot.ballot_hash == ballot_crypto.ballot_hash(
        code=receipt.code, election_id=election.pk, method="meek", choices=numbers
    )


def test_approval_ballot_is_stored_as_a_sorted_set(in_a):
    election, candidates, voters = voting_election(method=Method.APPROVAL)
    services.ballot_cast(
        election=election, voter=voters[0], choices=[candidates[2].number, candidates[0].number]
    )
    assert Ballot.objects.get(election=election).choices == sorted(
        [candidates[2].number, candidates[0].number]
    )


def test_plurality_refuses_more_ticks_than_seats(in_a):
    election, candidates, voters = voting_election(method=Method.PLURALITY, seats=1)
    with pytest.raises(ElectionError, match="at most 1"):
        services.ballot_cast(
            election=election, voter=voters[0], choices=[c.number for c in candidates[:2]]
        )
    assert not VoterRecord.objects.filter(election=election).exists()
    assert not Ballot.objects.filter(election=election).exists()


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([], "at least one"),
        ([99], "Not a candidate"),
        ([1, 1], "once"),
        (["1"], "list of candidate numbers"),
    ],
)
def test_bad_ballots_are_refused_and_nothing_is_written(in_a, choices, message):
    election, _candidates, voters = voting_election()
    with pytest.raises(ElectionError, match=message):
        services.ballot_cast(election=election, voter=voters[0], choices=choices)
    assert not VoterRecord.objects.filter(election=election).exists()
    assert not Ballot.objects.filter(election=election).exists()


def test_withdrawn_candidate_cannot_be_chosen_any_more(in_a):
    election, candidates, voters = voting_election()
    services.candidate_withdraw(candidate=candidates[0], actor=candidates[0].user)
    with pytest.raises(ElectionError, match="Not a candidate"):
        services.ballot_cast(election=election, voter=voters[0], choices=[candidates[0].number])


def test_second_ballot_is_refused(in_a):
    election, candidates, voters = voting_election()
    services.ballot_cast(election=election, voter=voters[0], choices=[candidates[0].number])
    with pytest.raises(AlreadyVoted):
        services.ballot_cast(election=election, voter=voters[0], choices=[candidates[1].number])
    assert Ballot.objects.filter(election=election).count() == 1


def test_only_electors_on_the_roll_vote(in_a):
    election, candidates, _voters = voting_election()
    outsider = UserFactory()
    with pytest.raises(ElectionPermissionDenied, match="electoral roll"):
        services.ballot_cast(election=election, voter=outsider, choices=[candidates[0].number])


def test_no_ballot_after_voting_closes_even_before_the_task_runs(in_a):
    election, candidates, voters = voting_election()
    election.voting_close = timezone.now() - timezone.timedelta(seconds=1)
    election.save(update_fields=["voting_close"])
    with pytest.raises(ElectionStateConflict):
        services.ballot_cast(election=election, voter=voters[0], choices=[candidates[0].number])


def test_receipt_verifies_during_voting_and_after_the_count(in_a):
    election, candidates, voters = voting_election()
    receipt = services.ballot_cast(
        election=election, voter=voters[0], choices=[candidates[1].number]
    )
    during = selectors.receipt_verify(election, receipt.code.lower().replace("-", " "))
    assert during is not None and during.content_matches and not during.counted
    services.election_close(election=election, now=election.voting_close)
    services.election_count(election=election)
    election.refresh_from_db()
    after = selectors.receipt_verify(election, receipt.code)
    assert after.counted and after.content_matches
    assert after.ballot_hash == receipt.ballot_hash
    assert after.choices == (candidates[1].number,)


def test_unknown_or_malformed_receipts_find_nothing(in_a):
    election, candidates, voters = voting_election()
    services.ballot_cast(election=election, voter=voters[0], choices=[candidates[1].number])
    assert selectors.receipt_verify(election, ballot_crypto.receipt_code_new()) is None
    assert selectors.receipt_verify(election, "not a code") is None


def test_tampered_ballot_is_detected_by_its_hash(in_a):
    election, candidates, voters = voting_election()
    receipt = services.ballot_cast(
        election=election, voter=voters[0], choices=[candidates[1].number]
    )
    Ballot.objects.filter(election=election).update(choices=[candidates[0].number])
    assert not selectors.receipt_verify(election, receipt.code).content_matches


def test_candidate_order_is_shuffled_per_voter_and_stable(in_a):
    election, candidates, voters = voting_election(candidates=8, electors=3)
    numbers = [c.number for c in candidates]
    orders = [tuple(selectors.ballot_order(election, v, numbers)) for v in voters]
    assert orders[0] == tuple(selectors.ballot_order(election, voters[0], numbers))
    assert sorted(orders[0]) == sorted(numbers)
    assert len(set(orders)) > 1


# --- The race --------------------------------------------------------------------------------


@pytest.mark.slow
def test_concurrent_ballots_of_one_voter_count_once(race_organization, django_db_blocker):
    with django_db_blocker.unblock(), tenant_context(race_organization):
        election, candidates, voters = voting_election(electors=2)
        voter = voters[0]

        def cast(n: int):
            choice = candidates[n % len(candidates)].number
            return services.ballot_cast(election=election, voter=voter, choices=[choice])

        results, errors = run_together(race_organization, cast)
        assert len(results) == 1
        assert len(errors) == THREADS - 1
        assert all(isinstance(error, AlreadyVoted) for error in errors), errors
        assert VoterRecord.objects.filter(election=election, user=voter).count() == 1
        ballots = list(Ballot.objects.filter(election=election))
        assert len(ballots) == 1
        assert ballots[0].ballot_hash == results[0].ballot_hash


@pytest.mark.slow
def test_concurrent_ballots_of_many_voters_all_count(race_organization, django_db_blocker):
    with django_db_blocker.unblock(), tenant_context(race_organization):
        election, candidates, voters = voting_election(electors=THREADS)

        def cast(n: int):
            return services.ballot_cast(
                election=election, voter=voters[n], choices=[candidates[0].number]
            )

        results, errors = run_together(race_organization, cast)
        assert errors == []
        assert len(results) == THREADS
        assert Ballot.objects.filter(election=election).count() == THREADS
        assert VoterRecord.objects.filter(election=election).count() == THREADS
        assert Candidate.objects.filter(election=election).count() == 3
