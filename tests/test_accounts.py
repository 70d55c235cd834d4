"""Accounts per organisation: sign-up, verification and reset links on the organisation's own
host, login throttling, two-factor, the account page."""

import os
import re
import subprocess
import sys

from django.core import mail

from tests.factories import PASSWORD, UserFactory


def _links(message) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", message.body)


def test_sign_up_sends_verification_link_on_the_organisation_host(
    client_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/accounts/signup/",
            {"email": "new@alpha.example", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    links = _links(mail.outbox[0])
    assert links and all(link.startswith("http://alpha.localhost/accounts/") for link in links)


def test_sign_up_is_closed_on_the_public_site(public_client):
    assert public_client.get("/accounts/signup/").status_code == 404


def test_password_reset_link_uses_the_organisation_host(
    client_a, member_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post("/accounts/password/reset/", {"email": member_a.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    (link,) = [link for link in _links(message) if "/password/reset/key/" in link]
    assert link.startswith("http://alpha.localhost/accounts/password/reset/key/")
    follow = client_a.get(link.removeprefix("http://alpha.localhost"), follow=True)
    assert follow.status_code == 200
    assert "password1" in follow.content.decode()


def test_failed_logins_are_throttled(client_a, in_a):
    user = UserFactory(email="throttled@alpha.example")
    for _ in range(5):
        response = client_a.post("/accounts/login/", {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
    blocked = client_a.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client_a.session


def test_two_factor_pages_are_available(logged_in_a):
    assert logged_in_a.get("/accounts/2fa/").status_code == 200
    # Turning two-factor on asks for the password again first.
    activate = logged_in_a.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 302
    assert activate["Location"].startswith("/accounts/reauthenticate/")
    logged_in_a.post(activate["Location"], {"password": PASSWORD})
    page = logged_in_a.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "otpauth://" in page.content.decode() or "Authenticator secret" in page.content.decode()


def test_account_page_updates_the_profile(logged_in_a, member_a):
    assert logged_in_a.get("/account/").status_code == 200
    response = logged_in_a.post("/account/", {"name": "Mia M. Member", "language": "fr"})
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert (member_a.name, member_a.language) == ("Mia M. Member", "fr")


def test_account_page_rejects_a_blank_name(logged_in_a, member_a):
    response = logged_in_a.post("/account/", {"name": "", "language": "en"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.name == "Mia Member"


def test_anonymous_account_page_redirects_to_login(client_a):
    response = client_a.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_links_built_outside_a_request_use_the_primary_domain(in_a):
    from core.hosts import absolute_url

    assert absolute_url("/chapters/1/") == "http://alpha.localhost/chapters/1/"


def test_production_settings_require_email_verification_and_secure_cookies():
    environment = {**os.environ, "SECRET_KEY": "x" * 50, "BASE_DOMAIN": "commons.example.org"}
    code = (
        "import config.settings.production as p;"
        "print(p.ACCOUNT_EMAIL_VERIFICATION, p.SESSION_COOKIE_SECURE, p.CSRF_COOKIE_SECURE,"
        " p.EMAIL_BACKEND, p.CSRF_TRUSTED_ORIGINS)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert output.split()[:4] == [
        "mandatory",
        "True",
        "True",
        "django.core.mail.backends.smtp.EmailBackend",
    ]
    assert output.strip().endswith("[]")  # no cross-organisation trusted origins by default
