"""Routing by density (rule 5): an escalation goes to the lowest existing committee covering its
chapter's metro — metro, then region, then country — else to the board. Escalating goes to the next
existing level above the current one. A committee "exists" for routing when it is active and has
at least one current member; the board always takes what reaches it. The reason is written in
words, recorded with the hop and shown on the escalation's page; it is rendered where it is used,
so that a notification gives it in its reader's language."""

from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.notify import Text
from network.models import Metro

from ..models import LEVEL_ORDER, Committee, Level, current_seat_q


def board_ensure() -> Committee:
    """The organisation's board (made by a data migration; made here should it be missing)."""
    board = Committee.objects.filter(level=Level.BOARD).first()
    if board is not None:
        return board
    try:
        with transaction.atomic():
            return Committee.objects.create(level=Level.BOARD)
    except IntegrityError:
        return Committee.objects.get(level=Level.BOARD)


@dataclass(frozen=True)
class Route:
    committee: Committee
    reason: Text  # core.notify.render() gives it in the active language


def _places(metro: Metro) -> dict[str, object]:
    region = metro.region
    return {Level.METRO: metro, Level.REGION: region, Level.COUNTRY: region.country}


def _covering_committees(metro: Metro) -> dict[str, Committee]:
    """level → committee covering the metro (active or not), with its current member count."""
    region = metro.region
    committees = Committee.objects.filter(
        Q(metro=metro)
        | Q(region_id=region.pk)
        | Q(country_id=region.country_id)
        | Q(level=Level.BOARD)
    ).annotate(seat_count=Count("memberships", filter=current_seat_q("memberships__")))
    return {committee.level: committee for committee in committees}


def _missing(level: str, place, committee: Committee | None) -> str:
    label = Level(level).label.lower()
    if committee is None or not committee.is_active:
        return _("no %(level)s committee for %(place)s") % {"level": label, "place": place}
    return _("the %(place)s committee has no current members") % {"place": place}


def _reason(missing: tuple, found: tuple | None) -> str:
    """Why the route goes where it does, in the active language. `missing`: (level, place,
    committee) of each level passed over; `found`: (level, place) of the committee taking it, or
    None for the board."""
    skipped = [_missing(level, place, committee) for level, place, committee in missing]
    if found is None:
        if skipped:
            reason = _("%(skipped)s; the board takes it.") % {"skipped": "; ".join(skipped)}
        else:
            reason = _("The board takes it.")
    else:
        level, place = found
        found_text = _("%(place)s has a %(level)s committee.") % {
            "place": place,
            "level": Level(level).label.lower(),
        }
        reason = "; ".join([*skipped, found_text]) if skipped else found_text
    return _capitalise(reason)


def route_from(metro: Metro, *, above: Committee | None = None) -> Route:
    """The committee an escalation from `metro` goes to: the lowest existing one, or the lowest
    existing one above `above` when escalating further."""
    places = _places(metro)
    committees = _covering_committees(metro)
    start = LEVEL_ORDER.index(above.level) + 1 if above is not None else 0
    missing: list[tuple] = []
    for level in LEVEL_ORDER[start:]:
        committee = committees.get(level)
        if level == Level.BOARD:
            board = committee or board_ensure()
            return Route(committee=board, reason=partial(_reason, tuple(missing), None))
        if committee is not None and committee.is_active and committee.seat_count > 0:
            found = (level, places[level])
            return Route(committee=committee, reason=partial(_reason, tuple(missing), found))
        missing.append((level, places[level], committee))
    raise AssertionError("the board is always the last level")  # pragma: no cover


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
