"""Production settings, security headers, CSRF per organisation host, login throttling and
two-factor sign-in — verified, not assumed."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _production_environment(base_domain: str = "commons.example.org") -> dict:
    """Production settings with their defaults: the host-specific overrides are left unset."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "BASE_DOMAIN": base_domain,
    }
    for name in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        environment.pop(name, None)
    return environment


def _production_settings(*names: str, base_domain: str = "commons.example.org") -> dict:
    """The values of config.settings.production, read in a fresh interpreter (this one runs
    the test settings)."""
    code = (
        "import json, config.settings.production as p;"
        f"print(json.dumps({{name: getattr(p, name) for name in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_environment(base_domain),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _deploy_check(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", *extra],
        cwd=ROOT,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_finds_no_security_issue():
    """Every `security.*` check of `manage.py check --deploy` passes under production settings
    (HSTS, SSL redirect, secure cookies, secret key, debug off, allowed hosts…)."""
    result = _deploy_check()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security." not in output, output


def test_check_deploy_is_clean_at_warning_level():
    """Not a single warning either, drf-spectacular's schema checks (W001: colliding
    component or enum names) included."""
    result = _deploy_check("--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_secure_transport_and_cookies():
    values = _production_settings(
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "ALLOWED_HOSTS",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    # host-only cookies: a session of one organisation's host is never sent to another's
    assert values["SESSION_COOKIE_DOMAIN"] is None and values["CSRF_COOKIE_DOMAIN"] is None
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["ALLOWED_HOSTS"] == [".commons.example.org", "commons.example.org"]


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_responses_carry_hsts_and_secure_httponly_cookies(client_a, member_a):
    response = client_a.post(
        "/accounts/login/", {"login": member_a.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert not session["domain"]
    page = client_a.get("/account/", secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_security_headers_on_every_kind_of_answer(client_a, logged_in_a):
    for response in (
        client_a.get("/"),
        logged_in_a.get("/account/"),
        logged_in_a.get("/api/v1/me/"),
        client_a.get("/no-such-page/"),
    ):
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in directives["script-src"]
        assert "unsafe-eval" not in policy
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_the_inline_script_sweep_finds_what_the_csp_blocks():
    """The permission matrix runs this over every HTML page it gets; here, that it can fail."""
    from django.http import HttpResponse

    from .harness import inline_script_problems

    clean = HttpResponse('<script src="/static/js/app.js"></script><a href="/x">x</a>')
    assert inline_script_problems(clean) == []
    dirty = HttpResponse(
        '<script>alert(1)</script><button onclick="go()">x</button><a href="javascript:go()">'
    )
    assert inline_script_problems(dirty) == [
        "inline <script>",
        "<button onclick=…>",
        "<a href=javascript:…>",
    ]


# --- CSRF per organisation host -----------------------------------------------------------------


def _csrf_client_with_token(host: str, user) -> tuple[Client, str]:
    client = Client(HTTP_HOST=host, enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/account/", secure=True)
    return client, page.cookies[settings.CSRF_COOKIE_NAME].value


def test_a_post_without_the_token_is_refused_even_from_the_same_host(client_a, member_a):
    client = Client(HTTP_HOST="alpha.localhost", enforce_csrf_checks=True)
    client.force_login(member_a)
    response = client.post(
        "/account/",
        {"name": "Changed", "language": "en"},
        secure=True,
        HTTP_ORIGIN="https://alpha.localhost",
    )
    assert response.status_code == 403


def test_a_post_from_a_foreign_site_is_refused(member_a):
    client, token = _csrf_client_with_token("alpha.localhost", member_a)
    response = client.post(
        "/account/",
        {"name": "Changed", "language": "en", "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    same_host = client.post(
        "/account/",
        {"name": "Changed", "language": "en", "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_ORIGIN="https://alpha.localhost",
    )
    assert same_host.status_code == 302


def test_another_organisations_host_is_not_a_trusted_origin(member_a, settings):
    """Production's own CSRF_TRUSTED_ORIGINS, computed for this test run's base domain: a
    wildcard over the organisations' hosts (https://*.BASE_DOMAIN) would let beta's pages post
    to alpha (sibling hosts are same-site too, so SameSite=Lax cookies do not stop it)."""
    production = _production_settings("CSRF_TRUSTED_ORIGINS", base_domain=settings.BASE_DOMAIN)
    settings.CSRF_TRUSTED_ORIGINS = production["CSRF_TRUSTED_ORIGINS"]
    alpha, beta = (f"{slug}.{settings.BASE_DOMAIN}" for slug in ("alpha", "beta"))
    client, token = _csrf_client_with_token(alpha, member_a)
    data = {"name": "Changed", "language": "en", "csrfmiddlewaretoken": token}
    response = client.post("/account/", data, secure=True, HTTP_ORIGIN=f"https://{beta}")
    assert response.status_code == 403
    same_host = client.post("/account/", data, secure=True, HTTP_ORIGIN=f"https://{alpha}")
    assert same_host.status_code == 302


# --- Login throttling and two-factor sign-in ---------------------------------------------------


def test_login_throttling_is_per_organisation(client_a, client_b, org_b, in_a):
    from django_tenants.utils import schema_context

    UserFactory(email="same@both.test")
    with schema_context(org_b.schema_name):
        UserFactory(email="same@both.test")
    for _ in range(5):
        client_a.post("/accounts/login/", {"login": "same@both.test", "password": "wrong"})
    blocked = client_a.post("/accounts/login/", {"login": "same@both.test", "password": PASSWORD})
    assert "Too many failed login attempts" in blocked.content.decode()
    allowed = client_b.post("/accounts/login/", {"login": "same@both.test", "password": PASSWORD})
    assert allowed.status_code == 302


def _code(secret: str, shift: int = 0) -> str:
    from allauth.mfa.totp.internal import auth

    counter = next(iter(auth.yield_hotp_counters_from_time())) + shift
    return auth.format_hotp_value(auth.hotp_value(secret, counter))


def test_totp_end_to_end(client_a, member_a, monkeypatch):
    """Turn TOTP on with a code computed from the secret; sign out; signing in with the right
    password then asks for a code; a wrong or replayed code is refused; the right one signs in."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal import auth

    credentials = {"login": member_a.email, "password": PASSWORD}
    assert client_a.post("/accounts/login/", credentials).status_code == 302
    activate = client_a.get("/accounts/2fa/totp/activate/")
    client_a.post(activate["Location"], {"password": PASSWORD})  # reauthenticate first
    assert client_a.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client_a.session[auth.SECRET_SESSION_KEY]
    wrong = client_a.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=member_a).exists()
    activated = client_a.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=member_a, type=Authenticator.Type.TOTP).exists()

    client_a.post("/accounts/logout/")
    assert "_auth_user_id" not in client_a.session
    step = client_a.post("/accounts/login/", credentials)
    assert step.status_code == 302 and step["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client_a.session  # the password alone does not sign in

    refused = client_a.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert refused.status_code == 200 and "_auth_user_id" not in client_a.session

    # The next 30-second window, so the code used to activate is not a replay.
    code = _code(secret, shift=1)
    real = auth.yield_hotp_counters_from_time
    monkeypatch.setattr(auth, "yield_hotp_counters_from_time", lambda: (c + 1 for c in real()))
    signed_in = client_a.post("/accounts/2fa/authenticate/", {"code": code})
    assert signed_in.status_code == 302
    assert client_a.session["_auth_user_id"] == str(member_a.pk)

    client_a.post("/accounts/logout/")
    client_a.post("/accounts/login/", credentials)
    replay = client_a.post("/accounts/2fa/authenticate/", {"code": code})
    assert replay.status_code == 200 and "_auth_user_id" not in client_a.session
