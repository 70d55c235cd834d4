"""The UI shell: public pages, the organisation's pages, error pages, query counts."""

from core.services import api_token_create


def test_public_landing_and_start_form(public_client):
    landing = public_client.get("/")
    assert landing.status_code == 200
    assert "Start a network" in landing.content.decode()
    start = public_client.get("/start/")
    assert start.status_code == 200
    assert 'name="slug"' in start.content.decode()


def test_organisation_landing_for_visitors(client_a):
    page = client_a.get("/").content.decode()
    assert "Alpha Network" in page and "/accounts/login/" in page


def test_home_for_members(pages_drawn, logged_in_a, django_assert_num_queries):
    logged_in_a.get("/")  # warm up: the connection's search path is now the organisation's
    # 3 for any page (search path, session, user with roles and unread count; the host lookup
    # is cached) and 7 for the parts of the role-aware home a member without a profile or a
    # chapter sees (tests/test_home.py pins every role's count with data)
    with django_assert_num_queries(10):
        response = logged_in_a.get("/")
    assert response.status_code == 200
    assert "Hello, Mia" in response.content.decode()


def test_account_page_query_count_does_not_grow_with_tokens(
    logged_in_a, member_a, django_assert_num_queries
):
    api_token_create(user=member_a, name="one")
    logged_in_a.get("/account/")
    # search path, session, user (with roles and unread count), tokens
    with django_assert_num_queries(4) as one_token:
        logged_in_a.get("/account/")
    for index in range(5):
        api_token_create(user=member_a, name=f"more {index}")
    with django_assert_num_queries(len(one_token.captured_queries)):
        logged_in_a.get("/account/")


def test_tokens_from_the_account_page(logged_in_a, member_a):
    made = logged_in_a.post("/account/tokens/", {"name": "from the page"}, HTTP_HX_REQUEST="true")
    assert made.status_code == 200
    page = made.content.decode()
    assert "it will not be shown again" in page
    token = member_a.api_tokens.get()
    revoked = logged_in_a.post(f"/account/tokens/{token.pk}/revoke/", HTTP_HX_REQUEST="true")
    assert "revoked" in revoked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_form_errors_are_shown(logged_in_a, member_a):
    response = logged_in_a.post("/account/tokens/", {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not member_a.api_tokens.exists()


def test_not_found_page_is_the_product_page(client_a):
    response = client_a.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_static_assets_are_served_locally(client_a):
    page = client_a.get("/accounts/login/").content.decode()
    assert "/static/css/app.css" in page and "/static/htmx/htmx.min.js" in page
    assert "http" not in page.split("<script", 1)[1].split(">", 1)[0]


def test_security_headers_forbid_inline_script(client_a):
    response = client_a.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_api_docs_use_no_inline_script(client_a):
    page = client_a.get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")


def test_language_follows_the_member_profile(logged_in_a, member_a):
    response = logged_in_a.post("/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.language == "fr"
    page = logged_in_a.get("/")
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr">' in page.content.decode()


def test_operators_admin_on_the_public_host_hides_organisation_models(db):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    connection.set_schema_to_public()
    operator = get_user_model().objects.create_superuser(email="op@platform.test", password="x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "Organisations" in index.content.decode()
    assert "/admin/governance/" not in index.content.decode()
    assert client.get("/admin/governance/governancesettings/").status_code == 403
    assert client.get("/admin/tenants/organization/").status_code == 200
