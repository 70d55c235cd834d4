"""Journey (e): a provider plans and publishes an event of their app; a member registers from the
events list and a guest registers without an account; the provider sees both attendees."""

import datetime as dt
import re

from tests.browser.conftest import settle, sign_in, visit

TITLE = "Pitch Night Paris — spring edition"


def test_provider_runs_an_event_members_and_a_guest_register(page, new_page, e2e_server):
    base = e2e_server["base"]
    provider = page
    sign_in(provider, base, "provider@demo.localhost")
    visit(provider, f"{base}/", name="home-provider", context="provider home")
    visit(provider, f"{base}/marketplace/provide/", name="provider-dashboard", context="dashboard")
    provider.get_by_role("link", name="Plan an event").first.click()
    settle(provider, context="plan an event")
    day = dt.date.today() + dt.timedelta(days=30)
    provider.locator("[name=title]").fill(TITLE)
    provider.locator("select[name=metro]").select_option(label="Paris")
    provider.locator("[name=starts_at]").fill(f"{day.isoformat()}T19:00")
    provider.locator("[name=ends_at]").fill(f"{day.isoformat()}T21:30")
    provider.locator("[name=venue]").fill("Station F")
    provider.locator("[name=capacity]").fill("40")
    provider.locator("[name=price]").fill("15")
    provider.get_by_role("button", name="Save as draft").click()
    provider.wait_for_url(re.compile(r"/marketplace/provide/events/\d+/$"))
    manage_url = provider.url
    settle(provider, context="draft event")
    provider.get_by_role("button", name="Publish").click()
    settle(provider, context="published event")
    event_pk = re.search(r"/events/(\d+)/$", manage_url).group(1)

    member = new_page(390, 844)
    sign_in(member, base, "member@demo.localhost")
    visit(member, f"{base}/marketplace/", name="events-phone", context="events list, phone")
    member.get_by_role("link", name=TITLE).click()
    settle(member, context="event page, member")
    member.get_by_role("button", name="Register").click()
    member.wait_for_url(re.compile(r"/marketplace/r/[^/]+/$"))
    settle(member, name="registration-phone", context="registered member")
    assert "Your registration" in member.content()

    guest = new_page()
    visit(guest, f"{base}/marketplace/events/{event_pk}/", name="event-page", context="event page")
    guest.locator("[name=name]").fill("Gustave Guest")
    guest.locator("[name=email]").fill("gustave@example.org")
    guest.get_by_role("button", name="Register").click()
    guest.wait_for_url(re.compile(r"/marketplace/r/[^/]+/$"))
    settle(guest, context="registered guest")
    assert "Your registration" in guest.content()

    visit(provider, manage_url, name="event-manage", context="event, provider")
    content = provider.content()
    assert "Gustave Guest" in content and "Marco Member" in content
