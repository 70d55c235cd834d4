from rest_framework import serializers

from core.models import ApiToken, User
from core.selectors import user_is_organization_admin


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    is_organization_admin = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "language",
            "roles",
            "is_organization_admin",
            "organization",
        ]
        read_only_fields = ["id", "email", "roles", "is_organization_admin", "organization"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.roles.values_list("role", flat=True))

    def get_is_organization_admin(self, user: User) -> bool:
        return user_is_organization_admin(user)

    def get_organization(self, user: User) -> dict:
        tenant = self.context["request"].tenant
        return {"name": tenant.name, "slug": tenant.slug}


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "last_used_at", "revoked_at"]
        read_only_fields = fields
