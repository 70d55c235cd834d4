"""Nominations (rule 6): only current steering-committee members stand; self-nomination stands at
once, a nomination by someone else waits for the nominee's acceptance; windows are enforced."""

import datetime as dt

import pytest
from django.utils import timezone

from governance.elections import services
from governance.elections.errors import (
    ElectionError,
    ElectionPermissionDenied,
    ElectionStateConflict,
)
from governance.elections.models import Candidate, Election
from governance.models import CommitteeMembership
from tests.factories import UserFactory

from .factories import board, board_member, committee_member, election, seat


@pytest.fixture
def open_election(in_a):
    return election(state=Election.State.NOMINATIONS)


def test_committee_member_stands_by_self_nomination(open_election):
    member = committee_member()
    candidate = services.candidate_nominate(
        election=open_election, nominee=member, actor=member, statement="  I will serve.  "
    )
    assert candidate.status == Candidate.Status.ACCEPTED
    assert candidate.statement == "I will serve."


def test_plain_member_cannot_stand(open_election):
    member = UserFactory()
    with pytest.raises(ElectionError, match="steering committee"):
        services.candidate_nominate(election=open_election, nominee=member, actor=member)
    assert not Candidate.objects.exists()


def test_board_seat_alone_does_not_qualify(open_election):
    only_board = board_member()
    with pytest.raises(ElectionError, match="steering committee"):
        services.candidate_nominate(election=open_election, nominee=only_board, actor=only_board)
    also_committee = committee_member()
    seat(also_committee, board())
    services.candidate_nominate(
        election=open_election, nominee=also_committee, actor=also_committee
    )


def test_ended_committee_seat_does_not_qualify(open_election):
    former = committee_member()
    CommitteeMembership.objects.filter(user=former).update(term_end=timezone.localdate())
    with pytest.raises(ElectionError):
        services.candidate_nominate(election=open_election, nominee=former, actor=former)


def test_nomination_by_a_colleague_waits_for_acceptance(open_election):
    nominee = committee_member(name="Nadia Nominee")
    colleague = committee_member()
    candidate = services.candidate_nominate(
        election=open_election, nominee=nominee, actor=colleague
    )
    assert candidate.status == Candidate.Status.PENDING
    with pytest.raises(ElectionPermissionDenied):
        services.candidate_respond(candidate=candidate, actor=colleague, accept=True)
    services.candidate_respond(
        candidate=candidate, actor=nominee, accept=True, statement="Thank you, I accept."
    )
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ACCEPTED
    assert candidate.statement == "Thank you, I accept."
    with pytest.raises(ElectionStateConflict):
        services.candidate_respond(candidate=candidate, actor=nominee, accept=False)


def test_nominee_can_decline(open_election):
    nominee = committee_member()
    candidate = services.candidate_nominate(
        election=open_election, nominee=nominee, actor=committee_member()
    )
    services.candidate_respond(candidate=candidate, actor=nominee, accept=False)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.DECLINED


def test_only_the_electorate_nominates_others(open_election):
    outsider = UserFactory()
    with pytest.raises(ElectionPermissionDenied):
        services.candidate_nominate(
            election=open_election, nominee=committee_member(), actor=outsider
        )


def test_all_members_electorate_lets_chapter_members_nominate(in_a):
    from chapters.models import Chapter, Membership
    from network.models import Sector

    from .factories import metro

    record = election(state=Election.State.NOMINATIONS, electorate="all_members")
    member = UserFactory()
    chapter = Chapter.objects.create(name="Chapter", metro=metro(), status=Chapter.Status.ACTIVE)
    Membership.objects.create(
        chapter=chapter, user=member, sector=Sector.objects.create(name="Food")
    )
    candidate = services.candidate_nominate(
        election=record, nominee=committee_member(), actor=member
    )
    assert candidate.status == Candidate.Status.PENDING


def test_nobody_is_nominated_twice(open_election):
    member = committee_member()
    services.candidate_nominate(election=open_election, nominee=member, actor=member)
    with pytest.raises(ElectionError, match="already"):
        services.candidate_nominate(election=open_election, nominee=member, actor=member)


def test_nominations_only_in_their_window(in_a):
    member = committee_member()
    not_yet = election(state=Election.State.SETUP)
    with pytest.raises(ElectionStateConflict):
        services.candidate_nominate(election=not_yet, nominee=member, actor=member)
    closed = election(state=Election.State.NOMINATIONS)
    Election.objects.filter(pk=closed.pk).update(
        nominations_close=timezone.now() - dt.timedelta(minutes=1)
    )
    closed.refresh_from_db()
    with pytest.raises(ElectionStateConflict):
        services.candidate_nominate(election=closed, nominee=member, actor=member)


def test_candidate_withdraws_until_voting_closes(open_election):
    member = committee_member()
    candidate = services.candidate_nominate(election=open_election, nominee=member, actor=member)
    with pytest.raises(ElectionPermissionDenied):
        services.candidate_withdraw(candidate=candidate, actor=committee_member())
    services.candidate_withdraw(candidate=candidate, actor=member)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.WITHDRAWN
