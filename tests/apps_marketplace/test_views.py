"""Pages per role: anonymous, guest (token link), member, provider, another provider, organisation
admin, another organisation; bad input answered with form errors."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from apps_marketplace import services
from apps_marketplace.models import App, Event, LedgerEntry, Registration
from tests.factories import UserFactory

from .factories import AppFactory, EventFactory, MetroFactory


@pytest.fixture
def as_user(client_a):
    def login(user):
        client = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def people(in_a, provider, other_provider, admin, member_a):
    return {
        "anonymous": None,
        "member": member_a,
        "provider": provider,
        "other_provider": other_provider,
        "admin": admin,
    }


def expect(as_user, people, url, expected: dict, method="get"):
    for role, status in expected.items():
        response = getattr(as_user(people[role]), method)(url)
        code = response.status_code
        if status == "login":
            assert code == 302 and "/accounts/login/" in response["Location"], (role, url)
        else:
            assert code == status, (role, url, code)


def test_published_event_pages_are_open_to_everyone(as_user, people, event):
    for url in (
        "/marketplace/",
        f"/marketplace/events/{event.pk}/",
        f"/marketplace/events/{event.pk}/calendar.ics",
        "/marketplace/apps/",
        f"/marketplace/apps/{event.app.pk}/",
    ):
        expect(as_user, people, url, dict.fromkeys(people, 200))


def test_draft_event_is_seen_by_its_provider_and_admins_only(as_user, people, app):
    draft = EventFactory(app=app, status=Event.Status.DRAFT, title="Secret draft")
    expect(
        as_user,
        people,
        f"/marketplace/events/{draft.pk}/",
        {"anonymous": 404, "member": 404, "other_provider": 404, "provider": 200, "admin": 200},
    )
    assert "Secret draft" not in as_user(people["member"]).get("/marketplace/").content.decode()


def test_unapproved_app_is_hidden(as_user, people, provider):
    pending = AppFactory(provider=provider, status=App.Status.PENDING)
    expect(
        as_user,
        people,
        f"/marketplace/apps/{pending.pk}/",
        {"anonymous": 404, "member": 404, "other_provider": 404, "provider": 200, "admin": 200},
    )


def test_provider_pages(as_user, people, event):
    expect(
        as_user,
        people,
        "/marketplace/provide/",
        {"anonymous": "login", "member": 403, "provider": 200, "other_provider": 200, "admin": 200},
    )
    for url in (
        f"/marketplace/provide/apps/{event.app.pk}/",
        f"/marketplace/provide/events/{event.pk}/",
        f"/marketplace/provide/events/{event.pk}/edit/",
        f"/marketplace/provide/events/{event.pk}/attendees.csv",
    ):
        expect(
            as_user,
            people,
            url,
            {
                "anonymous": "login",
                "member": 403,
                "provider": 200,
                "other_provider": 404,
                "admin": 200,
            },
        )


def test_admin_pages(as_user, people):
    for url in (
        "/marketplace/admin/review/",
        "/marketplace/admin/settings/",
        "/marketplace/admin/providers/",
    ):
        expect(
            as_user,
            people,
            url,
            {
                "anonymous": "login",
                "member": 403,
                "provider": 403,
                "other_provider": 403,
                "admin": 200,
            },
        )


def test_provider_sees_own_revenue_and_admin_sees_all(
    as_user, people, event, other_provider, provider
):
    theirs = EventFactory(app=AppFactory(provider=other_provider, name="Their App"))
    for target, actor in ((event, provider), (theirs, other_provider)):
        registration = services.registration_create(event=target, name="P", email="p@example.org")
        services.registration_mark_paid(registration=registration, actor=actor)
    mine = as_user(provider).get("/marketplace/revenue/?group_by=app").content.decode()
    assert "Pitch Night" in mine and "Their App" not in mine
    everything = as_user(people["admin"]).get("/marketplace/revenue/?group_by=app").content.decode()
    assert "Pitch Night" in everything and "Their App" in everything
    expect(as_user, people, "/marketplace/revenue/", {"anonymous": "login", "member": 403})

    csv_text = as_user(provider).get("/marketplace/revenue/statement/?format=csv").content.decode()
    assert "Pitch Night Paris" in csv_text and "Their App" not in csv_text
    # A provider cannot ask for another provider's statement.
    other = as_user(provider).get(f"/marketplace/revenue/statement/?provider={other_provider.pk}")
    assert "Their App" not in other.content.decode()


def test_other_organisation_gets_404(client_b, org_b, event, provider):
    from django_tenants.utils import schema_context

    with schema_context(org_b.schema_name):
        client_b.force_login(UserFactory(email="someone@beta.test"))
    for url in (
        f"/marketplace/events/{event.pk}/",
        f"/marketplace/apps/{event.app.pk}/",
        f"/api/v1/marketplace/events/{event.pk}/",
    ):
        assert client_b.get(url).status_code == 404


def test_registration_token_is_needed_to_see_a_registration(as_user, event):
    registration = services.registration_create(event=event, name="Gia", email="gia@example.org")
    page = as_user(None).get(f"/marketplace/r/{registration.token}/")
    assert page.status_code == 200 and "Gia" in page.content.decode()
    assert as_user(None).get("/marketplace/r/not-a-token/").status_code == 404


def test_guest_registers_and_cancels_without_account(as_user, event):
    client = as_user(None)
    response = client.post(
        f"/marketplace/events/{event.pk}/register/",
        {"name": "Gus Guest", "email": "gus@example.org"},
        REMOTE_ADDR="10.1.0.1",
    )
    registration = Registration.objects.get(email="gus@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/marketplace/r/{registration.token}/"
    assert registration.user is None and registration.status == "confirmed"
    client.post(f"/marketplace/r/{registration.token}/", {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_guest_form_errors_are_shown(as_user, event):
    response = as_user(None).post(
        f"/marketplace/events/{event.pk}/register/",
        {"name": "", "email": "nope"},
        REMOTE_ADDR="10.1.0.2",
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not event.registrations.exists()


def test_guest_registrations_are_rate_limited_per_address(as_user, event, settings):
    settings.MARKETPLACE_GUEST_REGISTRATIONS_PER_HOUR = 2
    address = f"10.2.{timezone.now().microsecond % 250}.{timezone.now().second}"
    client = as_user(None)
    codes = [
        client.post(
            f"/marketplace/events/{event.pk}/register/",
            {"name": f"Bot {n}", "email": f"bot{n}@example.org"},
            REMOTE_ADDR=address,
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert event.registrations.count() == 2


def test_member_registers_with_one_click(as_user, member_a, event):
    response = as_user(member_a).post(f"/marketplace/events/{event.pk}/register/")
    assert response.status_code == 302
    assert Registration.objects.get(event=event).user == member_a
    again = as_user(member_a).post(f"/marketplace/events/{event.pk}/register/", follow=True)
    assert "already registered" in again.content.decode()
    assert event.registrations.count() == 1


def valid_event_form(metro, **overrides) -> dict:
    start = (timezone.now() + datetime.timedelta(days=20)).replace(hour=18, minute=30)
    data = {
        "title": "Pitch Night Lyon",
        "metro": metro.pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "La Halle",
        "capacity": "30",
        "price": "12.50",
        "currency": "EUR",
    }
    return data | overrides


def test_provider_plans_an_event_in_local_time(as_user, provider, app):
    metro = MetroFactory(name="New York City", time_zone="America/New_York")
    data = valid_event_form(metro, starts_at="2030-07-01T18:30", ends_at="2030-07-01T20:30")
    response = as_user(provider).post(
        f"/marketplace/provide/apps/{app.pk}/events/new/", data | {"publish": "1"}
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Pitch Night Lyon")
    assert event.starts_at == datetime.datetime(2030, 7, 1, 22, 30, tzinfo=datetime.UTC)  # EDT
    assert event.status == Event.Status.PUBLISHED
    assert event.price == Decimal("12.50")
    page = as_user(None).get(f"/marketplace/events/{event.pk}/").content.decode()
    assert "18:30" in page and "America/New_York" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-5"}, "price"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "ten"}, "capacity"),
        ({"ends_at": "2030-07-01T17:00", "starts_at": "2030-07-01T18:00"}, "ends_at"),
        ({"starts_at": "2020-01-01T18:00", "ends_at": "2020-01-01T20:00"}, "starts_at"),
        ({"starts_at": "2030-03-31T02:30", "ends_at": "2030-03-31T04:00"}, "starts_at"),  # DST gap
        ({"venue": ""}, "venue"),
    ],
)
def test_bad_event_input_is_answered_on_the_form(as_user, provider, app, overrides, field):
    metro = MetroFactory()
    response = as_user(provider).post(
        f"/marketplace/provide/apps/{app.pk}/events/new/", valid_event_form(metro, **overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Event.objects.filter(app=app).exists()


def test_bad_app_input_is_answered_on_the_form(as_user, provider):
    response = as_user(provider).post(
        "/marketplace/provide/apps/new/",
        {
            "name": "X",
            "category": "pitch",
            "description": "d",
            "default_price": "-1",
            "currency": "EUR",
            "refund_days": "7",
            "late_refund_percent": "0",
        },
    )
    assert response.status_code == 400
    assert "default_price" in response.context["form"].errors
    assert not App.objects.exists()


def test_listed_app_waits_for_admin_approval(as_user, provider, admin):
    response = as_user(provider).post(
        "/marketplace/provide/apps/new/",
        {
            "name": "Startup Weekend",
            "category": "hackathon",
            "description": "54 hours.",
            "default_price": "60",
            "currency": "EUR",
            "refund_days": "14",
            "late_refund_percent": "0",
        },
    )
    app = App.objects.get(name="Startup Weekend")
    assert response.status_code == 302 and app.status == App.Status.PENDING
    assert admin.notifications.filter(title__contains="Startup Weekend").exists()
    refused = as_user(provider).post(
        f"/marketplace/admin/apps/{app.pk}/review/", {"decision": "approve"}
    )
    assert refused.status_code == 403
    rejected = as_user(admin).post(
        f"/marketplace/admin/apps/{app.pk}/review/", {"decision": "reject", "note": ""}, follow=True
    )
    assert "Tell the provider why" in rejected.content.decode()
    as_user(admin).post(f"/marketplace/admin/apps/{app.pk}/review/", {"decision": "approve"})
    app.refresh_from_db()
    assert app.status == App.Status.APPROVED and app.reviewed_by == admin


def test_door_check_in_and_payment_with_htmx(as_user, provider, event):
    registration = services.registration_create(event=event, name="Dora", email="d@example.org")
    client = as_user(provider)
    paid = client.post(
        f"/marketplace/provide/registrations/{registration.pk}/paid/", HTTP_HX_REQUEST="true"
    )
    assert paid.status_code == 200 and "Paid" in paid.content.decode()
    checked = client.post(
        f"/marketplace/provide/registrations/{registration.pk}/check-in/", HTTP_HX_REQUEST="true"
    )
    assert checked.status_code == 200 and "checked in" in checked.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at and registration.payment_status == "paid"
    assert LedgerEntry.objects.filter(registration=registration).count() == 2


def test_other_provider_cannot_touch_attendees(as_user, other_provider, event):
    registration = services.registration_create(event=event, name="Dora", email="d@example.org")
    for action in ("paid", "check-in", "cancel"):
        response = as_user(other_provider).post(
            f"/marketplace/provide/registrations/{registration.pk}/{action}/"
        )
        assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.payment_status == "due"


def test_admin_grants_and_revokes_the_provider_role(as_user, admin, member_a):
    from apps_marketplace.selectors import user_is_provider

    as_user(admin).post("/marketplace/admin/providers/", {"email": member_a.email})
    member_a.refresh_from_db()
    assert user_is_provider(member_a)
    unknown = as_user(admin).post("/marketplace/admin/providers/", {"email": "x@nowhere.test"})
    assert unknown.status_code == 400
    as_user(admin).post(f"/marketplace/admin/providers/{member_a.pk}/revoke/")
    member_a = type(member_a).objects.get(pk=member_a.pk)
    assert not user_is_provider(member_a)


def test_sponsor_recorded_paid_and_shown_on_event_page(as_user, provider, event):
    from .factories import PackageFactory

    package = PackageFactory(app=event.app, name="Gold", slots=1)
    client = as_user(provider)
    client.post(
        f"/marketplace/provide/events/{event.pk}/sponsors/",
        {
            "package": package.pk,
            "company": "Acme Capital",
            "contact_name": "Al",
            "contact_email": "al@acme.example",
        },
    )
    sponsorship = event.sponsorships.get()
    assert (
        "Acme Capital" not in as_user(None).get(f"/marketplace/events/{event.pk}/").content.decode()
    )
    client.post(
        f"/marketplace/provide/sponsorships/{sponsorship.pk}/status/", {"status": "invoiced"}
    )
    client.post(f"/marketplace/provide/sponsorships/{sponsorship.pk}/status/", {"status": "paid"})
    sponsorship.refresh_from_db()
    assert sponsorship.status == "paid" and sponsorship.invoice_number
    assert "Acme Capital" in as_user(None).get(f"/marketplace/events/{event.pk}/").content.decode()
    sold_out = client.post(
        f"/marketplace/provide/events/{event.pk}/sponsors/",
        {
            "package": package.pk,
            "company": "Late Corp",
            "contact_name": "L",
            "contact_email": "l@late.example",
        },
        follow=True,
    )
    assert "sold out" in sold_out.content.decode()
    assert event.sponsorships.count() == 1
