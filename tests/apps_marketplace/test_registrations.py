"""Registration: seats, the waiting list and its deadline, refunds by the app's rule, the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from apps_marketplace import services
from apps_marketplace.errors import MarketplaceConflict, MarketplaceError
from apps_marketplace.models import Event, LedgerEntry, MarketplaceSettings, Registration
from apps_marketplace.selectors import ledger_balance_of_registration, waitlist_position
from apps_marketplace.tasks import expire_seat_offers
from tests.factories import UserFactory

from .factories import EventFactory


def guest(event, n):
    return services.registration_create(event=event, name=f"Guest {n}", email=f"g{n}@example.org")


def statuses(event):
    return list(event.registrations.order_by("created", "pk").values_list("status", flat=True))


def test_seats_then_waiting_list(event):
    assert statuses(event) == []
    first, second, third = guest(event, 1), guest(event, 2), guest(event, 3)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    assert first.payment_status == Registration.Payment.DUE
    assert first.amount == Decimal("10.00") and first.currency == "EUR"
    assert waitlist_position(third) == 1


def test_member_registers_with_account_details(event, member_a):
    registration = services.registration_create(event=event, user=member_a)
    assert (registration.user, registration.email, registration.name) == (
        member_a,
        member_a.email,
        member_a.name,
    )


def test_same_email_twice_is_refused_case_insensitively(event):
    guest(event, 1)
    with pytest.raises(MarketplaceConflict):
        services.registration_create(event=event, name="Again", email="G1@EXAMPLE.ORG")
    assert event.registrations.count() == 1


def test_database_refuses_two_active_registrations_for_one_email(event):
    guest(event, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, name="x", email="g1@example.org", status="waitlisted", currency="EUR"
        )


def test_guest_input_is_validated(event):
    with pytest.raises(MarketplaceError) as error:
        services.registration_create(event=event, name="", email="a@example.org")
    assert error.value.field == "name"
    with pytest.raises(MarketplaceError) as error:
        services.registration_create(event=event, name="Ann", email="not-an-email")
    assert error.value.field == "email"
    assert event.registrations.count() == 0


@pytest.mark.parametrize(
    "status", [Event.Status.DRAFT, Event.Status.CANCELLED, Event.Status.COMPLETED]
)
def test_only_published_events_take_registrations(app, status):
    event = EventFactory(app=app, status=status)
    with pytest.raises(MarketplaceConflict):
        guest(event, 1)


def test_started_event_takes_no_registration(app):
    event = EventFactory(app=app, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(MarketplaceConflict):
        guest(event, 1)


def test_cancelling_offers_the_seat_to_the_first_in_line(event):
    first, _, third, fourth = (guest(event, n) for n in range(1, 5))
    before = timezone.now()
    services.registration_cancel(registration=first, actor=None)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == Registration.Status.OFFERED
    hours = MarketplaceSettings.load().offer_hours
    assert before + datetime.timedelta(hours=hours) <= third.offer_expires_at
    assert fourth.status == Registration.Status.WAITLISTED
    assert waitlist_position(fourth) == 1
    assert event.registrations.filter(status__in=Registration.HOLDING_SEAT).count() == 2

    services.registration_confirm_offer(registration=third)
    third.refresh_from_db()
    assert third.status == Registration.Status.CONFIRMED and third.offer_expires_at is None


def test_newcomer_does_not_jump_the_waiting_list(event):
    first, _, third = (guest(event, n) for n in range(1, 4))
    services.registration_cancel(registration=first, actor=None)
    newcomer = guest(event, 4)
    assert newcomer.status == Registration.Status.WAITLISTED
    third.refresh_from_db()
    assert third.status == Registration.Status.OFFERED


def test_offer_deadline_never_passes_the_event_start(app):
    event = EventFactory(
        app=app, capacity=1, starts_at=timezone.now() + datetime.timedelta(hours=3)
    )
    first, second = guest(event, 1), guest(event, 2)
    services.registration_cancel(registration=first, actor=None)
    second.refresh_from_db()
    assert second.offer_expires_at == event.starts_at


def test_expired_offer_goes_to_the_next_person(event):
    first, _, third, fourth = (guest(event, n) for n in range(1, 5))
    services.registration_cancel(registration=first, actor=None)
    Registration.objects.filter(pk=third.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert expire_seat_offers.apply().get() == 1

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == Registration.Status.EXPIRED
    assert fourth.status == Registration.Status.OFFERED
    with pytest.raises(MarketplaceConflict):
        services.registration_confirm_offer(registration=third)
    assert expire_seat_offers.apply().get() == 0  # idempotent


def test_late_confirmation_is_refused(event):
    first, _, third = (guest(event, n) for n in range(1, 4))
    services.registration_cancel(registration=first, actor=None)
    Registration.objects.filter(pk=third.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(MarketplaceConflict):
        services.registration_confirm_offer(registration=third)


def test_raising_capacity_offers_the_new_seats(event, provider):
    for n in range(1, 5):
        guest(event, n)
    services.event_update(event=event, actor=provider, capacity=3)
    assert statuses(event) == ["confirmed", "confirmed", "offered", "waitlisted"]


def test_capacity_cannot_drop_below_seats_held(event, provider):
    guest(event, 1), guest(event, 2)
    with pytest.raises(MarketplaceConflict):
        services.event_update(event=event, actor=provider, capacity=1)
    event.refresh_from_db()
    assert event.capacity == 2


# --- Payments, refunds and the ledger -----------------------------------------------------------


def ledger_total(**filters) -> Decimal:
    return LedgerEntry.objects.filter(**filters).aggregate(
        total=Sum("amount", default=Decimal("0"))
    )["total"]


def test_offline_payment_splits_fee_between_provider_and_organisation(event, provider):
    registration = guest(event, 1)
    services.registration_mark_paid(registration=registration, actor=provider, reference="door")
    registration.refresh_from_db()
    assert registration.payment_status == Registration.Payment.PAID
    assert registration.amount_paid == Decimal("10.00")
    parts = dict(
        LedgerEntry.objects.filter(registration=registration).values_list("party", "amount")
    )
    assert parts == {"provider": Decimal("8.00"), "organization": Decimal("2.00")}  # 20% default
    with pytest.raises(MarketplaceConflict):
        services.registration_mark_paid(registration=registration, actor=provider)
    assert LedgerEntry.objects.filter(registration=registration).count() == 2


def test_app_share_overrides_default_and_odd_cents_stay_whole(app, provider):
    app.revenue_share = Decimal("33.33")
    app.save()
    event = EventFactory(app=app, price=Decimal("9.99"))
    registration = guest(event, 1)
    services.registration_mark_paid(registration=registration, actor=provider)
    parts = dict(
        LedgerEntry.objects.filter(registration=registration).values_list("party", "amount")
    )
    assert parts == {"organization": Decimal("3.33"), "provider": Decimal("6.66")}
    assert sum(parts.values()) == Decimal("9.99")


def test_full_refund_until_the_deadline(event, provider):
    registration = guest(event, 1)  # event in 10 days, full refund until 7 days before
    services.registration_mark_paid(registration=registration, actor=provider)
    services.registration_cancel(registration=registration, actor=None)
    registration.refresh_from_db()
    assert registration.amount_refunded == Decimal("10.00")
    assert registration.payment_status == Registration.Payment.REFUNDED
    refund = dict(
        LedgerEntry.objects.filter(registration=registration, kind="refund").values_list(
            "party", "amount"
        )
    )
    assert refund == {"provider": Decimal("-8.00"), "organization": Decimal("-2.00")}
    assert ledger_balance_of_registration(registration) == Decimal("0.00")


def test_late_cancellation_refunds_the_late_percentage(app, provider):
    app.late_refund_percent = 50
    app.save()
    event = EventFactory(
        app=app, starts_at=timezone.now() + datetime.timedelta(days=2), price=Decimal("25.00")
    )
    registration = guest(event, 1)
    services.registration_mark_paid(registration=registration, actor=provider)
    services.registration_cancel(registration=registration, actor=None)
    registration.refresh_from_db()
    assert registration.amount_refunded == Decimal("12.50")
    assert registration.payment_status == Registration.Payment.PARTIALLY_REFUNDED
    assert ledger_balance_of_registration(registration) == Decimal("12.50")


def test_no_refund_after_the_deadline_by_default(app, provider):
    event = EventFactory(app=app, starts_at=timezone.now() + datetime.timedelta(days=1))
    registration = guest(event, 1)
    services.registration_mark_paid(registration=registration, actor=provider)
    services.registration_cancel(registration=registration, actor=None)
    registration.refresh_from_db()
    assert registration.amount_refunded == Decimal("0.00")
    assert not LedgerEntry.objects.filter(registration=registration, kind="refund").exists()


def test_refund_keeps_the_share_of_the_original_payment(event, provider, admin):
    registration = guest(event, 1)
    services.registration_mark_paid(registration=registration, actor=provider)
    services.marketplace_settings_update(
        actor=admin, default_revenue_share=Decimal("50"), default_currency="EUR", offer_hours=48
    )
    services.registration_cancel(registration=registration, actor=None)
    assert ledger_total(registration=registration, party="organization") == Decimal("0.00")
    assert ledger_total(registration=registration, party="provider") == Decimal("0.00")


def test_cancelling_an_event_refunds_everyone_in_full(app, provider):
    event = EventFactory(app=app, capacity=2, starts_at=timezone.now() + datetime.timedelta(days=1))
    paid, _unpaid, _waiting = guest(event, 1), guest(event, 2), guest(event, 3)
    services.registration_mark_paid(registration=paid, actor=provider)
    services.event_cancel(event=event, actor=provider, reason="The venue flooded.")
    assert set(statuses(event)) == {"cancelled"}
    paid.refresh_from_db()
    assert paid.amount_refunded == Decimal("10.00")  # in full, although past the refund deadline
    assert ledger_total(event=event) == Decimal("0.00")
    with pytest.raises(MarketplaceError):
        services.event_cancel(event=EventFactory(app=app), actor=provider, reason="  ")


def test_ledger_always_sums_to_what_was_paid(app, provider):
    """Fees, refunds of every kind and sponsorships: per registration, per event and in total the
    ledger equals money received minus money returned."""
    app.revenue_share = Decimal("17.5")
    app.late_refund_percent = 30
    app.save()
    soon = EventFactory(
        app=app,
        capacity=5,
        price=Decimal("13.37"),
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    later = EventFactory(app=app, capacity=5, price=Decimal("7.01"))
    registrations = [guest(soon, n) for n in range(5)] + [guest(later, n) for n in range(5)]
    for registration in registrations:
        services.registration_mark_paid(registration=registration, actor=provider)
    for registration in registrations[::2]:
        services.registration_cancel(registration=registration, actor=None)
    from apps_marketplace.models import Sponsorship

    from .factories import PackageFactory

    package = PackageFactory(app=app, price=Decimal("333.33"), slots=2)
    sponsorship = services.sponsorship_create(
        event=soon,
        package=package,
        actor=provider,
        company="Acme",
        contact_name="Al",
        contact_email="al@acme.example",
    )
    services.sponsorship_set_status(sponsorship=sponsorship, actor=provider, status="paid")
    refunded = services.sponsorship_create(
        event=soon,
        package=package,
        actor=provider,
        company="Beta",
        contact_name="Bo",
        contact_email="bo@beta.example",
    )
    services.sponsorship_set_status(sponsorship=refunded, actor=provider, status="paid")
    services.sponsorship_set_status(sponsorship=refunded, actor=provider, status="refunded")

    for registration in Registration.objects.filter(event__app=app):
        assert ledger_balance_of_registration(registration) == (
            registration.amount_paid - registration.amount_refunded
        )
    received = Registration.objects.filter(event__app=app).aggregate(
        paid=Sum("amount_paid"), refunded=Sum("amount_refunded")
    )
    sponsorship_money = sum(
        (s.amount for s in Sponsorship.objects.filter(status="paid")), Decimal("0")
    )
    assert ledger_total(app=app) == received["paid"] - received["refunded"] + sponsorship_money
    for transaction_id in LedgerEntry.objects.values_list("transaction", flat=True).distinct():
        assert LedgerEntry.objects.filter(transaction=transaction_id).count() == 2


@pytest.mark.django_db(transaction=False)
def test_ledger_is_append_only_in_the_database(event, provider):
    registration = guest(event, 1)
    services.registration_mark_paid(registration=registration, actor=provider)
    entry = LedgerEntry.objects.filter(registration=registration).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("8.00")


def test_check_in_only_confirmed_and_can_be_undone(event, provider):
    confirmed, _, waiting = guest(event, 1), guest(event, 2), guest(event, 3)
    services.registration_check_in(registration=confirmed, actor=provider)
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at is not None
    services.registration_check_in(registration=confirmed, actor=provider, undo=True)
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at is None
    with pytest.raises(MarketplaceConflict):
        services.registration_check_in(registration=waiting, actor=provider)


def test_registrant_cannot_cancel_after_start(app):
    event = EventFactory(app=app, starts_at=timezone.now() + datetime.timedelta(hours=1))
    registration = guest(event, 1)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(MarketplaceConflict):
        services.registration_cancel(registration=registration, actor=None)


def test_free_event_needs_no_payment(free_event, provider):
    registration = guest(free_event, 1)
    assert registration.payment_status == Registration.Payment.NOT_REQUIRED
    with pytest.raises(MarketplaceConflict):
        services.registration_mark_paid(registration=registration, actor=provider)


def test_completing_finished_events_lapses_the_waiting_list(app):
    event = EventFactory(app=app, capacity=1)
    guest(event, 1), guest(event, 2)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert services.events_complete_finished() == 1
    event.refresh_from_db()
    assert event.status == Event.Status.COMPLETED
    assert statuses(event) == ["confirmed", "expired"]


def test_registration_emails_the_registrant_after_commit(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = guest(event, 1)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["g1@example.org"]
    assert f"/marketplace/r/{registration.token}/" in mailoutbox[0].body


def test_member_is_notified_in_app(event):
    member = UserFactory(email="notify@alpha.test")
    services.registration_create(event=event, user=member)
    assert member.notifications.filter(title__startswith="You are registered").exists()
