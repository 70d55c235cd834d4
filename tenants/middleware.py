from django.db import connection
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from .host_cache import cached_tenant, remember_tenant


class OrganizationMiddleware(TenantMainMiddleware):
    """Routes each host to its organisation's schema (unknown hosts get a 404) and keeps a
    suspended organisation closed, except for its health check."""

    def get_tenant(self, domain_model, hostname):
        tenant = cached_tenant(hostname)
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)
            remember_tenant(hostname, tenant)
        return tenant

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = getattr(connection, "tenant", None)
        if getattr(tenant, "status", "active") != "active" and request.path != "/health/":
            return render(request, "tenants/suspended.html", {"organization": tenant}, status=403)
        return None
