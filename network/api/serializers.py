from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.selectors import user_is_organization_admin

from ..models import Entrepreneur, Metro, Region, Sector


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name"]


class CountryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class MetroSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    country = serializers.SerializerMethodField()

    class Meta:
        model = Metro
        fields = ["id", "name", "time_zone", "region", "country"]
        read_only_fields = fields

    @extend_schema_field(CountryRefSerializer)
    def get_country(self, metro: Metro) -> dict:
        country = metro.region.country
        return {"id": country.pk, "name": country.name, "code": country.code}


class MetroWriteSerializer(serializers.Serializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.select_related("country"))
    name = serializers.CharField(max_length=100)
    time_zone = serializers.CharField(max_length=64, help_text="IANA name, e.g. Europe/Paris.")


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "name", "description", "is_active"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "is_active": {
                "help_text": "False once retired: kept by its members, not offered to new ones."
            },
        }


class SectorWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(max_length=240, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, help_text="Set false to retire.")


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EntrepreneurSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.SerializerMethodField(
        help_text="Shown to the member themself and to organisation admins only."
    )
    metro = RefSerializer(read_only=True, allow_null=True)
    sector = RefSerializer(read_only=True, allow_null=True)
    photo_url = serializers.SerializerMethodField()
    is_unaffiliated = serializers.BooleanField(read_only=True)

    class Meta:
        model = Entrepreneur
        fields = [
            "id",
            "user_id",
            "name",
            "email",
            "company",
            "role",
            "metro",
            "sector",
            "bio",
            "website",
            "linkedin",
            "photo_url",
            "visibility",
            "active_chapter_count",
            "is_unaffiliated",
            "is_active",
        ]
        read_only_fields = fields
        # DRF drops a read-only model field's allow_blank: "" is what an unset URL reads.
        extra_kwargs = {"website": {"allow_blank": True}, "linkedin": {"allow_blank": True}}

    def _may_see_private(self, entrepreneur: Entrepreneur) -> bool:
        user = self.context["request"].user
        return entrepreneur.user_id == user.pk or user_is_organization_admin(user)

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, entrepreneur: Entrepreneur) -> str | None:
        return entrepreneur.user.email if self._may_see_private(entrepreneur) else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, entrepreneur: Entrepreneur) -> str | None:
        if not entrepreneur.photo:
            return None
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(
            reverse("network:person-photo", args=[entrepreneur.pk])
        )


class EntrepreneurUpdateSerializer(serializers.Serializer):
    """Your own profile; send only what changes (JSON, or multipart to upload a photo)."""

    company = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.CharField(max_length=120, required=False, allow_blank=True)
    metro = serializers.PrimaryKeyRelatedField(
        queryset=Metro.objects.all(), required=False, allow_null=True
    )
    sector = serializers.PrimaryKeyRelatedField(
        queryset=Sector.objects.all(), required=False, allow_null=True
    )
    bio = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    linkedin = serializers.CharField(max_length=200, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Entrepreneur.Visibility.choices, required=False)
    photo = serializers.FileField(
        required=False, help_text="JPEG, PNG, WebP or GIF, at most 2 MB (multipart only)."
    )
    remove_photo = serializers.BooleanField(required=False, default=False)
