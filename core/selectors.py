"""Reads that every app shares."""

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken, Notification, Role, User


def user_has_role(user: User, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.roles.values_list("role", flat=True))
        user._role_cache = cache
    return role in cache


def user_is_organization_admin(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user_has_role(user, Role.ORGANIZATION_ADMIN)
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created")


def get_api_token_for(user: User, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def notifications_of(user: User, *, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created")[:limit]


def unread_notification_count(user: User) -> int:
    """Loaded with the session's user (core.userfacts) or counted; memoised on the user."""
    count = getattr(user, "_unread_count", None)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        user._unread_count = count
    return count
