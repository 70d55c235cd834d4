"""Absolute links outside a request (Celery, commands) use the organisation's primary domain."""

from django.conf import settings
from django.db import connection


def organization_base_url(tenant=None) -> str:
    tenant = tenant or connection.tenant
    domain = tenant.get_primary_domain()
    host = domain.domain if domain else settings.BASE_DOMAIN
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}"


def absolute_url(path: str, tenant=None) -> str:
    return organization_base_url(tenant) + path
