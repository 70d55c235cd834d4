"""The platform's app-template catalogue (public schema) and adopting a template."""

from decimal import Decimal

from apps_marketplace.models import App, SponsorshipPackage
from tenants.app_templates import CATALOGUE, app_templates_seed


def test_public_catalogue_lists_the_platform_templates(public_client):
    page = public_client.get("/apps/").content.decode()
    for name in (
        "First Tuesday",
        "Startup Weekend",
        "Pitch Night",
        "VC Breakfast",
        "Business-Plan Competition",
        "Seedcamp",
        "Founders&#x27; Office Hours",
        "Demo Day",
    ):
        assert name in page


def test_seeding_the_catalogue_is_idempotent(db):
    from django_tenants.utils import schema_context

    with schema_context("public"):
        assert app_templates_seed() == 0
        from tenants.models import AppTemplate

        assert AppTemplate.objects.count() == len(CATALOGUE)


def test_admin_adopts_a_template_for_a_provider(client_a, admin, provider):
    client_a.force_login(admin)
    assert client_a.get("/marketplace/templates/").status_code == 200
    response = client_a.post(
        "/marketplace/templates/startup-weekend/adopt/",
        {
            "name": "Startup Weekend Lyon",
            "default_price": "49.00",
            "currency": "EUR",
            "provider": provider.pk,
            "include_packages": "on",
        },
    )
    app = App.objects.get(name="Startup Weekend Lyon")
    assert response.status_code == 302
    assert (app.provider, app.status, app.template_key) == (provider, "approved", "startup-weekend")
    assert app.default_price == Decimal("49.00")
    assert SponsorshipPackage.objects.filter(app=app).count() == 3


def test_provider_adopts_for_themselves_and_waits_for_approval(client_a, provider):
    client_a.force_login(provider)
    client_a.post(
        "/marketplace/templates/pitch-night/adopt/",
        {"name": "Our Pitch Night", "default_price": "5", "currency": "GBP"},
    )
    app = App.objects.get(name="Our Pitch Night")
    assert (app.provider, app.status, app.currency) == (provider, "pending", "GBP")
    assert not SponsorshipPackage.objects.filter(app=app).exists()


def test_members_cannot_adopt(client_a, member_a):
    client_a.force_login(member_a)
    assert client_a.get("/marketplace/templates/").status_code == 403
    assert (
        client_a.post(
            "/marketplace/templates/pitch-night/adopt/",
            {"name": "X", "default_price": "5", "currency": "EUR"},
        ).status_code
        == 403
    )
    assert client_a.get("/marketplace/templates/no-such-template/adopt/").status_code == 403


def test_unknown_template_is_404(client_a, admin):
    client_a.force_login(admin)
    assert client_a.get("/marketplace/templates/no-such-template/adopt/").status_code == 404
