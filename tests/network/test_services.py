"""Services of the network: geography, sectors, profiles, deactivation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import Conflict, PermissionDenied
from core.models import AuditEntry
from network.errors import NetworkError
from network.models import Country, Entrepreneur, Metro, Sector
from network.services import (
    country_create,
    country_update,
    entrepreneur_deactivate,
    entrepreneur_ensure,
    entrepreneur_reactivate,
    entrepreneur_update,
    metro_create,
    metro_update,
    region_create,
    sector_create,
    sector_delete,
    sector_retire,
    sector_update,
)
from tests.factories import UserFactory

from .factories import EntrepreneurFactory, MetroFactory, RegionFactory, SectorFactory


def png(size=(40, 40), image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (15, 107, 92)).save(buffer, format=image_format)
    return buffer.getvalue()


# --- Geography ---------------------------------------------------------------------------------


def test_admin_builds_country_region_metro(admin_a):
    country = country_create(actor=admin_a, name="  France ", code="fr")
    region = region_create(actor=admin_a, country=country, name="Île-de-France")
    metro = metro_create(actor=admin_a, region=region, name="Paris", time_zone="Europe/Paris")

    assert (country.name, country.code) == ("France", "FR")
    assert Metro.objects.get(pk=metro.pk).region.country == country
    assert str(metro.tzinfo) == "Europe/Paris"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"network.country.create", "network.region.create", "network.metro.create"} <= actions


def test_metro_time_zone_must_be_iana(admin_a):
    region = RegionFactory()
    with pytest.raises(NetworkError) as error:
        metro_create(actor=admin_a, region=region, name="Atlantis", time_zone="Europe/Atlantis")
    assert error.value.field == "time_zone"
    assert "IANA" in error.value.message
    assert not Metro.objects.filter(name="Atlantis").exists()


def test_metro_update_changes_zone_and_refuses_duplicate_in_region(admin_a):
    region = RegionFactory()
    MetroFactory(region=region, name="Lyon")
    metro = MetroFactory(region=region, name="Paris")
    metro_update(metro=metro, actor=admin_a, region=region, name="Paris", time_zone="UTC")
    assert Metro.objects.get(pk=metro.pk).time_zone == "UTC"

    with pytest.raises(Conflict, match="already has a metro called “lyon”"):
        metro_update(metro=metro, actor=admin_a, region=region, name="lyon", time_zone="UTC")
    assert Metro.objects.get(pk=metro.pk).name == "Paris"


def test_country_names_and_codes_are_unique(admin_a):
    country_create(actor=admin_a, name="France", code="FR")
    with pytest.raises(Conflict, match="already a country"):
        country_create(actor=admin_a, name="FRANCE", code="FX")
    with pytest.raises(Conflict, match="code FR"):
        country_create(actor=admin_a, name="Frankreich", code="fr")
    with pytest.raises(NetworkError, match="two-letter"):
        country_create(actor=admin_a, name="Germany", code="DEU")
    assert Country.objects.count() == 1


def test_country_update_is_audited_with_changes(admin_a):
    country = country_create(actor=admin_a, name="Frace", code="FR")
    country_update(country=country, actor=admin_a, name="France", code="FR")
    entry = AuditEntry.objects.get(action="network.country.update")
    assert entry.data == {"name": ["Frace", "France"]}


def test_members_cannot_edit_geography(member_a):
    with pytest.raises(PermissionDenied):
        country_create(actor=member_a, name="France", code="FR")
    with pytest.raises(PermissionDenied):
        sector_create(actor=member_a, name="Fintech")
    assert not Sector.objects.exists()


# --- Sectors -----------------------------------------------------------------------------------


def test_sector_rename_keeps_members(admin_a):
    entrepreneur = EntrepreneurFactory()
    sector = entrepreneur.sector
    sector_update(sector=sector, actor=admin_a, name="Financial technology", description="")
    entrepreneur.refresh_from_db()
    assert entrepreneur.sector.name == "Financial technology"


def test_sector_in_use_is_retired_not_deleted(admin_a):
    entrepreneur = EntrepreneurFactory()
    sector = entrepreneur.sector
    with pytest.raises(Conflict, match="retire it instead"):
        sector_delete(sector=sector, actor=admin_a)
    assert Sector.objects.filter(pk=sector.pk).exists()

    sector_retire(sector=sector, actor=admin_a)
    sector.refresh_from_db()
    entrepreneur.refresh_from_db()
    assert sector.is_active is False
    assert entrepreneur.sector_id == sector.pk


def test_unused_sector_can_be_deleted(admin_a):
    sector = SectorFactory()
    sector_delete(sector=sector, actor=admin_a)
    assert not Sector.objects.filter(pk=sector.pk).exists()
    assert AuditEntry.objects.filter(action="network.sector.delete").exists()


def test_sector_update_can_retire_and_reactivate(admin_a):
    sector = SectorFactory(name="Retail")
    sector_update(sector=sector, actor=admin_a, name="Retail", is_active=False)
    assert Sector.objects.get(pk=sector.pk).is_active is False
    sector_update(sector=sector, actor=admin_a, name="Retail", is_active=True)
    assert Sector.objects.get(pk=sector.pk).is_active is True


# --- Profiles ----------------------------------------------------------------------------------


def test_entrepreneur_ensure_is_idempotent(member_a):
    assert not Entrepreneur.objects.filter(user=member_a).exists()
    first = entrepreneur_ensure(user=member_a)
    second = entrepreneur_ensure(user=member_a)
    assert first.pk == second.pk
    assert Entrepreneur.objects.filter(user=member_a).count() == 1
    assert first.visibility == Entrepreneur.Visibility.NETWORK


def test_owner_edits_profile(member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    metro, sector = MetroFactory(), SectorFactory()
    entrepreneur_update(
        entrepreneur=entrepreneur,
        actor=member_a,
        values={
            "company": " Ledger  Line ",
            "role": "CEO",
            "metro": metro,
            "sector": sector,
            "bio": "Payments for bakeries.",
            "website": "ledgerline.example",
            "linkedin": "https://www.linkedin.com/in/mia",
            "visibility": "chapters",
        },
    )
    entrepreneur.refresh_from_db()
    assert entrepreneur.company == "Ledger Line"
    assert entrepreneur.website == "https://ledgerline.example"
    assert (entrepreneur.metro, entrepreneur.sector) == (metro, sector)
    assert entrepreneur.visibility == "chapters"
    entry = AuditEntry.objects.get(action="network.entrepreneur.update")
    assert "bio" in entry.data["fields"]
    assert "Payments" not in str(entry.data)


def test_nobody_else_edits_a_profile(member_a, admin_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    with pytest.raises(PermissionDenied):
        entrepreneur_update(entrepreneur=entrepreneur, actor=admin_a, values={"company": "X"})
    entrepreneur.refresh_from_db()
    assert entrepreneur.company == ""


def test_profile_refuses_retired_sector_bad_url_and_bad_visibility(member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    retired = SectorFactory(is_active=False)
    for values, field in [
        ({"sector": retired}, "sector"),
        ({"website": "http://"}, "website"),
        ({"linkedin": "javascript:alert(1)"}, "linkedin"),
        ({"visibility": "everyone"}, "visibility"),
        ({"company": "x" * 151}, "company"),
    ]:
        with pytest.raises(NetworkError) as error:
            entrepreneur_update(entrepreneur=entrepreneur, actor=member_a, values=values)
        assert error.value.field == field
    entrepreneur.refresh_from_db()
    assert entrepreneur.sector is None and entrepreneur.website == ""


def test_member_keeps_a_sector_retired_after_they_chose_it(member_a, admin_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    sector = SectorFactory()
    entrepreneur_update(entrepreneur=entrepreneur, actor=member_a, values={"sector": sector})
    sector_retire(sector=sector, actor=admin_a)
    sector.refresh_from_db()
    entrepreneur_update(
        entrepreneur=entrepreneur, actor=member_a, values={"sector": sector, "company": "Still"}
    )
    entrepreneur.refresh_from_db()
    assert (entrepreneur.sector_id, entrepreneur.company) == (sector.pk, "Still")


def test_photo_is_validated_and_replaced(member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    entrepreneur_update(
        entrepreneur=entrepreneur,
        actor=member_a,
        values={},
        photo=SimpleUploadedFile("me.png", png(), content_type="image/png"),
    )
    entrepreneur.refresh_from_db()
    first = entrepreneur.photo.name
    assert first.startswith("photos/") and first.endswith(".png")

    with pytest.raises(NetworkError, match="not an image"):
        entrepreneur_update(
            entrepreneur=entrepreneur,
            actor=member_a,
            values={},
            photo=SimpleUploadedFile("me.png", b"<svg></svg>", content_type="image/png"),
        )
    with pytest.raises(NetworkError, match="BMP images are not accepted"):
        entrepreneur_update(
            entrepreneur=entrepreneur,
            actor=member_a,
            values={},
            photo=SimpleUploadedFile("me.bmp", png(image_format="BMP")),
        )
    entrepreneur.refresh_from_db()
    assert entrepreneur.photo.name == first


def test_photo_larger_than_two_megabytes_is_refused(member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    big = SimpleUploadedFile("big.png", png() + b"\0" * (2 * 1024 * 1024))
    with pytest.raises(NetworkError, match="larger than 2 MB"):
        entrepreneur_update(entrepreneur=entrepreneur, actor=member_a, values={}, photo=big)


def test_admin_deactivates_and_reactivates_member(admin_a, member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    entrepreneur_deactivate(entrepreneur=entrepreneur, actor=admin_a)
    member_a.refresh_from_db()
    entrepreneur.refresh_from_db()
    assert member_a.is_active is False
    assert entrepreneur.is_active is False and entrepreneur.deactivated_at is not None
    assert Entrepreneur.objects.filter(pk=entrepreneur.pk).exists()

    entrepreneur_reactivate(entrepreneur=entrepreneur, actor=admin_a)
    member_a.refresh_from_db()
    entrepreneur.refresh_from_db()
    assert member_a.is_active is True
    assert entrepreneur.is_active is True and entrepreneur.deactivated_at is None
    actions = list(AuditEntry.objects.order_by("created").values_list("action", flat=True))
    assert actions[-2:] == ["network.entrepreneur.deactivate", "network.entrepreneur.reactivate"]


def test_deactivation_needs_an_admin_and_not_oneself(admin_a, member_a):
    entrepreneur = entrepreneur_ensure(user=member_a)
    other = entrepreneur_ensure(user=UserFactory())
    with pytest.raises(PermissionDenied):
        entrepreneur_deactivate(entrepreneur=other, actor=member_a)
    with pytest.raises(NetworkError, match="your own account"):
        entrepreneur_deactivate(entrepreneur=entrepreneur_ensure(user=admin_a), actor=admin_a)
    other.refresh_from_db()
    assert other.is_active and entrepreneur.is_active
