"""Key pages are kept whole in the cache (core.pagecache) and rendered again as soon as anything
they showed is written, by whatever path; never shared between people."""

from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from core import pagecache
from core.models import Notification, User
from tests.factories import UserFactory
from tests.network.factories import EntrepreneurFactory


def _get(client, url="/network/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get("X-Page-Cache"), response.content.decode()


def _warm(client, url="/network/"):
    """The first visit sets the CSRF cookie (a page without it is not kept), the second is kept."""
    client.get(url)
    state, _ = _get(client, url)
    assert state == "miss"


def test_a_page_is_served_again_until_a_table_it_read_changes(logged_in_a, in_a):
    EntrepreneurFactory(user__name="Ada First")
    _warm(logged_in_a)
    state, page = _get(logged_in_a)
    assert state == "hit" and "Ada First" in page
    EntrepreneurFactory(user__name="Bo Second")  # a service-style save
    state, page = _get(logged_in_a)
    assert state == "miss" and "Bo Second" in page
    assert _get(logged_in_a)[0] == "hit"


def test_a_bulk_update_without_signals_also_drops_the_page(logged_in_a, in_a):
    person = EntrepreneurFactory(user__name="Old Name")
    _warm(logged_in_a)
    User.objects.filter(pk=person.user_id).update(name="New Name")
    state, page = _get(logged_in_a)
    assert state == "miss" and "New Name" in page and "Old Name" not in page


def test_a_kept_page_costs_only_the_request_itself(logged_in_a, in_a):
    EntrepreneurFactory()
    _warm(logged_in_a)
    with CaptureQueriesContext(connection) as queries:
        assert _get(logged_in_a)[0] == "hit"
    # search path, session, and the user with their facts
    assert len(queries) == 3


def test_each_person_has_their_own_page(logged_in_a, client_a, member_a, in_a):
    other = UserFactory(email="other@alpha.test", name="Otto Other")
    other_client = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    other_client.force_login(other)  # writes last_login: users' pages are rendered again
    _warm(logged_in_a, "/")
    other_client.get("/")
    state, page = _get(other_client, "/")
    assert state == "miss" and "Hello, Otto" in page and "Hello, Mia" not in page
    state, page = _get(logged_in_a, "/")
    assert state == "hit" and "Hello, Mia" in page and "Hello, Otto" not in page


def test_a_new_notification_changes_the_page_through_the_unread_count(logged_in_a, member_a, in_a):
    _warm(logged_in_a, "/")
    Notification.objects.create(user=member_a, title="Something new")
    assert _get(logged_in_a, "/")[0] == "miss"


def _request(user):
    """A GET of some page by `user`, with a CSRF cookie (a page without one is not kept)."""
    made = RequestFactory().get("/anything/")
    made.user = user
    made.COOKIES["csrftoken"] = "x" * 32
    return made


def test_a_page_rendered_while_something_was_written_is_not_kept(member_a, in_a):
    calls = []

    def view(request):
        calls.append(1)
        Notification.objects.create(user=member_a, title="Written during the render")
        return HttpResponse("<p>page</p>", content_type="text/html")

    cached = pagecache.cached_page(view)
    for _ in range(2):
        assert cached(_request(member_a)).get("X-Page-Cache") is None
    assert len(calls) == 2


def test_a_write_elsewhere_during_the_render_does_not_stop_keeping_the_page(member_a, in_a):
    from network.models import Entrepreneur

    written = []

    def view(request):
        names = list(Entrepreneur.objects.values_list("company", flat=True))
        pagecache.changed(written[-1])  # as another process's write would, meanwhile
        return HttpResponse(f"<p>{names}</p>", content_type="text/html")

    cached = pagecache.cached_page(view)

    def request():
        return _request(member_a)

    written.append("core_notification")  # not read by the page: it is kept
    assert cached(request()).get("X-Page-Cache") == "miss"
    assert cached(request()).get("X-Page-Cache") == "hit"
    pagecache.changed("network_entrepreneur")  # drawn again, while what it read changes
    written.append("network_entrepreneur")
    assert cached(request()).get("X-Page-Cache") is None  # drawn, not kept
    assert cached(request()).get("X-Page-Cache") is None


def test_pages_with_flash_messages_are_not_kept(logged_in_a, in_a):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.fallback import FallbackStorage

    made = RequestFactory().get("/network/")
    made.user = UserFactory()
    made.COOKIES["csrftoken"] = "x" * 32
    made.session = {}
    made._messages = FallbackStorage(made)
    assert pagecache._cacheable_request(made)
    made._messages.add(constants.SUCCESS, "Saved.")
    assert not pagecache._cacheable_request(made)


def test_something_cached_elsewhere_drops_the_pages_that_used_it(logged_in_a, in_a):
    from chapters import coverage

    _warm(logged_in_a, "/chapters/coverage/")
    assert _get(logged_in_a, "/chapters/coverage/")[0] == "hit"
    coverage.coverage_changed()
    assert _get(logged_in_a, "/chapters/coverage/")[0] == "miss"


def _api(client, key, url="/api/v1/entrepreneurs/"):
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return response.get("X-Page-Cache"), response.json()


def test_api_answers_are_kept_per_person_until_what_they_read_changes(client_a, member_a, in_a):
    from core.services import api_token_create

    EntrepreneurFactory(user__name="Ada First")
    _token, key = api_token_create(user=member_a, name="pagecache")
    assert _api(client_a, key)[0] == "miss"
    state, before = _api(client_a, key)
    assert state == "hit"
    EntrepreneurFactory(user__name="Bo Second")
    state, after = _api(client_a, key)
    assert state == "miss" and after["count"] == before["count"] + 1
    other = UserFactory(email="api-other@alpha.test")
    _other_token, other_key = api_token_create(user=other, name="pagecache")
    assert _api(client_a, other_key)[0] == "miss"  # never the first person's answer


def test_api_answers_are_drawn_when_the_page_cache_is_off(client_a, member_a, in_a, settings):
    from core.services import api_token_create

    settings.PAGE_CACHE = False
    _token, key = api_token_create(user=member_a, name="pagecache")
    assert _api(client_a, key)[0] is None
    assert _api(client_a, key)[0] is None


# --- Kept results: a list's total, a long filter's choices -------------------------------------


def test_a_kept_count_is_used_until_a_table_it_counts_changes(in_a, django_assert_num_queries):
    from network.models import Entrepreneur

    EntrepreneurFactory()
    people = Entrepreneur.objects.filter(is_active=True)
    assert pagecache.kept_count(people) == 1
    with django_assert_num_queries(0):
        assert pagecache.kept_count(people) == 1
    EntrepreneurFactory()  # any write to the table: counted again
    with django_assert_num_queries(1):
        assert pagecache.kept_count(people) == 2
    # Another filter is another entry
    assert pagecache.kept_count(people.filter(company="nobody's")) == 0


def test_kept_rows_follow_writes_and_are_not_kept_inside_a_transaction(in_a):
    from django.db import transaction

    from network.models import Metro
    from tests.network.factories import MetroFactory

    MetroFactory(name="Lyon")
    names = Metro.objects.order_by("name").values_list("name", flat=True)
    assert pagecache.kept_rows(names) == ["Lyon"]
    Metro.objects.filter(name="Lyon").update(name="Lille")  # no signals: still seen
    assert pagecache.kept_rows(names) == ["Lille"]
    with transaction.atomic():
        MetroFactory(name="Metz")
        assert pagecache.kept_rows(names) == ["Lille", "Metz"]
        transaction.set_rollback(True)
    assert pagecache.kept_rows(names) == ["Lille"]  # the rolled-back row was never kept
    assert pagecache.kept_rows(Metro.objects.none().values_list("name")) == []


def test_a_kept_part_is_drawn_again_only_when_what_it_read_changes(member_a, in_a):
    from network.models import Entrepreneur

    calls = []

    def produce():
        calls.append(1)
        return list(Entrepreneur.objects.values_list("company", flat=True))

    def page():
        reading = set()
        token = pagecache._reading.set(reading)
        try:
            return pagecache.kept_part("test:part", member_a, produce, "k"), reading
        finally:
            pagecache._reading.reset(token)

    EntrepreneurFactory(company="Acme")
    first, read = page()
    assert "Acme" in first and "network_entrepreneur" in read and len(calls) == 1
    again, read = page()  # kept: the page still learns what the part read
    assert again == first and "network_entrepreneur" in read and len(calls) == 1
    pagecache.changed("core_notification")  # something it did not read
    assert page()[0] == first and len(calls) == 1
    EntrepreneurFactory(company="Bolt")
    assert "Bolt" in page()[0] and len(calls) == 2
    # Another key, another person: their own entries
    assert pagecache.kept_part("test:part", member_a, produce, "other") and len(calls) == 3
    other = UserFactory(email="otto@alpha.test")
    assert pagecache.kept_part("test:part", other, produce, "k") and len(calls) == 4
