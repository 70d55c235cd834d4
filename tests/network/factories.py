import factory

from network.models import Country, Entrepreneur, Metro, Region, Sector
from tests.factories import UserFactory


def _two_letters(n: int) -> str:
    return chr(65 + (n // 26) % 26) + chr(65 + n % 26)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country

    name = factory.Sequence(lambda n: f"Country {n}")
    code = factory.Sequence(_two_letters)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Region {n}")


class MetroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metro

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Metro {n}")
    time_zone = "Europe/Paris"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sector {n}")


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    user = factory.SubFactory(UserFactory)
    company = factory.Faker("company")
    role = "Founder"
    metro = factory.SubFactory(MetroFactory)
    sector = factory.SubFactory(SectorFactory)
    bio = "Builds things."
