"""Calling an election: the board (or an officer it appointed) sets it up; it can be edited
until nominations open, and cancelled until it is counted. Every change is audited — with the
election's settings, never anything about a ballot."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import User
from core.services import audit_record
from governance.models import GovernanceSettings

from .. import selectors
from ..errors import ElectionError, ElectionPermissionDenied, ElectionStateConflict
from ..models import Election, ElectionOfficer, Method

EDITABLE_FIELDS = (
    "title",
    "description",
    "seats",
    "method",
    "electorate",
    "quorum_percent",
    "term_start",
    "term_end",
    "nominations_open",
    "nominations_close",
    "voting_open",
    "voting_close",
)
MAX_SEATS = 50


def _audit_data(election: Election, fields=EDITABLE_FIELDS) -> dict:
    data = {}
    for name in fields:
        if name == "description":
            continue
        value = getattr(election, name)
        if isinstance(value, datetime.date | datetime.datetime | Decimal):
            value = value.isoformat() if not isinstance(value, Decimal) else str(value)
        data[name] = value
    return data


def _validate(election: Election, *, now: datetime.datetime) -> None:
    if not (election.title or "").strip():
        raise ElectionError("Give the election a title.", field="title")
    election.title = election.title.strip()
    if election.method not in Method.values:
        raise ElectionError("Choose a counting method.", field="method")
    if election.electorate not in GovernanceSettings.Electorate.values:
        raise ElectionError("Choose who votes.", field="electorate")
    if not election.seats or not 1 <= election.seats <= MAX_SEATS:
        raise ElectionError(f"Seats must be between 1 and {MAX_SEATS}.", field="seats")
    if election.quorum_percent is not None and not 0 < election.quorum_percent <= 100:
        raise ElectionError(
            "The quorum is a percentage of the electorate above 0 and at most 100.",
            field="quorum_percent",
        )
    if election.nominations_open < now - datetime.timedelta(minutes=5):
        raise ElectionError("Nominations cannot open in the past.", field="nominations_open")
    if election.nominations_close <= election.nominations_open:
        raise ElectionError("Nominations must close after they open.", field="nominations_close")
    if election.voting_open < election.nominations_close:
        raise ElectionError("Voting opens once nominations have closed.", field="voting_open")
    if election.voting_close <= election.voting_open:
        raise ElectionError("Voting must close after it opens.", field="voting_close")
    if election.term_end <= election.term_start:
        raise ElectionError("The term must end after it starts.", field="term_end")
    if election.term_start < election.voting_close.date():
        raise ElectionError(
            "The board term starts on or after the day voting closes.", field="term_start"
        )
    try:
        election.full_clean(exclude=["created_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ElectionError(
            " ".join(messages), field=None if field == "__all__" else field
        ) from error


@transaction.atomic
def election_create(*, actor: User, **fields) -> Election:
    """Call an election (board only). `fields` are EDITABLE_FIELDS; `electorate` defaults to
    the organisation's governance setting."""
    if not selectors.can_create_election(actor):
        raise ElectionPermissionDenied("Only members of the board can call an election.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ElectionError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    fields.setdefault("electorate", GovernanceSettings.load().election_electorate)
    fields.setdefault("method", Method.MEEK)
    election = Election(created_by=actor, **fields)
    _validate(election, now=timezone.now())
    election.save()
    audit_record(actor=actor, action="election.create", target=election, data=_audit_data(election))
    return election


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


@transaction.atomic
def election_update(*, election: Election, actor: User, **fields) -> Election:
    """Change the election's settings while it is being set up (board or its officers)."""
    election = _lock(election)
    if not selectors.can_manage(actor, election):
        raise ElectionPermissionDenied("Only the board and this election's officers can edit it.")
    if not election.is_editable or election.nominations_open <= timezone.now():
        raise ElectionStateConflict(
            "Nominations have opened: the election can no longer be edited."
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ElectionError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    before = _audit_data(election)
    for name, value in fields.items():
        setattr(election, name, value)
    _validate(election, now=timezone.now())
    election.save()
    after = _audit_data(election)
    changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if "description" in fields:
        changed.setdefault("description", "changed")
    audit_record(actor=actor, action="election.update", target=election, data=changed)
    return election


@transaction.atomic
def election_cancel(*, election: Election, actor: User, reason: str) -> Election:
    """Stop an election before it is counted. Ballots already cast are deleted with it (after
    the cancellation nobody will count them); who voted is kept."""
    election = _lock(election)
    if not selectors.can_manage(actor, election):
        raise ElectionPermissionDenied("Only the board and this election's officers can cancel it.")
    reason = (reason or "").strip()
    if not reason:
        raise ElectionError(
            "Say why the election is cancelled; electors will read it.", field="reason"
        )
    if election.state not in (
        Election.State.SETUP,
        Election.State.NOMINATIONS,
        Election.State.VOTING,
    ):
        raise ElectionStateConflict("Only an election that has not been counted can be cancelled.")
    previous = election.state
    election.ballots.all().delete()
    election.state = Election.State.CANCELLED
    election.cancelled_at = timezone.now()
    election.cancel_reason = reason[:300]
    election.save(update_fields=["state", "cancelled_at", "cancel_reason", "modified"])
    audit_record(
        actor=actor,
        action="election.cancel",
        target=election,
        data={"from_state": previous, "reason": election.cancel_reason},
    )
    return election


@transaction.atomic
def officer_appoint(*, election: Election, user: User, actor: User) -> ElectionOfficer:
    if not selectors.can_appoint_officers(actor):
        raise ElectionPermissionDenied("Only members of the board appoint election officers.")
    if election.state in (Election.State.CERTIFIED, Election.State.CANCELLED):
        raise ElectionStateConflict("This election is over.")
    if not user.is_active:
        raise ElectionError(f"{user} is deactivated.", field="user")
    try:
        with transaction.atomic():
            officer = ElectionOfficer.objects.create(
                election=election, user=user, appointed_by=actor
            )
    except IntegrityError as error:
        raise ElectionError(
            f"{user} is already an officer of this election.", field="user"
        ) from error
    if hasattr(user, "_election_officer_of"):
        del user._election_officer_of
    audit_record(
        actor=actor, action="election.officer.appoint", target=election, data={"user": user.pk}
    )
    return officer


@transaction.atomic
def officer_remove(*, officer: ElectionOfficer, actor: User) -> None:
    if not selectors.can_appoint_officers(actor):
        raise ElectionPermissionDenied("Only members of the board remove election officers.")
    election = officer.election
    user_id = officer.user_id
    officer.delete()
    audit_record(
        actor=actor, action="election.officer.remove", target=election, data={"user": user_id}
    )
