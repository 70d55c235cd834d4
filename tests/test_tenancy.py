"""Two organisations never see each other: hosts, accounts, sessions, data, cache, tokens."""

from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from core.models import Notification
from core.services import api_token_create, notification_create
from tests.factories import PASSWORD, UserFactory


def test_unknown_host_is_404(db):
    from django.test import Client

    response = Client(HTTP_HOST="nobody.localhost").get("/")
    assert response.status_code == 404


def test_each_host_serves_its_own_organisation(client_a, client_b):
    assert "Alpha Network" in client_a.get("/").content.decode()
    assert "Beta Network" in client_b.get("/").content.decode()


def test_account_of_one_organisation_cannot_log_in_on_another(client_a, client_b, member_a):
    credentials = {"login": member_a.email, "password": PASSWORD}

    refused = client_b.post("/accounts/login/", credentials)
    assert refused.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client_b.session

    accepted = client_a.post("/accounts/login/", credentials)
    assert accepted.status_code == 302
    assert client_a.get("/api/v1/me/").json()["email"] == member_a.email


def test_session_of_one_organisation_is_refused_on_another(logged_in_a, org_b):
    assert logged_in_a.get("/api/v1/me/").status_code == 200
    # The test client sends every cookie to every host, as a cookie-stealing attacker would.
    stolen = logged_in_a.get("/api/v1/me/", HTTP_HOST="beta.localhost")
    assert stolen.status_code == 401
    assert stolen.json()["error"]["code"] == "not_authenticated"


def test_data_made_in_one_organisation_is_invisible_in_another(logged_in_a, member_a, org_b):
    notification_create(user=member_a, title="Alpha-only news")
    assert "Alpha-only news" in logged_in_a.get("/notifications/").content.decode()

    with schema_context(org_b.schema_name):
        assert not Notification.objects.filter(title="Alpha-only news").exists()
        twin = UserFactory(email=member_a.email)  # same email, different organisation
        assert twin.pk is not None
    with schema_context(org_b.schema_name):
        from django.test import Client

        client = Client(HTTP_HOST="beta.localhost")
        client.force_login(twin)
        assert "Alpha-only news" not in client.get("/notifications/").content.decode()


def test_api_token_of_one_organisation_is_refused_on_another(client_a, client_b, member_a):
    _, key = api_token_create(user=member_a, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client_a.get("/api/v1/me/", **auth).status_code == 200
    refused = client_b.get("/api/v1/me/", **auth)
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "Invalid or revoked API token."


def test_cache_keys_are_per_organisation(org_a, org_b):
    connection.set_tenant(org_a)
    cache.set("greeting", "alpha", 30)
    connection.set_tenant(org_b)
    assert cache.get("greeting") is None
    cache.set("greeting", "beta", 30)
    connection.set_tenant(org_a)
    assert cache.get("greeting") == "alpha"
    cache.delete("greeting")
    connection.set_tenant(org_b)
    cache.delete("greeting")
