"""The API platform: auth by session and personal tokens, one error format, schema and docs."""

import yaml

from core.models import ApiToken
from core.services import api_token_create


def test_me_requires_authentication_with_the_common_error_format(client_a):
    response = client_a.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "status": 401,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
        }
    }


def test_me_with_a_session(logged_in_a, member_a):
    body = logged_in_a.get("/api/v1/me/").json()
    assert body["email"] == member_a.email
    assert body["organization"] == {"name": "Alpha Network", "slug": "alpha"}
    assert body["roles"] == []


def test_me_patch_validates(logged_in_a, member_a):
    response = logged_in_a.patch("/api/v1/me/", {"name": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["name"]
    ok = logged_in_a.patch("/api/v1/me/", {"name": "Renamed"}, content_type="application/json")
    assert ok.status_code == 200
    member_a.refresh_from_db()
    assert member_a.name == "Renamed"


def test_tokens_are_shown_once_and_stored_hashed(logged_in_a, member_a, client_a):
    created = logged_in_a.post(
        "/api/v1/tokens/", {"name": "reporting"}, content_type="application/json"
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("cmn_")
    stored = ApiToken.objects.get(user=member_a)
    assert key not in (stored.key_hash, stored.prefix)
    listed = logged_in_a.get("/api/v1/tokens/").json()
    assert listed["count"] == 1 and "key" not in listed["results"][0]

    client_a.logout()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client_a.get("/api/v1/me/", **bearer).json()["email"] == member_a.email


def test_revoked_token_is_refused(client_a, member_a):
    token, key = api_token_create(user=member_a, name="old")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client_a.get("/api/v1/me/", **bearer).status_code == 200
    assert client_a.delete(f"/api/v1/tokens/{token.pk}/", **bearer).status_code == 200
    refused = client_a.get("/api/v1/me/", **bearer)
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "Invalid or revoked API token."


def test_another_users_token_cannot_be_revoked(client_a, member_a, in_a):
    from tests.factories import UserFactory

    other = UserFactory()
    token, _ = api_token_create(user=other, name="theirs")
    _, key = api_token_create(user=member_a, name="mine")
    response = client_a.delete(f"/api/v1/tokens/{token.pk}/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_malformed_authorization_header(client_a):
    response = client_a.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer two words")
    assert response.status_code == 401
    assert "Malformed" in response.json()["error"]["message"]


def test_token_name_is_required(logged_in_a):
    response = logged_in_a.post("/api/v1/tokens/", {"name": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["name"]


def test_schema_and_docs(client_a):
    schema = client_a.get("/api/schema/")
    assert schema.status_code == 200
    document = yaml.safe_load(schema.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me/" in document["paths"]
    docs = client_a.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_unknown_api_path_answers_in_the_api_error_format(client_a):
    response = client_a.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Not found."}
    }
