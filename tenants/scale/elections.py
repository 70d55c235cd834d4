"""The elections' part of the scale seed: last term's board election, held about two months
ago among the steering-committee members — candidates, the electoral roll, who voted, the
secret ballots (hashed exactly as `ballot_cast` hashes them) — then counted and certified by
the elections' own services, so the stored result is the counting engine's."""

from __future__ import annotations

import datetime as dt
import uuid

from core.models import User
from governance.counting.synthetic import generate_ballots
from governance.elections import ballots as ballot_crypto
from governance.elections.models import Ballot, Candidate, Election, Elector, Method, VoterRecord
from governance.elections.services.lifecycle import election_certify, election_count

from .copy import Table
from .world import World

SEATS = 7
CANDIDATES = 12
TURNOUT = 0.8


def seed_election(world: World) -> Election | None:
    rng = world.rng("election")
    electorate = sorted({*world.committee_member_ids, world.board_chair_id})
    standing = [pk for pk in world.committee_member_ids if pk != world.bench_user_id]
    if len(standing) < 2:
        return None
    rng.shuffle(standing)
    standing = standing[: min(CANDIDATES, len(standing))]
    names = dict(User.objects.filter(pk__in=standing).values_list("pk", "name"))
    standing.sort(key=lambda pk: (names[pk], pk))
    now = world.now
    voting_close = now - dt.timedelta(days=60)
    term_start = (now - dt.timedelta(days=50)).date()
    election = Election.objects.create(
        title=f"Board election {term_start.year}",
        description="The board for the next two years, elected by the steering committees.",
        seats=min(SEATS, len(standing) - 1),
        method=Method.MEEK,
        term_start=term_start,
        term_end=term_start.replace(year=term_start.year + 2),
        nominations_open=voting_close - dt.timedelta(days=30),
        nominations_close=voting_close - dt.timedelta(days=15),
        voting_open=voting_close - dt.timedelta(days=14),
        voting_close=voting_close,
        state=Election.State.CLOSED,
        created_by_id=world.board_chair_id,
        created=voting_close - dt.timedelta(days=40),
        electorate_size=len(electorate),
    )
    candidates = Table(
        Candidate,
        [
            "id",
            "election_id",
            "user_id",
            "nominated_by_id",
            "statement",
            "status",
            "number",
            "created",
            "responded_at",
        ],
    )
    nominated = election.nominations_open + dt.timedelta(days=2)
    for number, user_id in enumerate(standing, start=1):
        candidates.add(
            world.ids.take(Candidate),
            election.pk,
            user_id,
            user_id,
            "I have chaired my committee and want the board to listen to the chapters.",
            Candidate.Status.ACCEPTED,
            number,
            nominated,
            nominated + dt.timedelta(days=1),
        )
    electors = Table(Elector, ["id", "election_id", "user_id"])
    for user_id in electorate:
        electors.add(world.ids.take(Elector), election.pk, user_id)
    voters = [pk for pk in electorate if pk == world.bench_user_id or rng.random() < TURNOUT]
    records = Table(VoterRecord, ["id", "election_id", "user_id"])
    ballots = Table(Ballot, ["id", "election_id", "choices", "receipt_digest", "ballot_hash"])
    rankings = generate_ballots(len(voters), len(standing), seed=world.spec.seed)
    rows = []
    for user_id, ballot in zip(voters, rankings, strict=True):
        records.add(uuid.UUID(int=rng.getrandbits(128), version=4), election.pk, user_id)
        choices = [index + 1 for index in ballot.ranking]
        raw = "".join(rng.choice(ballot_crypto.RECEIPT_ALPHABET) for _ in range(20))
        code = ballot_crypto.receipt_code_format(raw)
        rows.append(
            (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                election.pk,
                choices,
                ballot_crypto.receipt_digest(code),
                ballot_crypto.ballot_hash(
                    code=code, election_id=election.pk, method=election.method, choices=choices
                ),
            )
        )
    rng.shuffle(rows)  # no order to link a ballot to a voter
    ballots.extend(rows)
    for table in (candidates, electors, records, ballots):
        table.flush()
    Election.objects.filter(pk=election.pk).update(mixed_ballot_count=len(rows))
    election_count(election=election, now=voting_close + dt.timedelta(hours=1))
    election.refresh_from_db()
    if election.outcome == Election.Outcome.ELECTED:
        chair = User.objects.get(pk=world.board_chair_id)
        election = election_certify(election=election, actor=chair)
    world.count("elections", 1)
    world.count("ballots", len(rows))
    return election
