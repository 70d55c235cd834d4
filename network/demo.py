"""Demo data of the network: five countries, fifteen metros with their IANA time zones, fifteen
sectors and 120 entrepreneurs spread over them (deterministic), plus profiles for the demo
accounts. Idempotent: every run after the first adds nothing."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Country, Entrepreneur, Metro, Region, Sector

RANDOM_SEED = 2026
DEMO_ENTREPRENEURS = 120

# country code, country, {region: [(metro, time zone, weight)]}
GEOGRAPHY = (
    (
        "FR",
        "France",
        {
            "Île-de-France": [("Paris", "Europe/Paris", 14)],
            "Auvergne-Rhône-Alpes": [("Lyon", "Europe/Paris", 6)],
            "Provence-Alpes-Côte d'Azur": [("Marseille", "Europe/Paris", 4)],
        },
    ),
    (
        "US",
        "United States",
        {
            "California": [("San Francisco Bay Area", "America/Los_Angeles", 10)],
            "New York": [("New York City", "America/New_York", 11)],
            "Texas": [("Austin", "America/Chicago", 5)],
            "Massachusetts": [("Boston", "America/New_York", 5)],
        },
    ),
    (
        "GB",
        "United Kingdom",
        {
            "England": [("London", "Europe/London", 12), ("Manchester", "Europe/London", 4)],
            "Scotland": [("Edinburgh", "Europe/London", 3)],
        },
    ),
    (
        "CA",
        "Canada",
        {
            "Ontario": [("Toronto", "America/Toronto", 6)],
            "Quebec": [("Montréal", "America/Toronto", 5)],
            "British Columbia": [("Vancouver", "America/Vancouver", 4)],
        },
    ),
    (
        "DE",
        "Germany",
        {
            "Berlin": [("Berlin", "Europe/Berlin", 7)],
            "Bavaria": [("Munich", "Europe/Berlin", 4)],
        },
    ),
)

# name, description, weight, words for company names
SECTORS = (
    (
        "Fintech",
        "Payments, lending, insurance and banking software",
        9,
        ("Ledger", "Coin", "Vault", "Pay"),
    ),
    (
        "Food & beverage",
        "Restaurants, food brands, drinks and catering",
        9,
        ("Table", "Harvest", "Bakery", "Kitchen"),
    ),
    ("Health", "Care providers, medtech and wellbeing", 8, ("Care", "Pulse", "Clinic", "Vital")),
    ("Edtech", "Learning, training and schools", 6, ("Learn", "Campus", "Tutor", "Academy")),
    ("Climate", "Energy, carbon, circular economy", 7, ("Green", "Carbon", "Solar", "Loop")),
    ("Retail", "Shops, e-commerce and consumer brands", 7, ("Store", "Market", "Goods", "Shop")),
    ("Logistics", "Freight, delivery and warehousing", 5, ("Freight", "Route", "Depot", "Cargo")),
    ("SaaS", "Business software sold as a service", 9, ("Stack", "Cloud", "Flow", "Desk")),
    ("Media", "Publishing, audio, video and agencies", 5, ("Studio", "Press", "Wave", "Story")),
    ("Real estate", "Property, construction and proptech", 5, ("Estate", "Home", "Build", "Key")),
    ("Manufacturing", "Making physical products", 5, ("Works", "Forge", "Craft", "Mill")),
    ("Tourism", "Travel, hospitality and events", 5, ("Voyage", "Stay", "Trip", "Harbour")),
    (
        "Legal tech",
        "Software and services for legal work",
        3,
        ("Lex", "Clause", "Counsel", "Brief"),
    ),
    ("Agritech", "Farming, food supply and agronomy", 3, ("Field", "Grow", "Seed", "Agro")),
    ("Mobility", "Transport, vehicles and urban mobility", 4, ("Ride", "Motion", "Wheel", "Move")),
)

FIRST_NAMES = (
    "Amélie",
    "Lucas",
    "Chloé",
    "Hugo",
    "Léa",
    "Nathan",
    "Camille",
    "Louis",
    "Manon",
    "Jules",
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Ethan",
    "Sophia",
    "Mason",
    "Isabella",
    "Logan",
    "Amelia",
    "Oliver",
    "Isla",
    "Harry",
    "Grace",
    "George",
    "Freya",
    "Jack",
    "Poppy",
    "Oscar",
    "Hannah",
    "Felix",
    "Lena",
    "Jonas",
    "Mia",
    "Paul",
    "Lina",
    "Elias",
    "Sofia",
    "Ben",
    "Aisha",
    "Omar",
    "Priya",
    "Arjun",
    "Mei",
    "Wei",
    "Yuki",
    "Kenji",
    "Fatima",
    "Karim",
    "Ines",
    "Diego",
    "Lucia",
    "Mateo",
    "Zoe",
    "Samuel",
    "Nora",
    "Adam",
    "Sara",
    "Daniel",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Clarke",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Nguyen",
    "Chen",
    "Patel",
    "Khan",
    "Singh",
    "Kim",
    "Tanaka",
    "Haddad",
    "Rossi",
    "Silva",
    "Lopez",
    "Novak",
    "Jensen",
)
ROLES = ("Founder & CEO", "Co-founder", "CEO", "CTO", "Managing director", "Owner", "Founder")
SUFFIXES = ("Labs", "& Co", "Group", "Studio", "Partners", "Works", "Collective", "HQ")
BIOS = (
    "Building {company} since {year}: {description_lower}. Looking for peers who have scaled "
    "a team past twenty people.",
    "Started {company} in {year} after ten years in a larger firm. Works on {description_lower}; "
    "currently raising a first round.",
    "Runs {company}, a {sector_lower} business founded in {year}. Happy to share what worked "
    "with pricing and first hires.",
    "Second-time founder. {company} ({year}) focuses on {description_lower}. Interested in "
    "export and partnerships.",
)
CHAPTERS_ONLY_SHARE = 0.1

# The demo accounts of tenants.demo, each placed in the network.
DEMO_ACCOUNT_PROFILES = {
    "admin@demo.localhost": ("Paris", "SaaS", "Commons Demo", "Network director"),
    "facilitator@demo.localhost": ("Paris", "Food & beverage", "Maison Fatou", "Founder & CEO"),
    "member@demo.localhost": ("Paris", "Fintech", "Ledgerline", "Co-founder"),
    "committee@demo.localhost": ("Lyon", "Health", "Pulse Santé", "CEO"),
    "board@demo.localhost": ("London", "Climate", "Carbon Loop", "Founder"),
    "provider@demo.localhost": ("New York City", "Media", "Pitch Night Studio", "Owner"),
}


def _ascii(text: str) -> str:
    replacements = str.maketrans("éèêëàâäîïôöüûùçÉ", "eeeeaaaiioouuucE")
    return "".join(c for c in text.translate(replacements).lower() if c.isalnum())


def _geography() -> dict[str, Metro]:
    countries = {country.code: country for country in Country.objects.all()}
    regions = {(r.country_id, r.name.lower()): r for r in Region.objects.all()}
    metros = {(m.region_id, m.name.lower()): m for m in Metro.objects.all()}
    by_name: dict[str, Metro] = {}
    for code, country_name, country_regions in GEOGRAPHY:
        country = countries.get(code) or Country.objects.create(code=code, name=country_name)
        for region_name, region_metros in country_regions.items():
            region = regions.get((country.pk, region_name.lower())) or Region.objects.create(
                country=country, name=region_name
            )
            for metro_name, time_zone, _weight in region_metros:
                metro = metros.get((region.pk, metro_name.lower())) or Metro.objects.create(
                    region=region, name=metro_name, time_zone=time_zone
                )
                by_name[metro_name] = metro
    return by_name


def _sectors() -> dict[str, Sector]:
    existing = {sector.name.lower(): sector for sector in Sector.objects.all()}
    missing = [
        Sector(name=name, description=description)
        for name, description, _weight, _words in SECTORS
        if name.lower() not in existing
    ]
    Sector.objects.bulk_create(missing)
    existing.update({sector.name.lower(): sector for sector in missing})
    return {name: existing[name.lower()] for name, *_rest in SECTORS}


def _demo_people(metros: dict[str, Metro], sectors: dict[str, Sector]) -> list[dict]:
    rng = random.Random(RANDOM_SEED)
    metro_names = [
        name for _c, _n, regions in GEOGRAPHY for ms in regions.values() for name, _tz, _w in ms
    ]
    metro_weights = [
        w for _c, _n, regions in GEOGRAPHY for ms in regions.values() for _m, _tz, w in ms
    ]
    sector_weights = [weight for _n, _d, weight, _w in SECTORS]
    people, emails = [], set()
    while len(people) < DEMO_ENTREPRENEURS:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}@example.com"
        if email in emails:
            continue
        emails.add(email)
        metro = metros[rng.choices(metro_names, weights=metro_weights)[0]]
        name, description, _weight, words = rng.choices(SECTORS, weights=sector_weights)[0]
        company = f"{rng.choice(words)}{rng.choice(('', '', 'io', 'ify'))} {rng.choice(SUFFIXES)}"
        bio = rng.choice(BIOS).format(
            company=company,
            year=rng.randint(2012, 2025),
            description_lower=description.lower(),
            sector_lower=name.lower(),
        )
        people.append(
            {
                "email": email,
                "name": f"{first} {last}",
                "metro": metro,
                "sector": sectors[name],
                "company": company,
                "role": rng.choice(ROLES),
                "bio": bio,
                "visibility": (
                    Entrepreneur.Visibility.CHAPTERS
                    if rng.random() < CHAPTERS_ONLY_SHARE
                    else Entrepreneur.Visibility.NETWORK
                ),
            }
        )
    return people


@transaction.atomic
def seed() -> None:
    metros = _geography()
    sectors = _sectors()
    user_model = get_user_model()
    people = _demo_people(metros, sectors)
    known = set(
        user_model.objects.filter(email__in=[p["email"] for p in people]).values_list(
            "email", flat=True
        )
    )
    new_people = [person for person in people if person["email"] not in known]
    users = [
        user_model(email=person["email"], name=person["name"], password=make_password(None))
        for person in new_people
    ]
    user_model.objects.bulk_create(users)
    Entrepreneur.objects.bulk_create(
        Entrepreneur(
            user=user,
            company=person["company"],
            role=person["role"],
            bio=person["bio"],
            metro=person["metro"],
            sector=person["sector"],
            visibility=person["visibility"],
        )
        for user, person in zip(users, new_people, strict=True)
    )
    _demo_account_profiles(metros, sectors)


def _demo_account_profiles(metros: dict[str, Metro], sectors: dict[str, Sector]) -> None:
    """Profiles for tenants.demo's accounts, found by email; an existing profile is left as
    its owner edited it."""
    accounts = (
        get_user_model()
        .objects.filter(email__in=DEMO_ACCOUNT_PROFILES)
        .exclude(entrepreneur__isnull=False)
    )
    Entrepreneur.objects.bulk_create(
        Entrepreneur(
            user=user,
            metro=metros[DEMO_ACCOUNT_PROFILES[user.email][0]],
            sector=sectors[DEMO_ACCOUNT_PROFILES[user.email][1]],
            company=DEMO_ACCOUNT_PROFILES[user.email][2],
            role=DEMO_ACCOUNT_PROFILES[user.email][3],
            bio="One of the demo accounts: sign in with it to see Commons from this seat.",
        )
        for user in accounts
    )
