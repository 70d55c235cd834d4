"""Messages to attendees, providers and admins, each in its reader's language (core.notify);
emails leave after the transaction commits."""

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.hosts import absolute_url
from core.models import Role, User
from core.notify import Text, email_after_commit, language_of, lazy_interpolate, notify, render
from core.services import notification_create

from ..models import App, Registration


def _registrant_email(registration: Registration, lines: list[str], link: str) -> str:
    event = registration.event
    when = f"{date_format(event.starts_local, 'l j F Y, H:i')} ({event.metro.time_zone})"
    return "\n".join(
        [
            _("Hello %(name)s,") % {"name": registration.name},
            "",
            *lines,
            "",
            event.title,
            when,
            event.venue,
            "",
            _("Your registration: %(link)s") % {"link": link},
        ]
    )


def tell_registrant(registration: Registration, *, subject: Text, lines: list[Text]) -> None:
    """Email the registrant (a member or a guest) and, for a member, notify them in the app; the
    first line is the notification's text."""
    path = reverse("apps_marketplace:registration-manage", args=[registration.token])
    member = registration.user if registration.user_id else None
    with translation.override(language_of(member)):
        title = render(subject)
        said = [render(line) for line in lines]
        body = _registrant_email(registration, said, absolute_url(path))
    email_after_commit(subject=title, body=body, to=[registration.email])
    if member is not None:
        notification_create(user=member, title=title, body=said[0], url=path)


def tell_admins_app_waits(app: App) -> None:
    notify(
        User.objects.filter(roles__role=Role.ORGANIZATION_ADMIN, is_active=True),
        title=lazy_interpolate(gettext_lazy("App “%(app)s” waits for your approval"), app=app.name),
        body=lazy_interpolate(gettext_lazy("Listed by %(provider)s."), provider=app.provider),
        path=reverse("apps_marketplace:review"),
        email=False,
    )


def tell_provider(app: App, *, title: Text, body: Text = "") -> None:
    notify(
        [app.provider],
        title=title,
        body=body,
        path=reverse("apps_marketplace:app-manage", args=[app.pk]),
        email=False,
    )
