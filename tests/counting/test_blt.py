"""The BLT ballot file format: parsing, writing, round trips and every kind of error."""

from __future__ import annotations

import pytest

from governance.counting import Ballot, BltError, Election, load_blt, parse_blt, write_blt
from governance.counting.synthetic import generate_ballots

EXAMPLE = """\
# Hill, Wichmann & Woodall's example, with extensions
4 2
-2
3 1 3 4 0
4 1 3 2 0   # a trailing comment
(b7) 2 4 1 3 0
1 2 - 0
2 2 4 3 1 0
1 3 4 2 0

0
"Adam"
"Basil Brush"
"Charlotte \\"Lottie\\" Smith"
"Donald "The Duck" Dee"
"Title with a backslash \\\\ in it"
"""


def test_parse_example():
    election = parse_blt(EXAMPLE)
    assert election.seats == 2
    assert election.candidates == (
        "Adam",
        "Basil Brush",
        'Charlotte "Lottie" Smith',
        'Donald "The Duck" Dee',
    )
    assert election.title == "Title with a backslash \\ in it"
    assert election.withdrawn == frozenset({1})
    assert election.ballots == (
        Ballot(3, (0, 2, 3)),
        Ballot(4, (0, 2, 1)),
        Ballot(2, (3, 0, 2)),  # the ballot id is ignored
        Ballot(1, (1,)),  # "-" marks a skipped preference
        Ballot(2, (1, 3, 2, 0)),
        Ballot(1, (2, 3, 1)),
    )


def test_round_trip_of_a_parsed_file():
    election = parse_blt(EXAMPLE)
    assert parse_blt(write_blt(election)) == election


def test_round_trip_of_a_generated_election():
    election = Election(
        candidates=tuple(f'Cand "{i}" \\ x' for i in range(12)),
        seats=5,
        ballots=(*generate_ballots(500, 12, seed=3), Ballot(2, ())),
        withdrawn=frozenset({3, 7}),
        title="Board election 2026",
    )
    text = write_blt(election)
    assert parse_blt(text) == election
    assert write_blt(parse_blt(text)) == text


def test_load_blt_reads_a_file(tmp_path):
    path = tmp_path / "example.blt"
    path.write_text("\ufeff" + EXAMPLE, encoding="utf-8")
    assert load_blt(path) == parse_blt(EXAMPLE)


def test_the_writer_refuses_what_blt_cannot_express():
    with pytest.raises(ValueError, match="line breaks"):
        write_blt(Election(candidates=("A\nB",), seats=1, ballots=()))
    with pytest.raises(ValueError, match="positive weight"):
        write_blt(Election(candidates=("A",), seats=1, ballots=(Ballot(0, (0,)),)))


NAMES = '"A"\n"B"\n"C"\n"Title"\n'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file"),
        ("3\n1 1 0\n0\n" + NAMES, 1, "header must be two whole numbers"),
        ("three 2\n1 1 0\n0\n" + NAMES, 1, "header must be two whole numbers"),
        ("3 2 1\n1 1 0\n0\n" + NAMES, 1, "header must be two whole numbers"),
        ("0 1\n0\n" + NAMES, 1, "number of candidates must be at least 1"),
        ("3 0\n1 1 0\n0\n" + NAMES, 1, "number of seats must be at least 1"),
        ("3 2\n-4\n1 1 0\n0\n" + NAMES, 2, "withdrawn candidate 4 is not a candidate"),
        ("3 2\n-1 x\n1 1 0\n0\n" + NAMES, 2, "withdrawn candidates must be negative"),
        ("3 2\n1 1 0\nx 1 2 0\n0\n" + NAMES, 3, "ballot weight 'x' is not a whole number"),
        ("3 2\n1.5 1 2 0\n0\n" + NAMES, 2, "ballot weight '1.5' is not a whole number"),
        ("3 2\n0 1 2 0\n0\n" + NAMES, 2, "ballot weight must be positive"),
        ("3 2\n1 1 4 0\n0\n" + NAMES, 2, "preference 4 is out of range"),
        ("3 2\n2 1 0 0\n0\n" + NAMES, 2, "unexpected '0' after the ending 0"),
        ("3 2\n1 1 x 0\n0\n" + NAMES, 2, "preference 'x' is not a candidate number"),
        ("3 2\n1 2 3 2 0\n0\n" + NAMES, 2, "candidate 2 is ranked twice"),
        ("3 2\n1 1=2 3 0\n0\n" + NAMES, 2, "equal rankings"),
        ("3 2\n1 1 = 2 0\n0\n" + NAMES, 2, "equal rankings"),
        ("3 2\n1 1 2\n0\n" + NAMES, 2, "ballot does not end with 0"),
        ("3 2\n1 1 2 0\n" + NAMES, 3, "missing the 0 line that ends the ballots"),
        ("3 2\n1 1 2 0\n", 2, "missing the 0 line that ends the ballots"),
        ("3 2\n(17)\n0\n" + NAMES, 2, "ballot id without a ballot"),
        ('3 2\n1 1 0\n0\n"A"\n"B"\n"Title"\n', 6, "expected 3 quoted candidate names"),
        ("3 2\n1 1 0\n0\n", 3, "expected 3 quoted candidate names"),
        ('3 2\n1 1 0\n0\n"A"\nB\n"C"\n"T"\n', 5, "expected a quoted string"),
        ('3 2\n1 1 0\n0\n"A"\n"B\n"C"\n"T"\n', 5, "unterminated quoted string"),
        ('3 2\n1 1 0\n0\n"A"\n"B\\"\n"C"\n"T"\n', 5, "unterminated quoted string"),
        ('3 2\n1 1 0\n0\n"A"\n"B"\n"C"\n"\n', 7, "unterminated quoted string"),
    ],
)
def test_malformed_files_raise_blt_error_with_the_line(text, line, message):
    with pytest.raises(BltError, match=message) as caught:
        parse_blt(text)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: ")
