from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.shortcuts import redirect, render
from django_tenants.utils import schema_context

from core.errors import ApplicationError
from core.welcome import welcome_token_make

from .forms import StartNetworkForm
from .selectors import primary_domain_of
from .services import RESERVED_SLUGS, organization_create


def landing(request):
    return render(request, "tenants/landing.html")


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _rate_limited(request) -> bool:
    key = f"signup-attempts:{_client_ip(request)}"
    cache.add(key, 0, 3600)
    try:
        attempts = cache.incr(key)
    except ValueError:
        attempts = 1
    return attempts > settings.SIGNUP_RATE_LIMIT_PER_HOUR


def start_network(request):
    form = StartNetworkForm(request.POST or None, base_domain=settings.BASE_DOMAIN)
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            form.is_valid()
            form.add_error(
                None, "Too many attempts from your address; please try again in an hour."
            )
            return render(request, "tenants/start.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                organization = organization_create(
                    slug=data["slug"],
                    name=data["name"],
                    admin_email=data["admin_email"],
                    admin_password=data["admin_password"],
                    admin_name=data["admin_name"],
                )
            except ApplicationError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                return redirect(_welcome_url(request, organization, data["admin_email"]))
        status = 400
    return render(
        request,
        "tenants/start.html",
        {"form": form, "reserved": sorted(RESERVED_SLUGS)},
        status=status,
    )


def _welcome_url(request, organization, admin_email: str) -> str:
    with schema_context(organization.schema_name):
        admin = get_user_model().objects.get(email=admin_email.lower())
    token = welcome_token_make(user_pk=admin.pk, schema_name=organization.schema_name)
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{request.scheme}://{primary_domain_of(organization)}{suffix}/welcome/{token}/"
