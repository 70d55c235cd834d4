"""The seat rules shared by proposals, invitations, join requests and acceptance: no direct
competitors (one seat per sector, two where the organisation allows it) and the size bounds."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import F
from django.utils.translation import gettext as _

from core.models import User
from network.models import Entrepreneur, Sector

from .. import selectors
from ..errors import ChapterFull, ChapterPermissionDenied, SeatTaken
from ..models import Chapter, ChapterSettings, Invitation, Membership


def lock_chapter(chapter: Chapter) -> Chapter:
    """Lock the chapter's row for the rest of the transaction: every seat change of one chapter
    goes through this lock, so two acceptances cannot both take the last seat of a sector."""
    return Chapter.objects.select_for_update().get(pk=chapter.pk)


def require_manager(actor: User, chapter: Chapter, what: str) -> None:
    if not selectors.can_manage_chapter(actor, chapter):
        raise ChapterPermissionDenied(
            _("Only the chapter's facilitators can %(what)s.") % {"what": what}
        )


def sector_seat_message(
    sector: Sector, chapter: Chapter, rules: ChapterSettings, *, by: str
) -> str:
    seats = (
        _("one seat")
        if rules.seats_per_sector == 1
        else _("%(n)s seats") % {"n": rules.seats_per_sector}
    )
    return (
        f"The {sector.name} seat in {chapter.name} is already taken{by}. A chapter has {seats} "
        f"per sector, so that nobody sits with a direct competitor."
    )


def check_seat_available(
    *,
    chapter: Chapter,
    sector: Sector,
    rules: ChapterSettings,
    exclude_invitation: Invitation | None = None,
    count_invitations: bool = True,
) -> None:
    """Raise SeatTaken or ChapterFull unless a new person of `sector` fits. At proposal and
    approval, open invitations hold their seat too; at acceptance only members count."""
    taken = selectors.seats_taken(chapter)
    reserved = (
        selectors.seats_reserved(chapter, exclude_invitation=exclude_invitation)
        if count_invitations
        else {}
    )
    if taken.get(sector.pk, 0) >= rules.seats_per_sector:
        raise SeatTaken(sector_seat_message(sector, chapter, rules, by=" by a member"))
    if taken.get(sector.pk, 0) + reserved.get(sector.pk, 0) >= rules.seats_per_sector:
        raise SeatTaken(sector_seat_message(sector, chapter, rules, by=" by a pending invitation"))
    size = sum(taken.values())
    pending = sum(reserved.values())
    if size >= rules.max_size:
        raise ChapterFull(
            _(
                "%(chapter)s is full: it has %(size)s members and a chapter has at most "
                "%(max_size)s."
            )
            % {"chapter": chapter.name, "size": size, "max_size": rules.max_size}
        )
    if size + pending >= rules.max_size:
        raise ChapterFull(
            _(
                "%(chapter)s has no place left: its %(size)s members and %(pending)s "
                "pending invitations fill its %(max_size)s places."
            )
            % {
                "chapter": chapter.name,
                "size": size,
                "pending": pending,
                "max_size": rules.max_size,
            }
        )


def check_roster(*, sectors: Iterable[Sector], rules: ChapterSettings, existing: int = 0) -> None:
    """A founding roster: no more people per sector than seats, and no more than the maximum."""
    sectors = list(sectors)
    for sector, count in Counter(sectors).items():
        if count > rules.seats_per_sector:
            seats = (
                _("one seat")
                if rules.seats_per_sector == 1
                else _("%(n)s seats") % {"n": rules.seats_per_sector}
            )
            raise SeatTaken(
                _(
                    "%(count)s founders are in %(sector)s, but a chapter has %(seats)s per "
                    "sector, so that nobody sits with a direct competitor."
                )
                % {"count": count, "sector": sector.name, "seats": seats}
            )
    if existing + len(sectors) > rules.max_size:
        raise ChapterFull(
            _("A chapter has at most %(max_size)s members; this roster has %(size)s.")
            % {"max_size": rules.max_size, "size": existing + len(sectors)}
        )


def free_seat_number(*, chapter: Chapter, sector: Sector, rules: ChapterSettings) -> int:
    """The seat a new member of `sector` takes (1, or 2 where two are allowed), counting members
    only. Call with the chapter locked."""
    held = set(
        Membership.objects.filter(chapter=chapter, sector=sector, left_at__isnull=True).values_list(
            "seat_number", flat=True
        )
    )
    for number in range(1, rules.seats_per_sector + 1):
        if number not in held:
            return number
    raise SeatTaken(sector_seat_message(sector, chapter, rules, by=" by a member"))


def chapter_count_add(*, user_id: int, delta: int) -> None:
    """Keep Entrepreneur.active_chapter_count in step, in the membership's own transaction."""
    queryset = Entrepreneur.objects.filter(user_id=user_id)
    if delta < 0:
        queryset = queryset.filter(active_chapter_count__gte=-delta)
    queryset.update(active_chapter_count=F("active_chapter_count") + delta)
