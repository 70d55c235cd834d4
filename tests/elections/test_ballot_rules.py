"""The ballot's pure rules: ranks, ticks, receipt codes and hashes (no database)."""

import hashlib

import pytest

from governance.elections import ballots
from governance.elections.errors import ElectionError


def test_ranks_become_an_order_of_preference():
    assert ballots.ranking_from_ranks({1: 2, 2: None, 3: 1, 4: 3}) == [3, 1, 4]


@pytest.mark.parametrize(
    ("ranks", "message"),
    [
        ({1: None, 2: None}, "at least one"),
        ({1: 1, 2: 1}, "rank 1 to more than one"),
        ({1: 1, 2: 3}, "rank 2 is missing"),
        ({1: 2}, "rank 1 is missing"),
        ({1: 0}, "start at 1"),
    ],
)
def test_bad_ranks_are_explained(ranks, message):
    with pytest.raises(ElectionError, match=message):
        ballots.ranking_from_ranks(ranks)


def test_ticks_respect_the_maximum():
    assert ballots.ticks_checked(ticked=[3, 1, 3], maximum=2) == [1, 3]
    with pytest.raises(ElectionError, match="at most 2"):
        ballots.ticks_checked(ticked=[1, 2, 3], maximum=2)
    with pytest.raises(ElectionError, match="at least one"):
        ballots.ticks_checked(ticked=[], maximum=None)


def test_receipt_codes_are_random_and_forgiving_to_type():
    code = ballots.receipt_code_new()
    assert len(code) == 24 and code.count("-") == 4
    assert code != ballots.receipt_code_new()
    assert ballots.receipt_code_normalise(code.lower().replace("-", "  ")) == code
    assert ballots.receipt_code_normalise("0O1I-LUVV-0000-0000-0000") == "0011-1VVV-0000-0000-0000"
    assert ballots.receipt_code_normalise("too short") is None


def test_ballot_hash_is_the_documented_formula():
    expected = hashlib.sha256(
        b"ABCD-EFGH-JKMN-PQRS-TVWX|commons-ballot-v1|election=7|method=meek|choices=3,1"
    ).hexdigest()
    assert (
        ballots.ballot_hash(
            code="ABCD-EFGH-JKMN-PQRS-TVWX", election_id=7, method="meek", choices=[3, 1]
        )
        == expected
    )
