from django import template

from core.selectors import user_is_organization_admin

register = template.Library()


@register.simple_tag(takes_context=True)
def network_is_admin(context) -> bool:
    """Whether the signed-in user is an organisation admin (roles are cached on the user)."""
    request = context.get("request")
    return request is not None and user_is_organization_admin(request.user)


@register.filter
def initials(name: str) -> str:
    parts = [part for part in (name or "").replace("@", " ").split() if part[:1].isalnum()]
    return "".join(part[0] for part in parts[:2]).upper() or "?"
