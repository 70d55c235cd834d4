"""Journey (c): a member raises an escalation from their chapter; the metro's steering committee
acknowledges it and escalates it to the board, which resolves it; the member reads the decision."""

import re

from tests.browser.conftest import settle, sign_in, visit

TITLE = "Two members run competing catering businesses"


def test_member_escalates_committee_escalates_board_resolves(page, new_page, e2e_server):
    base = e2e_server["base"]
    member = page
    sign_in(member, base, "member@demo.localhost")
    visit(member, f"{base}/governance/", context="governance home, member")
    member.get_by_role("link", name="Raise an escalation").first.click()
    settle(member, context="raise an escalation")
    chapter = member.get_by_label("From which chapter")
    chapter.select_option(
        chapter.locator("option", has_text="Paris Founders Circle").get_attribute("value")
    )
    member.locator("[name=title]").fill(TITLE)
    member.locator("[name=description]").fill(
        "Since Nadia joined, two of us sell catering to the same clients. We need a ruling on "
        "the one-seat-per-sector rule."
    )
    member.get_by_role("button", name="Raise").click()
    member.wait_for_url(re.compile(r"/governance/escalations/\d+/$"))
    escalation_url = member.url
    settle(member, name="escalation-raised", context="escalation, raiser")

    committee = new_page()
    sign_in(committee, base, "committee@demo.localhost")
    visit(committee, f"{base}/", context="committee member home")
    assert "waiting for your committee" in committee.content()  # the queue on the home page
    committee.get_by_role("link", name="Open the queue").first.click()
    settle(committee, name="governance-queue", context="committee queue")
    committee.get_by_role("link", name=TITLE).click()
    settle(committee, context="escalation, committee")
    committee.get_by_role("button", name="Acknowledge").click()
    settle(committee, context="acknowledged")
    committee.locator("[name=reason]").fill("The seat rule is the board's to interpret.")
    committee.get_by_role("button", name="Escalate to the next level").click()
    settle(committee, context="escalated")
    assert "Board" in committee.content()

    board = new_page()
    sign_in(board, base, "board@demo.localhost")
    visit(board, escalation_url, context="escalation, board")
    board.locator("[name=decision]").fill(
        "One seat per sector stands: catering moves to the Rive Gauche chapter's free seat."
    )
    board.get_by_role("button", name="Resolve").click()
    settle(board, name="escalation-resolved", context="resolved escalation")

    visit(member, escalation_url, context="escalation, raiser, resolved")
    assert "Rive Gauche" in member.content()
    assert re.search(r"[Rr]esolved", member.content())
