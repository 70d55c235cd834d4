"""Journey (d): the board calls an election; a steering-committee member stands and a colleague
accepts a nomination; members vote and check their receipts; after the count the results show
the STV rounds and each voter finds their ballot counted.

The election's windows are moved with run_in_organization (the clock: nominations open, voting
opens, voting closes) followed by the same sweep the scheduler runs every minute."""

import datetime as dt
import re

from tests.browser.conftest import (
    DEMO_PASSWORD,
    run_in_organization,
    settle,
    sign_in,
    visit,
)

TITLE = "Board election — spring"


def _advance(e2e_server, **windows) -> None:
    moves = ", ".join(
        f"{field}=timezone.now() + timedelta(minutes={minutes})"
        for field, minutes in windows.items()
    )
    run_in_organization(
        e2e_server,
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from governance.elections.models import Election\n"
        "from governance.elections.services import elections_advance\n"
        f"Election.objects.filter(title={TITLE!r}).update({moves})\n"
        "elections_advance()",
    )


def _vote(page, base, election_url, ranking: list[str]) -> str:
    page.goto(election_url)
    page.get_by_role("link", name="Vote now").click()
    settle(page, context="ballot")
    for rank, name in enumerate(ranking, start=1):
        page.get_by_label(name).fill(str(rank))
    page.get_by_role("button", name="Cast my ballot").click()
    settle(page, context="receipt")
    return page.locator("code.elections-receipt").inner_text().strip()


def _verify(page, election_url, code: str) -> str:
    page.goto(election_url.rstrip("/") + "/verify/")
    page.locator("form input[type=text], form textarea").first.fill(code)
    page.get_by_role("button", name="Check").click()
    settle(page, context="verify")
    return page.content()


def test_board_runs_an_election_members_vote_and_verify(page, new_page, e2e_server):
    base = e2e_server["base"]
    run_in_organization(
        e2e_server,
        "from core.models import User\n"
        "user = User.objects.get(email='oscar.johnson@example.com')\n"
        f"user.set_password({DEMO_PASSWORD!r})\n"
        "user.save()",
    )
    board = page
    sign_in(board, base, "board@demo.localhost")
    visit(board, f"{base}/elections/", context="elections list, board")
    board.get_by_role("link", name=re.compile("Call an election")).first.click()
    settle(board, context="call an election")
    start = dt.datetime.now() + dt.timedelta(days=1)
    stamp = lambda days: (start + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    board.get_by_label("Title").fill(TITLE)
    board.get_by_label("Seats to fill").fill("1")
    board.get_by_label("Who votes").select_option(value="all_members")
    board.get_by_label("Nominations open").fill(stamp(0))
    board.get_by_label("Nominations close").fill(stamp(2))
    board.get_by_label("Voting opens").fill(stamp(3))
    board.get_by_label("Voting closes").fill(stamp(6))
    board.get_by_label("Board term starts").fill((start + dt.timedelta(days=10)).date().isoformat())
    board.get_by_label("Board term ends").fill((start + dt.timedelta(days=375)).date().isoformat())
    board.get_by_role("button", name="Set up the election").click()
    board.wait_for_url(re.compile(r"/elections/\d+/$"))
    election_url = board.url
    settle(board, name="election-setup", context="election being set up")

    _advance(e2e_server, nominations_open=-1)  # nominations open
    committee = new_page()
    sign_in(committee, base, "committee@demo.localhost")
    visit(committee, election_url, context="election, nominations")
    committee.get_by_role("link", name="Stand or nominate").click()
    settle(committee, context="nominate")
    committee.get_by_label("Myself").check()
    committee.get_by_label("Your candidate statement").fill(
        "I chair the Paris committee; I will push for answers to escalations within a week."
    )
    committee.get_by_role("button", name="Nominate").click()
    settle(committee, context="standing")
    committee.get_by_role("link", name="Nominate a colleague").click()
    committee.get_by_label("A colleague").check()
    colleague = committee.locator("select[name=nominee]")
    colleague.select_option(
        colleague.locator("option", has_text="Oscar Johnson").get_attribute("value")
    )
    committee.get_by_role("button", name="Nominate").click()
    settle(committee, context="colleague nominated")

    oscar = new_page()
    sign_in(oscar, base, "oscar.johnson@example.com")
    visit(oscar, f"{base}/", context="nominee home")
    oscar.get_by_role("link", name=re.compile("Answer the nomination")).first.click()
    settle(oscar, context="nomination")
    oscar.get_by_role("button", name="Accept and stand").click()
    settle(oscar, context="nomination accepted")

    _advance(e2e_server, nominations_open=-10, nominations_close=-2, voting_open=-1)  # voting opens
    visit(board, election_url, name="election-voting", context="election, voting")

    member = new_page()
    sign_in(member, base, "member@demo.localhost")
    visit(member, f"{base}/", context="member home, election open")
    assert f"Vote in {TITLE}" in member.content()
    member_code = _vote(member, base, election_url, ["Oscar Johnson", "Chen Committee"])
    screenshot_page = member
    settle(screenshot_page, name="election-receipt", context="receipt")
    assert "received" in _verify(member, election_url, member_code)
    committee_code = _vote(committee, base, election_url, ["Chen Committee"])
    board_code = _vote(board, base, election_url, ["Chen Committee", "Oscar Johnson"])

    _advance(
        e2e_server, nominations_open=-30, nominations_close=-20, voting_open=-10, voting_close=-1
    )  # voting closes; the sweep counts
    visit(
        member, election_url.rstrip("/") + "/results/", name="election-results", context="results"
    )
    assert "Chen Committee" in member.content()
    for voter, code in ((member, member_code), (committee, committee_code), (board, board_code)):
        assert "Your ballot was counted." in _verify(voter, election_url, code)
