"""Messages to attendees, providers and admins, sent after the transaction commits."""

from django.db import transaction
from django.urls import reverse

from core.hosts import absolute_url
from core.models import Role, User
from core.services import notification_create
from core.tasks import send_email

from ..models import App, Registration


def email_later(*, subject: str, body: str, to: list[str]) -> None:
    transaction.on_commit(lambda: send_email.delay(subject=subject, body=body, to=to))


def tell_registrant(registration: Registration, *, subject: str, lines: list[str]) -> None:
    event = registration.event
    when = f"{event.starts_local:%A %d %B %Y, %H:%M} ({event.metro.time_zone})"
    path = reverse("apps_marketplace:registration-manage", args=[registration.token])
    link = absolute_url(path)
    body = "\n".join(
        [
            f"Hello {registration.name},",
            "",
            *lines,
            "",
            f"{event.title}",
            f"{when}",
            f"{event.venue}",
            "",
            f"Your registration: {link}",
        ]
    )
    email_later(subject=subject, body=body, to=[registration.email])
    if registration.user_id:
        notification_create(user=registration.user, title=subject, body=lines[0], url=path)


def tell_admins_app_waits(app: App) -> None:
    admins = User.objects.filter(roles__role=Role.ORGANIZATION_ADMIN, is_active=True)
    url = reverse("apps_marketplace:review")
    for admin in admins:
        notification_create(
            user=admin,
            title=f"App “{app.name}” waits for your approval",
            body=f"Listed by {app.provider}.",
            url=url,
        )


def tell_provider(app: App, *, title: str, body: str = "") -> None:
    notification_create(
        user=app.provider,
        title=title,
        body=body,
        url=reverse("apps_marketplace:app-manage", args=[app.pk]),
    )
