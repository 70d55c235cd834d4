"""Journey (b): a facilitator schedules a meeting, runs it — attendance, the rounds, minutes —
and closes it; members see the attendance history with its chart."""

import datetime as dt
import re

from tests.browser.conftest import run_in_organization, settle, sign_in, visit


def test_facilitator_schedules_runs_and_closes_a_meeting(page, new_page, e2e_server):
    base = e2e_server["base"]
    sign_in(page, base, "facilitator@demo.localhost")
    page.goto(f"{base}/meetings/")
    settle(page, name="meetings-mine", context="my meetings")
    chapter_pk = run_in_organization(
        e2e_server,
        "from chapters.models import Chapter\n"
        "print(Chapter.objects.get(name='Paris Founders Circle').pk)",
    ).split()[-1]
    visit(page, f"{base}/meetings/chapters/{chapter_pk}/", context="chapter meetings")
    page.get_by_role("link", name="Add a one-off meeting").click()
    settle(page, context="add a meeting")
    day = dt.date.today() + dt.timedelta(days=20)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at (local time)").fill("18:30")
    page.get_by_label("Venue").fill("La Ruche, 24 rue de l'Est")
    page.get_by_role("button", name="Add the meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting_pk = re.search(r"/meetings/(\d+)/$", page.url).group(1)
    settle(page, name="meeting-page", context="the new meeting")

    # A member answers and prepares before the meeting.
    member = new_page()
    sign_in(member, base, "member@demo.localhost")
    visit(member, f"{base}/meetings/{meeting_pk}/", context="meeting page, member")
    member.get_by_label("Your success", exact=True).fill("Closed our seed round.")
    member.get_by_label("Your challenge", exact=True).fill(
        "Our churn doubled after the price change."
    )
    member.get_by_role("button", name="Save my share").click()
    settle(member, context="member's share saved")

    # The evening comes: the meeting starts (the clock is the one thing a browser cannot move).
    run_in_organization(
        e2e_server,
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from meetings.models import Meeting\n"
        f"Meeting.objects.filter(pk={meeting_pk}).update("
        "starts_at=timezone.now() - timedelta(minutes=20))",
    )
    page.goto(f"{base}/meetings/{meeting_pk}/")
    page.get_by_role("link", name=re.compile("Run the meeting")).first.click()
    page.wait_for_url(re.compile(r"/run/$"))
    settle(page, name="meeting-run", context="run page")
    attendance = page.locator("form.attendance-form")
    for select in attendance.locator("select").all():
        select.select_option("present")
    attendance.get_by_role("button", name="Save attendance").click()
    settle(page, context="attendance saved")
    page.locator("textarea[name=minutes]").fill("Welcomed two guests. Next host: Marco.")
    page.get_by_role("button", name="Close the meeting").click()
    page.wait_for_load_state("load")
    assert "closed" in page.content().lower()
    settle(page, context="closed meeting")

    visit(
        member,
        f"{base}/meetings/chapters/{chapter_pk}/attendance/",
        name="attendance-chart",
        context="attendance history",
    )
    assert "Attendance rate by member" in member.content()
