"""Absolute links outside a request (Celery, commands) use the organisation's primary domain."""

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_tenant_domain_model


def primary_domain(schema_name: str | None = None) -> str:
    """The primary domain of the organisation whose schema is active (or named)."""
    schema_name = schema_name or connection.schema_name
    domain = (
        get_tenant_domain_model()
        .objects.filter(tenant__schema_name=schema_name, is_primary=True)
        .values_list("domain", flat=True)
        .first()
    )
    return domain or settings.BASE_DOMAIN


def organization_base_url(tenant=None) -> str:
    """`tenant`: an organisation, a schema name, or None for the active schema."""
    schema_name = getattr(tenant, "schema_name", tenant)
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{primary_domain(schema_name)}{port}"


def absolute_url(path: str, tenant=None) -> str:
    return organization_base_url(tenant) + path
