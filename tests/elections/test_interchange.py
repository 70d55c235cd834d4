"""BLT out and in: an election's published ballots, counted again by `manage.py tally_blt` (which
needs no database), give the elected candidates of the results page; malformed files fail with a
clear message and a non-zero exit."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from governance import counting
from governance.elections import services

from .factories import voting_election

ROOT = Path(__file__).resolve().parents[2]
CLASSIC = """4 2
-2
3 1 3 4 0
4 1 3 2 0
2 4 1 3 0
1 2 4 1 0
0
"Adam"
"Basil"
"Charlotte"
"Donald Duck"
"A classic example"
"""


def _counted(in_a):
    election, candidates, voters = voting_election(candidates=4, electors=7, seats=2)
    rankings = ([1, 2], [1, 3], [1, 2, 4], [2, 1], [3, 4], [4, 3, 1], [3, 1])
    for voter, ranking in zip(voters, rankings, strict=True):
        services.ballot_cast(election=election, voter=voter, choices=ranking)
    services.candidate_withdraw(candidate=candidates[3], actor=candidates[3].user)
    services.elections_advance(now=election.voting_close)
    election.refresh_from_db()
    return election, candidates


def test_blt_export_round_trips_through_tally_blt(in_a, tmp_path):
    election, candidates = _counted(in_a)
    text = services.election_blt(election)
    parsed = counting.parse_blt(text)
    assert parsed.candidates == tuple(c.user.name for c in candidates)
    assert parsed.withdrawn == frozenset({3})
    assert sum(ballot.weight for ballot in parsed.ballots) == 7
    path = tmp_path / "election.blt"
    path.write_text(text)
    out = io.StringIO()
    call_command("tally_blt", str(path), method="meek", seed=election.result_seed, stdout=out)
    assert out.getvalue().splitlines() == election.result["elected_names"]
    assert len(election.result["elected_names"]) == 2


def test_blt_is_published_only_once_counted(in_a):
    election, _candidates, _voters = voting_election()
    from governance.elections.errors import ElectionStateConflict

    with pytest.raises(ElectionStateConflict):
        services.election_blt(election)


def test_tally_blt_prints_the_elected_in_order(tmp_path):
    path = tmp_path / "classic.blt"
    path.write_text(CLASSIC)
    out = io.StringIO()
    call_command("tally_blt", str(path), method="scottish", stdout=out)
    expected = counting.count_election(counting.parse_blt(CLASSIC), "scottish", seed="0")
    assert out.getvalue().splitlines() == expected.elected_names
    assert "Basil" not in out.getvalue()  # withdrawn


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "line"),
        ("4 2\n3 1 x 0\n0\n", "line 2"),
        ('2 1\n1 1 3 0\n0\n"A"\n"B"\n"T"\n', "line 2"),
        ('2 1\n1 1 0\n0\n"A"\n', "line"),
        ("two one\n", "line 1"),
        ('2 1\n1 1 1 0\n0\n"A"\n"B"\n"T"\n', "line 2"),
    ],
    ids=["empty", "not-a-number", "unknown-candidate", "missing-names", "bad-header", "dup"],
)
def test_tally_blt_refuses_malformed_files(tmp_path, content, fragment):
    path = tmp_path / "bad.blt"
    path.write_text(content)
    with pytest.raises(CommandError) as error:
        call_command("tally_blt", str(path), method="meek")
    assert error.value.returncode == 2
    assert "malformed BLT file" in str(error.value) or "cannot be counted" in str(error.value)
    assert fragment in str(error.value)


def test_tally_blt_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("tally_blt", str(tmp_path / "nope.blt"))


def test_tally_blt_runs_without_a_database(tmp_path):
    """The real command line, with a database URL that cannot connect: exit status and text."""
    good = tmp_path / "good.blt"
    good.write_text(CLASSIC)
    bad = tmp_path / "bad.blt"
    bad.write_text("4 2\n3 1 x 0\n")
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    command = [sys.executable, str(ROOT / "manage.py"), "tally_blt"]
    ok = subprocess.run(
        [*command, str(good), "--method", "meek"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert (
        ok.stdout.splitlines()
        == counting.count_election(counting.parse_blt(CLASSIC), "meek", seed="0").elected_names
    )
    failed = subprocess.run(
        [*command, str(bad), "--method", "scottish"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failed.returncode == 2
    assert "malformed BLT file: line 2" in failed.stderr


def test_blt_count_page_counts_an_upload_without_storing_it(in_a, client_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    client_a.force_login(UserFactory())
    response = client_a.post(
        "/elections/count-blt/",
        {
            "file": SimpleUploadedFile("c.blt", CLASSIC.encode()),
            "method": "scottish",
            "seed": "0",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Elected, in order of election" in body
    assert "<svg" in body and "Round 1" in body
    bad = client_a.post(
        "/elections/count-blt/",
        {"file": SimpleUploadedFile("c.blt", b"4 2\n3 1 x 0\n"), "method": "meek", "seed": "0"},
    )
    assert bad.status_code == 200
    assert "not a valid BLT file" in bad.content.decode()
