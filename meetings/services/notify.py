"""Messages to members about their meetings, each in the member's language and the metro's time.

Never carries confidential text (shares, stories, follow-ups, minutes): only the chapter, the
time, the place and a link."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chapters.selectors import chapter_member_user_ids
from core.hosts import absolute_url
from core.models import User
from core.services import notification_create
from core.tasks import send_email

from ..models import Meeting


def local_when(meeting: Meeting) -> str:
    """ "Tuesday 3 March 2026, 18:30 (Europe/Paris)" in the active language."""
    tz = meeting.chapter.metro.tzinfo
    local = timezone.localtime(meeting.starts_at, tz)
    return f"{date_format(local, 'l j F Y, H:i')} ({meeting.chapter.metro.time_zone})"


def place_of(meeting: Meeting) -> str:
    parts = [part for part in (meeting.location, meeting.video_url) if part]
    return " · ".join(parts) if parts else _("place to be confirmed")


def meeting_url(meeting: Meeting) -> str:
    return absolute_url(reverse("meetings:meeting", args=[meeting.pk]))


def send_to_member(*, user: User, subject: str, body: str, url: str) -> None:
    """An in-app notification now, and an email once the transaction commits."""
    notification_create(user=user, title=subject, body=body, url=url)
    if user.email:
        transaction.on_commit(
            lambda: send_email.delay(subject=subject, body=f"{body}\n\n{url}\n", to=[user.email])
        )


CHANGE_SUBJECTS = {
    # Translated inside the member's language (see notify_meeting_changed).
    "added": lambda: _("New meeting of %(chapter)s"),
    "moved": lambda: _("Meeting moved: %(chapter)s"),
    "cancelled": lambda: _("Meeting cancelled: %(chapter)s"),
}


def notify_meeting_changed(*, meeting: Meeting, change: str) -> None:
    members = User.objects.filter(pk__in=chapter_member_user_ids(meeting.chapter), is_active=True)
    url = meeting_url(meeting)
    for user in members:
        with translation.override(user.language or "en"):
            subject = CHANGE_SUBJECTS[change]() % {"chapter": meeting.chapter.name}
            if change == "cancelled":
                body = _("The meeting of %(when)s will not take place.") % {
                    "when": local_when(meeting)
                }
                if meeting.cancel_reason:
                    body += "\n" + _("Reason: %(reason)s") % {"reason": meeting.cancel_reason}
            else:
                body = _("When: %(when)s\nWhere: %(where)s") % {
                    "when": local_when(meeting),
                    "where": place_of(meeting),
                }
            send_to_member(user=user, subject=subject, body=body, url=url)
