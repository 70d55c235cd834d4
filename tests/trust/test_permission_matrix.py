"""Every URL of an organisation's host and of the public site, asked by every role of
shared/spec/domain.md, against the table in matrix.py. A URL without an entry fails.

While the roles send their requests, the confidentiality sweep reads every answer: the text of
shares, stories, follow-ups and minutes (world.MARKERS) may reach the chapter's own members
only — never admins, committees, the board, other chapters, providers or another organisation.
"""

import warnings

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from .harness import COUNTS, build_url, classify, inline_script_problems, routes
from .kwargs import KWARGS
from .matrix import (
    GROUP_KWARGS,
    KNOWN_DEFECTS,
    MATRIX,
    OPTIONAL_URLS,
    PENDING_ROLES,
    PUBLIC_ROLES,
    expectation_for,
    public_expectation_for,
    public_known_defect,
)
from .world import CHAPTER_INSIDERS, MARKERS, ROLES, WORLD_GROUP

pytestmark = WORLD_GROUP  # the trust world's modules run on one worker, in a row

ORGANIZATION_ROUTES = routes(settings.ROOT_URLCONF)
PUBLIC_ROUTES = routes(settings.PUBLIC_SCHEMA_URLCONF)


def _resolve_data(data, ids):
    if data is None:
        return None

    def value(item):
        if isinstance(item, str) and item.startswith("@"):
            return ids[item[1:]]
        if isinstance(item, list):
            return [value(element) for element in item]
        return item

    return {key: value(item) for key, item in data.items()}


def _matches(expected, actual: str) -> bool:
    return actual in expected if isinstance(expected, frozenset) else actual == expected


def test_every_url_has_a_matrix_entry():
    missing = [
        f"{route.name} ({route.pattern})"
        for route in ORGANIZATION_ROUTES
        if expectation_for(route) is None
    ]
    missing += [
        f"public {route.name} ({route.pattern})"
        for route in PUBLIC_ROUTES
        if public_expectation_for(route) is None
    ]
    assert not missing, "new URL without a matrix entry: " + ", ".join(missing)


def test_matrix_has_no_stale_entries():
    names = {route.name for route in ORGANIZATION_ROUTES}
    stale = sorted(set(MATRIX) - names - OPTIONAL_URLS)
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


def test_pending_roles_are_reported():
    if PENDING_ROLES:
        warnings.warn(
            f"permission matrix: roles pending until their models exist: {sorted(PENDING_ROLES)}",
            stacklevel=1,
        )
    assert set(PENDING_ROLES) <= set(ROLES)


def _verdict(url: str, method: str, mismatches: list, known: dict) -> None:
    """Fail on an unexplained mismatch; xfail when every mismatch is a known defect; fail when
    a known defect no longer reproduces (so its line gets removed)."""
    unexplained = [line for line, role in mismatches if role not in known]
    assert not unexplained, f"{method} {url}:\n  " + "\n  ".join(unexplained)
    if known:
        seen = {role for _, role in mismatches}
        fixed = sorted(set(known) - seen)
        assert not fixed, f"{url}: known defect fixed for {fixed}; remove it from matrix.py"
        pytest.xfail("; ".join(sorted(set(known.values()))))


def _describe(expected) -> str:
    return "/".join(sorted(expected)) if isinstance(expected, frozenset) else expected


@pytest.mark.parametrize("route", ORGANIZATION_ROUTES, ids=lambda route: route.name)
def test_permission_matrix(route, world, role_clients):
    checks = expectation_for(route)
    if checks is None:
        pytest.fail(f"new URL without a matrix entry: {route.name} ({route.pattern})")
    url = build_url(route, {**GROUP_KWARGS, **KWARGS.get(route.name, {})}, world.ids, None)
    COUNTS["matrix_urls"] += 1
    mismatches, leaks, scripts = [], [], set()
    known = {role: reason for (name, role), reason in KNOWN_DEFECTS.items() if name == route.name}
    for check in checks:
        data = _resolve_data(check.data, world.ids)
        for role in ROLES:
            if role in PENDING_ROLES or role not in check.outcomes:
                continue
            response = role_clients.send(
                role, url=url, method=check.method, api=route.is_api, data=data
            )
            COUNTS["matrix_requests"] += 1
            outcome = classify(response, check.method)
            expected = check.outcomes[role]
            if not _matches(expected, outcome):
                detail = f"{response.status_code} {response.get('Location', '')}".strip()
                mismatches.append(
                    (f"{role}: expected {_describe(expected)}, got {outcome} ({detail})", role)
                )
            scripts.update(inline_script_problems(response))
            if role not in CHAPTER_INSIDERS and not getattr(response, "streaming", False):
                body = response.content.decode("utf-8", "replace")
                leaks += [f"{role} sees {name}" for name, text in MARKERS.items() if text in body]
    assert not leaks, f"confidential text leaked by {url}: {leaks}"
    assert not scripts, f"{url} has script the CSP blocks: {sorted(scripts)}"
    _verdict(url, checks[-1].method, mismatches, known)


@pytest.fixture
def public_clients(db, org_a):
    """A visitor, a platform operator, and an organisation's member whose session cookie is
    presented on the public host."""
    from tests.factories import UserFactory

    operator = UserFactory(email="operator@platform.test", is_staff=True, is_superuser=True)
    # 500s are answers to classify here, not exceptions to raise
    operator_client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    operator_client.force_login(operator)
    member_client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    with schema_context(org_a.schema_name):
        member = UserFactory(email="someone@alpha.test")
        member_client.force_login(member)
    return {
        "anonymous": Client(HTTP_HOST="localhost", raise_request_exception=False),
        "operator": operator_client,
        "organization_user": member_client,
    }


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=lambda route: route.name)
def test_public_permission_matrix(route, public_clients):
    from django.db import transaction

    check = public_expectation_for(route)
    if check is None:
        pytest.fail(f"new URL without a matrix entry: public {route.name} ({route.pattern})")
    url = build_url(route, GROUP_KWARGS, {}, settings.PUBLIC_SCHEMA_URLCONF)
    COUNTS["matrix_urls"] += 1
    mismatches, known = [], {}
    for role in PUBLIC_ROLES:
        with transaction.atomic():
            client = public_clients[role]
            response = (
                client.get(url) if check.method == "GET" else client.generic(check.method, url)
            )
            transaction.set_rollback(True)
        COUNTS["matrix_requests"] += 1
        outcome = classify(response, check.method)
        if not _matches(check.outcomes[role], outcome):
            mismatches.append(
                (f"{role}: expected {_describe(check.outcomes[role])}, got {outcome}", role)
            )
            reason = public_known_defect(route, role, outcome)
            if reason:
                known[role] = reason
    _verdict(url, check.method, mismatches, known)
