"""Every account gets its profile (sign-up, lazily on first visit); the demo data is realistic,
idempotent and fast."""

import time
import zoneinfo

from django.contrib.auth import get_user_model

from network import demo
from network.models import Country, Entrepreneur, Metro, Region, Sector
from tests.factories import UserFactory


def test_sign_up_creates_the_profile(client_a, in_a):
    response = client_a.post(
        "/accounts/signup/",
        {
            "email": "newcomer@alpha.test",
            "password1": "Sturdy-pass-42!",
            "password2": "Sturdy-pass-42!",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="newcomer@alpha.test")
    assert Entrepreneur.objects.filter(user=user, is_active=True).count() == 1


def test_demo_seed_is_realistic_idempotent_and_fast(in_a):
    demo_accounts = [UserFactory(email=email) for email in demo.DEMO_ACCOUNT_PROFILES]
    started = time.monotonic()
    demo.seed()
    elapsed = time.monotonic() - started
    counts = (
        Country.objects.count(),
        Region.objects.count(),
        Metro.objects.count(),
        Sector.objects.count(),
        Entrepreneur.objects.count(),
    )
    assert counts == (5, 14, 15, 15, demo.DEMO_ENTREPRENEURS + len(demo_accounts))
    assert elapsed < 2, f"seed took {elapsed:.2f}s"
    for metro in Metro.objects.all():
        assert metro.time_zone in zoneinfo.available_timezones()
    assert Metro.objects.get(name="San Francisco Bay Area").time_zone == "America/Los_Angeles"
    for account in demo_accounts:
        assert account.entrepreneur.metro is not None
    # Spread over many metros and sectors, with deterministic emails.
    people = Entrepreneur.objects.filter(user__email__endswith="@example.com")
    assert people.values("metro").distinct().count() >= 12
    assert people.values("sector").distinct().count() == 15
    assert not people.first().user.has_usable_password()
    first_emails = sorted(people.values_list("user__email", flat=True))[:3]

    demo.seed()
    assert (
        Country.objects.count(),
        Region.objects.count(),
        Metro.objects.count(),
        Sector.objects.count(),
        Entrepreneur.objects.count(),
    ) == counts
    assert sorted(people.values_list("user__email", flat=True))[:3] == first_emails
