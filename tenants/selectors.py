from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from .models import Domain, Organization


def organizations_active() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(status=Organization.Status.ACTIVE)
        .exclude(schema_name=get_public_schema_name())
        .order_by("pk")
    )


def organizations_all() -> QuerySet[Organization]:
    return (
        Organization.objects.exclude(schema_name=get_public_schema_name())
        .prefetch_related("domains")
        .order_by("name")
    )


def organization_by_slug(slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first()


def primary_domain_of(organization: Organization) -> str | None:
    domain = Domain.objects.filter(tenant=organization, is_primary=True).first()
    return domain.domain if domain else None
