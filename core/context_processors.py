from django.conf import settings
from django_tenants.utils import get_public_schema_name


def site(request) -> dict:
    """Which site this request is on: the public platform site, an organisation, or neither
    (an unknown host being answered with a 404)."""
    tenant = getattr(request, "tenant", None)
    is_public = tenant is not None and tenant.schema_name == get_public_schema_name()
    user = getattr(request, "user", None)
    return {
        "unread_notifications": (
            _UnreadCount(user)
            if not is_public and user is not None and user.is_authenticated
            else 0
        ),
        "organization": tenant if tenant is not None and not is_public else None,
        "is_public_site": is_public,
        "base_domain": settings.BASE_DOMAIN,
    }


class _UnreadCount:
    """Counted only if a template shows it."""

    def __init__(self, user) -> None:
        self.user = user
        self._value: int | None = None

    def _count(self) -> int:
        if self._value is None:
            from .selectors import unread_notification_count

            self._value = unread_notification_count(self.user)
        return self._value

    def __bool__(self) -> bool:
        return self._count() > 0

    def __str__(self) -> str:
        return str(self._count())
