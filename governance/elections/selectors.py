"""Reads of elections, with their permission rules built in.

Who may do what:
* everybody signed in sees every election past its setup, its candidates and, once counted, its
  results, the published ballots and the verify page;
* an election being set up is seen by the board and its officers only;
* the board (current members of the board committee) creates elections, appoints officers and
  certifies results; officers edit their election while it is being set up and cancel it;
* electors are the electoral roll fixed when voting opens; before that, the live electorate
  rule says who may nominate;
* candidates are current members of a steering committee (metro, region or country) — a seat on
  the board alone does not qualify (the board is elected *from* the steering committees).

Nothing here reads a ballot together with a person: ballots are only ever read per election.
"""

import hmac
import zoneinfo
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from chapters.models import Chapter
from chapters.models import Membership as ChapterMembership
from core.models import User
from governance import selectors as governance_selectors
from governance.models import (
    Committee,
    CommitteeMembership,
    GovernanceSettings,
    Level,
    current_seat_q,
)

from . import ballots as ballot_crypto
from .models import Ballot, Candidate, Election, ElectionOfficer, Elector, VoterRecord

UTC = zoneinfo.ZoneInfo("UTC")

# --- Roles ---------------------------------------------------------------------------------------


def is_board_member(user: User) -> bool:
    return user.is_authenticated and governance_selectors.is_board_member(user)


def is_officer(user: User, election: Election) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_election_officer_of", None)
    if cache is None:
        cache = set(ElectionOfficer.objects.filter(user=user).values_list("election_id", flat=True))
        user._election_officer_of = cache
    return election.pk in cache


def can_create_election(user: User) -> bool:
    return is_board_member(user)


def can_manage(user: User, election: Election) -> bool:
    """Edit while in setup, cancel, follow turnout."""
    return is_board_member(user) or is_officer(user, election)


def can_certify(user: User, election: Election) -> bool:
    return is_board_member(user)


def can_appoint_officers(user: User) -> bool:
    return is_board_member(user)


def viewer_time_zone(user: User) -> zoneinfo.ZoneInfo:
    """The viewer's metro's time zone, else UTC."""
    if not user.is_authenticated:
        return UTC
    cached = getattr(user, "_elections_tz", None)
    if cached is not None:
        return cached
    from network.models import Entrepreneur

    name = (
        Entrepreneur.objects.filter(user=user, metro__isnull=False)
        .values_list("metro__time_zone", flat=True)
        .first()
    )
    try:
        tz = zoneinfo.ZoneInfo(name) if name else UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = UTC
    user._elections_tz = tz
    return tz


# --- Electorate and candidacy --------------------------------------------------------------------


def _committee_seat_exists(*, board_counts: bool) -> Exists:
    seats = CommitteeMembership.objects.filter(
        current_seat_q(), user=OuterRef("pk"), committee__status=Committee.Status.ACTIVE
    )
    if not board_counts:
        seats = seats.exclude(committee__level=Level.BOARD)
    return Exists(seats)


def electorate_users(electorate: str) -> QuerySet[User]:
    """Who the rule makes an elector today.

    * steering-committee members: a current seat on any active committee — the board included
      (board members sit on the body being elected and vote for it);
    * all active members: active accounts with a current seat in an open chapter, plus
      everybody the first rule admits."""
    committee = _committee_seat_exists(board_counts=True)
    users = User.objects.filter(is_active=True)
    if electorate == GovernanceSettings.Electorate.ALL_MEMBERS:
        in_chapter = Exists(
            ChapterMembership.objects.filter(
                user=OuterRef("pk"),
                left_at__isnull=True,
                chapter__status__in=Chapter.OPEN_STATUSES,
            )
        )
        return users.filter(in_chapter | committee)
    return users.filter(committee)


def is_in_electorate(user: User, electorate: str) -> bool:
    return user.is_authenticated and electorate_users(electorate).filter(pk=user.pk).exists()


def eligible_candidates() -> QuerySet[User]:
    """Current members of an active steering committee (not the board)."""
    return User.objects.filter(is_active=True).filter(_committee_seat_exists(board_counts=False))


def is_eligible_candidate(user: User) -> bool:
    return eligible_candidates().filter(pk=user.pk).exists()


def is_elector(user: User, election: Election) -> bool:
    return user.is_authenticated and Elector.objects.filter(election=election, user=user).exists()


def has_voted(user: User, election: Election) -> bool:
    return (
        user.is_authenticated and VoterRecord.objects.filter(election=election, user=user).exists()
    )


# --- Elections -----------------------------------------------------------------------------------


def elections_visible_to(user: User) -> QuerySet[Election]:
    """Elections the user may see, with `can_vote` (on the roll of an open vote, not voted yet)
    and `has_voted` annotated; open votes the user can cast come first."""
    if not user.is_authenticated:
        return Election.objects.none()
    queryset = Election.objects.all()
    if not is_board_member(user):
        queryset = queryset.filter(
            ~Q(state=Election.State.SETUP) | Q(officers__user=user)
        ).distinct()
    on_roll = Exists(Elector.objects.filter(election=OuterRef("pk"), user=user))
    voted = Exists(VoterRecord.objects.filter(election=OuterRef("pk"), user=user))
    return queryset.annotate(
        has_voted=voted,
        can_vote=Case(
            When(Q(state=Election.State.VOTING) & on_roll & ~voted, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        is_open=Case(
            When(state__in=[Election.State.NOMINATIONS, Election.State.VOTING], then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).order_by("-can_vote", "-is_open", "-voting_open", "-pk")


def get_election_for(user: User, pk) -> Election:
    """The election, or 404 whether it does not exist or the user may not see it."""
    if not user.is_authenticated:
        raise Http404("No such election.")
    election = Election.objects.select_related("created_by", "certified_by").filter(pk=pk).first()
    if election is None:
        raise Http404("No such election.")
    if election.state == Election.State.SETUP and not can_manage(user, election):
        raise Http404("No such election.")
    return election


def candidates_of(election: Election) -> QuerySet[Candidate]:
    return Candidate.objects.filter(election=election).select_related("user", "nominated_by")


def candidates_standing(election: Election) -> QuerySet[Candidate]:
    return candidates_of(election).filter(status=Candidate.Status.ACCEPTED)


def candidates_on_paper(election: Election) -> QuerySet[Candidate]:
    """Everybody with a ballot number (withdrawn ones included), in number order."""
    return candidates_of(election).filter(number__isnull=False).order_by("number")


def candidates_visible_to(user: User, election: Election) -> QuerySet[Candidate]:
    """Standing and withdrawn candidates for everybody; pending and declined nominations only
    for the nominee, the nominator and those who run the election."""
    queryset = candidates_of(election)
    if can_manage(user, election):
        return queryset
    return queryset.filter(
        Q(status__in=[Candidate.Status.ACCEPTED, Candidate.Status.WITHDRAWN])
        | Q(user=user)
        | Q(nominated_by=user)
    )


def get_candidate_for(user: User, election: Election, pk) -> Candidate:
    candidate = candidates_visible_to(user, election).filter(pk=pk).first()
    if candidate is None:
        raise Http404("No such candidate.")
    return candidate


def with_my_nomination(elections: QuerySet[Election], user: User) -> QuerySet[Election]:
    """Annotate `my_nomination_id`: the user's nomination waiting for their answer in an election
    taking nominations (nominations_for, one election at a time), or None."""
    waiting = Candidate.objects.filter(
        election=OuterRef("pk"),
        user=user,
        status=Candidate.Status.PENDING,
        election__state=Election.State.NOMINATIONS,
    ).values("pk")[:1]
    return elections.annotate(my_nomination_id=Subquery(waiting)).order_by(
        F("my_nomination_id").desc(nulls_last=True), *elections.query.order_by
    )


def nominations_for(user: User) -> QuerySet[Candidate]:
    """Nominations waiting for this user's answer, in elections taking nominations."""
    if not user.is_authenticated:
        return Candidate.objects.none()
    return Candidate.objects.filter(
        user=user,
        status=Candidate.Status.PENDING,
        election__state=Election.State.NOMINATIONS,
    ).select_related("election", "nominated_by")


def officers_of(election: Election) -> QuerySet[ElectionOfficer]:
    return ElectionOfficer.objects.filter(election=election).select_related("user")


def published_ballots(election: Election) -> QuerySet[Ballot]:
    """The anonymous ballots, ordered by their (random) hash. Published once counted."""
    return Ballot.objects.filter(election=election).order_by("ballot_hash")


@dataclass(frozen=True)
class VerifiedReceipt:
    """What the verify page says about a receipt code: the ballot it belongs to (by hash and
    choices, as published), whether the count included it, and whether the hash recomputed from
    the code and the stored choices matches the stored hash (it always should)."""

    ballot_hash: str
    choices: tuple[int, ...]
    counted: bool
    content_matches: bool


VERIFIABLE_STATES = (
    Election.State.VOTING,
    Election.State.CLOSED,
    Election.State.COUNTED,
    Election.State.CERTIFIED,
)


def receipt_verify(election: Election, code: str) -> VerifiedReceipt | None:
    """The ballot behind a receipt code, or None (a malformed code, or none of this election)."""
    normalised = ballot_crypto.receipt_code_normalise(code)
    if normalised is None or election.state not in VERIFIABLE_STATES:
        return None
    ballot = Ballot.objects.filter(
        election=election, receipt_digest=ballot_crypto.receipt_digest(normalised)
    ).first()
    if ballot is None:
        return None
    expected = ballot_crypto.ballot_hash(
        code=normalised, election_id=election.pk, method=election.method, choices=ballot.choices
    )
    return VerifiedReceipt(
        ballot_hash=ballot.ballot_hash,
        choices=tuple(ballot.choices),
        counted=election.has_published_ballots and election.result is not None,
        content_matches=hmac.compare_digest(expected, ballot.ballot_hash),
    )


def ballot_order(election: Election, user: User, numbers: list[int]) -> list[int]:
    """The order this voter sees the candidates in (see ballots.candidate_order_for)."""
    return ballot_crypto.candidate_order_for(
        election_id=election.pk, user_id=user.pk, numbers=numbers
    )
