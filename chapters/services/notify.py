"""Side effects of chapter services: in-app notifications and email, sent after the commit."""

from collections.abc import Iterable

from django.db import transaction

from core.hosts import absolute_url
from core.models import User
from core.services import notification_create
from core.tasks import send_email


def email_after_commit(*, to: list[str], subject: str, body: str) -> None:
    if not to:
        return
    payload = {"subject": f"[Commons] {subject}", "body": body, "to": to}
    transaction.on_commit(lambda: send_email.delay(**payload))


def notify(
    users: Iterable[User], *, title: str, body: str = "", path: str = "", email: bool = True
) -> None:
    """Tell each user in the app and, unless `email=False`, by email with a link to `path`."""
    link = absolute_url(path) if path else ""
    for user in users:
        notification_create(user=user, title=title, body=body, url=path)
        if email and user.email:
            text = f"{body}\n\n{link}" if link else body
            email_after_commit(to=[user.email], subject=title, body=text.strip())
