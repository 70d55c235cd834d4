"""Committees: one per place at most, the board always there, seats with one chair and terms,
managed by organisation admins only; the governance settings."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance import selectors, services
from governance.errors import GovernanceError, GovernancePermissionDenied
from governance.models import Committee, CommitteeMembership, GovernanceSettings, Level
from tests.factories import UserFactory


def test_every_organisation_has_a_board(in_a):
    assert Committee.objects.filter(level=Level.BOARD).count() == 1
    assert services.board_ensure().level == Level.BOARD


def test_one_committee_per_place_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(level=Level.METRO, metro=world.lyon)
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(level=Level.BOARD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(level=Level.METRO, region=world.ara)  # place must match level


def test_admins_form_and_reform_committees(world):
    with pytest.raises(GovernancePermissionDenied):
        services.committee_form(level=Level.REGION, place=world.ara, actor=world.chair)
    with pytest.raises(GovernanceError, match="already has"):
        services.committee_form(level=Level.METRO, place=world.lyon, actor=world.admin)

    services.committee_stand_down(committee=world.lyon_committee, actor=world.admin)
    again = services.committee_form(level=Level.METRO, place=world.lyon, actor=world.admin)
    assert again.pk == world.lyon_committee.pk and again.is_active
    with pytest.raises(GovernanceError, match="cannot stand down"):
        services.committee_stand_down(committee=world.board, actor=world.admin)


def test_a_new_chair_makes_the_old_one_a_member(world):
    newcomer = UserFactory()
    seat = services.committee_member_add(
        committee=world.lyon_committee,
        user=newcomer,
        actor=world.admin,
        role=CommitteeMembership.Role.CHAIR,
    )
    assert seat.is_chair
    old = CommitteeMembership.objects.get(committee=world.lyon_committee, user=world.chair)
    assert old.role == CommitteeMembership.Role.MEMBER

    services.committee_membership_update(
        membership=old, actor=world.admin, role=CommitteeMembership.Role.CHAIR
    )
    seat.refresh_from_db()
    assert seat.role == CommitteeMembership.Role.MEMBER


def test_seats_cannot_overlap_and_terms_end(world):
    with pytest.raises(GovernanceError, match="already has a seat"):
        services.committee_member_add(
            committee=world.lyon_committee, user=world.chair, actor=world.admin
        )
    with pytest.raises(GovernanceError, match="end after"):
        services.committee_member_add(
            committee=world.lyon_committee,
            user=UserFactory(),
            actor=world.admin,
            term_start=timezone.localdate(),
            term_end=timezone.localdate(),
        )
    seat = CommitteeMembership.objects.get(user=world.committee_member)
    services.committee_membership_end(membership=seat, actor=world.admin)
    seat.refresh_from_db()
    assert not seat.is_current
    selectors.forget_committee_seats(world.committee_member)
    assert not selectors.is_committee_member(world.committee_member, world.lyon_committee)


def test_a_seat_with_a_future_start_is_not_current_yet(world):
    future = timezone.localdate() + datetime.timedelta(days=10)
    person = UserFactory()
    services.committee_member_add(
        committee=world.lyon_committee, user=person, actor=world.admin, term_start=future
    )
    assert not selectors.is_committee_member(person, world.lyon_committee)


def test_only_admins_manage_seats_and_settings(world):
    for user in (world.chair, world.board_member, world.member):
        with pytest.raises(GovernancePermissionDenied):
            services.committee_member_add(
                committee=world.lyon_committee, user=UserFactory(), actor=user
            )
        with pytest.raises(GovernancePermissionDenied):
            services.governance_settings_update(actor=user, metro_threshold=2)


def test_settings_are_validated(world):
    with pytest.raises(GovernanceError, match="before the deadline"):
        services.governance_settings_update(
            actor=world.admin, escalation_deadline_days=3, reminder_days_before_deadline=3
        )
    rules = services.governance_settings_update(actor=world.admin, metro_threshold=2)
    assert rules.metro_threshold == 2
    assert GovernanceSettings.load().election_electorate == "committee_members"
