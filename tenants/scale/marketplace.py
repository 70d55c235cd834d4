"""The marketplace's part of the scale seed: providers (about one member in a hundred) with
approved apps, an event of each app every quarter over the history and one or two in the next
three months, registrations of the metro's members (paid ones with their two ledger entries,
as the registration services write them), sponsorship packages and paid sponsorships."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apps_marketplace.models import (
    App,
    Event,
    LedgerEntry,
    MarketplaceSettings,
    Registration,
    Sponsorship,
    SponsorshipPackage,
)
from core.models import Role, RoleAssignment

from . import data
from .copy import Table
from .world import Person, World

CURRENCY = "EUR"
SPONSOR_PRICE = Decimal("500.00")


def _split(amount: Decimal, share: Decimal) -> tuple[Decimal, Decimal]:
    """(provider's part, organisation's part) of an amount."""
    organization = (amount * share / 100).quantize(Decimal("0.01"))
    return amount - organization, organization


class MarketWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng("marketplace")
        self.share = MarketplaceSettings.load().default_revenue_share
        self.roles = Table(RoleAssignment, ["user_id", "role", "granted"])
        self.apps = Table(
            App,
            [
                "id",
                "provider_id",
                "name",
                "category",
                "description",
                "format",
                "default_price",
                "currency",
                "status",
                "reviewed_by_id",
                "reviewed_at",
                "created",
                "modified",
            ],
        )
        self.packages = Table(
            SponsorshipPackage,
            ["id", "app_id", "name", "price", "currency", "slots", "benefits", "is_active"],
        )
        self.events = Table(
            Event,
            [
                "id",
                "app_id",
                "metro_id",
                "title",
                "description",
                "venue",
                "starts_at",
                "ends_at",
                "capacity",
                "price",
                "currency",
                "status",
                "created",
                "modified",
            ],
        )
        self.registrations = Table(
            Registration,
            [
                "id",
                "event_id",
                "user_id",
                "name",
                "email",
                "token",
                "status",
                "amount",
                "currency",
                "payment_status",
                "payment_provider",
                "payment_reference",
                "amount_paid",
                "paid_at",
                "checked_in_at",
                "created",
            ],
        )
        self.sponsorships = Table(
            Sponsorship,
            [
                "id",
                "event_id",
                "package_id",
                "company",
                "contact_name",
                "contact_email",
                "amount",
                "currency",
                "status",
                "invoice_number",
                "invoiced_at",
                "paid_at",
                "created_by_id",
                "created",
            ],
        )
        self.ledger = Table(
            LedgerEntry,
            [
                "transaction",
                "kind",
                "party",
                "amount",
                "currency",
                "share_percent",
                "provider_id",
                "app_id",
                "event_id",
                "metro_id",
                "registration_id",
                "sponsorship_id",
                "memo",
                "created",
            ],
        )
        self.ledger_id = 0

    def tables(self) -> list[Table]:
        return [
            self.roles,
            self.apps,
            self.packages,
            self.events,
            self.registrations,
            self.sponsorships,
            self.ledger,
        ]

    def _ledger(
        self,
        kind: str,
        amount: Decimal,
        when: dt.datetime,
        event,
        registration=None,
        sponsorship=None,
    ) -> None:
        provider_part, organization_part = _split(amount, self.share)
        transaction = f"{self.rng.getrandbits(128):032x}"
        for party, part in (("provider", provider_part), ("organization", organization_part)):
            self.ledger.add(
                transaction,
                kind,
                party,
                part,
                CURRENCY,
                self.share,
                event["provider"],
                event["app"],
                event["id"],
                event["metro"],
                registration,
                sponsorship,
                "",
                when,
            )

    def provider(self, person: Person, by_metro: dict[int, list[Person]]) -> None:
        world, rng, ids = self.world, self.rng, self.world.ids
        now, start = world.now, world.start
        self.roles.add(person.id, Role.PROVIDER, world.start)
        for _ in range(rng.choice((1, 1, 2))):
            title, category, description = rng.choice(data.APP_FORMATS)
            price = Decimal(0) if rng.random() < 0.4 else Decimal(rng.choice((10, 15, 25, 40, 60)))
            app_id = ids.take(App)
            created = start - dt.timedelta(days=30)
            self.apps.add(
                app_id,
                person.id,
                f"{title} {person.metro.name}",
                category,
                description,
                "Two hours; open to members and guests.",
                price,
                CURRENCY,
                App.Status.APPROVED,
                world.admin_user_id,
                created + dt.timedelta(days=2),
                created,
                created,
            )
            package_id = ids.take(SponsorshipPackage)
            self.packages.add(
                package_id,
                app_id,
                "Partner",
                SPONSOR_PRICE,
                CURRENCY,
                2,
                "Logo on the event page and a word at the start.",
                True,
            )
            when = start + dt.timedelta(days=rng.randint(0, 89))
            while when < now + dt.timedelta(days=90):
                self.event(app_id, package_id, person, price, when, by_metro)
                when += dt.timedelta(days=rng.randint(75, 105))

    def event(
        self, app_id, package_id, provider: Person, price: Decimal, day: dt.datetime, by_metro
    ) -> None:
        world, rng, ids = self.world, self.rng, self.world.ids
        now = world.now
        metro = provider.metro if rng.random() < 0.8 else rng.choice(world.metros)
        local = dt.datetime.combine(day.date(), dt.time(18, 30), tzinfo=metro.tz)
        starts = local.astimezone(dt.UTC)
        past = starts + dt.timedelta(hours=3) < now
        capacity = rng.choice((30, 40, 60, 80, 120))
        event_id = ids.take(Event)
        self.events.add(
            event_id,
            app_id,
            metro.id,
            f"{rng.choice(data.APP_FORMATS)[0]} — {metro.name}",
            "An evening for founders of the network and their guests.",
            f"{rng.choice(data.VENUES)}, {metro.name}",
            starts,
            starts + dt.timedelta(hours=3),
            capacity,
            price,
            CURRENCY,
            "completed" if past else "published",
            starts - dt.timedelta(days=40),
            starts - dt.timedelta(days=40),
        )
        event = {"id": event_id, "app": app_id, "provider": provider.id, "metro": metro.id}
        people = by_metro.get(metro.id, [])
        fill = rng.uniform(0.5, 0.95) if past else rng.uniform(0.1, 0.6)
        attendees = rng.sample(people, min(len(people), int(capacity * fill)))
        if not past and metro.id == world.metros[0].id and rng.random() < 0.5:
            bench = next(p for p in world.people if p.id == world.bench_user_id)
            if bench not in attendees:
                attendees.append(bench)
        for person in attendees[:capacity]:
            registered = (starts - dt.timedelta(days=rng.randint(1, 35))).replace(microsecond=0)
            registered = min(registered, now)
            registration_id = ids.take(Registration)
            paid = price > 0
            self.registrations.add(
                registration_id,
                event_id,
                person.id,
                person.name,
                person.email,
                f"{rng.getrandbits(160):040x}",
                "confirmed",
                price,
                CURRENCY,
                "paid" if paid else "not_required",
                "test" if paid else "",
                f"seed-{registration_id}" if paid else "",
                price if paid else Decimal(0),
                registered if paid else None,
                starts + dt.timedelta(minutes=10) if past and rng.random() < 0.8 else None,
                registered,
            )
            if paid:
                self._ledger("fee", price, registered, event, registration=registration_id)
        if past and rng.random() < 0.4:
            sponsorship_id = ids.take(Sponsorship)
            invoiced = starts - dt.timedelta(days=20)
            self.sponsorships.add(
                sponsorship_id,
                event_id,
                package_id,
                f"{rng.choice(data.COMPANY_WORDS)} {rng.choice(data.COMPANY_KINDS)}",
                "Sponsor contact",
                "sponsor@sponsor.example",
                SPONSOR_PRICE,
                CURRENCY,
                "paid",
                f"INV-{sponsorship_id:06d}",
                invoiced,
                invoiced + dt.timedelta(days=7),
                provider.id,
                invoiced - dt.timedelta(days=5),
            )
            self._ledger(
                "sponsorship",
                SPONSOR_PRICE,
                invoiced + dt.timedelta(days=7),
                event,
                sponsorship=sponsorship_id,
            )


def seed_marketplace(world: World) -> None:
    writer = MarketWriter(world)
    rng = world.rng("providers")
    by_metro: dict[int, list[Person]] = {}
    for person in world.people:
        by_metro.setdefault(person.metro.id, []).append(person)
    count = max(3, len(world.people) // 100)
    candidates = [p for p in world.people if p.id != world.bench_user_id]
    for person in rng.sample(candidates, min(count, len(candidates))):
        writer.provider(person, by_metro)
    for table in writer.tables():
        table.flush()
    world.count("providers", writer.roles.written)
    world.count("apps", writer.apps.written)
    world.count("events", writer.events.written)
    world.count("registrations", writer.registrations.written)
    world.count("ledger_entries", writer.ledger.written)
