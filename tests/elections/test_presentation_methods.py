"""The results table and chart for every counting method (approval and plurality have no quota
and a single round)."""

import pytest
from django.template.loader import render_to_string

from governance.counting import Ballot, Election, count_election
from governance.elections.presentation import round_table, rounds_chart


@pytest.mark.parametrize("method", ["meek", "scottish", "approval", "plurality_at_large"])
def test_results_render_for_every_method(method):
    election = Election(
        candidates=("Ada", "Bea", "Chen"),
        seats=1,
        ballots=(
            (Ballot(3, (0,)), Ballot(2, (1,)), Ballot(1, (2,)))
            if method == "plurality_at_large"
            else (Ballot(3, (0, 1)), Ballot(2, (1, 2)), Ballot(1, (2,)))
        ),
    )
    result = count_election(election, method, seed="7").to_dict()
    result.setdefault("candidates", list(election.candidates))
    table = round_table(result)
    html = render_to_string("elections/_round_table.html", {"table": table})
    assert "Ada" in html
    assert ("Quota" in html) == (method in ("meek", "scottish"))
    assert "<svg" in str(rounds_chart(result))
