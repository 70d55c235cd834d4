"""Journey (a): an invited newcomer signs up through the invitation link read from the email,
accepts the collaboration agreement, finds the chapter's next meeting on the home page and
records a success and a challenge for it."""

import re

from tests.browser.conftest import last_email_to, settle, sign_in, visit

NEWCOMER = "nadia.newcomer@example.org"
PASSWORD = "Sturdy-passphrase-42"


def test_invited_newcomer_signs_up_accepts_and_prepares(page, new_page, e2e_server):
    base = e2e_server["base"]
    sign_in(page, base, "facilitator@demo.localhost")
    settle(page, name="home-facilitator", context="facilitator home")
    page.locator("section[aria-labelledby=h-home-chapters]").get_by_role(
        "link", name="Paris Founders Circle"
    ).click()
    settle(page, name="chapter-page", context="chapter page")
    page.get_by_role("link", name="Invite", exact=True).click()
    settle(page, context="invite form")
    page.get_by_label("Or an email address").fill(NEWCOMER)
    page.get_by_label("Their name").fill("Nadia Newcomer")
    page.get_by_label("Their sector").select_option(label="Health")
    page.get_by_label("Personal message").fill("Join us: we meet on the first Tuesday.")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/chapters/\d+/$"))
    assert "Invitation sent to Nadia Newcomer" in page.content()

    email = last_email_to(e2e_server["mail"], NEWCOMER)
    link = re.search(r"https?://\S+/chapters/invitations/accept/\S+/", email).group(0)
    path = link.split("/chapters/", 1)[1]

    newcomer = new_page(390, 844)
    visit(newcomer, f"{base}/chapters/{path}", name="invitation-phone", context="invitation link")
    newcomer.get_by_role("link", name="Create your account to accept").click()
    settle(newcomer, context="sign-up through the invitation")
    if newcomer.get_by_label("Name").count():
        newcomer.get_by_label("Name").first.fill("Nadia Newcomer")
    email_field = newcomer.locator("input[name=email]")
    if not email_field.input_value():
        email_field.fill(NEWCOMER)
    newcomer.locator("input[name=password1]").fill(PASSWORD)
    newcomer.locator("input[name=password2]").fill(PASSWORD)
    newcomer.locator("form").filter(has=newcomer.locator("input[name=password1]")).locator(
        "button[type=submit]"
    ).click()
    newcomer.wait_for_url(re.compile(r"/chapters/invitations/accept/"))
    settle(newcomer, context="invitation, signed in")
    newcomer.get_by_label("Your company").fill("Santé Connect")
    newcomer.get_by_label("I accept the collaboration agreement").check()
    newcomer.get_by_role("button", name="Accept and join").click()
    newcomer.wait_for_url(re.compile(r"/chapters/\d+/$"))
    assert "Welcome to Paris Founders Circle!" in newcomer.content()
    settle(newcomer, context="chapter page after joining")

    newcomer.goto(f"{base}/")
    settle(newcomer, name="home-newcomer-phone", context="newcomer home on a phone")
    assert "Prepare your success and challenge" in newcomer.content()
    newcomer.locator(".steps").get_by_role("link", name=re.compile("^Prepare")).click()
    newcomer.wait_for_url(re.compile(r"/meetings/\d+/"))
    settle(newcomer, context="meeting page")
    newcomer.get_by_label("Your success", exact=True).fill(
        "Signed our first hospital as a customer."
    )
    newcomer.get_by_label("Your challenge", exact=True).fill(
        "Hiring a CTO who knows medical data rules."
    )
    newcomer.get_by_role("button", name="Save my share").click()
    settle(newcomer, name="meeting-prepared-phone", context="meeting page with my share")
    assert "Recorded" in newcomer.content()

    newcomer.goto(f"{base}/")
    assert "Not prepared yet" not in newcomer.content()
    assert "Prepared" in newcomer.content()
