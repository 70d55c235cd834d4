"""Who governance messages go to. The messages themselves go through core.notify (each in its
reader's language).

Messages name the escalation's number, summary, category and chapter — never the raiser of an
anonymous escalation and never its description (which stays on the permission-checked page)."""

from django.db.models import Q

from core.models import Role, User


def organization_admins() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(roles__role=Role.ORGANIZATION_ADMIN) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
