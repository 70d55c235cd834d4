"""The key pages of every app that no journey passes through, each opened by the role that uses
it and checked with axe (WCAG 2.x A and AA: no serious or critical violation) at 1280 x 900; some
are saved as screenshots for the docs.

Violations known in the templates of apps still in progress are tolerated on their pages only
and shown as warnings (conftest.KNOWN_VIOLATIONS; the fixes are in docs/experience.md)."""

import json

import pytest

from tests.browser.conftest import (
    check_accessibility,
    run_in_organization,
    screenshot,
    sign_in,
)

IDS_SCRIPT = """
import json
from chapters.models import Chapter
from meetings.models import Meeting
from governance.models import Escalation
from governance.elections.models import Election
from apps_marketplace.models import Event
from network.models import Entrepreneur
chapter = Chapter.objects.get(name="Paris Founders Circle")
print(json.dumps({
    "chapter": chapter.pk,
    "next_meeting": Meeting.objects.filter(chapter=chapter, status="scheduled")
        .order_by("starts_at").values_list("pk", flat=True).first(),
    "held_meeting": Meeting.objects.filter(chapter=chapter, status="closed")
        .order_by("-starts_at").values_list("pk", flat=True).first(),
    "my_escalation": Escalation.objects.filter(raised_by__email="member@demo.localhost")
        .order_by("pk").values_list("pk", flat=True).first(),
    "committee_escalation": Escalation.objects.filter(committee__level="metro")
        .order_by("pk").values_list("pk", flat=True).first(),
    "voting_election": Election.objects.get(title="Board election — open seats").pk,
    "past_election": Election.objects.get(title="Board election 2024").pk,
    "event": Event.objects.filter(status="published").order_by("starts_at")
        .values_list("pk", flat=True).first(),
    "profile": Entrepreneur.objects.get(user__email="facilitator@demo.localhost").pk,
}))
"""

# (role, path, screenshot name or None). Paths use {ids}. The journeys check the pages they pass
# through (the chapter page, the invite form, meeting, run and attendance pages, governance home,
# queue and escalations, an election from setup to results, the ballot, the receipt and the
# verify page, events, an event, a registration, the provider's dashboard and event page).
PAGES = [
    (None, "/accounts/login/", "sign-in"),
    (None, "/accounts/signup/", None),
    (None, "/accounts/password/reset/", None),
    (None, "/", "organisation-landing"),
    ("member", "/", "home-member"),
    ("member", "/network/", "directory"),
    ("member", "/network/people/{profile}/", "profile"),
    ("member", "/network/profile/", None),
    ("member", "/chapters/", "chapters-mine"),
    ("member", "/chapters/find/", None),
    ("member", "/meetings/", None),
    ("member", "/meetings/{held_meeting}/", "meeting-held"),
    ("member", "/governance/escalations/", None),
    ("member", "/governance/escalations/{my_escalation}/", None),
    ("member", "/elections/", "elections-list"),
    ("member", "/elections/{past_election}/results/", "election-stv-rounds"),
    ("member", "/elections/{past_election}/verify/", None),
    ("member", "/marketplace/", "events"),
    ("member", "/marketplace/apps/", None),
    ("member", "/marketplace/my/", None),
    ("member", "/account/", "account"),
    ("member", "/notifications/", None),
    ("member", "/accounts/email/", None),
    ("facilitator", "/meetings/chapters/{chapter}/schedule/", None),
    ("committee", "/", "home-committee"),
    ("committee", "/governance/escalations/{committee_escalation}/", "escalation-committee"),
    ("committee", "/elections/{voting_election}/vote/", "ballot"),
    ("board", "/", "home-board"),
    ("board", "/governance/", "governance-board"),
    ("board", "/governance/density/", None),
    ("board", "/elections/new/", None),
    ("admin", "/", "home-admin"),
    ("admin", "/chapters/coverage/", "coverage"),
    ("admin", "/chapters/growth/", "growth"),
    ("admin", "/chapters/all/", None),
    ("admin", "/chapters/seed/", None),
    ("admin", "/network/admin/", None),
    ("admin", "/network/admin/metros/", "network-metros"),
    ("admin", "/network/admin/sectors/", None),
    ("admin", "/marketplace/revenue/", "revenue"),
    ("provider", "/marketplace/revenue/", None),
]


@pytest.fixture(scope="module")
def ids(e2e_server):
    return json.loads(run_in_organization(e2e_server, IDS_SCRIPT).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def pages_by_role(browser, e2e_server):
    contexts, pages = [], {}

    def page_for(role):
        if role not in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15_000)
            if role:
                sign_in(page, e2e_server["base"], f"{role}@demo.localhost")
            pages[role] = page
        return pages[role]

    yield page_for
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("role", "path", "name"), PAGES, ids=[f"{role or 'visitor'}:{path}" for role, path, _ in PAGES]
)
def test_key_page_is_accessible(role, path, name, ids, pages_by_role, e2e_server):
    page = pages_by_role(role)
    response = page.goto(e2e_server["base"] + path.format(**ids))
    assert response.status < 400, f"{path} answered {response.status}"
    if name:
        screenshot(page, name)
    check_accessibility(page, context=f"{role or 'visitor'} {path}")
