"""The ballot's cryptographic plumbing and validation, with no database access.

* A **receipt code** is 100 random bits shown once to the voter as five groups of four
  characters (Crockford's base 32: no I, L, O or U). It is never stored.
* The **receipt digest** `SHA-256("commons-receipt-v1|" + code)` is stored with the ballot so
  that the verify page can find it from the code.
* The **ballot hash** `SHA-256(code + "|" + canonical content)` is published after the count
  with the ballot's choices; anyone holding the code can recompute it and so check that the
  ballot counted is the one they cast. The canonical content is
  `commons-ballot-v1|election=<id>|method=<method>|choices=<n1>,<n2>,…` with candidate numbers
  (1-based, as on the results page and in the BLT file); for approval and plurality the numbers
  are sorted, for STV they are in order of preference.
"""

import hashlib
import hmac
import random
import secrets
from collections.abc import Mapping, Sequence

from django.conf import settings

from .errors import ElectionError

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_GROUPS = 5
RECEIPT_GROUP_LENGTH = 4
RECEIPT_LENGTH = RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH
# Letters people type for the ones the alphabet leaves out.
_TYPO_MAP = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def receipt_code_new() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return receipt_code_format(raw)


def receipt_code_format(raw: str) -> str:
    return "-".join(
        raw[i : i + RECEIPT_GROUP_LENGTH] for i in range(0, RECEIPT_LENGTH, RECEIPT_GROUP_LENGTH)
    )


def receipt_code_normalise(text: str) -> str | None:
    """The code in its canonical form, or None when `text` cannot be a receipt code.
    Spaces, hyphens and case do not matter; I, L, O and U are read as 1, 1, 0 and V."""
    cleaned = "".join((text or "").split()).replace("-", "").upper().translate(_TYPO_MAP)
    if len(cleaned) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in cleaned):
        return None
    return receipt_code_format(cleaned)


def receipt_digest(code: str) -> str:
    return hashlib.sha256(f"commons-receipt-v1|{code}".encode()).hexdigest()


def canonical_content(*, election_id: int, method: str, choices: Sequence[int]) -> str:
    return (
        f"commons-ballot-v1|election={election_id}|method={method}"
        f"|choices={','.join(str(n) for n in choices)}"
    )


def ballot_hash(*, code: str, election_id: int, method: str, choices: Sequence[int]) -> str:
    content = canonical_content(election_id=election_id, method=method, choices=choices)
    return hashlib.sha256(f"{code}|{content}".encode()).hexdigest()


def candidate_order_for(*, election_id: int, user_id: int, numbers: Sequence[int]) -> list[int]:
    """The order this voter sees the candidates in: shuffled, the same on every reload, and
    not derivable by anybody without the server's secret key. Never stored."""
    key = settings.SECRET_KEY.encode()
    seed = hmac.new(key, f"ballot-order|{election_id}|{user_id}".encode(), "sha256").digest()
    order = sorted(numbers)
    random.Random(seed).shuffle(order)
    return order


def ranking_from_ranks(ranks: Mapping[int, int | None]) -> list[int]:
    """Candidate numbers in order of preference from {candidate number: rank or None}.

    Ranks must be whole numbers from 1 with no gaps and no repeats; unranked candidates are
    left off. Raises ElectionError with a message a voter can act on."""
    given = {number: rank for number, rank in ranks.items() if rank is not None}
    if not given:
        raise ElectionError("Rank at least one candidate: put 1 next to your first choice.")
    values = sorted(given.values())
    if any(rank < 1 for rank in values):
        raise ElectionError("Ranks start at 1 (your first choice).")
    duplicates = sorted({rank for rank in values if values.count(rank) > 1})
    if duplicates:
        listed = ", ".join(str(rank) for rank in duplicates)
        raise ElectionError(
            f"Each rank can be used once; you gave rank {listed} to more than one candidate."
        )
    expected = list(range(1, len(values) + 1))
    if values != expected:
        missing = next(rank for rank in expected if rank not in given.values())
        raise ElectionError(
            f"Number your choices 1, 2, 3… without gaps: rank {missing} is missing."
        )
    return [number for number, _rank in sorted(given.items(), key=lambda item: item[1])]


def ticks_checked(*, ticked: Sequence[int], maximum: int | None) -> list[int]:
    chosen = sorted(set(ticked))
    if not chosen:
        raise ElectionError("Tick at least one candidate.")
    if maximum is not None and len(chosen) > maximum:
        raise ElectionError(
            f"Tick at most {maximum} candidate{'s' if maximum != 1 else ''}: "
            f"you ticked {len(chosen)}."
        )
    return chosen
