"""What the marketplace's views share: role checks, turning service errors into form errors."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.selectors import user_is_organization_admin

from ..selectors import user_may_provide


def provider_required(view):
    """Providers (and organisation admins, who oversee them) only."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_may_provide(request.user):
            raise PermissionDenied(_("The provider's pages are for providers."))
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_organization_admin(request.user):
            raise PermissionDenied(_("This page is for organisation admins."))
        return view(request, *args, **kwargs)

    return wrapper


def form_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def flash_error(request, error: ApplicationError) -> None:
    messages.error(request, error.message)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def guest_rate_limited(request) -> bool:
    """Guest registrations per IP address and hour (MARKETPLACE_GUEST_REGISTRATIONS_PER_HOUR)."""
    limit = getattr(settings, "MARKETPLACE_GUEST_REGISTRATIONS_PER_HOUR", 10)
    key = f"marketplace-guest-registrations:{client_ip(request)}"
    cache.add(key, 0, 3600)
    try:
        attempts = cache.incr(key)
    except ValueError:
        attempts = 1
    return attempts > limit
