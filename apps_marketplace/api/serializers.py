from rest_framework import serializers

from network.models import Metro

from ..models import App, Event, Registration, Sponsorship, SponsorshipPackage
from ..money import CURRENCY_CHOICES


class PackageSerializer(serializers.ModelSerializer):
    class Meta:
        model = SponsorshipPackage
        fields = [
            "id",
            "app",
            "event",
            "name",
            "price",
            "currency",
            "slots",
            "benefits",
            "is_active",
        ]
        read_only_fields = fields


class AppSerializer(serializers.ModelSerializer):
    provider = serializers.SerializerMethodField()

    class Meta:
        model = App
        fields = [
            "id",
            "name",
            "category",
            "description",
            "format",
            "default_price",
            "currency",
            "revenue_share",
            "refund_days",
            "late_refund_percent",
            "status",
            "review_note",
            "provider",
            "template_key",
            "created",
        ]
        read_only_fields = fields
        # DRF drops a read-only model field's allow_blank; "" when not adopted from a template.
        extra_kwargs = {"template_key": {"allow_blank": True}}

    def get_provider(self, app: App) -> dict:
        return {"id": app.provider_id, "name": str(app.provider)}


class AppWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(choices=App.Category.choices)
    description = serializers.CharField(max_length=5000)
    format = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    default_price = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    revenue_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    refund_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    late_refund_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EventSerializer(serializers.ModelSerializer):
    app = serializers.SerializerMethodField()
    metro = serializers.SerializerMethodField()
    starts_at_local = serializers.SerializerMethodField()
    ends_at_local = serializers.SerializerMethodField()
    seats_taken = serializers.IntegerField(read_only=True)
    waitlist_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "app",
            "metro",
            "description",
            "venue",
            "address",
            "starts_at",
            "ends_at",
            "starts_at_local",
            "ends_at_local",
            "capacity",
            "seats_taken",
            "waitlist_count",
            "price",
            "currency",
            "status",
            "cancel_reason",
        ]
        read_only_fields = fields

    def get_app(self, event: Event) -> dict:
        return {"id": event.app_id, "name": event.app.name}

    def get_metro(self, event: Event) -> dict:
        return {"id": event.metro_id, "name": event.metro.name, "time_zone": event.metro.time_zone}

    def get_starts_at_local(self, event: Event) -> str:
        return event.starts_local.isoformat()

    def get_ends_at_local(self, event: Event) -> str:
        return event.ends_local.isoformat()


class LocalOrAwareDateTimeField(serializers.DateTimeField):
    """Keeps a time without offset naive (the service reads it in the metro's zone) and one
    with an offset aware."""

    def enforce_timezone(self, value):
        return value


class EventWriteSerializer(serializers.Serializer):
    """Times without an offset are the metro's local time; with an offset, that instant."""

    app = serializers.PrimaryKeyRelatedField(queryset=App.objects.all(), required=False)
    metro = serializers.PrimaryKeyRelatedField(queryset=Metro.objects.all())
    title = serializers.CharField(max_length=160, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    venue = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    starts_at = LocalOrAwareDateTimeField()
    ends_at = LocalOrAwareDateTimeField()
    capacity = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    publish = serializers.BooleanField(required=False, default=False)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "name",
            "email",
            "status",
            "offer_expires_at",
            "amount",
            "currency",
            "payment_status",
            "amount_paid",
            "amount_refunded",
            "paid_at",
            "checked_in_at",
            "cancelled_at",
            "created",
        ]
        read_only_fields = fields

    def get_event(self, registration: Registration) -> dict:
        return {"id": registration.event_id, "title": registration.event.title}


class MarkPaidSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)


class CheckInSerializer(serializers.Serializer):
    undo = serializers.BooleanField(required=False, default=False)


class SponsorshipSerializer(serializers.ModelSerializer):
    event = serializers.SerializerMethodField()
    package = serializers.SerializerMethodField()

    class Meta:
        model = Sponsorship
        fields = [
            "id",
            "event",
            "package",
            "company",
            "website",
            "contact_name",
            "contact_email",
            "amount",
            "currency",
            "status",
            "invoice_number",
            "invoiced_at",
            "paid_at",
            "created",
        ]
        read_only_fields = fields
        # DRF drops a read-only model field's allow_blank: "" is what an unset URL reads.
        extra_kwargs = {"website": {"allow_blank": True}}

    def get_event(self, sponsorship: Sponsorship) -> dict:
        return {"id": sponsorship.event_id, "title": sponsorship.event.title}

    def get_package(self, sponsorship: Sponsorship) -> dict:
        return {"id": sponsorship.package_id, "name": sponsorship.package.name}


class SponsorshipWriteSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    package = serializers.IntegerField()
    company = serializers.CharField(max_length=150)
    website = serializers.URLField(required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)


class SponsorshipStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Sponsorship.Status.choices)
    invoice_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
