"""Writes that every app shares: the audit log, notifications, roles and personal API tokens."""

import hashlib
import secrets

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from .errors import ApplicationError
from .models import ApiToken, AuditEntry, Notification, Role, RoleAssignment, User

API_TOKEN_PREFIX_LENGTH = 8


def audit_record(
    *, actor: User | None, action: str, target: models.Model | None = None, data: dict | None = None
) -> AuditEntry:
    """Record who did what. `data` must never hold confidential text."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


def _forget_unread_count(user: User) -> None:
    """The count memoised on the user (core.selectors.unread_notification_count) is stale."""
    if getattr(user, "_unread_count", None) is not None:
        del user._unread_count


def notification_create(*, user: User, title: str, body: str = "", url: str = "") -> Notification:
    _forget_unread_count(user)
    return Notification.objects.create(user=user, title=title[:200], body=body, url=url)


def notifications_mark_read(*, user: User) -> int:
    _forget_unread_count(user)
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def role_grant(*, user: User, role: Role, actor: User | None = None) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role)
    if created:
        audit_record(actor=actor, action="role.grant", target=user, data={"role": role})
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: Role, actor: User | None = None) -> None:
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role).delete()
    if deleted:
        audit_record(actor=actor, action="role.revoke", target=user, data={"role": role})


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(
            gettext("Give the token a name, so you can recognise it later."), field="name"
        )
    if len(name) > 80:
        raise ApplicationError(gettext("The name can be at most 80 characters."), field="name")
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise ApplicationError(
            gettext("You have 20 active tokens; revoke one before making another.")
        )
    prefix = secrets.token_hex(API_TOKEN_PREFIX_LENGTH // 2)
    key = f"cmn_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=hash_api_key(key))
    audit_record(actor=user, action="api_token.create", target=token, data={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token)
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token for a presented key, or None. Marks it used (at most once a minute)."""
    if not key.startswith("cmn_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_api_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
