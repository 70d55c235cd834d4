"""Creating and deleting organisations: the service, the commands and the public sign-up."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from core.errors import ApplicationError
from tenants.models import Domain, Organization
from tenants.services import organization_create, organization_delete

SIGNUP = {
    "name": "Gamma Guild",
    "slug": "gamma-guild",
    "admin_name": "Grace Gamma",
    "admin_email": "grace@gamma.example",
    "admin_password": "Sturdy-passphrase-42",
    "admin_password_confirm": "Sturdy-passphrase-42",
    "accept": "on",
}


def test_create_makes_schema_domain_and_admin(db):
    assert not schema_exists("delta")
    organization = organization_create(
        slug="delta",
        name="Delta",
        admin_email="Dee@Delta.example",
        admin_password="Sturdy-pass-42!",
    )
    assert schema_exists("delta")
    assert Domain.objects.get(tenant=organization).domain == "delta.localhost"
    with schema_context("delta"):
        admin = get_user_model().objects.get()
        assert admin.email == "dee@delta.example"
        assert admin.roles.filter(role="organization_admin").exists()
        assert admin.check_password("Sturdy-pass-42!")


def test_create_refuses_duplicate_and_reserved_and_malformed_slugs(org_a):
    for slug, message in [
        ("alpha", "already taken"),
        ("www", "reserved"),
        ("admin", "reserved"),
        ("api", "reserved"),
        ("public", "reserved"),
        ("static", "reserved"),
        ("UPPER case", "lower-case"),
        ("a", "lower-case"),
        ("-dash", "lower-case"),
        ("dash-", "lower-case"),
        ("dou--ble", "single hyphens"),
    ]:
        with pytest.raises(ApplicationError, match=message):
            organization_create(slug=slug, name="X")
    assert Organization.objects.count() == 3  # public, alpha, beta


def test_create_with_a_weak_admin_password_makes_nothing(db):
    with pytest.raises(ApplicationError, match=r"too common|too short"):
        organization_create(
            slug="weak", name="Weak", admin_email="a@weak.example", admin_password="password"
        )
    assert not Organization.objects.filter(slug="weak").exists()
    assert not schema_exists("weak")


def test_delete_drops_the_schema(db):
    organization = organization_create(slug="short-lived", name="Short-lived")
    assert schema_exists("short_lived")
    organization_delete(organization=organization)
    assert not schema_exists("short_lived")
    assert not Organization.objects.filter(slug="short-lived").exists()
    assert not Domain.objects.filter(domain="short-lived.localhost").exists()


def test_commands_create_and_delete(db, capsys):
    call_command(
        "create_organization",
        slug="epsilon",
        name="Epsilon",
        admin_email="e@epsilon.example",
        admin_password="Sturdy-pass-42!",
    )
    output = capsys.readouterr().out
    assert re.search(
        r"Created Epsilon on epsilon\.localhost \(schema epsilon\) in \d+\.\d\d s", output
    )

    with pytest.raises(CommandError, match="already taken"):
        call_command("create_organization", slug="epsilon", name="Again")
    with pytest.raises(CommandError, match="--yes"):
        call_command("delete_organization", slug="epsilon")
    assert schema_exists("epsilon")
    call_command("delete_organization", slug="epsilon", yes=True)
    assert not schema_exists("epsilon")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("delete_organization", slug="epsilon", yes=True)


def test_public_sign_up_creates_the_network_and_signs_the_admin_in_on_its_host(public_client):
    response = public_client.post("/start/", SIGNUP)
    assert response.status_code == 302
    match = re.fullmatch(
        r"http://gamma-guild\.localhost/welcome/(?P<token>[^/]+)/", response["Location"]
    )
    assert match, response["Location"]

    from django.test import Client

    on_its_host = Client(HTTP_HOST="gamma-guild.localhost")
    welcomed = on_its_host.get(f"/welcome/{match['token']}/")
    assert welcomed.status_code == 302
    assert on_its_host.get("/api/v1/me/").json()["email"] == "grace@gamma.example"
    # the link works once
    assert (
        Client(HTTP_HOST="gamma-guild.localhost").get(f"/welcome/{match['token']}/").status_code
        == 404
    )
    # and only on its own organisation
    assert Client(HTTP_HOST="alpha.localhost").get(f"/welcome/{match['token']}/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"slug": "alpha"}, "slug", "already taken"),
        ({"slug": "www"}, "slug", "reserved"),
        ({"slug": "no spaces"}, "slug", "lower-case"),
        ({"admin_email": "not-an-email"}, "admin_email", "valid email"),
        ({"admin_password_confirm": "different"}, "admin_password_confirm", "differ"),
        ({"admin_password": "123", "admin_password_confirm": "123"}, "admin_password", "too short"),
        ({"name": ""}, "name", "required"),
        ({"accept": ""}, "accept", "required"),
    ],
)
def test_public_sign_up_with_bad_input_explains_and_makes_nothing(
    public_client, org_a, change, field, message
):
    before = Organization.objects.count()
    response = public_client.post("/start/", SIGNUP | change)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert Organization.objects.count() == before
    assert not schema_exists("gamma_guild")


def test_public_sign_up_is_rate_limited(public_client, settings):
    settings.SIGNUP_RATE_LIMIT_PER_HOUR = 2
    from django.core.cache import cache

    connection.set_schema_to_public()
    cache.delete("signup-attempts:127.0.0.1")
    bad = SIGNUP | {"slug": "www"}
    assert public_client.post("/start/", bad).status_code == 400
    assert public_client.post("/start/", bad).status_code == 400
    limited = public_client.post("/start/", SIGNUP)
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert not Organization.objects.filter(slug="gamma-guild").exists()
    cache.delete("signup-attempts:127.0.0.1")


def test_suspended_organisation_is_closed_but_answers_health(org_a, client_a):
    from tenants.services import organization_set_status

    organization_set_status(organization=org_a, status="suspended")
    assert client_a.get("/").status_code == 403
    assert "suspended" in client_a.get("/").content.decode()
    assert client_a.get("/health/").status_code in (200, 503)
    organization_set_status(organization=org_a, status="active")
    assert client_a.get("/").status_code == 200
