"""The marketplace: apps (program formats owned by providers), their events in metros,
registrations with a waiting list, sponsorships, and the append-only revenue ledger."""

import secrets
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ChoiceLabels
from network.models import Metro

from .money import CURRENCY_CHOICES

ZERO = Decimal("0.00")
PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


def currency_field(**kwargs) -> models.CharField:
    return models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, **kwargs)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MarketplaceSettings(ChoiceLabels, models.Model):
    """The organisation's marketplace settings (one row)."""

    default_revenue_share = models.DecimalField(
        _("organisation's share of revenue (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=PERCENT_VALIDATORS,
        help_text=_(
            "What the organisation keeps of every fee and sponsorship, unless an app "
            "has its own share."
        ),
    )
    default_currency = currency_field(default="EUR")
    offer_hours = models.PositiveIntegerField(
        _("hours to confirm a seat offered from the waiting list"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )

    class Meta:
        verbose_name = _("marketplace settings")
        verbose_name_plural = _("marketplace settings")

    def __str__(self) -> str:
        return f"{self.default_revenue_share}% to the organisation"

    @classmethod
    def load(cls) -> "MarketplaceSettings":
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class App(ChoiceLabels, models.Model):
    """A program format ("Pitch Night") that a provider runs as events."""

    class Category(models.TextChoices):
        NETWORKING = "networking", _("Networking")
        PITCH = "pitch", _("Pitching")
        INVESTORS = "investors", _("Meeting investors")
        HACKATHON = "hackathon", _("Startup weekend / hackathon")
        COMPETITION = "competition", _("Competition")
        ACCELERATOR = "accelerator", _("Accelerator / seedcamp")
        MENTORING = "mentoring", _("Mentoring / office hours")
        SHOWCASE = "showcase", _("Showcase / demo day")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="marketplace_apps"
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"), max_length=5000)
    format = models.TextField(
        _("format"),
        max_length=2000,
        blank=True,
        help_text=_("How an event runs: length, programme, who it is for."),
    )
    default_price = money_field(_("default price"), default=ZERO)
    currency = currency_field(default="EUR")
    revenue_share = models.DecimalField(
        _("organisation's share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Leave empty to use the organisation's default share."),
    )
    refund_days = models.PositiveIntegerField(
        _("full refund until (days before the event)"),
        default=7,
        validators=[MaxValueValidator(365)],
    )
    late_refund_percent = models.PositiveIntegerField(
        _("refund after that (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    template_key = models.SlugField(
        _("adopted from template"),
        max_length=60,
        blank=True,
        help_text=_("The platform app template this app started from, if any."),
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("app")
        verbose_name_plural = _("apps")
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_price__gte=0), name="marketplace_app_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED


class Event(ChoiceLabels, models.Model):
    """One run of an app in a metro. Times are stored in UTC and shown in the metro's zone."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    app = models.ForeignKey(App, on_delete=models.PROTECT, related_name="events")
    metro = models.ForeignKey(Metro, on_delete=models.PROTECT, related_name="marketplace_events")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    price = money_field(_("price"))
    currency = currency_field()
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["metro", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="marketplace_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="marketplace_event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="marketplace_event_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return self.metro.tzinfo

    @property
    def starts_local(self):
        return self.starts_at.astimezone(self.tzinfo)

    @property
    def ends_local(self):
        return self.ends_at.astimezone(self.tzinfo)

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.starts_at > timezone.now()


class SponsorshipPackage(ChoiceLabels, models.Model):
    """What a sponsor can buy: for every event of an app, or for one event. `slots` is per event."""

    app = models.ForeignKey(
        App, null=True, blank=True, on_delete=models.CASCADE, related_name="packages"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="packages"
    )
    name = models.CharField(_("name"), max_length=100)
    price = money_field(_("price"))
    currency = currency_field()
    slots = models.PositiveIntegerField(_("sponsors per event"), validators=[MinValueValidator(1)])
    benefits = models.TextField(_("benefits"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["-price", "name"]
        verbose_name = _("sponsorship package")
        verbose_name_plural = _("sponsorship packages")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(app__isnull=False, event__isnull=True)
                    | Q(app__isnull=True, event__isnull=False)
                ),
                name="marketplace_package_for_app_or_event",
            ),
            models.CheckConstraint(
                condition=Q(slots__gte=1), name="marketplace_package_slots_positive"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="marketplace_package_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Sponsorship(ChoiceLabels, models.Model):
    """A company sponsoring one event through a package: pledged → invoiced → paid."""

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    # Statuses that take one of the package's slots.
    HOLDING = (Status.PLEDGED, Status.INVOICED, Status.PAID)
    # Shown on the event page.
    SHOWN = (Status.INVOICED, Status.PAID)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="sponsorships")
    package = models.ForeignKey(
        SponsorshipPackage, on_delete=models.PROTECT, related_name="sponsorships"
    )
    company = models.CharField(_("company"), max_length=150)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    amount = money_field(_("amount"))
    currency = currency_field()
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLEDGED
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-amount", "company"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")

    def __str__(self) -> str:
        return f"{self.company} — {self.event}"


class Registration(ChoiceLabels, models.Model):
    """A member's or a guest's place at an event. CONFIRMED and OFFERED hold a seat; never
    more of them than the event's capacity (registration services lock the event row)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Seat offered — confirm by the deadline")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Offer expired")

    class Payment(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Free")
        DUE = "due", _("To pay")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")

    HOLDING_SEAT = (Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="marketplace_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    amount = money_field(_("amount"), default=ZERO)
    currency = currency_field()
    payment_status = models.CharField(
        _("payment"), max_length=20, choices=Payment.choices, default=Payment.NOT_REQUIRED
    )
    payment_provider = models.CharField(max_length=20, blank=True)
    payment_reference = models.CharField(max_length=120, blank=True)
    amount_paid = money_field(_("paid"), default=ZERO)
    amount_refunded = money_field(_("refunded"), default=ZERO)
    paid_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status", "created"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(status__in=["confirmed", "offered", "waitlisted"]),
                name="marketplace_one_active_registration_per_email",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=models.F("amount_paid")),
                name="marketplace_refund_not_above_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def holds_seat(self) -> bool:
        return self.status in self.HOLDING_SEAT


class LedgerEntry(ChoiceLabels, models.Model):
    """One line of the revenue ledger. Append-only: a database trigger refuses updates and
    deletes, so a refund is recorded as negative entries, never as an edit. Each payment or
    refund is a *transaction* of two entries, one per party, that sum to the money moved."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Attendee fee")
        SPONSORSHIP = "sponsorship", _("Sponsorship")
        REFUND = "refund", _("Refund of a fee")
        SPONSORSHIP_REFUND = "sponsorship_refund", _("Refund of a sponsorship")

    class Party(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        ORGANIZATION = "organization", _("Organisation")

    transaction = models.CharField(max_length=32, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    party = models.CharField(max_length=16, choices=Party.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = currency_field()
    share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        help_text=_("The organisation's share applied to this transaction."),
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    app = models.ForeignKey(App, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    metro = models.ForeignKey(Metro, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    sponsorship = models.ForeignKey(
        Sponsorship, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    memo = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["provider", "created"]),
            models.Index(fields=["app", "created"]),
        ]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d} {self.kind} {self.party} {self.amount} {self.currency}"
