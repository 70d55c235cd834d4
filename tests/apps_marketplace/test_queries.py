"""The event list and the event page cost the same number of queries whatever the number of
events, registrations and sponsors."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps_marketplace import services

from .factories import EventFactory, PackageFactory

# The search path, session and user (with their roles and the unread notification count of the
# header, core.userfacts) are 3 of them; the host lookup is cached (tenants.host_cache).
EVENT_LIST = 7  # + events count, the events page, the metro and app choices of the filter
EVENT_PAGE = 7  # + the event, your registration, its sponsors, its packages
PROVIDER_EVENT_PAGE = 9
REVENUE_REPORT = 4  # + one grouped query


def count_queries(client, url) -> int:
    client.get(url)  # warm up: the host lookup is cached from now on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def fill(event, n: int, provider) -> None:
    for i in range(n):
        registration = services.registration_create(
            event=event, name=f"P{i}", email=f"p{i}-{event.pk}@example.org"
        )
        if i % 2 and registration.status == "confirmed":
            services.registration_mark_paid(registration=registration, actor=provider)
    package = PackageFactory(event=event, app=None, slots=5)
    for i in range(min(n, 5)):
        sponsorship = services.sponsorship_create(
            event=event,
            package=package,
            actor=provider,
            company=f"Co {i}",
            contact_name="C",
            contact_email=f"c{i}@example.org",
        )
        services.sponsorship_set_status(sponsorship=sponsorship, actor=provider, status="paid")


def test_event_list_queries_are_constant(
    pages_drawn, logged_in_a, app, provider, django_assert_num_queries
):
    fill(EventFactory(app=app, capacity=3), 4, provider)
    few = count_queries(logged_in_a, "/marketplace/")
    for _ in range(12):
        fill(EventFactory(app=app, capacity=3), 4, provider)
    assert count_queries(logged_in_a, "/marketplace/") == few == EVENT_LIST
    with django_assert_num_queries(EVENT_LIST):
        logged_in_a.get("/marketplace/?metro=&date_from=2020-01-01")


def test_event_page_queries_are_constant(logged_in_a, app, provider, django_assert_num_queries):
    small = EventFactory(app=app, capacity=2)
    fill(small, 1, provider)
    large = EventFactory(app=app, capacity=5)
    fill(large, 12, provider)
    assert count_queries(logged_in_a, f"/marketplace/events/{small.pk}/") == EVENT_PAGE
    with django_assert_num_queries(EVENT_PAGE):
        logged_in_a.get(f"/marketplace/events/{large.pk}/")


def test_provider_event_page_queries_are_constant(
    client_a, app, provider, django_assert_num_queries
):
    client_a.force_login(provider)
    small = EventFactory(app=app, capacity=2)
    fill(small, 1, provider)
    large = EventFactory(app=app, capacity=5)
    fill(large, 12, provider)
    assert count_queries(client_a, f"/marketplace/provide/events/{small.pk}/") == (
        PROVIDER_EVENT_PAGE
    )
    with django_assert_num_queries(PROVIDER_EVENT_PAGE):
        client_a.get(f"/marketplace/provide/events/{large.pk}/")


def test_revenue_report_queries_are_constant(client_a, app, provider, django_assert_num_queries):
    client_a.force_login(provider)
    fill(EventFactory(app=app, capacity=3), 3, provider)
    assert count_queries(client_a, "/marketplace/revenue/?group_by=metro") == REVENUE_REPORT
    fill(EventFactory(app=app, capacity=9), 9, provider)
    with django_assert_num_queries(REVENUE_REPORT):
        client_a.get("/marketplace/revenue/?group_by=metro")
