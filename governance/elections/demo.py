"""Demo elections for `make run`: one past election, counted by Meek STV and certified (its board
term is over, so it does not change today's board), and one election in its voting window in
which board@ and committee@demo.localhost can vote, with some ballots already cast.

Idempotent (elections are found by title) and run after governance's seed; does nothing when
there is no board member or no steering-committee member to stand."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import ballots as ballot_crypto
from . import selectors, services
from .models import Ballot, Candidate, Election, Elector, Method, VoterRecord

PAST_TITLE = "Board election 2024"
CURRENT_TITLE = "Board election — open seats"
RANDOM_SEED = 2026
STATEMENTS = (
    "I have chaired our metro committee for two years. On the board I want chapters in smaller "
    "metros to get the same support as the big ones.",
    "Founder in fintech, facilitator of two chapters. I will push for faster answers to "
    "escalations and a clear yearly report.",
    "I care about the first rule: collaboration. I would like the board to publish what it "
    "decides, every month.",
    "Twenty years of building companies; I want to help the network reach 300 chapters.",
    "I started our chapter with four people. I will stand for the members who are new.",
)


def _board_member():
    user = get_user_model().objects.filter(email="board@demo.localhost").first()
    if user is not None and selectors.is_board_member(user):
        return user
    board_users = services.lifecycle._board_members()
    return board_users[0] if board_users else None


def seed() -> None:
    board_member = _board_member()
    candidates = list(selectors.eligible_candidates().order_by("name", "pk")[:6])
    if board_member is None or len(candidates) < 2:
        return
    rng = random.Random(RANDOM_SEED)
    if not Election.objects.filter(title=PAST_TITLE).exists():
        _seed_past(board_member, candidates, rng)
    if not Election.objects.filter(title=CURRENT_TITLE).exists():
        _seed_current(board_member, candidates, rng)


def _stand(election: Election, users) -> None:
    for index, user in enumerate(users):
        Candidate.objects.create(
            election=election,
            user=user,
            nominated_by=user,
            statement=STATEMENTS[index % len(STATEMENTS)],
            status=Candidate.Status.ACCEPTED,
            responded_at=election.nominations_open + datetime.timedelta(days=1),
        )


def _random_ranking(rng: random.Random, numbers: list[int]) -> list[int]:
    """A plausible ballot: a first choice weighted towards some candidates, then a few more."""
    first_weights = [4, 3, 3, 2, 2, 1][: len(numbers)]
    first = rng.choices(numbers, weights=first_weights)[0]
    rest = [n for n in numbers if n != first]
    rng.shuffle(rest)
    return [first, *rest[: rng.randint(0, min(3, len(rest)))]]


@transaction.atomic
def _seed_past(board_member, candidates, rng: random.Random) -> None:
    now = timezone.now()
    opened = now - datetime.timedelta(days=540)
    election = Election.objects.create(
        title=PAST_TITLE,
        description="The first election of the board by the steering committees.",
        seats=3 if len(candidates) > 3 else 1,
        method=Method.MEEK,
        term_start=(opened + datetime.timedelta(days=30)).date(),
        term_end=(opened + datetime.timedelta(days=30 + 365)).date(),
        nominations_open=opened,
        nominations_close=opened + datetime.timedelta(days=14),
        voting_open=opened + datetime.timedelta(days=15),
        voting_close=opened + datetime.timedelta(days=22),
        state=Election.State.NOMINATIONS,
        created_by=board_member,
    )
    _stand(election, candidates[:5])
    services.election_open_voting(election=election, now=election.voting_open)
    numbers = list(
        Candidate.objects.filter(election=election, number__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
    )
    electors = list(Elector.objects.filter(election=election).values_list("user_id", flat=True))
    voters = rng.sample(electors, k=max(1, (len(electors) * 3) // 4))
    # Written directly: the service refuses ballots outside the voting window, which is past.
    for user_id in voters:
        choices = _random_ranking(rng, numbers)
        code = ballot_crypto.receipt_code_new()
        VoterRecord.objects.create(election=election, user_id=user_id)
        Ballot.objects.create(
            election=election,
            choices=choices,
            receipt_digest=ballot_crypto.receipt_digest(code),
            ballot_hash=ballot_crypto.ballot_hash(
                code=code, election_id=election.pk, method=election.method, choices=choices
            ),
        )
    services.election_close(election=election, now=election.voting_close)
    services.election_count(election=election, now=election.voting_close)
    election.refresh_from_db()
    if election.outcome == Election.Outcome.ELECTED:
        services.election_certify(election=election, actor=board_member)


@transaction.atomic
def _seed_current(board_member, candidates, rng: random.Random) -> None:
    now = timezone.now()
    election = Election.objects.create(
        title=CURRENT_TITLE,
        description="Two board seats are open. Rank as many candidates as you like.",
        seats=2,
        method=Method.MEEK,
        quorum_percent=30,
        term_start=(now + datetime.timedelta(days=14)).date(),
        term_end=(now + datetime.timedelta(days=14 + 730)).date(),
        nominations_open=now - datetime.timedelta(days=16),
        nominations_close=now - datetime.timedelta(days=2),
        voting_open=now - datetime.timedelta(days=1),
        voting_close=now + datetime.timedelta(days=6),
        state=Election.State.NOMINATIONS,
        created_by=board_member,
    )
    _stand(election, list(reversed(candidates))[:4])
    services.election_open_voting(election=election, now=now)
    services.officer_appoint(election=election, user=board_member, actor=board_member)
    numbers = list(
        Candidate.objects.filter(election=election, number__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
    )
    keep_free = {"board@demo.localhost", "committee@demo.localhost"}
    electors = [
        e.user
        for e in Elector.objects.filter(election=election).select_related("user").order_by("pk")
        if e.user.email not in keep_free
    ]
    for voter in electors[: len(electors) // 3]:
        services.ballot_cast(election=election, voter=voter, choices=_random_ranking(rng, numbers))
    services.ballots_mix(election=election)
