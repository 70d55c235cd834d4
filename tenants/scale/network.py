"""The network's part of the scale seed: geography, sectors, accounts and profiles.

Accounts share one password hash (hashing 24,000 passwords would take hours and proves
nothing); every address is verified, as production's mandatory verification requires."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from core.models import User
from network.models import Country, Entrepreneur, Metro, NetworkSettings, Region, Sector

from . import data
from .copy import Table
from .world import BENCH_EMAIL, BENCH_PASSWORD, MetroRow, Person, World


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def metro_weights(count: int) -> list[float]:
    """Zipf-like: the first metros are the largest markets."""
    return [1 / (rank + 1) ** 0.8 for rank in range(count)]


def allocate(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), at least `minimum` each
    while the total allows."""
    scale = sum(weights)
    shares = [max(minimum, int(total * w / scale)) for w in weights]
    order = sorted(range(len(weights)), key=lambda i: -(total * weights[i] / scale % 1))
    i = 0
    while sum(shares) < total:
        shares[order[i % len(order)]] += 1
        i += 1
    i = 0
    while sum(shares) > total:
        j = len(shares) - 1 - (i % len(shares))
        if shares[j] > minimum:
            shares[j] -= 1
        i += 1
    return shares


def seed_geography(world: World) -> None:
    """Countries, regions and the first `metro_count` metros in the order of data.PLACES."""
    wanted = world.spec.metro_count
    picked: list[tuple[str, str, str, str, str]] = []
    # Round-robin over the regions so that a small network still spans a few countries.
    depth = 0
    while len(picked) < wanted:
        for code, country, region, tz, metros in data.PLACES:
            if depth < len(metros) and len(picked) < wanted:
                picked.append((code, country, region, tz, metros[depth]))
        depth += 1
    countries: dict[str, Country] = {}
    regions: dict[tuple[str, str], Region] = {}
    for code, country_name, region_name, tz, metro_name in picked:
        country = countries.get(code)
        if country is None:
            country = countries[code] = Country.objects.create(name=country_name, code=code)
        region = regions.get((code, region_name))
        if region is None:
            region = regions[(code, region_name)] = Region.objects.create(
                country=country, name=region_name
            )
        metro = Metro.objects.create(region=region, name=metro_name, time_zone=tz)
        world.metros.append(
            MetroRow(
                id=metro.pk,
                name=metro_name,
                region_id=region.pk,
                country_id=country.pk,
                tz=zoneinfo.ZoneInfo(tz),
            )
        )
    for name, description in data.SECTORS:
        sector = Sector.objects.create(name=name, description=description)
        world.sector_ids.append(sector.pk)
        world.sector_names[sector.pk] = name
    NetworkSettings.objects.update_or_create(
        pk=1,
        defaults={
            "launch_date": world.start.date(),
            "target_chapters": world.spec.chapters,
            "target_months": world.spec.months,
        },
    )
    world.count("metros", len(world.metros))
    world.count("sectors", len(world.sector_ids))


def seed_people(world: World) -> None:
    """`members` accounts with profiles, spread over the metros like the chapters will be.
    Person 0 is the benchmark's member (bench@scale.example) in the largest metro."""
    rng = world.rng("people")
    spec = world.spec
    world.password_hash = make_password(BENCH_PASSWORD)
    per_metro = allocate(spec.members, metro_weights(len(world.metros)))
    sector_weights = [rng.uniform(1.0, 3.0) for _ in world.sector_ids]
    first = world.ids.take(User, spec.members)
    entrepreneur_first = world.ids.take(Entrepreneur, spec.members)
    users = Table(User, ["id", "password", "email", "name", "is_staff", "date_joined"])
    addresses = Table(EmailAddress, ["user_id", "email", "verified", "primary"])
    profiles = Table(
        Entrepreneur,
        [
            "id",
            "user_id",
            "company",
            "role",
            "metro_id",
            "sector_id",
            "bio",
            "visibility",
            "active_chapter_count",
            "created",
            "modified",
        ],
    )
    index = 0
    for metro, count in zip(world.metros, per_metro, strict=True):
        for _ in range(count):
            user_id = first + index
            name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
            if index == 0:
                name, email = "Bench Member", BENCH_EMAIL
                world.bench_user_id = user_id
            else:
                email = f"{_ascii(name).replace(' ', '.')}.{index}@scale.example"
            sector_id = rng.choices(world.sector_ids, weights=sector_weights)[0]
            # Most joined before the history starts; the rest arrived during it.
            if rng.random() < 0.85:
                joined = world.start - dt.timedelta(days=rng.randint(1, 90))
            else:
                joined = world.start + (world.now - world.start) * rng.random()
            joined = joined.replace(microsecond=0)
            world.people.append(Person(user_id, name, email, metro, sector_id, joined))
            index += 1
    for person in world.people:
        users.add(person.id, world.password_hash, person.email, person.name, False, person.joined)
        addresses.add(person.id, person.email, True, True)
    # Profiles are written by seed_chapters once the chapter counts are known.
    world.profile_table = profiles
    world.entrepreneur_first = entrepreneur_first
    for table in (users, addresses):
        table.flush()
    world.count("members", len(world.people))


def write_profiles(world: World, chapter_counts: dict[int, int]) -> None:
    """Profiles with `active_chapter_count` equal to the person's current seats."""
    rng = world.rng("profiles")
    profiles = world.profile_table
    for offset, person in enumerate(world.people):
        company = f"{rng.choice(data.COMPANY_WORDS)} {rng.choice(data.COMPANY_KINDS)}"
        bio = (
            f"Runs {company} in {person.metro.name}. "
            f"{rng.choice(('Ten years in the trade.', 'Second company.', 'Started at home.'))}"
        )
        visibility = (
            Entrepreneur.Visibility.CHAPTERS
            if rng.random() < 0.1
            else Entrepreneur.Visibility.NETWORK
        )
        profiles.add(
            world.entrepreneur_first + offset,
            person.id,
            company,
            rng.choice(data.ROLES),
            person.metro.id,
            person.sector_id,
            bio,
            visibility,
            chapter_counts.get(person.id, 0),
            person.joined,
            person.joined,
        )
    profiles.flush()
