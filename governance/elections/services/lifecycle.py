"""The election's life on the clock, run by the periodic task (tasks.advance_elections):

setup ──nominations_open──▶ nominations ──voting_open──▶ voting ──voting_close──▶ closed ─count─▶
counted ──board certifies──▶ certified.

Every step is a conditional, locked update: running it twice, or in two workers at once, does
it once. Reminders are sent once per election and kind (a unique row records each). Messages go
out after the commit, each in its reader's language (core.notify), and never say anything about
how anybody voted.
"""

import datetime
import logging
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import lazy_interpolate, notify
from core.services import audit_record
from governance import counting
from governance.models import Committee, CommitteeMembership, Level

from .. import selectors
from ..errors import ElectionError, ElectionPermissionDenied, ElectionStateConflict
from ..models import Ballot, Candidate, Election, Elector, ReminderSent, VoterRecord
from .voting import ballots_mix

logger = logging.getLogger(__name__)

CLOSING_SOON = datetime.timedelta(hours=24)


def election_path(election: Election) -> str:
    return reverse("elections:detail", kwargs={"pk": election.pk})


def _locked_in_state(pk: int, state: str) -> Election | None:
    return Election.objects.select_for_update().filter(pk=pk, state=state).first()


# --- Opening -------------------------------------------------------------------------------------


@transaction.atomic
def election_open_nominations(*, election: Election, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    election = _locked_in_state(election.pk, Election.State.SETUP)
    if election is None or election.nominations_open > now:
        return False
    election.state = Election.State.NOMINATIONS
    election.save(update_fields=["state", "modified"])
    audit_record(actor=None, action="election.nominations_open", target=election)
    path = election_path(election)
    title = election.title
    recipients = list(
        selectors.eligible_candidates().only("pk", "name", "email", "is_active", "language")
    )
    transaction.on_commit(
        partial(
            notify,
            recipients,
            title=lazy_interpolate(gettext_lazy("Nominations are open: %(title)s"), title=title),
            body=gettext_lazy(
                "As a member of a steering committee you can stand, or nominate a colleague."
            ),
            path=path,
        )
    )
    return True


@transaction.atomic
def election_open_voting(*, election: Election, now: datetime.datetime | None = None) -> bool:
    """Fix the candidates (numbered by name) and the electoral roll, and open the vote. With no
    candidate standing the election is cancelled instead."""
    now = now or timezone.now()
    election = _locked_in_state(election.pk, Election.State.NOMINATIONS)
    if election is None or election.voting_open > now:
        return False
    Candidate.objects.filter(election=election, status=Candidate.Status.PENDING).update(
        status=Candidate.Status.LAPSED, responded_at=now
    )
    standing = list(
        Candidate.objects.filter(election=election, status=Candidate.Status.ACCEPTED)
        .select_related("user")
        .order_by("user__name", "user__email", "pk")
    )
    if not standing:
        election.state = Election.State.CANCELLED
        election.cancelled_at = now
        election.cancel_reason = "No candidate was standing when voting was due to open."
        election.save(update_fields=["state", "cancelled_at", "cancel_reason", "modified"])
        audit_record(
            actor=None, action="election.cancel", target=election, data={"reason": "no candidates"}
        )
        return True
    for number, candidate in enumerate(standing, start=1):
        candidate.number = number
    Candidate.objects.bulk_update(standing, ["number"])
    roll = list(selectors.electorate_users(election.electorate).values_list("pk", flat=True))
    Elector.objects.bulk_create(
        [Elector(election=election, user_id=pk) for pk in roll], ignore_conflicts=True
    )
    election.electorate_size = Elector.objects.filter(election=election).count()
    election.state = Election.State.VOTING
    election.save(update_fields=["state", "electorate_size", "modified"])
    audit_record(
        actor=None,
        action="election.voting_open",
        target=election,
        data={"candidates": len(standing), "electorate": election.electorate_size},
    )
    return True


# --- Closing and counting -----------------------------------------------------------------------


def election_close(*, election: Election, now: datetime.datetime | None = None) -> bool:
    """Close the vote (no ballot can be cast after this commits) and re-mix the ballots."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_in_state(election.pk, Election.State.VOTING)
        if locked is None or locked.voting_close > now:
            return False
        locked.state = Election.State.CLOSED
        locked.save(update_fields=["state", "modified"])
        audit_record(actor=None, action="election.voting_close", target=locked)
        ballots_mix(election=locked)
    return True


def counting_input(election: Election) -> counting.Election:
    """The election as the counting engine sees it: candidates by ballot number (withdrawn ones
    kept and marked), identical ballots grouped with their weight."""
    on_paper = list(selectors.candidates_on_paper(election))
    names = tuple(candidate.user.name or candidate.user.email for candidate in on_paper)
    index_of = {candidate.number: index for index, candidate in enumerate(on_paper)}
    withdrawn = frozenset(
        index_of[c.number] for c in on_paper if c.status == Candidate.Status.WITHDRAWN
    )
    grouped: dict[tuple[int, ...], int] = {}
    for choices in Ballot.objects.filter(election=election).values_list("choices", flat=True):
        ranking = tuple(index_of[number] for number in choices)
        grouped[ranking] = grouped.get(ranking, 0) + 1
    ballots = tuple(counting.Ballot(weight, ranking) for ranking, weight in sorted(grouped.items()))
    return counting.Election(
        candidates=names,
        seats=election.seats,
        ballots=ballots,
        withdrawn=withdrawn,
        title=election.title,
    )


def tie_seed(election: Election) -> str:
    """The lot's seed: the election's id (recorded with the result; `tally_blt --seed`)."""
    return str(election.pk)


@transaction.atomic
def election_count(*, election: Election, now: datetime.datetime | None = None) -> bool:
    """Count a closed election and store the result with its seed; a turnout below the quorum
    is recorded as such, with no result."""
    now = now or timezone.now()
    election = _locked_in_state(election.pk, Election.State.CLOSED)
    if election is None:
        return False
    voters = VoterRecord.objects.filter(election=election).count()
    election.voters_count = voters
    election.counted_at = now
    election.result_seed = tie_seed(election)
    turnout = election.turnout_percent or 0.0
    if not voters:
        election.outcome = Election.Outcome.NO_BALLOTS
        election.result = None
    elif election.quorum_percent is not None and Decimal(str(turnout)) < election.quorum_percent:
        election.outcome = Election.Outcome.NO_QUORUM
        election.result = None
    else:
        result = counting.count_election(
            counting_input(election), election.method, seed=election.result_seed
        )
        election.result = result.to_dict()
        election.outcome = Election.Outcome.ELECTED
    election.state = Election.State.COUNTED
    election.save()
    audit_record(
        actor=None,
        action="election.count",
        target=election,
        data={
            "outcome": election.outcome,
            "voters": voters,
            "electorate": election.electorate_size,
            "seed": election.result_seed,
        },
    )
    path = reverse("elections:results", kwargs={"pk": election.pk})
    title = election.title
    board_members = list(_board_members())
    transaction.on_commit(
        partial(
            notify,
            board_members,
            title=lazy_interpolate(gettext_lazy("Counted: %(title)s"), title=title),
            body=gettext_lazy("The result is waiting for the board's certification."),
            path=path,
        )
    )
    return True


# --- Certification ------------------------------------------------------------------------------


def _board_members() -> list[User]:
    from governance.models import current_seat_q

    return list(
        User.objects.filter(
            is_active=True,
            committee_memberships__in=CommitteeMembership.objects.filter(
                current_seat_q(),
                committee__level=Level.BOARD,
                committee__status=Committee.Status.ACTIVE,
            ),
        ).distinct()
    )


def elected_candidates(
    election: Election, on_paper: list[Candidate] | None = None
) -> list[Candidate]:
    """The elected, in order of election (from the stored result). `on_paper`: the election's
    candidates in ballot-number order, when the caller already has them."""
    if not election.result:
        return []
    if on_paper is None:
        on_paper = list(selectors.candidates_on_paper(election))
    return [on_paper[index] for index in election.result["elected"]]


@transaction.atomic
def election_certify(*, election: Election, actor: User) -> Election:
    """A board member certifies the count: the elected take their board seats for the term.

    Seats are written here directly (CommitteeMembership on the board) because governance's
    `committee_member_add` is reserved to organisation admins. An elected person's open-ended
    board seat, if any, ends when the elected term starts."""
    if not selectors.can_certify(actor, election):
        raise ElectionPermissionDenied("Only members of the board can certify a result.")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.state != Election.State.COUNTED:
        raise ElectionStateConflict("Only a counted election can be certified.")
    if election.outcome != Election.Outcome.ELECTED:
        raise ElectionStateConflict("There is no result to certify: the election gave none.")
    board = Committee.objects.select_for_update().filter(level=Level.BOARD).first()
    if board is None or not board.is_active:
        raise ElectionError("The organisation has no active board to seat the elected on.")
    elected = elected_candidates(election)
    for candidate in elected:
        CommitteeMembership.objects.filter(
            committee=board,
            user=candidate.user,
            term_end__isnull=True,
            term_start__lt=election.term_start,
        ).update(term_end=election.term_start)
        overlapping = CommitteeMembership.objects.filter(
            committee=board, user=candidate.user, term_start__lt=election.term_end
        ).exclude(term_end__lte=election.term_start)
        if overlapping.filter(term_start=election.term_start, term_end=election.term_end).exists():
            continue
        CommitteeMembership.objects.create(
            committee=board,
            user=candidate.user,
            role=CommitteeMembership.Role.MEMBER,
            term_start=election.term_start,
            term_end=election.term_end,
        )
    election.state = Election.State.CERTIFIED
    election.certified_at = timezone.now()
    election.certified_by = actor
    election.save(update_fields=["state", "certified_at", "certified_by", "modified"])
    audit_record(
        actor=actor,
        action="election.certify",
        target=election,
        data={"elected": [c.user_id for c in elected]},
    )
    path = reverse("elections:results", kwargs={"pk": election.pk})
    title = election.title
    users = [c.user for c in elected]
    transaction.on_commit(
        partial(
            notify,
            users,
            title=lazy_interpolate(
                gettext_lazy("You were elected to the board: %(title)s"), title=title
            ),
            body=lazy_interpolate(
                gettext_lazy("Your term on the board runs from %(start)s to %(end)s."),
                start=partial(date_format, election.term_start, "j F Y"),
                end=partial(date_format, election.term_end, "j F Y"),
            ),
            path=path,
        )
    )
    return election


# --- Reminders ----------------------------------------------------------------------------------


def _reminder_claim(election: Election, kind: str, recipients: int) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(election=election, kind=kind, recipients=recipients)
    except IntegrityError:
        return False
    return True


def _electors_not_voted(election: Election):
    voted = VoterRecord.objects.filter(election=election, user=OuterRef("user"))
    return (
        Elector.objects.filter(election=election, user__is_active=True)
        .annotate(voted=Exists(voted))
        .filter(voted=False)
        .select_related("user")
    )


@transaction.atomic
def reminders_send(*, election: Election, now: datetime.datetime | None = None) -> int:
    """ "Voting is open" to every elector once voting opens; "closes soon" to electors who have
    not voted in the last 24 hours. Each kind once per election. Returns the messages sent."""
    now = now or timezone.now()
    if not election.voting_is_open(now):
        return 0
    sent = 0
    path = election_path(election)
    title = election.title
    closes = partial(date_format, election.voting_close.astimezone(datetime.UTC), "j F Y, H:i")
    if not ReminderSent.objects.filter(
        election=election, kind=ReminderSent.Kind.VOTING_OPEN
    ).exists():
        users = [e.user for e in _electors_not_voted(election)]
        if _reminder_claim(election, ReminderSent.Kind.VOTING_OPEN, len(users)):
            transaction.on_commit(
                partial(
                    notify,
                    users,
                    title=lazy_interpolate(gettext_lazy("Voting is open: %(title)s"), title=title),
                    body=lazy_interpolate(
                        gettext_lazy(
                            "You are on the electoral roll. Voting closes %(closes)s UTC; your "
                            "ballot is secret."
                        ),
                        closes=closes,
                    ),
                    path=path,
                )
            )
            sent += len(users)
    if election.voting_close - now <= CLOSING_SOON:
        if ReminderSent.objects.filter(
            election=election, kind=ReminderSent.Kind.CLOSING_SOON
        ).exists():
            return sent
        users = [e.user for e in _electors_not_voted(election)]
        if _reminder_claim(election, ReminderSent.Kind.CLOSING_SOON, len(users)):
            transaction.on_commit(
                partial(
                    notify,
                    users,
                    title=lazy_interpolate(
                        gettext_lazy("Voting closes soon: %(title)s"), title=title
                    ),
                    body=lazy_interpolate(
                        gettext_lazy(
                            "Voting closes %(closes)s UTC. If you have not voted yet, there is "
                            "still time."
                        ),
                        closes=closes,
                    ),
                    path=path,
                )
            )
            sent += len(users)
    return sent


# --- The periodic sweep --------------------------------------------------------------------------


def elections_advance(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Move every election whose time has come one step (or several) along; idempotent."""
    now = now or timezone.now()
    done = {"nominations": 0, "voting": 0, "closed": 0, "counted": 0, "mixed": 0, "reminded": 0}
    for election in Election.objects.filter(state=Election.State.SETUP, nominations_open__lte=now):
        done["nominations"] += election_open_nominations(election=election, now=now)
    for election in Election.objects.filter(state=Election.State.NOMINATIONS, voting_open__lte=now):
        done["voting"] += election_open_voting(election=election, now=now)
    for election in Election.objects.filter(state=Election.State.VOTING, voting_close__lte=now):
        done["closed"] += election_close(election=election, now=now)
    for election in Election.objects.filter(state=Election.State.CLOSED):
        try:
            done["counted"] += election_count(election=election, now=now)
        except ValueError:  # InvalidElectionError included: stays closed, logged, retried
            logger.exception("election %s could not be counted", election.pk)
    voting = Election.objects.filter(state=Election.State.VOTING, voting_close__gt=now).annotate(
        ballot_total=Count("ballots")
    )
    for election in voting:
        if election.ballot_total != election.mixed_ballot_count:
            ballots_mix(election=election)
            done["mixed"] += 1
        done["reminded"] += reminders_send(election=election, now=now)
    return done
