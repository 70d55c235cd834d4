"""Demo data of the marketplace, made through the services so that the ledger adds up:
provider@demo.localhost runs two approved apps with upcoming events in demo metros; members and
guests registered, one event full with a waiting list, some fees and a sponsorship paid.

Idempotent (keyed on the provider's Pitch Night app) and a no-op until network's seed has made
metros."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import Role
from core.services import role_grant
from network.models import Metro

from . import services
from .models import App, MarketplaceSettings, SponsorshipPackage

PROVIDER_EMAIL = "provider@demo.localhost"
ADMIN_EMAIL = "admin@demo.localhost"
MEMBER_EMAIL = "member@demo.localhost"
GUESTS = (
    ("Léa Martin", "lea.martin@example.org"),
    ("Tom Becker", "tom.becker@example.org"),
    ("Aisha Khan", "aisha.khan@example.org"),
    ("Diego Alvarez", "diego.alvarez@example.org"),
    ("Sofia Rossi", "sofia.rossi@example.org"),
    ("Kenji Sato", "kenji.sato@example.org"),
    ("Nora Lind", "nora.lind@example.org"),
    ("Omar Haddad", "omar.haddad@example.org"),
)


def _metro(preferred: str, fallback_index: int) -> Metro:
    metro = Metro.objects.filter(name=preferred).first()
    if metro is None:
        metros = list(Metro.objects.order_by("name")[: fallback_index + 1])
        metro = metros[min(fallback_index, len(metros) - 1)]
    return metro


def _local(metro: Metro, days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A naive local time `days` from today in the metro, as a provider would type it."""
    today = timezone.now().astimezone(metro.tzinfo).date()
    return datetime.datetime.combine(
        today + datetime.timedelta(days=days), datetime.time(hour, minute)
    )


@transaction.atomic
def seed() -> None:
    users = get_user_model().objects
    provider = users.filter(email=PROVIDER_EMAIL).first()
    admin = users.filter(email=ADMIN_EMAIL).first()
    member = users.filter(email=MEMBER_EMAIL).first()
    if provider is None or admin is None or not Metro.objects.exists():
        return
    if App.objects.filter(provider=provider, template_key="pitch-night").exists():
        return
    role_grant(user=provider, role=Role.PROVIDER)
    MarketplaceSettings.load()

    pitch = services.app_create(
        provider=provider,
        actor=provider,
        name="Pitch Night",
        category=App.Category.PITCH,
        description="Six startups pitch for five minutes each to the audience and a panel of "
        "investors, who give their feedback in public. The audience votes for its favourite.",
        format="18:30 doors · 19:00 pitches · 20:30 drinks. 40-80 people.",
        default_price=Decimal("10.00"),
        currency="EUR",
        refund_days=3,
        late_refund_percent=50,
        template_key="pitch-night",
        packages=[
            {
                "name": "Panel sponsor",
                "price": Decimal("800.00"),
                "slots": 1,
                "benefits": "A seat on the panel and the audience prize.",
            },
            {
                "name": "Drinks sponsor",
                "price": Decimal("300.00"),
                "slots": 2,
                "benefits": "Logo at the bar.",
            },
        ],
    )
    breakfast = services.app_create(
        provider=provider,
        actor=provider,
        name="VC Breakfast",
        category=App.Category.INVESTORS,
        description="Founders meet two investors around one breakfast table, off the record.",
        format="8:00-9:30 · a handful of founders, two investors.",
        default_price=Decimal("25.00"),
        currency="EUR",
        refund_days=7,
        template_key="vc-breakfast",
    )
    for app in (pitch, breakfast):
        services.app_approve(app=app, actor=admin, note="Welcome to the marketplace.")

    paris, london = _metro("Paris", 0), _metro("London", 1)
    new_york = _metro("New York City", 2)
    pitch_paris = services.event_create(
        app=pitch,
        actor=provider,
        metro=paris,
        title="Pitch Night Paris",
        starts_at=_local(paris, 12, 19),
        ends_at=_local(paris, 12, 21, 30),
        venue="Station F",
        address="5 Parvis Alan Turing, 75013 Paris",
        capacity=40,
        description="Spring edition: six fintech and food startups.",
        publish=True,
    )
    services.event_create(
        app=pitch,
        actor=provider,
        metro=new_york,
        title="Pitch Night New York",
        starts_at=_local(new_york, 30, 18, 30),
        ends_at=_local(new_york, 30, 21),
        venue="Civic Hall",
        address="124 E 14th St, New York",
        capacity=60,
        price=Decimal("15.00"),
        currency="USD",
        publish=True,
    )
    breakfast_london = services.event_create(
        app=breakfast,
        actor=provider,
        metro=london,
        title="VC Breakfast London",
        starts_at=_local(london, 6, 8),
        ends_at=_local(london, 6, 9, 30),
        venue="The Ned",
        address="27 Poultry, London EC2R 8AJ",
        capacity=4,
        price=Decimal("20.00"),
        currency="GBP",
        publish=True,
    )

    # Pitch Night Paris: a member and guests, two paid at the door already.
    registrations = []
    if member is not None:
        registrations.append(services.registration_create(event=pitch_paris, user=member))
    for name, email in GUESTS[:4]:
        registrations.append(
            services.registration_create(event=pitch_paris, name=name, email=email)
        )
    for registration in registrations[:2]:
        services.registration_mark_paid(registration=registration, actor=provider, reference="demo")

    # VC Breakfast London: full (4 seats) with three people waiting; one cancels, so the first
    # in line is offered the seat.
    london_guests = [
        services.registration_create(event=breakfast_london, name=name, email=email)
        for name, email in GUESTS[2:]
    ]
    london_guests[0] = services.registration_mark_paid(
        registration=london_guests[0], actor=provider, reference="INV-1001"
    )
    cancelling = london_guests[1]  # confirmed, not yet paid: nothing to refund
    services.registration_cancel(registration=cancelling, actor=None)

    # A paid sponsorship.
    package = SponsorshipPackage.objects.get(app=pitch, name="Panel sponsor")
    sponsorship = services.sponsorship_create(
        event=pitch_paris,
        package=package,
        actor=provider,
        company="Northwind Ventures",
        contact_name="Hanna Berg",
        contact_email="hanna@northwind.example",
        website="https://northwind.example",
    )
    services.sponsorship_set_status(sponsorship=sponsorship, actor=provider, status="invoiced")
    services.sponsorship_set_status(sponsorship=sponsorship, actor=provider, status="paid")
