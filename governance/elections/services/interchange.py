"""Ballots out in the BLT format (for an independent recount with any STV program, or with
`manage.py tally_blt`), and a BLT file in for a count that is shown but never stored."""

from governance import counting

from ..errors import ElectionError, ElectionStateConflict
from ..models import Election
from .lifecycle import counting_input

MAX_BLT_BYTES = 5 * 1024 * 1024


def election_blt(election: Election) -> str:
    """The published ballots as BLT: identical ballots grouped with their weight, withdrawn
    candidates marked, candidates in ballot-number order. Only once the election is counted."""
    if not election.has_published_ballots:
        raise ElectionStateConflict("The ballots are published once the election is counted.")
    return counting.write_blt(counting_input(election))


def blt_count(*, data: bytes, method: str, seed: str = "0") -> counting.CountResult:
    """Count an uploaded BLT file (read-only: nothing is stored)."""
    if len(data) > MAX_BLT_BYTES:
        raise ElectionError("The file is larger than 5 MB.", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ElectionError("The file is not UTF-8 text.", field="file") from error
    try:
        parsed = counting.parse_blt(text)
        return counting.count_election(parsed, method, seed=seed)
    except counting.BltError as error:
        raise ElectionError(f"This is not a valid BLT file: {error}", field="file") from error
    except counting.InvalidElectionError as error:
        raise ElectionError(f"The ballots cannot be counted: {error}", field="file") from error
