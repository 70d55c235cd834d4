"""The network's pages: directory, profiles, profile editing, network admin; per role, with
query counts and isolation between organisations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from network.models import Country, Entrepreneur, Metro, Region, Sector
from network.services import entrepreneur_ensure
from tests.factories import UserFactory

from .factories import EntrepreneurFactory, MetroFactory, RegionFactory, SectorFactory
from .test_services import png

ADMIN_PAGES = [
    "/network/admin/",
    "/network/admin/countries/",
    "/network/admin/regions/",
    "/network/admin/metros/",
    "/network/admin/sectors/",
    "/network/admin/imports/",
    "/network/admin/imports/template.csv",
]


# --- Access per role ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/network/", "/network/profile/", *ADMIN_PAGES])
def test_anonymous_is_sent_to_sign_in(client_a, path):
    response = client_a.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_members_cannot_open_network_admin(logged_in_a, path):
    assert logged_in_a.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_opens_network_admin(admin_client_a, path):
    assert admin_client_a.get(path).status_code == 200


def test_nav_shows_admin_link_to_admins_only(logged_in_a, admin_a, client_a):
    page = logged_in_a.get("/network/").content.decode()
    assert 'href="/network/"' in page and "Network admin" not in page
    client_a.force_login(admin_a)
    assert "Network admin" in client_a.get("/network/").content.decode()


# --- Directory ---------------------------------------------------------------------------------


def test_directory_lists_visible_members_and_paginates(logged_in_a, member_a):
    for index in range(27):
        EntrepreneurFactory(user__name=f"Person {index:02d}")
    EntrepreneurFactory(user__name="Hidden Hanna", visibility=Entrepreneur.Visibility.CHAPTERS)

    first = logged_in_a.get("/network/").content.decode()
    assert "27 entrepreneurs" in first
    assert "Person 00" in first and "Person 24" in first and "Person 25" not in first
    assert "Hidden Hanna" not in first
    second = logged_in_a.get("/network/?page=2").content.decode()
    assert "Person 25" in second and "Person 26" in second


def test_directory_filters_by_query_string_and_htmx_returns_results_only(logged_in_a):
    metro = MetroFactory(name="Lisbon")
    EntrepreneurFactory(user__name="Lia Lisbon", metro=metro)
    EntrepreneurFactory(user__name="Otto Elsewhere")

    page = logged_in_a.get(f"/network/?metro={metro.pk}").content.decode()
    assert "Lia Lisbon" in page and "Otto Elsewhere" not in page

    partial = logged_in_a.get(
        "/network/?q=otto", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="directory-results"
    ).content.decode()
    assert "Otto Elsewhere" in partial and "Lia Lisbon" not in partial
    assert "<html" not in partial


def test_unaffiliated_filter(logged_in_a):
    EntrepreneurFactory(user__name="Free Fred")
    EntrepreneurFactory(user__name="Busy Bea", active_chapter_count=2)
    page = logged_in_a.get("/network/?unaffiliated=on").content.decode()
    assert "Free Fred" in page and "Busy Bea" not in page


def test_bad_filter_values_do_not_break_the_page(logged_in_a):
    EntrepreneurFactory(user__name="Still Shown")
    response = logged_in_a.get("/network/?metro=abc&sector=999999&page=zzz")
    assert response.status_code == 200
    assert "Still Shown" in response.content.decode()


def _directory_queries(client) -> int:
    client.get("/network/?unaffiliated=on")  # warm up: the host lookup is cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/network/?unaffiliated=on")
    assert response.status_code == 200
    return len(queries)


def test_directory_query_count_is_constant_in_members(
    pages_drawn, logged_in_a, django_assert_num_queries
):
    metro, sector = MetroFactory(), SectorFactory()
    for _ in range(5):
        EntrepreneurFactory(metro=metro, sector=sector)
    with_five = _directory_queries(logged_in_a)
    for _ in range(25):
        EntrepreneurFactory(metro=MetroFactory(), sector=SectorFactory())
    with_thirty = _directory_queries(logged_in_a)
    assert with_five == with_thirty
    # search path, session, user (with roles and unread count), the filters' metros and
    # sectors, count, page; the host lookup is cached
    with django_assert_num_queries(7):
        logged_in_a.get("/network/?unaffiliated=on")


def test_directory_keeps_its_choices_and_total_until_they_change(
    settings, logged_in_a, django_assert_num_queries
):
    settings.PAGE_CACHE = False  # the page drawn each time, from kept results
    metro, sector = MetroFactory(), SectorFactory()
    for _ in range(3):
        EntrepreneurFactory(metro=metro, sector=sector)
    _directory_queries(logged_in_a)
    # search path, session, user, the page: the metros, sectors and total are kept
    with django_assert_num_queries(4):
        logged_in_a.get("/network/?unaffiliated=on")
    MetroFactory(name="Zanzibar")  # the metros again
    with django_assert_num_queries(5):
        response = logged_in_a.get("/network/?unaffiliated=on")
    assert "Zanzibar" in response.content.decode()
    EntrepreneurFactory(metro=metro, sector=sector)  # the total again
    with django_assert_num_queries(5):
        response = logged_in_a.get("/network/?unaffiliated=on")
    assert "4 entrepreneurs" in response.content.decode()


def test_profile_page_query_count_is_constant(logged_in_a, django_assert_num_queries):
    entrepreneur = EntrepreneurFactory()
    logged_in_a.get("/network/")  # warm up: the host lookup is cached
    # search path, session, user (with roles and unread count), and the profile with its
    # user, metro, region, country and sector in one query
    with django_assert_num_queries(4):
        response = logged_in_a.get(f"/network/people/{entrepreneur.pk}/")
    assert entrepreneur.user.name in response.content.decode()


# --- Profiles ----------------------------------------------------------------------------------


def test_profile_page_shows_member_and_hides_private_ones(logged_in_a):
    visible = EntrepreneurFactory(user__name="Vera Visible", bio="Makes bread.")
    hidden = EntrepreneurFactory(visibility=Entrepreneur.Visibility.CHAPTERS)
    page = logged_in_a.get(f"/network/people/{visible.pk}/").content.decode()
    assert "Vera Visible" in page and "Makes bread." in page
    assert visible.user.email not in page  # members do not see each other's email
    assert logged_in_a.get(f"/network/people/{hidden.pk}/").status_code == 404
    assert logged_in_a.get("/network/people/999999/").status_code == 404


def test_opening_own_profile_creates_it(logged_in_a, member_a):
    assert not Entrepreneur.objects.filter(user=member_a).exists()
    response = logged_in_a.get("/network/profile/")
    assert response.status_code == 200
    assert Entrepreneur.objects.filter(user=member_a).count() == 1


def test_member_edits_profile_with_photo(logged_in_a, member_a):
    metro, sector = MetroFactory(name="Paris"), SectorFactory(name="Fintech")
    response = logged_in_a.post(
        "/network/profile/",
        {
            "company": "Ledgerline",
            "role": "CEO",
            "metro": metro.pk,
            "sector": sector.pk,
            "bio": "Payments.",
            "website": "ledgerline.example",
            "linkedin": "",
            "visibility": "chapters",
            "photo": _upload("me.png", png()),
        },
    )
    entrepreneur = Entrepreneur.objects.get(user=member_a)
    assert response.status_code == 302
    assert response["Location"] == f"/network/people/{entrepreneur.pk}/"
    assert (entrepreneur.company, entrepreneur.metro, entrepreneur.sector) == (
        "Ledgerline",
        metro,
        sector,
    )
    assert entrepreneur.visibility == "chapters"
    photo = logged_in_a.get(f"/network/people/{entrepreneur.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


def test_profile_form_shows_errors_and_saves_nothing(logged_in_a, member_a):
    response = logged_in_a.post(
        "/network/profile/",
        {"company": "Nope", "visibility": "network", "photo": _upload("x.png", b"not an image")},
    )
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()
    assert Entrepreneur.objects.get(user=member_a).company == ""


def test_photo_of_a_hidden_profile_is_not_served(logged_in_a, in_a):
    owner = UserFactory()
    entrepreneur = entrepreneur_ensure(user=owner)
    from network.services import entrepreneur_update

    entrepreneur_update(
        entrepreneur=entrepreneur,
        actor=owner,
        values={"visibility": "chapters"},
        photo=_upload("p.png", png()),
    )
    assert logged_in_a.get(f"/network/people/{entrepreneur.pk}/photo/").status_code == 404


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- Deactivation ------------------------------------------------------------------------------


def test_admin_deactivates_member_from_profile_page(admin_client_a, member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    page = admin_client_a.get(f"/network/people/{entrepreneur.pk}/").content.decode()
    assert "Deactivate member" in page and member_a.email in page

    response = admin_client_a.post(f"/network/people/{entrepreneur.pk}/deactivate/")
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.is_active is False
    assert (
        "deactivated" in admin_client_a.get(f"/network/people/{entrepreneur.pk}/").content.decode()
    )

    admin_client_a.post(f"/network/people/{entrepreneur.pk}/reactivate/")
    member_a.refresh_from_db()
    assert member_a.is_active is True


def test_member_cannot_deactivate(logged_in_a, in_a):
    other = EntrepreneurFactory()
    assert logged_in_a.post(f"/network/people/{other.pk}/deactivate/").status_code == 403
    other.user.refresh_from_db()
    assert other.user.is_active is True


def test_deactivated_member_disappears_from_directory_and_cannot_sign_in(
    admin_a, logged_in_a, client_a
):
    from network.services import entrepreneur_deactivate

    gone = EntrepreneurFactory(user__name="Gone Gary")
    entrepreneur_deactivate(entrepreneur=gone, actor=admin_a)
    assert "Gone Gary" not in logged_in_a.get("/network/").content.decode()
    assert logged_in_a.get(f"/network/people/{gone.pk}/").status_code == 404
    client_a.logout()
    refused = client_a.post(
        "/accounts/login/", {"login": gone.user.email, "password": "Correct-horse-2026"}
    )
    assert refused["Location"] == "/accounts/inactive/"
    assert "_auth_user_id" not in client_a.session


# --- Geography and sectors pages ---------------------------------------------------------------


def test_admin_adds_country_region_metro_through_pages(admin_client_a):
    response = admin_client_a.post("/network/admin/countries/", {"name": "Portugal", "code": "pt"})
    assert response.status_code == 302
    country = Country.objects.get(code="PT")
    admin_client_a.post("/network/admin/regions/", {"country": country.pk, "name": "Lisboa"})
    region = Region.objects.get(name="Lisboa")
    response = admin_client_a.post(
        "/network/admin/metros/",
        {"region": region.pk, "name": "Lisbon", "time_zone": "Europe/Lisbon"},
    )
    assert response.status_code == 302
    assert Metro.objects.get(name="Lisbon").time_zone == "Europe/Lisbon"
    page = admin_client_a.get("/network/admin/metros/").content.decode()
    assert "Lisbon" in page and "Europe/Lisbon" in page


def test_metro_form_refuses_unknown_time_zone(admin_client_a):
    region = RegionFactory()
    response = admin_client_a.post(
        "/network/admin/metros/", {"region": region.pk, "name": "Nowhere", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Metro.objects.filter(name="Nowhere").exists()


def test_duplicate_names_are_form_errors(admin_client_a):
    admin_client_a.post("/network/admin/sectors/", {"name": "Fintech"})
    response = admin_client_a.post("/network/admin/sectors/", {"name": "FINTECH"})
    assert response.status_code == 400
    assert "already a sector called" in response.content.decode()
    assert Sector.objects.count() == 1


def test_admin_renames_retires_and_deletes_sectors(admin_client_a):
    used = EntrepreneurFactory().sector
    unused = SectorFactory(name="Unused")
    response = admin_client_a.post(f"/network/admin/sectors/{used.pk}/", {"name": "Renamed"})
    assert response.status_code == 302
    assert Sector.objects.get(pk=used.pk).name == "Renamed"

    admin_client_a.post(f"/network/admin/sectors/{used.pk}/delete/")
    assert Sector.objects.filter(pk=used.pk).exists()  # in use: refused with a message
    admin_client_a.post(f"/network/admin/sectors/{used.pk}/retire/")
    assert Sector.objects.get(pk=used.pk).is_active is False
    admin_client_a.post(f"/network/admin/sectors/{unused.pk}/delete/")
    assert not Sector.objects.filter(pk=unused.pk).exists()
    assert admin_client_a.post(f"/network/admin/sectors/{used.pk}/explode/").status_code == 404


def test_members_cannot_post_to_admin_pages(logged_in_a):
    sector = SectorFactory()
    assert logged_in_a.post("/network/admin/sectors/", {"name": "X"}).status_code == 403
    assert logged_in_a.post(f"/network/admin/sectors/{sector.pk}/retire/").status_code == 403
    assert Sector.objects.get(pk=sector.pk).is_active is True
    assert not Sector.objects.filter(name="X").exists()


def test_retired_sector_is_not_offered_to_members(logged_in_a):
    SectorFactory(name="Old Trade", is_active=False)
    SectorFactory(name="New Trade")
    page = logged_in_a.get("/network/profile/").content.decode()
    assert "New Trade" in page and "Old Trade" not in page


# --- Isolation between organisations -----------------------------------------------------------


def test_profiles_of_one_organisation_are_not_found_on_another(member_a, org_b, client_b):
    alpha = EntrepreneurFactory(user__name="Alpha Only Anna")
    with schema_context(org_b.schema_name):
        client_b.force_login(UserFactory(email="member@beta.test"))
    assert "Alpha Only Anna" not in client_b.get("/network/").content.decode()
    assert client_b.get(f"/network/people/{alpha.pk}/").status_code == 404
    with schema_context(org_b.schema_name):
        assert not Entrepreneur.objects.exists()
