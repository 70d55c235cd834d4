"""Nothing of one organisation is reachable from another: objects by URL, sessions, API tokens,
the cache, Celery tasks, uploaded files and the links in emails.

Organisation A is the trust world (world.py: every kind of object exists there); B is the
session's second organisation, "beta", where none of A's objects exist.
"""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.models import Role
from core.services import role_grant
from tests.factories import UserFactory

from .harness import FORBIDDEN, LOGIN, NOT_FOUND, build_url, classify, routes
from .kwargs import KWARGS
from .matrix import expectation_for
from .world import MARKERS, WORLD_GROUP

pytestmark = WORLD_GROUP  # the trust world's modules run on one worker, in a row

ROUTES = routes(settings.ROOT_URLCONF)
# Objects of the platform itself (public schema), the same for every organisation.
PLATFORM_OBJECTS = {"app_template"}
# Every URL that points at an organisation's object: a parameter filled from the world's ids.
OBJECT_ROUTES = [
    route
    for route in ROUTES
    if route.params
    and any(
        not value.startswith("=") and value not in PLATFORM_OBJECTS
        for value in KWARGS.get(route.name, {}).values()
    )
]
# Texts only A's objects carry: seeing one on B's host is a leak.
A_ONLY_TEXTS = ("Lyon Makers", "Pitch Night Lyon", "A question of conduct", *MARKERS.values())


def _host(organization) -> str:
    return organization.domains.get(is_primary=True).domain


@pytest.fixture
def b_clients(org_b):
    """On B's host: B's organisation admin (staff, provider) and an ordinary member of B."""
    clients = {}
    with schema_context(org_b.schema_name):
        admin = UserFactory(email="admin@beta.test", is_staff=True)
        role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
        role_grant(user=admin, role=Role.PROVIDER)
        member = UserFactory(email="member@beta.test")
        for name, user in (("b_admin", admin), ("b_member", member)):
            client = Client(HTTP_HOST=_host(org_b))
            client.force_login(user)
            clients[name] = client
    return clients


def _send(client, method: str, url: str, **headers):
    with transaction.atomic():
        response = client.generic(method, url, **headers)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda route: route.name)
def test_objects_of_a_are_not_found_on_b(route, world, b_clients):
    """A's object, asked for by its id on B's host by B's own accounts, is a 404 (a 403 only
    where the role is refused before any lookup) and never shows A's content."""
    url = build_url(route, KWARGS[route.name], world.ids, None)
    method = expectation_for(route)[0].method
    for name, client in b_clients.items():
        response = _send(client, method, url)
        outcome = classify(response, method)
        assert outcome in (NOT_FOUND, FORBIDDEN), f"{name} {method} {url} on B: {outcome}"
        body = response.content.decode("utf-8", "replace")
        assert not [text for text in A_ONLY_TEXTS if text in body], f"{url} shows A's data on B"


API_GET_ROUTES = [
    route for route in ROUTES if route.is_api and expectation_for(route)[0].method == "GET"
]


@pytest.mark.parametrize("route", API_GET_ROUTES, ids=lambda route: route.name)
def test_api_token_of_a_is_refused_on_b(route, world, org_b):
    url = build_url(route, KWARGS.get(route.name, {}), world.ids, None)
    client = Client(HTTP_HOST=_host(org_b))
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {world.api_keys['admin']}")
    assert response.status_code == 401, f"{url}: {response.status_code}"
    assert response.json()["error"]["message"] == "Invalid or revoked API token."


SIGNED_IN_PAGES = [
    route
    for route in ROUTES
    if not route.is_api
    and not route.pattern.startswith("admin/")
    and expectation_for(route)[0].method == "GET"
    and expectation_for(route)[0].outcomes.get("anonymous") == LOGIN
]


def test_session_of_a_is_refused_on_b(world, org_b):
    """A's session cookie, presented on B's host, is nobody: every page that needs a signed-in
    account sends it to sign in, and the API answers 401."""
    client = Client(HTTP_HOST=_host(org_b))
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["admin"]
    checked = 0
    for route in SIGNED_IN_PAGES:
        url = build_url(route, KWARGS.get(route.name, {}), world.ids, None)
        assert classify(_send(client, "GET", url), "GET") == LOGIN, url
        checked += 1
    assert checked > 40
    assert client.get("/api/v1/me/").status_code == 401


def test_session_of_a_never_becomes_a_session_of_b(world, org_b):
    with schema_context(org_b.schema_name):
        assert not Session.objects.filter(session_key=world.sessions["admin"]).exists()
    with schema_context(world.organization.schema_name):
        assert Session.objects.filter(session_key=world.sessions["admin"]).exists()


keys = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=" "),
    min_size=1,
    max_size=60,
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=keys, value=st.text(max_size=50))
def test_cache_entries_never_cross_organisations(org_a, org_b, key, value):
    """Through the cache API: what A writes under any key, B reads as missing, and B's writes
    under the same key leave A's value alone."""
    try:
        connection.set_tenant(org_a)
        cache.set(key, ["A", value], 30)
        assert cache.add(key, "A again") is False
        connection.set_tenant(org_b)
        assert cache.get(key) is None
        assert cache.get_many([key]) == {}
        assert cache.add(key, ["B", value], 30) is True
        connection.set_tenant(org_a)
        assert cache.get(key) == ["A", value]
    finally:
        for organization in (org_a, org_b):
            connection.set_tenant(organization)
            cache.delete(key)
        connection.set_schema_to_public()


def test_a_task_sent_in_a_runs_in_a(org_a, org_b, monkeypatch):
    """The message carries A's schema (tenant-schemas-celery header); run from the public
    schema, as a worker does, it works on A's data and leaves B's alone."""
    from config.celery import app
    from core.tasks import clear_expired_sessions

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    sent = []

    def capture(self, producer, name, message, **options):
        headers, _properties, body, _sent_event = message
        args, kwargs, _embed = body
        # custom headers travel beside the protocol's own and reach the worker merged
        sent.append((name, args, kwargs, {**headers, **(options.get("headers") or {})}))

    # Everything of a real send but the publishing: the message as the broker would get it.
    monkeypatch.setattr(type(app.amqp), "send_task_message", capture)
    for organization in (org_a, org_b):
        with schema_context(organization.schema_name):
            store = SessionStore()
            store.create()
            Session.objects.filter(session_key=store.session_key).update(
                expire_date=timezone.now() - timezone.timedelta(days=1)
            )
    with tenant_context(org_a):
        clear_expired_sessions.apply_async()
    ((name, args, kwargs, headers),) = sent
    assert headers["_schema_name"] == org_a.schema_name
    headers = {"_schema_name": headers["_schema_name"]}

    connection.set_schema_to_public()
    app.tasks[name].apply(args=args, kwargs=kwargs, headers=headers)
    with schema_context(org_a.schema_name):
        assert not Session.objects.filter(expire_date__lt=timezone.now()).exists()
    with schema_context(org_b.schema_name):
        assert Session.objects.filter(expire_date__lt=timezone.now()).count() == 1


def test_uploaded_files_live_in_their_organisations_folder(world, org_b):
    with schema_context(world.organization.schema_name):
        name = default_storage.save("trust/probe.txt", ContentFile(b"only A"))
        path = default_storage.path(name)
    try:
        assert f"/{world.organization.schema_name}/trust/" in path
        with schema_context(org_b.schema_name):
            assert not default_storage.exists(name)
            assert f"/{org_b.schema_name}/" in default_storage.path(name)
        # Nothing serves the media folder by path: files leave only through views that check
        # access (the governance attachment and the network photo, swept above).
        response = Client(HTTP_HOST=_host(org_b)).get(
            f"{settings.MEDIA_URL}{world.organization.schema_name}/{name}"
        )
        assert response.status_code == 404
    finally:
        with schema_context(world.organization.schema_name):
            default_storage.delete(name)


def _links(message) -> list[str]:
    bodies = [message.body] + [content for content, _ in getattr(message, "alternatives", [])]
    return [link for body in bodies for link in re.findall(r"https?://[^\s\"'<>]+", body)]


def test_emails_link_to_the_organisation_they_were_sent_from(
    world, org_b, django_capture_on_commit_callbacks
):
    """From a request (password reset) and from a service outside any request (a chapter
    invitation sent again), every link points at the sending organisation's own host."""
    from django.contrib.auth import get_user_model

    from chapters.models import Invitation
    from chapters.services.invitations import invitation_resend

    for organization, email in ((world.organization, world.emails["member"]), (org_b, None)):
        host = _host(organization)
        if email is None:
            with schema_context(organization.schema_name):
                email = UserFactory(email="reset@beta.test").email
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            Client(HTTP_HOST=host).post("/accounts/password/reset/", {"email": email})
        links = [link for message in mail.outbox for link in _links(message)]
        assert links, f"no links in the reset email of {host}"
        assert all(link.startswith(f"http://{host}/") for link in links), links

    mail.outbox.clear()
    with tenant_context(world.organization), django_capture_on_commit_callbacks(execute=True):
        invitation = Invitation.objects.get(pk=world.ids["invitation"])
        facilitator = get_user_model().objects.get(pk=world.users["facilitator"])
        invitation_resend(invitation=invitation, actor=facilitator)
    links = [link for message in mail.outbox for link in _links(message)]
    assert links, "the invitation email has no links"
    assert all(link.startswith(f"http://{world.host}/") for link in links), links
