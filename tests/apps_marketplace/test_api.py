"""The API follows the same rules as the pages."""

from decimal import Decimal

import pytest
from django.test import Client

from apps_marketplace import services
from apps_marketplace.models import App, Event, Registration

from .factories import EventFactory, MetroFactory, PackageFactory


@pytest.fixture
def api(client_a):
    def as_user(user):
        client = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
        if user is not None:
            client.force_login(user)
        return client

    return as_user


def test_anonymous_is_refused(api, event):
    assert api(None).get("/api/v1/marketplace/events/").status_code in (401, 403)


def test_events_list_and_filters(api, member_a, event, app):
    other = EventFactory(app=app, metro=MetroFactory(name="Lyon"))
    body = api(member_a).get("/api/v1/marketplace/events/").json()
    assert {row["id"] for row in body["results"]} == {event.pk, other.pk}
    lyon = api(member_a).get(f"/api/v1/marketplace/events/?metro={other.metro_id}").json()
    assert [row["id"] for row in lyon["results"]] == [other.pk]
    row = lyon["results"][0]
    assert row["metro"]["time_zone"] == "Europe/Paris" and row["starts_at_local"].endswith(
        ("+01:00", "+02:00")
    )
    bad = api(member_a).get("/api/v1/marketplace/events/?from=yesterday")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_member_registers_and_sees_only_own_registrations(api, member_a, event):
    created = api(member_a).post(f"/api/v1/marketplace/events/{event.pk}/register/")
    assert created.status_code == 201 and created.json()["status"] == "confirmed"
    services.registration_create(event=event, name="Other", email="other@example.org")
    mine = api(member_a).get("/api/v1/marketplace/registrations/").json()["results"]
    assert [row["email"] for row in mine] == [member_a.email]
    twice = api(member_a).post(f"/api/v1/marketplace/events/{event.pk}/register/")
    assert twice.status_code == 409
    other = Registration.objects.get(email="other@example.org")
    assert api(member_a).get(f"/api/v1/marketplace/registrations/{other.pk}/").status_code == 404
    cancelled = api(member_a).post(
        f"/api/v1/marketplace/registrations/{created.json()['id']}/cancel/"
    )
    assert cancelled.json()["status"] == "cancelled"


def test_provider_creates_app_and_event_through_api(api, provider, admin):
    created = api(provider).post(
        "/api/v1/marketplace/apps/",
        {
            "name": "VC Breakfast",
            "category": "investors",
            "description": "Breakfast.",
            "default_price": "25.00",
            "currency": "EUR",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    app_id = created.json()["id"]
    metro = MetroFactory()
    event_payload = {
        "app": app_id,
        "metro": metro.pk,
        "venue": "Café",
        "starts_at": "2031-05-06T08:00",
        "ends_at": "2031-05-06T09:30",
        "capacity": 12,
        "publish": True,
    }
    refused = api(provider).post(
        "/api/v1/marketplace/events/", event_payload, content_type="application/json"
    )
    assert refused.status_code == 409  # not approved yet
    assert not Event.objects.exists()
    assert api(provider).post(f"/api/v1/marketplace/apps/{app_id}/approve/").status_code == 403
    assert api(admin).post(f"/api/v1/marketplace/apps/{app_id}/approve/").status_code == 200
    made = api(provider).post(
        "/api/v1/marketplace/events/", event_payload, content_type="application/json"
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["starts_at_local"] == "2031-05-06T08:00:00+02:00"
    assert body["price"] == "25.00" and body["status"] == "published"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"price": "-1.00"}, "price"),
        ({"starts_at": "2031-05-06T10:00", "ends_at": "2031-05-06T09:00"}, "ends_at"),
        ({"starts_at": "2001-05-06T10:00", "ends_at": "2001-05-06T11:00"}, "starts_at"),
    ],
)
def test_bad_event_input_is_a_400_with_the_field(api, provider, app, change, field):
    payload = {
        "app": app.pk,
        "metro": MetroFactory().pk,
        "venue": "Café",
        "starts_at": "2031-05-06T08:00",
        "ends_at": "2031-05-06T09:30",
        "capacity": 12,
        "price": "10.00",
    } | change
    response = api(provider).post(
        "/api/v1/marketplace/events/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Event.objects.exists()


def test_other_provider_cannot_manage_through_api(api, other_provider, member_a, event):
    registration = services.registration_create(event=event, name="R", email="r@example.org")
    client = api(other_provider)
    assert (
        client.patch(
            f"/api/v1/marketplace/events/{event.pk}/",
            {"capacity": 50},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/marketplace/events/{event.pk}/registrations/").status_code == 404
    assert (
        client.post(f"/api/v1/marketplace/registrations/{registration.pk}/paid/").status_code == 404
    )
    assert api(member_a).get("/api/v1/marketplace/sponsorships/").status_code == 403
    event.refresh_from_db()
    assert event.capacity == 2


def test_sponsorships_for_provider_and_admin(api, provider, other_provider, admin, event):
    package = PackageFactory(app=event.app, slots=1, price=Decimal("250.00"))
    created = api(provider).post(
        "/api/v1/marketplace/sponsorships/",
        {
            "event": event.pk,
            "package": package.pk,
            "company": "Acme",
            "contact_name": "Al",
            "contact_email": "al@acme.example",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["amount"] == "250.00"
    sponsorship_id = created.json()["id"]
    assert api(other_provider).get("/api/v1/marketplace/sponsorships/").json()["results"] == []
    assert len(api(admin).get("/api/v1/marketplace/sponsorships/").json()["results"]) == 1
    paid = api(provider).post(
        f"/api/v1/marketplace/sponsorships/{sponsorship_id}/status/",
        {"status": "paid"},
        content_type="application/json",
    )
    assert paid.json()["status"] == "paid"
    back = api(provider).post(
        f"/api/v1/marketplace/sponsorships/{sponsorship_id}/status/",
        {"status": "pledged"},
        content_type="application/json",
    )
    assert back.status_code == 409


def test_draft_events_of_unapproved_apps_stay_private(api, member_a, provider):
    from .factories import AppFactory

    pending = AppFactory(provider=provider, status=App.Status.PENDING)
    draft = EventFactory(app=pending, status=Event.Status.DRAFT)
    assert api(member_a).get(f"/api/v1/marketplace/events/{draft.pk}/").status_code == 404
    assert api(member_a).get(f"/api/v1/marketplace/apps/{pending.pk}/").status_code == 404
    assert api(provider).get(f"/api/v1/marketplace/apps/{pending.pk}/").status_code == 200
