"""Secret calendar subscription links. The secret is shown once when made; only its SHA-256 hash
is stored. Making a new link for the same scope revokes the old one."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.models import Chapter
from core.models import User
from core.services import audit_record

from .. import selectors
from ..errors import MeetingPermissionDenied
from ..models import CalendarFeed

FEED_KEY_PREFIX = "cal_"


def hash_feed_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User, chapter: Chapter | None = None) -> tuple[CalendarFeed, str]:
    """A new secret link for the member's meetings (chapter None) or one chapter's; returns it
    with the key, which is never stored."""
    if chapter is not None and not selectors.is_chapter_member(user, chapter):
        raise MeetingPermissionDenied(
            _("Only the chapter's members can subscribe to its meetings.")
        )
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, chapter=chapter, revoked_at__isnull=True).update(
        revoked_at=now
    )
    prefix = secrets.token_hex(4)
    key = f"{FEED_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    feed = CalendarFeed.objects.create(
        user=user, chapter=chapter, prefix=prefix, key_hash=hash_feed_key(key)
    )
    audit_record(
        actor=user,
        action="meetings.calendar.create",
        target=feed,
        data={"chapter": chapter.pk if chapter else None},
    )
    return feed, key


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, user: User) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="meetings.calendar.revoke", target=feed)
    return feed


def calendar_feed_authenticate(*, key: str) -> CalendarFeed | None:
    """The live feed for a presented key, while its owner is active (and, for a chapter feed,
    still a member), else None. Marks it used at most once an hour."""
    if not key.startswith(FEED_KEY_PREFIX) or len(key) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "chapter__metro")
        .filter(key_hash=hash_feed_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    if feed.chapter is not None and not selectors.is_chapter_member(feed.user, feed.chapter):
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed
