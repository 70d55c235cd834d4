"""Nominations (rule 6: candidates are current steering-committee members).

* A member of a steering committee may stand (self-nomination: standing at once).
* Anyone in the election's electorate may nominate a steering-committee member; the nominee
  then accepts (with a statement) or declines. Unanswered nominations lapse when voting opens.
* A candidate may edit their statement while nominations are open and withdraw until voting
  closes; a candidate who withdraws during the vote stays on ballots already cast and is skipped
  by the count (BLT "withdrawn").
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import lazy_interpolate, notify
from core.services import audit_record

from .. import selectors
from ..errors import ElectionError, ElectionPermissionDenied, ElectionStateConflict
from ..models import Candidate, Election

MAX_STATEMENT = 3000


def _clean_statement(statement: str) -> str:
    statement = (statement or "").strip()
    if len(statement) > MAX_STATEMENT:
        raise ElectionError(
            f"The statement can be at most {MAX_STATEMENT} characters.", field="statement"
        )
    return statement


def _require_nominations_open(election: Election) -> None:
    if not election.nominations_are_open():
        raise ElectionStateConflict("Nominations are not open for this election.")


def _lock_election(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


@transaction.atomic
def candidate_nominate(
    *, election: Election, nominee: User, actor: User, statement: str = ""
) -> Candidate:
    """Nominate `nominee` (yourself, or someone else who must then accept)."""
    election = _lock_election(election)
    _require_nominations_open(election)
    is_self = nominee.pk == actor.pk
    if not is_self and not selectors.is_in_electorate(actor, election.electorate):
        raise ElectionPermissionDenied(
            "Only members of this election's electorate can nominate someone else."
        )
    if not nominee.is_active or not selectors.is_eligible_candidate(nominee):
        who = "You are" if is_self else f"{nominee} is"
        raise ElectionError(
            f"{who} not a current member of a steering committee; only they can stand.",
            field="nominee",
        )
    statement = _clean_statement(statement)
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                election=election,
                user=nominee,
                nominated_by=actor,
                statement=statement,
                status=Candidate.Status.ACCEPTED if is_self else Candidate.Status.PENDING,
                responded_at=timezone.now() if is_self else None,
            )
    except IntegrityError as error:
        who = "You have" if is_self else f"{nominee} has"
        raise ElectionError(f"{who} already been nominated.", field="nominee") from error
    audit_record(
        actor=actor,
        action="election.nominate",
        target=election,
        data={"candidate": candidate.pk, "nominee": nominee.pk, "self": is_self},
    )
    if not is_self:
        url = reverse("elections:nomination", kwargs={"pk": election.pk, "candidate": candidate.pk})
        transaction.on_commit(
            partial(
                notify,
                [nominee],
                title=lazy_interpolate(
                    gettext_lazy("%(actor)s nominated you in “%(election)s”"),
                    actor=actor,
                    election=election.title,
                ),
                body=gettext_lazy(
                    "Accept with a short statement, or decline, before nominations close."
                ),
                path=url,
                email=False,
            )
        )
    return candidate


@transaction.atomic
def candidate_respond(
    *, candidate: Candidate, actor: User, accept: bool, statement: str = ""
) -> Candidate:
    """The nominee accepts (standing from now on) or declines a nomination."""
    election = _lock_election(candidate.election)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.user_id != actor.pk:
        raise ElectionPermissionDenied("Only the nominee can answer a nomination.")
    _require_nominations_open(election)
    if candidate.status != Candidate.Status.PENDING:
        raise ElectionStateConflict("This nomination has already been answered.")
    if accept:
        if not selectors.is_eligible_candidate(actor):
            raise ElectionError(
                "You are no longer a member of a steering committee, so you cannot stand."
            )
        candidate.statement = _clean_statement(statement) or candidate.statement
        candidate.status = Candidate.Status.ACCEPTED
    else:
        candidate.status = Candidate.Status.DECLINED
    candidate.responded_at = timezone.now()
    candidate.save(update_fields=["statement", "status", "responded_at"])
    audit_record(
        actor=actor,
        action="election.nomination.accept" if accept else "election.nomination.decline",
        target=election,
        data={"candidate": candidate.pk},
    )
    return candidate


@transaction.atomic
def candidate_statement_update(*, candidate: Candidate, actor: User, statement: str) -> Candidate:
    election = _lock_election(candidate.election)
    if candidate.user_id != actor.pk:
        raise ElectionPermissionDenied("Only the candidate can edit their statement.")
    _require_nominations_open(election)
    candidate.statement = _clean_statement(statement)
    candidate.save(update_fields=["statement"])
    audit_record(
        actor=actor,
        action="election.candidate.statement",
        target=election,
        data={"candidate": candidate.pk},
    )
    return candidate


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate, actor: User) -> Candidate:
    """The candidate stands down (until voting closes)."""
    election = _lock_election(candidate.election)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.user_id != actor.pk:
        raise ElectionPermissionDenied("Only the candidate can withdraw.")
    if candidate.status not in (Candidate.Status.ACCEPTED, Candidate.Status.PENDING):
        raise ElectionStateConflict("You are not standing in this election.")
    if election.state not in (Election.State.NOMINATIONS, Election.State.VOTING) or (
        election.state == Election.State.VOTING and not election.voting_is_open()
    ):
        raise ElectionStateConflict("It is too late to withdraw: voting has closed.")
    candidate.status = Candidate.Status.WITHDRAWN
    candidate.responded_at = timezone.now()
    candidate.save(update_fields=["status", "responded_at"])
    audit_record(
        actor=actor,
        action="election.candidate.withdraw",
        target=election,
        data={"candidate": candidate.pk, "during_voting": election.state == Election.State.VOTING},
    )
    return candidate
