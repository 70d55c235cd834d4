"""Messages to people — in-app notifications and email — each written in the recipient's language.

Services pass text that is not translated yet: a `gettext_lazy` string, or one with values in it,
`lazy_interpolate(gettext_lazy("%(who)s joined %(chapter)s"), who=user, chapter=chapter.name)`.
It is rendered once per recipient inside `translation.override` of their language
(`User.language`, else `settings.LANGUAGE_CODE`), so what an English-speaking facilitator does
reaches a French-speaking member in French. Emails leave once the transaction commits."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from .hosts import absolute_url
from .models import User
from .services import notification_create
from .tasks import send_email

Text = str | Promise | Callable[[], str]


def language_of(user: User | None) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def render(text: Text) -> str:
    """The text in the active language."""
    return str(text() if callable(text) else text)


def lazy_interpolate(template: Text, /, **params: object) -> Callable[[], str]:
    """`template % params`, rendered later in the language active then. A value that is itself
    lazy or a function (a choice's label, a date to format) is rendered the same way."""

    def text() -> str:
        values = {
            name: render(value) if callable(value) or isinstance(value, Promise) else value
            for name, value in params.items()
        }
        return render(template) % values

    return text


def link_to(path: str) -> str:
    try:
        return absolute_url(path)
    except AttributeError:
        # Management commands run under schema_context (a FakeTenant without domains); the
        # relative link still works in the app.
        return path


def email_after_commit(*, to: list[str], subject: str, body: str) -> None:
    """Send an already rendered email once the transaction commits (never for a rolled-back
    change)."""
    if not to:
        return
    payload = {
        "subject": f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        "body": body,
        "to": to,
    }
    transaction.on_commit(lambda: send_email.delay(**payload))


def email_address(*, to: str, subject: Text, body: Text, user: User | None = None) -> None:
    """An email to an address whose owner may have no account yet: in `user`'s language when the
    address is theirs, else in the organisation's default."""
    with translation.override(language_of(user)):
        email_after_commit(to=[to], subject=render(subject), body=render(body))


def notify(
    users: Iterable[User],
    *,
    title: Text,
    body: Text = "",
    path: str = "",
    email: bool = True,
    exclude: Iterable[User | None] = (),
) -> int:
    """Tell each active user once (skipping `exclude`) in the app and, unless `email=False`, by
    email with a link to `path` — each in their own language. Returns how many were told."""
    skip = {user.pk for user in exclude if user is not None}
    link = link_to(path) if path and email else ""
    told = 0
    for user in users:
        if user.pk in skip or not user.is_active:
            continue
        skip.add(user.pk)
        with translation.override(language_of(user)):
            subject, text = render(title), render(body)
        notification_create(user=user, title=subject, body=text, url=path)
        if email and user.email:
            message = f"{text}\n\n{link}" if link else text
            email_after_commit(to=[user.email], subject=subject, body=message.strip())
        told += 1
    return told
