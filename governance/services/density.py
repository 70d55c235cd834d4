"""The density check (periodic, per organisation): a place whose active chapters reach its
level's threshold while it has no committee, or fall below it while it has one, raises one alert
to the organisation admins — one per crossing, however often the check runs. Admins form or stand
down the committee (which resolves the alert) or dismiss it."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from core.notify import lazy_interpolate, notify
from core.services import audit_record

from .. import selectors
from ..errors import GovernanceError
from ..models import DensityAlert, Level
from .committees import require_admin
from .notify import organization_admins


def _last_direction(level: str, place_pk: int, latest: dict) -> str | None:
    alert = latest.get((level, place_pk))
    return alert.direction if alert is not None else None


def density_check() -> list[DensityAlert]:
    """Compare every place with its threshold; alert the admins about each new crossing."""
    latest: dict = {}
    for alert in DensityAlert.objects.order_by("created", "pk"):
        latest[(alert.level, alert.metro_id or alert.region_id or alert.country_id)] = alert
    created = []
    for row in selectors.places_flat(selectors.places_density()):
        last = _last_direction(row.level, row.place.pk, latest)
        # Before any alert, a place's known state is whether it has a committee.
        was_above = (last == DensityAlert.Direction.REACHED) if last else row.has_active_committee
        if row.meets_threshold == was_above:
            continue
        direction = (
            DensityAlert.Direction.REACHED
            if row.meets_threshold
            else DensityAlert.Direction.FELL_BELOW
        )
        alert = _alert_create(row, direction)
        if alert is not None:
            created.append(alert)
    return created


@transaction.atomic
def _alert_create(row, direction: str) -> DensityAlert | None:
    now = timezone.now()
    place_field = {row.level: row.place}
    # The earlier crossing (if still open) is superseded by this one.
    DensityAlert.objects.filter(resolved_at__isnull=True, **place_field).update(
        resolved_at=now, resolution="Superseded by a later crossing."
    )
    # A crossing that asks nothing of the admins (it reached the threshold and already has a
    # committee, or fell below it and has none) is recorded, closed, so the next one is noticed.
    actionable = row.has_active_committee != (direction == DensityAlert.Direction.REACHED)
    try:
        with transaction.atomic():
            alert = DensityAlert.objects.create(
                level=row.level,
                direction=direction,
                active_chapters=row.active_chapters,
                threshold=row.threshold,
                created=now,
                **place_field,
                resolved_at=None if actionable else now,
                resolution="" if actionable else "Nothing to do: the committee matches.",
            )
    except IntegrityError:
        return None  # another run recorded this crossing a moment ago
    if not actionable:
        return alert
    facts = {
        "place": row.place,
        "level": lambda: Level(row.level).label.lower(),
        "count": row.active_chapters,
        "threshold": row.threshold,
    }
    if direction == DensityAlert.Direction.REACHED:
        title = gettext_lazy("%(place)s can have a steering committee")
        body = gettext_lazy(
            "%(place)s (%(level)s) has %(count)s active chapters, reaching the threshold of "
            "%(threshold)s. Form its steering committee and appoint members; until then its "
            "escalations go to the next level up."
        )
    else:
        title = gettext_lazy("%(place)s fell below its committee threshold")
        body = gettext_lazy(
            "%(place)s (%(level)s) has %(count)s active chapters, below the threshold of "
            "%(threshold)s, and still has a steering committee. Stand it down, or keep it and "
            "dismiss this alert."
        )
    notify(
        organization_admins(),
        title=lazy_interpolate(title, place=row.place),
        body=lazy_interpolate(body, **facts),
        path=reverse("governance:density"),
    )
    alert.notified_at = timezone.now()
    alert.save(update_fields=["notified_at"])
    audit_record(
        actor=None,
        action="governance.density.alert",
        target=alert,
        data={
            "level": row.level,
            "place": row.place.pk,
            "direction": direction,
            "active_chapters": row.active_chapters,
            "threshold": row.threshold,
        },
    )
    return alert


@transaction.atomic
def density_alert_dismiss(*, alert: DensityAlert, actor: User, note: str = "") -> DensityAlert:
    """Keep things as they are (e.g. a committee stays despite a dip): the alert is closed, and
    the next alert for the place comes with the next crossing."""
    require_admin(actor, _("dismiss density alerts"))
    alert = DensityAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.resolved_at is not None:
        raise GovernanceError(_("This alert is already closed."))
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor
    alert.resolution = (note or "Dismissed.").strip()[:200]
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(actor=actor, action="governance.density.dismiss", target=alert)
    return alert
