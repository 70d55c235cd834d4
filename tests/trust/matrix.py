"""The permission matrix: for every URL of an organisation's host, what each role of
shared/spec/domain.md gets back (vocabulary in harness.py), asked of the objects of world.py.

* Keyed by URL name (namespaced, as `reverse` takes it). A URL pattern without an entry here and
  not covered by a group rule below FAILS test_permission_matrix ("new URL without a matrix
  entry").
* `page(...)` / `api(...)`: `default` is the outcome for every signed-in role of the
  organisation not named; `anonymous` defaults to "login"; `other_org` (a signed-in account of
  another organisation presenting its session cookie or API token here) defaults to whatever
  `anonymous` gets — another organisation's credentials are worth nothing here.
* `method` is GET unless the URL only takes writes; a write is sent with `data` (values "@key"
  are the world's ids) or empty, inside a savepoint that is rolled back.
* Several checks for one URL: a tuple.

Group rules (third-party URL families, documented instead of listed one by one):

* django-allauth, names `account_*` and `mfa_*`: the sign-in family (ALLAUTH_OPEN) answers
  anybody without an error; every other allauth page sends anonymous visitors to sign in and
  answers signed-in accounts without sending them to sign in or refusing them.
* Django admin, patterns under `admin/`: anonymous visitors and signed-in accounts that are not
  staff are sent to the admin's sign-in; organisation admins (staff without model permissions,
  as organization_create makes them) see the index and are refused every model page — the
  Django admin is the platform operators' tool, not an organisation's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .harness import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Route
from .world import ROLES, SIGNED_IN

# Roles of domain.md that cannot be built from the models that exist yet; the matrix test
# reports them as pending instead of passing silently. Committee members (governance) and
# election officers (governance.elections) exist now, so nothing is pending.
PENDING_ROLES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Check:
    outcomes: dict = field(default_factory=dict)  # role -> outcome, or a frozenset of outcomes
    method: str = "GET"
    data: dict | None = None


def page(
    default,
    *,
    method: str = "GET",
    data: dict | None = None,
    anonymous=LOGIN,
    other_org=None,
    **roles,
) -> Check:
    unknown = set(roles) - set(SIGNED_IN)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    outcomes = {role: roles.get(role, default) for role in SIGNED_IN}
    outcomes["anonymous"] = anonymous
    outcomes["other_org"] = anonymous if other_org is None else other_org
    return Check(outcomes=outcomes, method=method, data=data)


api = page  # the same shape; the harness sends API requests with the role's token

ANY_ANSWER = frozenset({OK, REDIRECT})
SIGNED_IN_ANSWER = frozenset({OK, REDIRECT, NOT_FOUND})  # 404: e.g. no TOTP to deactivate


MATRIX: dict[str, Check | tuple[Check, ...]] = {
    "home": page(default=OK, anonymous=OK),
    # issue 10: audit log and data rights
    "core:audit-log": page(default=FORBIDDEN, admin=OK),
    "my-data": page(default=OK),
    "my-data-export": page(default=OK),
    # the account is the signed-in person's own; an empty form is refused with 400
    "account-delete": page(method="POST", default=OK),
    # only mounted when settings.BENCH_FLOOR is on (make bench)
    "bench-floor": page(default=OK, anonymous=OK),
    "core:home": page(default=OK, anonymous=OK),
    "core:account": page(default=OK),
    "core:api-token-create": page(method="POST", default=OK),
    "core:api-token-revoke": page(method="POST", default=NOT_FOUND, member=OK),
    "core:notifications": page(default=OK),
    "core:welcome": page(default=NOT_FOUND, anonymous=NOT_FOUND),
    "core:set-language": page(method="POST", default=OK, anonymous=OK),
    "network:directory": page(default=OK),
    "network:person": page(default=OK),
    "network:person-photo": page(default=NOT_FOUND),
    "network:person-deactivate": page(method="POST", default=FORBIDDEN, admin=OK),
    "network:person-reactivate": page(method="POST", default=FORBIDDEN, admin=OK),
    "network:profile-edit": page(default=OK),
    "network:admin": page(default=FORBIDDEN, admin=OK),
    "network:countries": page(default=FORBIDDEN, admin=OK),
    "network:country-edit": page(default=FORBIDDEN, admin=OK),
    "network:regions": page(default=FORBIDDEN, admin=OK),
    "network:region-edit": page(default=FORBIDDEN, admin=OK),
    "network:metros": page(default=FORBIDDEN, admin=OK),
    "network:metro-edit": page(default=FORBIDDEN, admin=OK),
    "network:sectors": page(default=FORBIDDEN, admin=OK),
    "network:sector-edit": page(default=FORBIDDEN, admin=OK),
    "network:sector-action": page(method="POST", default=FORBIDDEN, admin=OK),
    "network:imports": page(default=FORBIDDEN, admin=OK),
    "network:import-template": page(default=FORBIDDEN, admin=OK),
    "network:import": page(default=FORBIDDEN, admin=OK),
    "network:import-errors": page(default=FORBIDDEN, admin=OK),
    "chapters:mine": page(default=OK),
    "chapters:propose": page(default=OK),
    "chapters:find": page(default=OK),
    "chapters:admin-list": page(default=FORBIDDEN, admin=OK),
    "chapters:agreement": page(default=OK),
    "chapters:settings": page(default=FORBIDDEN, admin=OK),
    "chapters:coverage": page(default=OK),
    "chapters:coverage-csv": page(default=OK),
    "chapters:seed": page(default=FORBIDDEN, facilitator=OK, admin=OK),
    "chapters:seed-create": page(
        method="POST",
        data={"metro": "@metro", "people": ["@person"], "name": "Seeded chapter"},
        default=FORBIDDEN,
        facilitator=OK,
        admin=OK,
    ),
    "chapters:growth": page(default=OK),
    "chapters:detail": page(default=NOT_FOUND, member=OK, facilitator=OK, admin=OK),
    "chapters:edit": page(default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK),
    "chapters:invite": page(default=NOT_FOUND, member=OK, facilitator=OK, admin=OK),
    "chapters:join": page(
        method="POST", default=OK, member=NOT_FOUND, facilitator=NOT_FOUND, admin=NOT_FOUND
    ),
    "chapters:activate": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:close": page(default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK),
    "chapters:leave": page(method="POST", default=NOT_FOUND, member=OK, facilitator=OK),
    "chapters:membership-remove": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:membership-role": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:invitation-send": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:invitation-resend": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:invitation-revoke": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:invitation-decide": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:invitation-object": page(default=NOT_FOUND, member=OK, facilitator=OK, admin=OK),
    "chapters:invitation-open": page(default=NOT_FOUND),
    "chapters:invitation-decline-mine": page(method="POST", default=NOT_FOUND),
    "chapters:invitation-accept": page(default=OK, anonymous=OK),
    "chapters:invitation-decline": page(method="POST", default=OK, anonymous=OK),
    "chapters:join-approve": page(
        method="POST", default=NOT_FOUND, other_chapter=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:join-decline": page(
        default=NOT_FOUND, other_chapter=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "chapters:join-withdraw": page(
        method="POST", default=NOT_FOUND, other_chapter=OK, facilitator=FORBIDDEN, admin=FORBIDDEN
    ),
    "meetings:mine": page(default=OK),
    "meetings:chapter": page(default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:schedule": page(default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:add": page(default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:attendance-history": page(default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:meeting": page(default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:rsvp": page(method="POST", default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:share": page(default=NOT_FOUND, member=REDIRECT, facilitator=REDIRECT),
    "meetings:story": page(method="POST", default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:story-delete": page(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK
    ),
    "meetings:follow-up": page(method="POST", default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:edit": page(default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:cancel": page(method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:run": page(default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:attendance": page(method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:minutes": page(method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK),
    "meetings:ics": page(default=NOT_FOUND, member=OK, facilitator=OK),
    "meetings:advice-check": page(method="POST", default=OK, anonymous=OK),
    "meetings:preferences": page(default=OK),
    "meetings:calendars": page(default=OK),
    "meetings:calendar-revoke": page(method="POST", default=NOT_FOUND, member=OK),
    "meetings:feed": page(default=OK, anonymous=OK),
    "governance:home": page(default=OK),
    "governance:committee-create": page(default=FORBIDDEN, admin=OK),
    "governance:committee": page(default=OK),
    "governance:committee-stand-down": page(method="POST", default=FORBIDDEN, admin=OK),
    "governance:committee-reform": page(method="POST", default=FORBIDDEN, admin=OK),
    "governance:committee-member-add": page(method="POST", default=FORBIDDEN, admin=OK),
    "governance:membership-edit": page(default=FORBIDDEN, admin=OK),
    "governance:membership-end": page(method="POST", default=FORBIDDEN, admin=OK),
    "governance:density": page(default=FORBIDDEN, committee=OK, board=OK, admin=OK),
    "governance:alert-dismiss": page(method="POST", default=FORBIDDEN, admin=OK),
    "governance:settings": page(default=FORBIDDEN, admin=OK),
    "governance:queue": page(default=FORBIDDEN, committee=OK, board=OK),
    "governance:escalations": page(default=OK),
    "governance:escalation-new": page(
        default=REDIRECT, other_chapter=OK, member=OK, facilitator=OK
    ),
    "governance:escalation": page(default=NOT_FOUND, member=OK, committee=OK),
    "governance:escalation-acknowledge": page(
        method="POST", default=NOT_FOUND, member=OK, committee=OK
    ),
    "governance:escalation-escalate": page(
        method="POST", default=NOT_FOUND, member=OK, committee=OK
    ),
    "governance:escalation-resolve": page(
        method="POST", default=NOT_FOUND, member=OK, committee=OK
    ),
    "governance:escalation-assign": page(method="POST", default=NOT_FOUND, member=OK, committee=OK),
    "governance:escalation-comment": page(
        method="POST", default=NOT_FOUND, member=OK, committee=OK
    ),
    "governance:attachment": page(default=NOT_FOUND, member=OK, committee=OK),
    "apps_marketplace:events": page(default=OK, anonymous=OK),
    "apps_marketplace:event": page(default=OK, anonymous=OK),
    "apps_marketplace:event-register": page(method="POST", default=OK, anonymous=OK),
    "apps_marketplace:event-ics": page(default=OK, anonymous=OK),
    "apps_marketplace:apps": page(default=OK, anonymous=OK),
    "apps_marketplace:app": page(default=OK, anonymous=OK),
    "apps_marketplace:my-registrations": page(default=OK),
    "apps_marketplace:registration-manage": page(default=OK, anonymous=OK),
    "apps_marketplace:provide": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:app-create": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:app-manage": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:app-edit": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:app-withdraw": page(method="POST", default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:app-package-create": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:event-create": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:package-toggle": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:event-manage": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:event-edit": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:event-publish": page(method="POST", default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:event-cancel": page(method="POST", default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:event-attendees-csv": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:event-package-create": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:sponsorship-create": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:registration-check-in": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:registration-paid": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:registration-cancel": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:sponsorship-status": page(
        method="POST", default=FORBIDDEN, provider=OK, admin=OK
    ),
    "apps_marketplace:revenue": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:statement": page(default=FORBIDDEN, provider=OK, admin=OK),
    "apps_marketplace:review": page(default=FORBIDDEN, admin=OK),
    "apps_marketplace:app-review": page(method="POST", default=FORBIDDEN, admin=OK),
    "apps_marketplace:settings": page(default=FORBIDDEN, admin=OK),
    "apps_marketplace:providers": page(default=FORBIDDEN, admin=OK),
    "apps_marketplace:provider-revoke": page(method="POST", default=FORBIDDEN, admin=OK),
    "elections:list": page(default=OK),
    "elections:create": page(default=FORBIDDEN, board=OK),
    "elections:blt-count": page(default=OK),
    "elections:detail": page(default=OK),
    "elections:edit": page(default=FORBIDDEN, board=REDIRECT, officer=REDIRECT),
    "elections:cancel": page(default=FORBIDDEN, board=OK, officer=OK),
    "elections:officer-appoint": page(method="POST", default=FORBIDDEN, board=OK),
    "elections:officer-remove": page(method="POST", default=FORBIDDEN, board=OK),
    "elections:nominate": page(default=REDIRECT),
    "elections:nomination": page(default=OK),
    "elections:vote": page(default=FORBIDDEN, committee=OK, board=OK),
    "elections:verify": page(default=OK),
    "elections:results": page(default=REDIRECT),
    "elections:ballots": page(default=NOT_FOUND),
    "elections:ballots-blt": page(default=NOT_FOUND),
    "elections:ballots-txt": page(default=NOT_FOUND),
    "elections:certify": page(method="POST", default=FORBIDDEN, board=OK),
    "health": page(default=OK, anonymous=OK),
    "set_language": page(default=REDIRECT, anonymous=REDIRECT),
    "api:core:me": api(default=OK),
    "api:core:token-list": api(default=OK),
    "api:core:token-revoke": api(method="DELETE", default=NOT_FOUND, member=OK),
    "api:network:metro-list": api(default=OK),
    "api:network:metro-detail": api(default=OK),
    "api:network:sector-list": api(default=OK),
    "api:network:sector-detail": api(default=OK),
    "api:network:entrepreneur-list": api(default=OK),
    "api:network:entrepreneur-me": api(default=OK),
    "api:network:entrepreneur-detail": api(default=OK),
    "api:chapters:chapter-list": api(default=OK),
    "api:chapters:chapter-joinable": api(default=OK),
    "api:chapters:chapter-detail": api(default=NOT_FOUND, member=OK, facilitator=OK, admin=OK),
    "api:chapters:chapter-activate": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:chapter-close": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:chapter-leave": api(method="POST", default=NOT_FOUND, member=OK, facilitator=OK),
    "api:chapters:chapter-memberships": api(default=NOT_FOUND, member=OK, facilitator=OK, admin=OK),
    "api:chapters:chapter-invitations": api(default=NOT_FOUND, member=OK, facilitator=OK, admin=OK),
    "api:chapters:chapter-join-requests": api(default=NOT_FOUND, facilitator=OK, admin=OK),
    "api:chapters:membership-role": api(
        method="PATCH",
        data={"role": "facilitator"},
        default=NOT_FOUND,
        member=FORBIDDEN,
        facilitator=OK,
        admin=OK,
    ),
    "api:chapters:membership-remove": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:membership-transfer": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=FORBIDDEN
    ),
    "api:chapters:invitation-mine": api(default=OK),
    "api:chapters:invitation-accept": api(method="POST", default=OK),
    "api:chapters:invitation-decline": api(
        method="POST", default=OK, anonymous=OK, other_org=LOGIN
    ),
    "api:chapters:invitation-send": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:invitation-resend": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:invitation-revoke": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:invitation-object": api(
        method="POST",
        data={"reason": "A direct competitor of mine."},
        default=NOT_FOUND,
        member=OK,
        facilitator=OK,
        admin=FORBIDDEN,
    ),
    "api:chapters:invitation-decide": api(
        method="POST",
        data={"proceed": True, "note": "Go ahead."},
        default=NOT_FOUND,
        member=FORBIDDEN,
        facilitator=OK,
        admin=OK,
    ),
    "api:chapters:join-request-list": api(default=OK),
    "api:chapters:join-request-approve": api(
        method="POST", default=NOT_FOUND, other_chapter=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:join-request-decline": api(
        method="POST", default=NOT_FOUND, other_chapter=FORBIDDEN, facilitator=OK, admin=OK
    ),
    "api:chapters:join-request-withdraw": api(
        method="POST", default=NOT_FOUND, other_chapter=OK, facilitator=FORBIDDEN, admin=FORBIDDEN
    ),
    "api:chapters:coverage": api(default=OK),
    "api:meetings:meeting-list": api(default=OK),
    "api:meetings:meeting-detail": api(default=NOT_FOUND, member=OK, facilitator=OK),
    "api:meetings:meeting-rsvps": api(default=NOT_FOUND, member=OK, facilitator=OK),
    "api:meetings:meeting-attendance": api(default=NOT_FOUND, member=OK, facilitator=OK),
    "api:meetings:meeting-shares": api(default=NOT_FOUND, member=OK, facilitator=OK),
    "api:meetings:meeting-my-share": api(default=NOT_FOUND, member=OK),
    "api:meetings:meeting-story": api(method="PUT", default=NOT_FOUND, member=OK, facilitator=OK),
    "api:meetings:meeting-story-delete": api(
        method="DELETE", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK
    ),
    "api:meetings:meeting-close": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, facilitator=OK
    ),
    "api:governance:committee-list": api(default=OK),
    "api:governance:committee-detail": api(default=OK),
    "api:governance:committee-stand-down": api(method="POST", default=FORBIDDEN, admin=OK),
    "api:governance:committee-seats": api(default=OK),
    "api:governance:seat-detail": api(default=OK),
    "api:governance:seat-end": api(method="POST", default=FORBIDDEN, admin=OK),
    "api:governance:settings": api(default=FORBIDDEN, admin=OK),
    "api:governance:density": api(default=FORBIDDEN, committee=OK, board=OK, admin=OK),
    "api:governance:escalation-list": api(default=OK),
    "api:governance:escalation-counts": api(default=FORBIDDEN, board=OK, admin=OK),
    "api:governance:escalation-detail": api(default=NOT_FOUND, member=OK, committee=OK),
    "api:governance:escalation-acknowledge": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, committee=OK
    ),
    "api:governance:escalation-escalate": api(
        method="POST",
        data={"reason": "This needs the region."},
        default=NOT_FOUND,
        member=FORBIDDEN,
        committee=OK,
    ),
    "api:governance:escalation-resolve": api(
        method="POST",
        data={"decision": "Settled together."},
        default=NOT_FOUND,
        member=FORBIDDEN,
        committee=OK,
    ),
    "api:governance:escalation-assign": api(
        method="POST",
        data={"assignee": None},
        default=NOT_FOUND,
        member=FORBIDDEN,
        committee=OK,
    ),
    "api:governance:escalation-comments": api(default=NOT_FOUND, member=OK, committee=OK),
    "api:governance:escalation-attachment": api(default=NOT_FOUND, member=OK, committee=OK),
    "api:apps_marketplace:app-list": api(default=OK),
    "api:apps_marketplace:app-detail": api(default=OK),
    "api:apps_marketplace:app-approve": api(method="POST", default=FORBIDDEN, admin=OK),
    "api:apps_marketplace:app-reject": api(method="POST", default=FORBIDDEN, admin=OK),
    "api:apps_marketplace:event-list": api(default=OK),
    "api:apps_marketplace:event-detail": api(default=OK),
    "api:apps_marketplace:event-publish": api(
        method="POST", default=NOT_FOUND, provider=OK, admin=OK
    ),
    "api:apps_marketplace:event-cancel": api(
        method="POST", default=NOT_FOUND, provider=OK, admin=OK
    ),
    "api:apps_marketplace:event-register": api(method="POST", default=OK),
    "api:apps_marketplace:event-registrations": api(default=NOT_FOUND, provider=OK, admin=OK),
    "api:apps_marketplace:registration-list": api(default=OK),
    "api:apps_marketplace:registration-detail": api(
        default=NOT_FOUND, member=OK, provider=OK, admin=OK
    ),
    "api:apps_marketplace:registration-cancel": api(
        method="POST", default=NOT_FOUND, member=OK, provider=OK, admin=OK
    ),
    "api:apps_marketplace:registration-confirm": api(method="POST", default=NOT_FOUND, member=OK),
    "api:apps_marketplace:registration-check-in": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, provider=OK, admin=OK
    ),
    "api:apps_marketplace:registration-paid": api(
        method="POST", default=NOT_FOUND, member=FORBIDDEN, provider=OK, admin=OK
    ),
    "api:apps_marketplace:sponsorship-list": api(default=FORBIDDEN, provider=OK, admin=OK),
    "api:apps_marketplace:sponsorship-detail": api(default=NOT_FOUND, provider=OK, admin=OK),
    "api:apps_marketplace:sponsorship-status": api(
        method="POST", default=NOT_FOUND, provider=OK, admin=OK
    ),
    "api:elections:election-list": api(default=OK),
    "api:elections:election-detail": api(default=OK),
    "api:elections:candidate-list": api(default=OK),
    "api:elections:candidate-respond": api(
        method="POST", data={"accept": True}, default=FORBIDDEN, committee=OK
    ),
    "api:elections:candidate-withdraw": api(method="POST", default=FORBIDDEN, committee=OK),
    "api:elections:ballot": (
        api(default=OK),
        api(method="POST", data={"choices": [1]}, default=FORBIDDEN, committee=OK, board=OK),
    ),
    "api:elections:verify": api(method="POST", default=OK),
    "api:elections:results": api(default=OK),
    "api:elections:ballots": api(default=NOT_FOUND),
    "api:elections:certify": api(method="POST", default=FORBIDDEN, board=OK),
    "api-schema": page(default=OK, anonymous=OK),
    "api-docs": page(default=OK, anonymous=OK),
    "app-templates-adopt": page(default=FORBIDDEN, provider=OK, admin=OK),
    "app-template-adopt": page(default=FORBIDDEN, provider=OK, admin=OK),
}

# --- Known defects ------------------------------------------------------------------------------
# (URL name, role) -> why the app answers otherwise today. The matrix states what must happen;
# a known defect turns that mismatch into an xfail with the reason, and once the app is fixed
# the test fails until the line is removed. Listed in the trust report for the app's engineer.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}
# URL names mounted only under a setting; not stale when absent.
OPTIONAL_URLS = frozenset({"bench-floor"})


def public_known_defect(route: Route, role: str, outcome: str) -> str | None:
    """No known defect on the public host: the operators' admin used to answer 500 where it drew
    tenant-only models; core.admin_site.CommonsAdminSite now hides and refuses them there."""
    return None


# --- Group rules ------------------------------------------------------------------------------

ALLAUTH_OPEN = frozenset(
    {
        "account_login",
        "account_logout",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_email",
    }
)


def allauth_rule(route: Route) -> Check | None:
    if not (route.name.startswith("account_") or route.name.startswith("mfa_")):
        return None
    if route.name in ALLAUTH_OPEN:
        return Check(outcomes=dict.fromkeys(ROLES, ANY_ANSWER))
    outcomes = dict.fromkeys(SIGNED_IN, SIGNED_IN_ANSWER)
    outcomes.update(anonymous=LOGIN, other_org=LOGIN)
    return Check(outcomes=outcomes)


ADMIN_STAFF_PAGES = {
    "admin:index": OK,
    "admin:jsi18n": OK,
    "admin:password_change": OK,
    "admin:password_change_done": OK,
}


# The admin tells accounts apart by `is_staff` alone, so its family is asked by one account of
# each kind: nobody, a non-staff member, a staff organisation admin, another organisation's.
ADMIN_FAMILY_ROLES = ("anonymous", "member", "admin", "other_org")


def admin_rule(route: Route) -> Check | None:
    if not route.pattern.startswith("admin/"):
        return None
    if route.name == "admin:login":
        outcomes = dict.fromkeys(ADMIN_FAMILY_ROLES, OK)
        outcomes["admin"] = REDIRECT  # staff already signed in go on to the index
        return Check(outcomes=outcomes)
    if route.name == "admin:logout":
        return Check(outcomes=dict.fromkeys(ADMIN_FAMILY_ROLES, ANY_ANSWER), method="POST")
    outcomes = dict.fromkeys(ADMIN_FAMILY_ROLES, LOGIN)
    if route.name.startswith("<") and route.pattern.endswith("<path:object_id>/"):
        outcomes["admin"] = REDIRECT  # the old-style object URL moves on to .../change/
    elif route.name.endswith("_history"):
        # the history of an object that does not exist sends staff back to the index
        outcomes["admin"] = frozenset({FORBIDDEN, NOT_FOUND, REDIRECT})
    else:
        outcomes["admin"] = ADMIN_STAFF_PAGES.get(route.name, frozenset({FORBIDDEN, NOT_FOUND}))
    return Check(outcomes=outcomes)


GROUP_RULES = (allauth_rule, admin_rule)

# Values for the URL parameters of the grouped families (a literal, see kwargs.py).
GROUP_KWARGS = {
    "object_id": "=1",
    "id": "=1",
    "content_type_id": "=1",
    "app_label": "=core",
    "url": "=no-such-page/",
}


def expectation_for(route: Route) -> tuple[Check, ...] | None:
    entry = MATRIX.get(route.name)
    if entry is None:
        for rule in GROUP_RULES:
            entry = rule(route)
            if entry is not None:
                break
    if entry is None:
        return None
    return entry if isinstance(entry, tuple) else (entry,)


# --- The public site (config.urls_public) ------------------------------------------------------
# Roles there: a visitor, a platform operator (superuser of the public schema), and a signed-in
# account of an organisation presenting its session cookie on the public host.
PUBLIC_ROLES = ("anonymous", "operator", "organization_user")


def public(default, **roles) -> Check:
    return Check(outcomes={role: roles.get(role, default) for role in PUBLIC_ROLES})


PUBLIC_MATRIX: dict[str, Check] = {
    "landing": public(OK),
    "start-network": public(OK),
    "health": public(OK),
    "set_language": public(REDIRECT),
    "app-templates": public(OK),
}


# Tables of these apps exist only in organisations' schemas; the operators' admin on the public
# host must not offer them (it cannot show them).
TENANT_ONLY_APP_LABELS = (
    "network",
    "chapters",
    "meetings",
    "governance",
    "elections",
    "apps_marketplace",
)


def public_expectation_for(route: Route) -> Check | None:
    if route.name in PUBLIC_MATRIX:
        return PUBLIC_MATRIX[route.name]
    if route.pattern.startswith("admin/"):
        if route.name == "admin:login":
            return public(OK, operator=REDIRECT)
        if route.name == "admin:logout":
            return Check(outcomes=dict.fromkeys(PUBLIC_ROLES, ANY_ANSWER), method="POST")
        label = route.pattern.removeprefix("admin/").split("/", 1)[0]
        if label in TENANT_ONLY_APP_LABELS:
            # organisation models: refused on the public host (core.admin_site)
            return public(LOGIN, operator=frozenset({REDIRECT, FORBIDDEN, NOT_FOUND}))
        if route.name.startswith("<") or route.name.endswith("_history"):
            # object URLs: moved on, sent back to the index, or the history of row 1 (it exists
            # for the public tenant, the first app template and the first audit entry)
            return public(LOGIN, operator=frozenset({OK, REDIRECT, FORBIDDEN, NOT_FOUND}))
        if label in TENANT_ONLY_APP_LABELS:
            return public(LOGIN, operator=frozenset({FORBIDDEN, NOT_FOUND}))
        operator = {
            "admin:index": OK,
            "admin:jsi18n": OK,
            "admin:password_change": OK,
            "admin:password_change_done": OK,
        }.get(route.name, frozenset({OK, REDIRECT, FORBIDDEN, NOT_FOUND}))
        return public(LOGIN, operator=operator)
    return None
