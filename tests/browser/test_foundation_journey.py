"""A newcomer finds the platform, starts a network, lands signed in on its own host, and the
pages pass the accessibility check — on a laptop and on a phone."""

import re

from tests.browser.conftest import check_accessibility, screenshot, sign_in


def test_start_a_network_from_the_public_site(page, e2e_server):
    port = e2e_server["port"]
    page.goto(f"http://localhost:{port}/")
    check_accessibility(page, context="public landing")
    screenshot(page, "public-landing")
    page.get_by_role("link", name="Start a network").first.click()
    page.fill("input[name=name]", "Lyon Founders")
    page.fill("input[name=slug]", "lyon-founders")
    page.fill("input[name=admin_name]", "Léa Lyon")
    page.fill("input[name=admin_email]", "lea@lyon.example")
    page.fill("input[name=admin_password]", "Sturdy-passphrase-42")
    page.fill("input[name=admin_password_confirm]", "Sturdy-passphrase-42")
    page.check("input[name=accept]")
    check_accessibility(page, context="start a network")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"http://lyon-founders\.localhost:{port}/"))
    assert "Hello, Léa" in page.content()
    check_accessibility(page, context="new organisation home")


def test_demo_member_signs_in_on_a_phone(new_page, e2e_server):
    page = new_page(390, 844)
    sign_in(page, e2e_server["base"], "member@demo.localhost")
    page.get_by_text("Menu").click()  # the navigation folds into a menu on a phone
    assert page.get_by_role("button", name="Sign out").is_visible()
    check_accessibility(page, context="member home on a phone")
    screenshot(page, "member-home-phone")
