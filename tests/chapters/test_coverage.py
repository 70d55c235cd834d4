"""Coverage grid, where to seed next, and growth against the target."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chapters import coverage
from chapters.errors import ChapterError
from chapters.models import Chapter, Invitation
from chapters.services import chapter_create_from_seed
from network.models import NetworkSettings

from .factories import ChapterFactory, EntrepreneurFactory, MetroFactory, RegionFactory, join


@pytest.fixture
def as_user(client_a):
    def login(user) -> Client:
        client_a.force_login(user)
        return client_a

    return login


def test_grid_counts_members_in_chapters_and_open_seats(chapter, person, metro, sectors, rules):
    person("Fintech")  # a second fintech person, outside the chapter
    person("Media")
    grid = coverage.coverage_grid()
    fintech = grid.cells[(metro.pk, sectors["Fintech"].pk)]
    assert (fintech.members, fintech.in_chapters, fintech.open_seats) == (2, 1, 0)
    media = grid.cells[(metro.pk, sectors["Media"].pk)]
    assert (media.members, media.in_chapters, media.open_seats) == (1, 0, 1)
    retail = grid.cells[(metro.pk, sectors["Retail"].pk)]
    assert (retail.members, retail.open_seats) == (0, 1)
    total = grid.grand_total()
    assert total.members == 5 and total.in_chapters == 3
    assert total.open_seats == 2  # Media and Retail in the one open chapter

    rules.seats_per_sector = 2
    rules.save()
    fintech = coverage.coverage_grid().cells[(metro.pk, sectors["Fintech"].pk)]
    assert fintech.open_seats == 1

    rules.max_size = 3  # the chapter is full: no open seat anywhere
    rules.save()
    assert coverage.coverage_grid().grand_total().open_seats == 0


def test_grid_scoped_to_country_and_region(chapter, metro, sectors):
    elsewhere = MetroFactory(region=RegionFactory(), name="Elsewhere")
    EntrepreneurFactory(metro=elsewhere, sector=sectors["Media"])
    by_country = coverage.coverage_grid(country_id=metro.region.country_id)
    assert elsewhere not in by_country.metros and metro in by_country.metros
    by_region = coverage.coverage_grid(region_id=elsewhere.region_id)
    assert by_region.metros == [elsewhere]
    assert by_region.grand_total().members == 1


def test_heat_map_colours_and_legend(chapter, metro, sectors):
    grid = coverage.coverage_grid()
    heat = coverage.heat_map(grid, "members")
    assert heat.maximum == 1
    row = next(r for r in heat.rows if r["metro"] == metro.name)
    fintech = next(c for c in row["cells"] if c["sector"] == "Fintech")
    media = next(c for c in row["cells"] if c["sector"] == "Media")
    assert fintech["fill"] == coverage.HEAT_COLOURS[-1]
    assert media["fill"] == coverage.HEAT_COLOURS[0]
    assert heat.legend[0]["label"] == "0"


def test_coverage_page_svg_table_and_csv(as_user, chapter):
    client = as_user(chapter.mia.user)
    body = client.get("/chapters/coverage/?measure=open_seats").content.decode()
    assert '<svg role="img" aria-labelledby="heat-title heat-desc"' in body
    assert '<title id="heat-title">Open seats per metro and sector' in body
    assert "<table>" in body and "Lyon" in body
    csv = client.get("/chapters/coverage.csv").content.decode().splitlines()
    assert csv[0] == "country,region,metro,sector,members,members_in_chapters,open_seats"
    assert any(line.endswith("Lyon,Fintech,1,1,0") for line in csv)


def _queries(client, url, *, cold: bool) -> int:
    if cold:
        coverage.coverage_changed()  # as any change to what the grid counts does
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_coverage_page_query_count_is_constant(
    pages_drawn, as_user, chapter, person, metro, sectors
):
    client = as_user(chapter.mia.user)
    client.get("/chapters/coverage/")
    small = _queries(client, "/chapters/coverage/", cold=True)
    small_csv = _queries(client, "/chapters/coverage.csv", cold=True)
    cached = _queries(client, "/chapters/coverage/", cold=False)
    for name in ("Media", "Retail", "Media", "Food", "Health"):
        person(name)
    other = ChapterFactory(metro=metro)
    join(other, person("Media"), "facilitator")
    assert _queries(client, "/chapters/coverage/", cold=True) == small
    assert _queries(client, "/chapters/coverage.csv", cold=True) == small_csv
    # Served from the cache, the grid costs no query at all.
    assert _queries(client, "/chapters/coverage/", cold=False) == cached < small


def test_the_cached_coverage_follows_every_change(as_user, chapter, person, metro, sectors):
    client = as_user(chapter.mia.user)
    before = client.get("/api/v1/coverage/").json()
    assert client.get("/api/v1/coverage/").json() == before  # from the cache
    client.get("/chapters/coverage/")  # the page's table cached too
    person("Media")
    after = client.get("/api/v1/coverage/").json()
    members = lambda grid: sum(cell["members"] for cell in grid["cells"])  # noqa: E731
    assert members(after) == members(before) + 1
    page = client.get("/chapters/coverage/").content.decode()  # its cached table too
    in_chapters = sum(cell["in_chapters"] for cell in after["cells"])
    assert f"<strong>{members(after)} / {in_chapters} / " in page


def test_seed_proposals(person, metro, sectors, rules, in_a):
    people = [person(name) for name in ("Fintech", "Food", "Health", "Fintech", "Media")]
    proposals = coverage.seed_proposals()
    assert len(proposals) == 1
    roster = proposals[0].roster
    assert proposals[0].metro == metro
    assert len(roster) == 4 and len({p.sector_id for p in roster}) == 4
    # A second, competitor-free roster needs three more distinct sectors.
    for name in ("Food", "Health"):
        person(name)
    proposals = coverage.seed_proposals()
    assert [len(p.roster) for p in proposals] == [4, 3]
    assert not set(proposals[0].roster) & set(proposals[1].roster)

    # Members of chapters and people with an open invitation are left out.
    chapter = ChapterFactory(metro=metro)
    join(chapter, people[0], "facilitator")
    Invitation.objects.create(
        chapter=chapter,
        email=people[1].user.email,
        sector=sectors["Food"],
        objection_window_ends_at=timezone.now(),
    )
    in_proposals = {p.pk for proposal in coverage.seed_proposals() for p in proposal.roster}
    assert people[0].pk not in in_proposals and people[1].pk not in in_proposals


def test_no_proposal_below_minimum(person, rules):
    person("Fintech")
    person("Fintech")
    person("Food")
    assert coverage.seed_proposals() == []


def test_seed_page_and_one_step_creation(
    as_user, chapter, person, metro, admin_a, django_assert_num_queries
):
    roster = [person(name) for name in ("Media", "Retail", "Fintech")]
    assert as_user(chapter.mia.user).get("/chapters/seed/").status_code == 403
    client = as_user(chapter.fatou.user)
    body = client.get("/chapters/seed/").content.decode()
    assert "Start this chapter" in body

    with CaptureQueriesContext(connection) as small:
        client.get("/chapters/seed/")
    for name in ("Media", "Retail", "Food", "Health"):
        person(name)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/chapters/seed/")

    response = client.post(
        "/chapters/seed/create/",
        {"metro": metro.pk, "people": [p.pk for p in roster], "name": "Seeded Lyon"},
    )
    assert response.status_code == 302
    seeded = Chapter.objects.get(name="Seeded Lyon")
    assert seeded.status == Chapter.Status.FORMING
    assert seeded.memberships.count() == 0
    assert set(seeded.invitations.values_list("email", flat=True)) == {p.user.email for p in roster}
    assert set(seeded.invitations.values_list("status", flat=True)) == {"sent"}


def test_seed_creation_rechecks_the_roster(chapter, person, metro, admin_a):
    a, b = person("Media"), person("Retail")
    with pytest.raises(ChapterError, match="at least 3 people"):
        chapter_create_from_seed(actor=admin_a, metro=metro, roster=[a, b])
    with pytest.raises(ChapterError, match="joined a chapter"):
        chapter_create_from_seed(actor=admin_a, metro=metro, roster=[a, b, chapter.mia])
    from chapters.errors import ChapterPermissionDenied

    with pytest.raises(ChapterPermissionDenied):
        chapter_create_from_seed(actor=chapter.mia.user, metro=metro, roster=[a, b, person("Food")])


def test_growth_series_and_projection(metro, in_a):
    network = NetworkSettings.load()
    today = dt.date(2026, 7, 1)
    network.launch_date = dt.date(2026, 1, 1)
    network.target_chapters = 30
    network.target_months = 12
    network.save()
    for n, month in enumerate((1, 2, 3, 4, 5, 6)):
        ChapterFactory(
            metro=metro,
            status=Chapter.Status.ACTIVE,
            activated_at=dt.datetime(2026, month, 15, tzinfo=dt.UTC),
            name=f"G{n}",
        )
    ChapterFactory(
        metro=metro,
        status=Chapter.Status.CLOSED,
        activated_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        closed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        name="Gone",
    )
    ChapterFactory(metro=metro, status=Chapter.Status.FORMING, name="Not yet")

    growth = coverage.growth_series(today=today)
    assert growth.current == 6
    assert growth.target_date == dt.date(2027, 1, 1)
    by_date = {p.date: p for p in growth.points}
    assert by_date[dt.date(2026, 2, 1)].chapters == 2  # G0 and "Gone", activated that day
    assert by_date[dt.date(2026, 3, 1)].chapters == 2  # G0 and G1; "Gone" closed that day
    assert by_date[dt.date(2026, 4, 1)].chapters == 3
    assert by_date[dt.date(2027, 1, 1)].chapters == -1 and by_date[dt.date(2027, 1, 1)].target == 30
    assert growth.pace_per_month == pytest.approx(1.0, abs=0.05)
    # 24 more at one a month: about two years out, well behind the target date.
    assert dt.date(2028, 5, 1) < growth.projected_date < dt.date(2028, 8, 1)
    assert not growth.on_track
    chart = coverage.growth_chart(growth)
    assert chart.actual and chart.target and chart.projection


def test_growth_page(as_user, chapter):
    body = as_user(chapter.mia.user).get("/chapters/growth/").content.decode()
    assert '<title id="growth-title">' in body and "Month by month" in body
