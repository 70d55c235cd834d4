"""Reads of the marketplace, with the permission filtering built in.

Who sees what:
* anyone (guests included) — approved apps and their published, cancelled or completed events;
* a provider — also their own apps and events in any state, their attendees, sponsors and revenue;
* an organisation admin — everything, including every provider's revenue.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from core.models import Role, RoleAssignment, User
from core.selectors import user_has_role, user_is_organization_admin
from network.models import Metro

from .models import (
    App,
    Event,
    LedgerEntry,
    MarketplaceSettings,
    Registration,
    Sponsorship,
    SponsorshipPackage,
)

PUBLIC_EVENT_STATUSES = (Event.Status.PUBLISHED, Event.Status.CANCELLED, Event.Status.COMPLETED)


# --- Roles ----------------------------------------------------------------------------------------


def user_is_provider(user: User) -> bool:
    return user_has_role(user, Role.PROVIDER)


def user_may_provide(user: User) -> bool:
    """May open the provider's pages: providers, and admins (who oversee every app)."""
    return user_is_provider(user) or user_is_organization_admin(user)


def can_manage_app(user: User, app: App) -> bool:
    return user.is_authenticated and (
        app.provider_id == user.pk or user_is_organization_admin(user)
    )


def can_manage_event(user: User, event: Event) -> bool:
    return can_manage_app(user, event.app)


def providers() -> QuerySet[User]:
    return User.objects.filter(roles__role=Role.PROVIDER).order_by("name", "email")


def provider_assignments() -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(role=Role.PROVIDER)
        .select_related("user")
        .annotate(app_count=Count("user__marketplace_apps"))
        .order_by("user__name", "user__email")
    )


def marketplace_settings() -> MarketplaceSettings:
    return MarketplaceSettings.load()


# --- Apps -----------------------------------------------------------------------------------------


def _apps_base() -> QuerySet[App]:
    return App.objects.select_related("provider")


def apps_visible_to(user: User) -> QuerySet[App]:
    apps = _apps_base()
    if user_is_organization_admin(user):
        return apps
    visible = Q(status=App.Status.APPROVED)
    if user.is_authenticated:
        visible |= Q(provider=user)
    return apps.filter(visible)


def apps_public() -> QuerySet[App]:
    return _apps_base().filter(status=App.Status.APPROVED)


def apps_managed_by(user: User) -> QuerySet[App]:
    """The apps a user runs. Admins oversee all, but their provider page shows their own."""
    if not user.is_authenticated:
        return App.objects.none()
    return (
        _apps_base()
        .filter(provider=user)
        .annotate(
            upcoming_count=Count(
                "events",
                filter=Q(events__starts_at__gt=timezone.now())
                & ~Q(events__status=Event.Status.CANCELLED),
            )
        )
    )


def apps_awaiting_review() -> QuerySet[App]:
    return _apps_base().filter(status=App.Status.PENDING).order_by("modified")


def get_app_for(user: User, pk: int) -> App:
    app = apps_visible_to(user).filter(pk=pk).first()
    if app is None:
        raise Http404("No such app.")
    return app


def get_managed_app_for(user: User, pk: int) -> App:
    app = _apps_base().filter(pk=pk).first()
    if app is None or not can_manage_app(user, app):
        raise Http404("No such app.")
    return app


def packages_of_app(app: App) -> QuerySet[SponsorshipPackage]:
    return SponsorshipPackage.objects.filter(app=app)


def packages_for_event(event: Event) -> QuerySet[SponsorshipPackage]:
    """The packages a sponsor of this event can choose, with the slots already taken."""
    return (
        SponsorshipPackage.objects.filter(Q(app_id=event.app_id) | Q(event=event), is_active=True)
        .annotate(
            taken=Count(
                "sponsorships",
                filter=Q(sponsorships__event=event, sponsorships__status__in=Sponsorship.HOLDING),
            )
        )
        .order_by("-price", "name")
    )


# --- Events ---------------------------------------------------------------------------------------


def _registration_count(**condition) -> Coalesce:
    """How many of an event's registrations match, as a correlated subquery: computed for the
    rows a page shows only, instead of grouping every registration of every listed event."""
    counted = (
        Registration.objects.filter(event=OuterRef("pk"), **condition)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        seats_taken=_registration_count(status__in=Registration.HOLDING_SEAT),
        waitlist_count=_registration_count(status=Registration.Status.WAITLISTED),
    )


def _events_base() -> QuerySet[Event]:
    return Event.objects.select_related("app", "app__provider", "metro")


def events_visible_to(user: User) -> QuerySet[Event]:
    events = _events_base()
    if user_is_organization_admin(user):
        return events
    public = Q(app__status=App.Status.APPROVED, status__in=PUBLIC_EVENT_STATUSES)
    if user.is_authenticated:
        public |= Q(app__provider=user)
    return events.filter(public)


@dataclass
class EventFilter:
    metro: Metro | None = None
    app: App | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    include_past: bool = False


def event_list(user: User, filters: EventFilter | None = None) -> QuerySet[Event]:
    """Upcoming events a user may see, filtered by metro, app and dates (dates are the metro's
    local days, so an event at 23:30 in Sydney is on the day Sydney sees)."""
    filters = filters or EventFilter()
    # A list shows each event's app and metro, not the provider behind the app.
    events = events_visible_to(user).select_related(None).select_related("app", "metro")
    if not user_is_organization_admin(user):
        # Drafts appear in their provider's own pages, not in the public list.
        events = events.exclude(status=Event.Status.DRAFT)
    if filters.metro is not None:
        events = events.filter(metro=filters.metro)
    if filters.app is not None:
        events = events.filter(app=filters.app)
    if filters.date_from is not None or filters.date_to is not None:
        events = events.annotate(local_day=_local_day("starts_at"))
    if filters.date_from is not None:
        events = events.filter(local_day__gte=filters.date_from)
    elif not filters.include_past:
        # To the minute: the same list (and its kept total) for everyone within that minute.
        events = events.filter(ends_at__gte=timezone.now().replace(second=0, microsecond=0))
    if filters.date_to is not None:
        events = events.filter(local_day__lte=filters.date_to)
    return _with_counts(events).order_by("starts_at", "pk")


def _local_day(field_name: str) -> Cast:
    """The calendar day of a time in the event's metro (PostgreSQL's timezone(zone, ts)), so an
    event at 23:30 in Sydney is on the day Sydney sees."""
    local = Func(
        F("metro__time_zone"), F(field_name), function="timezone", output_field=DateTimeField()
    )
    return Cast(local, DateField())


def events_of_app(app: App, user: User) -> QuerySet[Event]:
    events = _with_counts(_events_base().filter(app=app))
    if not can_manage_app(user, app):
        events = events.filter(status__in=PUBLIC_EVENT_STATUSES)
    return events.order_by("-starts_at")


def events_managed_by(user: User) -> QuerySet[Event]:
    return _with_counts(_events_base().filter(app__provider=user)).order_by("starts_at")


def get_event_for(user: User, pk: int) -> Event:
    event = _with_counts(events_visible_to(user)).filter(pk=pk).first()
    if event is None:
        raise Http404("No such event.")
    return event


def get_managed_event_for(user: User, pk: int) -> Event:
    event = _with_counts(_events_base()).filter(pk=pk).first()
    if event is None or not can_manage_event(user, event):
        raise Http404("No such event.")
    return event


def metros_with_events() -> QuerySet[Metro]:
    return (
        Metro.objects.filter(
            marketplace_events__status=Event.Status.PUBLISHED,
            marketplace_events__ends_at__gte=timezone.now(),
        )
        .distinct()
        .order_by("name")
    )


def sponsors_shown(event: Event) -> QuerySet[Sponsorship]:
    return (
        Sponsorship.objects.filter(event=event, status__in=Sponsorship.SHOWN)
        .select_related("package")
        .order_by("-amount", "company")
    )


# --- Registrations --------------------------------------------------------------------------------


def registrations_of_event(event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event)
        .select_related("user")
        .order_by("status", "created", "pk")
    )


def with_registration_of(events: QuerySet[Event], user: User) -> QuerySet[Event]:
    """Annotate `i_registered`: whether the user holds an active registration for the event."""
    if not user.is_authenticated:
        return events.annotate(i_registered=Value(False))
    active = Registration.objects.filter(
        event=OuterRef("pk"), user=user, status__in=Registration.ACTIVE
    )
    return events.annotate(i_registered=Exists(active))


def registrations_of_user(user: User) -> QuerySet[Registration]:
    if not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__metro", "event__app")
        .order_by("-event__starts_at")
    )


def registration_of_user_for(user: User, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, event=event, status__in=Registration.ACTIVE)
        .order_by("-created")
        .first()
    )


def get_registration_for(user: User, pk: int) -> Registration:
    """A registration its owner or the event's manager may see."""
    registration = (
        Registration.objects.select_related("event", "event__app", "event__metro", "user")
        .filter(pk=pk)
        .first()
    )
    if registration is None or not (
        (user.is_authenticated and registration.user_id == user.pk)
        or can_manage_event(user, registration.event)
    ):
        raise Http404("No such registration.")
    return registration


def get_registration_by_token(token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event", "event__app", "event__metro")
        .filter(token=token)
        .first()
    )
    if registration is None:
        raise Http404("No such registration.")
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
    ).filter(
        Q(created__lt=registration.created)
        | Q(created=registration.created, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# --- Sponsorships ---------------------------------------------------------------------------------


def sponsorships_visible_to(user: User) -> QuerySet[Sponsorship]:
    sponsorships = Sponsorship.objects.select_related(
        "event", "event__app", "event__metro", "package"
    )
    if user_is_organization_admin(user):
        return sponsorships
    if not user.is_authenticated:
        return sponsorships.none()
    return sponsorships.filter(event__app__provider=user)


def sponsorships_of_event(event: Event) -> QuerySet[Sponsorship]:
    return (
        Sponsorship.objects.filter(event=event)
        .select_related("package")
        .order_by("status", "-amount", "company")
    )


def get_sponsorship_for(user: User, pk: int) -> Sponsorship:
    sponsorship = sponsorships_visible_to(user).filter(pk=pk).first()
    if sponsorship is None:
        raise Http404("No such sponsorship.")
    return sponsorship


# --- Revenue --------------------------------------------------------------------------------------


def ledger_visible_to(user: User) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.select_related("provider", "app", "event", "metro")
    if user_is_organization_admin(user):
        return entries
    if not user.is_authenticated:
        return entries.none()
    return entries.filter(provider=user)


REPORT_GROUPS = {
    "app": ("app_id", "app__name"),
    "provider": ("provider_id", "provider__name"),
    "metro": ("metro_id", "metro__name"),
    "month": ("month", "month"),
}


@dataclass
class ReportRow:
    label: str
    currency: str
    fees: Decimal = Decimal("0.00")
    sponsorships: Decimal = Decimal("0.00")
    refunds: Decimal = Decimal("0.00")
    provider: Decimal = Decimal("0.00")
    organization: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.provider + self.organization


@dataclass
class Report:
    group_by: str
    rows: list[ReportRow] = field(default_factory=list)
    totals: list[ReportRow] = field(default_factory=list)  # one per currency


def revenue_report(
    user: User,
    *,
    group_by: str = "month",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Report:
    """Revenue grouped by app, provider, metro or month, per currency (currencies never mix).
    One query whatever the number of entries."""
    if group_by not in REPORT_GROUPS:
        group_by = "month"
    key, label = REPORT_GROUPS[group_by]
    entries = ledger_visible_to(user).select_related(None)
    entries = _in_period(entries, date_from, date_to)
    if group_by == "month":
        entries = entries.annotate(month=TruncMonth("created", tzinfo=datetime.UTC))
    rows = (
        entries.values(key, label, "currency", "kind", "party")
        .annotate(total=Sum("amount"))
        .order_by(label, "currency")
    )
    table: dict[tuple, ReportRow] = {}
    totals: dict[str, ReportRow] = {}
    for row in rows:
        row_label = row[label]
        if group_by == "month":
            row_label = row_label.strftime("%Y-%m")
        for target in (
            table.setdefault(
                (row[key], row["currency"]), ReportRow(str(row_label), row["currency"])
            ),
            totals.setdefault(row["currency"], ReportRow("Total", row["currency"])),
        ):
            _add(target, row["kind"], row["party"], row["total"])
    return Report(group_by=group_by, rows=list(table.values()), totals=list(totals.values()))


def _add(target: ReportRow, kind: str, party: str, amount: Decimal) -> None:
    if kind == LedgerEntry.Kind.FEE:
        target.fees += amount
    elif kind == LedgerEntry.Kind.SPONSORSHIP:
        target.sponsorships += amount
    else:
        target.refunds += amount
    if party == LedgerEntry.Party.PROVIDER:
        target.provider += amount
    else:
        target.organization += amount


def _in_period(entries, date_from, date_to):
    if date_from is not None:
        entries = entries.filter(
            created__gte=datetime.datetime.combine(
                date_from, datetime.time.min, tzinfo=datetime.UTC
            )
        )
    if date_to is not None:
        entries = entries.filter(
            created__lt=datetime.datetime.combine(
                date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
            )
        )
    return entries


@dataclass
class StatementLine:
    entry: LedgerEntry
    gross: Decimal
    provider: Decimal
    organization: Decimal


@dataclass
class Statement:
    provider: User
    date_from: datetime.date
    date_to: datetime.date
    lines: list[StatementLine]
    totals: dict[str, dict[str, Decimal]]  # currency → {"gross", "provider", "organization"}


def provider_statement(
    provider: User, *, date_from: datetime.date, date_to: datetime.date
) -> Statement:
    """What a provider earned in a period: one line per transaction (a fee, a sponsorship, a
    refund) with its split. Two queries whatever the number of entries."""
    entries = _in_period(
        LedgerEntry.objects.filter(provider=provider).select_related("event", "app", "metro"),
        date_from,
        date_to,
    ).order_by("created", "transaction", "party")
    by_transaction: dict[str, StatementLine] = {}
    totals: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {
            "gross": Decimal("0.00"),
            "provider": Decimal("0.00"),
            "organization": Decimal("0.00"),
        }
    )
    for entry in entries:
        line = by_transaction.setdefault(
            entry.transaction,
            StatementLine(
                entry=entry,
                gross=Decimal("0.00"),
                provider=Decimal("0.00"),
                organization=Decimal("0.00"),
            ),
        )
        line.gross += entry.amount
        totals[entry.currency]["gross"] += entry.amount
        if entry.party == LedgerEntry.Party.PROVIDER:
            line.provider += entry.amount
            totals[entry.currency]["provider"] += entry.amount
        else:
            line.organization += entry.amount
            totals[entry.currency]["organization"] += entry.amount
    return Statement(
        provider=provider,
        date_from=date_from,
        date_to=date_to,
        lines=list(by_transaction.values()),
        totals=dict(totals),
    )


def ledger_balance_of_registration(registration: Registration) -> Decimal:
    return LedgerEntry.objects.filter(registration=registration).aggregate(
        total=Sum("amount", default=Decimal("0.00"))
    )["total"]


def event_money_summary(event: Event) -> dict[str, Decimal]:
    """Fees collected, sponsorship paid, refunds for one event (its manager's page)."""
    rows = LedgerEntry.objects.filter(event=event).values("kind").annotate(total=Sum("amount"))
    summary = {kind: Decimal("0.00") for kind in LedgerEntry.Kind.values}
    for row in rows:
        summary[row["kind"]] = row["total"]
    summary["net"] = sum(summary.values(), Decimal("0.00"))
    summary["refunds"] = (
        summary[LedgerEntry.Kind.REFUND] + summary[LedgerEntry.Kind.SPONSORSHIP_REFUND]
    )
    return summary


def prefetch_packages_for_apps() -> Prefetch:
    return Prefetch("packages", queryset=SponsorshipPackage.objects.order_by("-price", "name"))
