"""The seat rules shared by proposals, invitations, join requests and acceptance: no direct
competitors (one seat per sector, two where the organisation allows it) and the size bounds."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import F

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
        raise ChapterPermissionDenied(f"Only the chapter's facilitators can {what}.")


def sector_seat_message(
    sector: Sector, chapter: Chapter, rules: ChapterSettings, *, by: str
) -> str:
    seats = "one seat" if rules.seats_per_sector == 1 else f"{rules.seats_per_sector} seats"
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
            f"{chapter.name} is full: it has {size} members and a chapter has at most "
            f"{rules.max_size}."
        )
    if size + pending >= rules.max_size:
        raise ChapterFull(
            f"{chapter.name} has no place left: its {size} members and {pending} pending "
            f"invitations fill its {rules.max_size} places."
        )


def check_roster(*, sectors: Iterable[Sector], rules: ChapterSettings, existing: int = 0) -> None:
    """A founding roster: no more people per sector than seats, and no more than the maximum."""
    sectors = list(sectors)
    for sector, count in Counter(sectors).items():
        if count > rules.seats_per_sector:
            seats = "one seat" if rules.seats_per_sector == 1 else f"{rules.seats_per_sector} seats"
            raise SeatTaken(
                f"{count} founders are in {sector.name}, but a chapter has {seats} per sector, "
                "so that nobody sits with a direct competitor."
            )
    if existing + len(sectors) > rules.max_size:
        raise ChapterFull(
            f"A chapter has at most {rules.max_size} members; this roster has "
            f"{existing + len(sectors)}."
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
