from django.conf import settings
from django_tenants.utils import get_public_schema_name


def site(request) -> dict:
    """Which site this request is on: the public platform site, an organisation, or neither
    (an unknown host being answered with a 404)."""
    tenant = getattr(request, "tenant", None)
    is_public = tenant is not None and tenant.schema_name == get_public_schema_name()
    return {
        "organization": tenant if tenant is not None and not is_public else None,
        "is_public_site": is_public,
        "base_domain": settings.BASE_DOMAIN,
    }
