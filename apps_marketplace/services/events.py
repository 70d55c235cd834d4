"""Events: runs of an approved app in a metro. Times are entered in the metro's local time,
stored in UTC and shown in local time again."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from core.models import User
from core.services import audit_record
from network.models import Metro

from ..errors import MarketplaceConflict, MarketplaceError, MarketplacePermissionDenied
from ..models import App, Event, Registration
from ..selectors import can_manage_app
from .apps import _money, full_clean_or_raise

EDITABLE_FIELDS = (
    "metro",
    "title",
    "description",
    "venue",
    "address",
    "starts_at",
    "ends_at",
    "capacity",
    "price",
    "currency",
)
MAX_EVENT_LENGTH = datetime.timedelta(days=14)


def local_to_utc(value: datetime.datetime, metro: Metro, *, field: str) -> datetime.datetime:
    """A naive local time in the metro's zone (or an aware time, taken as is) to UTC. Refuses a
    local time that does not exist (the hour skipped when clocks go forward)."""
    if timezone.is_aware(value):
        return value.astimezone(datetime.UTC)
    zone = metro.tzinfo
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        raise MarketplaceError(
            _(
                "%(time)s does not exist on %(date)s in %(time_zone)s (the clocks go "
                "forward); choose another time."
            )
            % {
                "time": time_format(value, "H:i"),
                "date": date_format(value, "j F Y"),
                "time_zone": metro.time_zone,
            },
            field=field,
        )
    return aware.astimezone(datetime.UTC)


def _validate_times(event: Event, *, require_future: bool) -> None:
    if event.ends_at <= event.starts_at:
        raise MarketplaceError(_("The event must end after it starts."), field="ends_at")
    if event.ends_at - event.starts_at > MAX_EVENT_LENGTH:
        raise MarketplaceError(_("An event lasts at most 14 days."), field="ends_at")
    if require_future and event.starts_at <= timezone.now():
        raise MarketplaceError(_("The event must start in the future."), field="starts_at")


def _validate_capacity(capacity) -> int:
    try:
        capacity = int(capacity)
    except (TypeError, ValueError) as error:
        raise MarketplaceError(_("Enter a whole number of seats."), field="capacity") from error
    if capacity < 1:
        raise MarketplaceError(_("An event needs at least one seat."), field="capacity")
    return capacity


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING_SEAT).count()


@transaction.atomic
def event_create(
    *,
    app: App,
    actor: User,
    metro: Metro,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue: str,
    capacity: int,
    title: str = "",
    description: str = "",
    address: str = "",
    price: Decimal | None = None,
    currency: str | None = None,
    publish: bool = False,
) -> Event:
    """Plan a run of an app. Naive times are the metro's local time."""
    if not can_manage_app(actor, app):
        raise MarketplacePermissionDenied(_("Only the app's provider can plan its events."))
    if app.status in (App.Status.REJECTED, App.Status.WITHDRAWN):
        raise MarketplaceConflict(_("This app is not in the marketplace; it cannot have events."))
    event = Event(
        app=app,
        metro=metro,
        title=(title or "").strip() or app.name,
        description=(description or "").strip(),
        venue=(venue or "").strip(),
        address=(address or "").strip(),
        starts_at=local_to_utc(starts_at, metro, field="starts_at"),
        ends_at=local_to_utc(ends_at, metro, field="ends_at"),
        capacity=_validate_capacity(capacity),
        price=_money(app.default_price if price is None else price, "price"),
        currency=currency or app.currency,
    )
    _validate_times(event, require_future=True)
    full_clean_or_raise(event)
    event.save()
    audit_record(actor=actor, action="marketplace.event.create", target=event)
    if publish:
        event = event_publish(event=event, actor=actor)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: User, **changes) -> Event:
    """Change an event that has not happened. A lower capacity may not drop people who hold a
    seat; a higher one offers the new seats to the waiting list."""
    from .registrations import fill_free_seats

    if not can_manage_app(actor, event.app):
        raise MarketplacePermissionDenied(_("Only the app's provider can change its events."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise MarketplaceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("app", "metro")
        .get(pk=event.pk)
    )
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise MarketplaceConflict(
            _("This event is %(status)s.") % {"status": event.get_status_display().lower()}
        )
    metro = changes.get("metro", event.metro)
    if "starts_at" in changes:
        changes["starts_at"] = local_to_utc(changes["starts_at"], metro, field="starts_at")
    if "ends_at" in changes:
        changes["ends_at"] = local_to_utc(changes["ends_at"], metro, field="ends_at")
    if "capacity" in changes:
        changes["capacity"] = _validate_capacity(changes["capacity"])
    if "price" in changes:
        changes["price"] = _money(changes["price"], "price")
    if (
        "currency" in changes
        and changes["currency"] != event.currency
        and (event.registrations.exclude(status=Registration.Status.CANCELLED).exists())
    ):
        raise MarketplaceConflict(
            _("People have registered; the currency can no longer change."), field="currency"
        )
    changed = [name for name, value in changes.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, changes[name])
    if "starts_at" in changed or "ends_at" in changed:
        _validate_times(event, require_future=True)
    if "capacity" in changed:
        taken = _seats_taken(event)
        if event.capacity < taken:
            raise MarketplaceConflict(
                _("%(taken)s people hold a seat; the capacity cannot go below that.")
                % {"taken": taken},
                field="capacity",
            )
    full_clean_or_raise(event)
    event.save()
    audit_record(
        actor=actor, action="marketplace.event.update", target=event, data={"fields": changed}
    )
    if "capacity" in changed:
        fill_free_seats(event)
    return event


@transaction.atomic
def event_publish(*, event: Event, actor: User) -> Event:
    if not can_manage_app(actor, event.app):
        raise MarketplacePermissionDenied(_("Only the app's provider can publish its events."))
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("app", "metro")
        .get(pk=event.pk)
    )
    if event.status != Event.Status.DRAFT:
        raise MarketplaceConflict(
            _("This event is already %(status)s.") % {"status": event.get_status_display().lower()}
        )
    if event.app.status != App.Status.APPROVED:
        raise MarketplaceConflict(
            _(
                "The organisation has not approved this app yet; its events are "
                "published after approval."
            )
        )
    if event.starts_at <= timezone.now():
        raise MarketplaceError(_("The event must start in the future."), field="starts_at")
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status", "modified"])
    audit_record(actor=actor, action="marketplace.event.publish", target=event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: User, reason: str) -> Event:
    """Cancel an event: everyone registered is cancelled and refunded in full, and told."""
    from .registrations import registration_cancel

    if not can_manage_app(actor, event.app):
        raise MarketplacePermissionDenied(_("Only the app's provider can cancel its events."))
    reason = (reason or "").strip()
    if not reason:
        raise MarketplaceError(_("Tell the attendees why the event is cancelled."), field="reason")
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("app", "metro")
        .get(pk=event.pk)
    )
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise MarketplaceConflict(
            _("This event is already %(status)s.") % {"status": event.get_status_display().lower()}
        )
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason[:500]
    event.save(update_fields=["status", "cancel_reason", "modified"])
    for registration in event.registrations.filter(status__in=Registration.ACTIVE).select_related(
        "user"
    ):
        registration_cancel(
            registration=registration, actor=actor, by_organiser=True, reason=reason
        )
    audit_record(actor=actor, action="marketplace.event.cancel", target=event)
    return event


@transaction.atomic
def event_complete(*, event: Event, actor: User | None = None) -> Event:
    """Mark a published event that has ended as completed; open offers lapse."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED or event.ends_at > timezone.now():
        return event
    event.status = Event.Status.COMPLETED
    event.save(update_fields=["status", "modified"])
    event.registrations.filter(
        status__in=(Registration.Status.WAITLISTED, Registration.Status.OFFERED)
    ).update(status=Registration.Status.EXPIRED)
    audit_record(actor=actor, action="marketplace.event.complete", target=event)
    return event


def events_complete_finished() -> int:
    finished = Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__lte=timezone.now())
    count = 0
    for event in finished.only("pk"):
        event_complete(event=event)
        count += 1
    return count
