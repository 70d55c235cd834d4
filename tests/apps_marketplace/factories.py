import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from apps_marketplace.models import App, Event, SponsorshipPackage
from core.models import Role
from core.services import role_grant
from network.models import Country, Metro, Region
from tests.factories import UserFactory


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    name = "France"
    code = "FR"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("country", "name")

    country = factory.SubFactory(CountryFactory)
    name = "Île-de-France"


class MetroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metro
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(RegionFactory)
    name = "Paris"
    time_zone = "Europe/Paris"


def provider_user(**kwargs):
    user = UserFactory(**kwargs)
    role_grant(user=user, role=Role.PROVIDER)
    return user


def admin_user(**kwargs):
    user = UserFactory(**kwargs)
    role_grant(user=user, role=Role.ORGANIZATION_ADMIN)
    return user


class AppFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = App

    provider = factory.LazyFunction(provider_user)
    name = factory.Sequence(lambda n: f"Pitch Night {n}")
    category = App.Category.PITCH
    description = "Six startups pitch."
    default_price = Decimal("10.00")
    currency = "EUR"
    status = App.Status.APPROVED
    refund_days = 7
    late_refund_percent = 0


def in_days(days: float, hour_offset: float = 0) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days, hours=hour_offset)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    app = factory.SubFactory(AppFactory)
    metro = factory.SubFactory(MetroFactory)
    title = factory.Sequence(lambda n: f"Event {n}")
    venue = "Station F"
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=2))
    capacity = 10
    price = Decimal("10.00")
    currency = "EUR"
    status = Event.Status.PUBLISHED


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SponsorshipPackage

    app = None
    event = None
    name = "Gold"
    price = Decimal("500.00")
    currency = "EUR"
    slots = 1
