"""Side effects of governance services: in-app notifications and email, sent after the commit.

Messages name the escalation's number, summary, category and chapter — never the raiser of an
anonymous escalation and never its description (which stays on the permission-checked page)."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from core.hosts import absolute_url
from core.models import Role, User
from core.services import notification_create
from core.tasks import send_email


def email_after_commit(*, to: list[str], subject: str, body: str) -> None:
    if not to:
        return
    payload = {"subject": f"[Commons] {subject}", "body": body, "to": to}
    transaction.on_commit(lambda: send_email.delay(**payload))


def notify(
    users: Iterable[User],
    *,
    title: str,
    body: str = "",
    path: str = "",
    exclude: Iterable[User | None] = (),
) -> int:
    """Tell each user (once, skipping `exclude`) in the app and by email, with a link to `path`."""
    skip = {user.pk for user in exclude if user is not None}
    link = absolute_url(path) if path else ""
    told = 0
    for user in users:
        if user.pk in skip or not user.is_active:
            continue
        skip.add(user.pk)
        notification_create(user=user, title=title, body=body, url=path)
        if user.email:
            text = f"{body}\n\n{link}" if link else body
            email_after_commit(to=[user.email], subject=title, body=text.strip())
        told += 1
    return told


def organization_admins() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(roles__role=Role.ORGANIZATION_ADMIN) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
