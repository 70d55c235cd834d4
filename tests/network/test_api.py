"""The network's API: metros, sectors, the directory and one's own profile."""

import pytest
from django_tenants.utils import schema_context

from network.models import Entrepreneur, Metro, Sector
from network.services import entrepreneur_ensure
from tests.factories import UserFactory

from .factories import EntrepreneurFactory, MetroFactory, RegionFactory, SectorFactory
from .test_services import png


@pytest.mark.parametrize(
    "path",
    ["/api/v1/metros/", "/api/v1/sectors/", "/api/v1/entrepreneurs/", "/api/v1/entrepreneurs/me/"],
)
def test_anonymous_gets_401(client_a, path):
    response = client_a.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_members_read_metros_and_sectors_in_use(logged_in_a):
    metro = MetroFactory(name="Paris", time_zone="Europe/Paris")
    SectorFactory(name="Fintech")
    SectorFactory(name="Typewriters", is_active=False)
    metros = logged_in_a.get("/api/v1/metros/").json()
    assert metros["count"] == 1
    assert metros["results"][0] == {
        "id": metro.pk,
        "name": "Paris",
        "time_zone": "Europe/Paris",
        "region": {"id": metro.region_id, "name": metro.region.name},
        "country": {
            "id": metro.region.country_id,
            "name": metro.region.country.name,
            "code": metro.region.country.code,
        },
    }
    names = [sector["name"] for sector in logged_in_a.get("/api/v1/sectors/").json()["results"]]
    assert names == ["Fintech"]


def test_members_cannot_write_metros_or_sectors(logged_in_a):
    region = RegionFactory()
    sector = SectorFactory()
    response = logged_in_a.post(
        "/api/v1/metros/",
        {"region": region.pk, "name": "Lisbon", "time_zone": "Europe/Lisbon"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    patch = logged_in_a.patch(
        f"/api/v1/sectors/{sector.pk}/", {"is_active": False}, content_type="application/json"
    )
    assert patch.status_code == 403
    assert logged_in_a.delete(f"/api/v1/sectors/{sector.pk}/").status_code == 403
    assert not Metro.objects.exists()
    assert Sector.objects.get(pk=sector.pk).is_active is True


def test_admin_writes_metros_and_sectors(admin_client_a):
    region = RegionFactory()
    created = admin_client_a.post(
        "/api/v1/metros/",
        {"region": region.pk, "name": "Lisbon", "time_zone": "Europe/Lisbon"},
        content_type="application/json",
    )
    assert created.status_code == 201
    metro_id = created.json()["id"]
    patched = admin_client_a.patch(
        f"/api/v1/metros/{metro_id}/",
        {"time_zone": "Atlantic/Azores"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert Metro.objects.get(pk=metro_id).time_zone == "Atlantic/Azores"

    bad = admin_client_a.patch(
        f"/api/v1/metros/{metro_id}/", {"time_zone": "Mars/Base"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"time_zone": ["“Mars/Base” is not an IANA time zone."]}

    sector = admin_client_a.post(
        "/api/v1/sectors/", {"name": "Agritech"}, content_type="application/json"
    ).json()
    retired = admin_client_a.patch(
        f"/api/v1/sectors/{sector['id']}/", {"is_active": False}, content_type="application/json"
    )
    assert retired.json() == {
        "id": sector["id"],
        "name": "Agritech",
        "description": "",
        "is_active": False,
    }
    # Admins still see retired sectors.
    assert "Agritech" in [
        s["name"] for s in admin_client_a.get("/api/v1/sectors/").json()["results"]
    ]
    assert admin_client_a.delete(f"/api/v1/sectors/{sector['id']}/").status_code == 204


def test_deleting_sector_in_use_is_a_conflict(admin_client_a):
    sector = EntrepreneurFactory().sector
    response = admin_client_a.delete(f"/api/v1/sectors/{sector.pk}/")
    assert response.status_code == 409
    assert "retire it instead" in response.json()["error"]["message"]


def test_directory_api_applies_visibility_filters_and_pagination(logged_in_a):
    paris = MetroFactory(name="Paris")
    EntrepreneurFactory(user__name="Pia Paris", metro=paris, company="Croissant Lab")
    EntrepreneurFactory(
        user__name="Hugo Hidden", metro=paris, visibility=Entrepreneur.Visibility.CHAPTERS
    )
    EntrepreneurFactory(user__name="Lou Lyon", active_chapter_count=1)

    everyone = logged_in_a.get("/api/v1/entrepreneurs/").json()
    assert [e["name"] for e in everyone["results"]] == ["Lou Lyon", "Pia Paris"]
    assert everyone["results"][1]["email"] is None  # other members' emails are not shown
    assert logged_in_a.get(f"/api/v1/entrepreneurs/?metro={paris.pk}").json()["count"] == 1
    assert (
        logged_in_a.get("/api/v1/entrepreneurs/?q=croissant").json()["results"][0]["name"]
        == "Pia Paris"
    )
    assert logged_in_a.get("/api/v1/entrepreneurs/?unaffiliated=true").json()["count"] == 1
    for _ in range(30):
        EntrepreneurFactory()
    page = logged_in_a.get("/api/v1/entrepreneurs/").json()
    assert (page["count"], len(page["results"])) == (32, 25)


def test_directory_api_query_count_is_constant(logged_in_a, django_assert_num_queries):
    for _ in range(5):
        EntrepreneurFactory()
    logged_in_a.get("/api/v1/entrepreneurs/")
    for _ in range(25):
        EntrepreneurFactory()
    # search path, session, user (with roles), count, page; the host lookup is cached
    with django_assert_num_queries(5):
        response = logged_in_a.get("/api/v1/entrepreneurs/")
    assert len(response.json()["results"]) == 25


def test_hidden_profile_is_404_in_the_api(logged_in_a):
    hidden = EntrepreneurFactory(visibility=Entrepreneur.Visibility.CHAPTERS)
    response = logged_in_a.get(f"/api/v1/entrepreneurs/{hidden.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_me_reads_and_patches_own_profile(logged_in_a, member_a):
    metro, sector = MetroFactory(), SectorFactory()
    me = logged_in_a.get("/api/v1/entrepreneurs/me/").json()
    assert (me["email"], me["company"], me["visibility"]) == (member_a.email, "", "network")

    patched = logged_in_a.patch(
        "/api/v1/entrepreneurs/me/",
        {"company": "Ledgerline", "metro": metro.pk, "sector": sector.pk, "visibility": "chapters"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    body = patched.json()
    assert body["metro"] == {"id": metro.pk, "name": metro.name}
    assert (body["company"], body["visibility"]) == ("Ledgerline", "chapters")

    bad = logged_in_a.patch(
        "/api/v1/entrepreneurs/me/", {"website": "not a url"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"website": ["Enter a valid website address."]}
    assert Entrepreneur.objects.get(user=member_a).website == ""


def test_me_uploads_photo_with_multipart(logged_in_a, member_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, {"photo": SimpleUploadedFile("me.png", png())})
    response = logged_in_a.generic(
        "PATCH", "/api/v1/entrepreneurs/me/", body, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 200, response.content
    assert response.json()["photo_url"].endswith(f"/network/people/{response.json()['id']}/photo/")
    assert Entrepreneur.objects.get(user=member_a).photo


def test_entrepreneurs_of_one_organisation_are_not_visible_on_another(in_a, org_b, client_b):
    alpha = entrepreneur_ensure(user=UserFactory(name="Alpha Only Anna"))
    with schema_context(org_b.schema_name):
        client_b.force_login(UserFactory(email="member@beta.test"))
    listed = client_b.get("/api/v1/entrepreneurs/").json()
    assert "Alpha Only Anna" not in [e["name"] for e in listed["results"]]
    assert client_b.get(f"/api/v1/entrepreneurs/{alpha.pk}/").status_code == 404
    assert client_b.get("/api/v1/metros/").json()["count"] == 0


def test_schema_documents_the_network_endpoints(logged_in_a):
    schema = logged_in_a.get("/api/schema/").content.decode()
    for path in ("/api/v1/metros/", "/api/v1/sectors/{id}/", "/api/v1/entrepreneurs/me/"):
        assert path in schema
