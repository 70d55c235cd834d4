"""How the permission matrix asks its questions: enumerate the URL patterns, build a concrete
URL for each from the world's objects, send it as each role, and name the outcome.

Outcome vocabulary (what a role gets back):

* ``ok``        — the request got past the access check: a 2xx answer, a 400/409/422 refusing
                  the input or the object's state (e.g. results before the count), or, for
                  writes, a redirect other than to a sign-in page.
* ``redirect``  — GET only: a redirect somewhere other than a sign-in page.
* ``login``     — sent to sign in: a redirect to /accounts/login/ or /admin/login/, or a 401
                  from the API.
* ``403``       — refused.
* ``404``       — hidden: the same answer as for something that does not exist.
* ``405``       — the method is not allowed (only expected of the Django admin's logout).

A 5xx is never an outcome: it fails the test whatever the matrix says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OK, REDIRECT, LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = (
    "ok",
    "redirect",
    "login",
    "403",
    "404",
    "405",
)
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
# What the trust suite asked, reported at the end of the run (conftest.pytest_terminal_summary).
COUNTS = {
    "matrix_urls": 0,
    "matrix_requests": 0,
    "schemathesis_operations": 0,
    "schemathesis_cases": 0,
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, or "<pattern>" for an unnamed pattern
    pattern: str
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/v1/")


def routes(urlconf: str) -> list[Route]:
    """Every URL pattern of an urlconf, recursively, with its namespaced name."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    name = f"<{pattern}>"
                params = tuple(entry.pattern.regex.groupindex) + tuple(
                    re.findall(r"\(\?P<(\w+)>", prefix)
                )
                found.append(Route(name=name, pattern=pattern, params=params))

    walk(get_resolver(urlconf).url_patterns, "", None)
    return found


def classify(response, method: str) -> str:
    status = response.status_code
    if status >= 500:
        return f"5xx ({status})"
    location = response.get("Location", "") if 300 <= status < 400 else ""
    if status == 401 or any(location.split("?")[0].endswith(path) for path in LOGIN_PATHS):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return NOT_ALLOWED
    if method == "GET" and 300 <= status < 400:
        return REDIRECT
    if status < 400 or status in (400, 409, 422):
        return OK
    return f"unexpected {status}"


class RoleClients:
    """A client per role on the world's host: signed in with a session for pages and with a
    personal API token for the API. `other_org` is a signed-in account of the other
    organisation whose session cookie and token are presented on the world's host."""

    def __init__(self, world, other_organization):
        self.world = world
        self.other_organization = other_organization
        self._clients: dict[str, Client] = {}

    def client(self, role: str) -> Client:
        if role not in self._clients:
            client = Client(HTTP_HOST=self.world.host)
            if role != "anonymous":
                # The world's committed session: every test starts signed in, no login needed.
                client.cookies[settings.SESSION_COOKIE_NAME] = self.world.sessions[role]
            self._clients[role] = client
        return self._clients[role]

    def api_headers(self, role: str) -> dict:
        if role == "anonymous":
            return {}
        key = self.world.other_org_api_key if role == "other_org" else self.world.api_keys[role]
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def send(self, role: str, *, url: str, method: str, api: bool, data=None):
        """One request, its writes rolled back so that the next role finds the same world."""
        client = self.client(role)
        if api:
            client = Client(HTTP_HOST=self.world.host)  # the token alone, no session
            headers = self.api_headers(role)
        else:
            headers = {}
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, **headers)
            else:
                content_type = "application/json" if api else None
                payload = data if data is not None else {}
                if content_type:
                    response = client.generic(
                        method, url, data=_json(payload), content_type=content_type, **headers
                    )
                else:
                    response = client.generic(
                        method,
                        url,
                        data=_form(payload),
                        content_type="application/x-www-form-urlencoded",
                        **headers,
                    )
            transaction.set_rollback(True)
        if not api and role in self._clients:
            session_cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
            if session_cookie is None or not session_cookie.value:
                del self._clients[role]  # signed out by the request (the rollback kept the row)
        return response


def _json(payload) -> str:
    import json

    return json.dumps(payload)


def _form(payload) -> str:
    from urllib.parse import urlencode

    return urlencode(payload, doseq=True)


def build_url(route: Route, kwargs_spec: dict, ids: dict, urlconf: str) -> str:
    kwargs = {}
    for param in route.params:
        source = kwargs_spec.get(param)
        if source is None:
            raise KeyError(f"{route.name}: no value for URL parameter {param!r}")
        kwargs[param] = source[1:] if source.startswith("=") else ids[source]
    if route.name.startswith("<"):  # an unnamed pattern: fill it in by hand
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match.group(1)]), route.pattern)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: str(kwargs[match.group(1)]), path)
        return "/" + path.replace("^", "").replace("$", "")
    return reverse(route.name, kwargs=kwargs, urlconf=urlconf)


class _InlineScriptFinder(HTMLParser):
    """What the Content-Security-Policy (script-src 'self') would block: <script> without src,
    on*= event handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").lower()
            if kind not in ("application/json", "application/ld+json"):  # data, not code
                self.problems.append("inline <script>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")


def inline_script_problems(response) -> list[str]:
    if not response.get("Content-Type", "").startswith("text/html") or not (
        200 <= response.status_code < 300
    ):
        return []
    if getattr(response, "streaming", False):
        return []
    finder = _InlineScriptFinder()
    finder.feed(response.content.decode("utf-8", "replace"))
    return finder.problems
