from django import template
from django.templatetags.tz import do_timezone

from core.selectors import user_is_organization_admin

from ..money import format_money
from ..selectors import user_is_provider

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    return format_money(amount, currency)


@register.simple_tag(takes_context=True)
def marketplace_roles(context) -> dict:
    """What the signed-in user may open in the marketplace (the role lookup is cached on the
    user, so the navigation and the page share one query)."""
    user = context["request"].user
    is_admin = user_is_organization_admin(user)
    is_provider = user_is_provider(user)
    return {
        "is_admin": is_admin,
        "is_provider": is_provider,
        "may_provide": is_admin or is_provider,
    }


@register.filter
def seats_left(event) -> int:
    """Free seats of an event annotated with `seats_taken` (selectors.event_list)."""
    return max(event.capacity - getattr(event, "seats_taken", 0), 0)


@register.filter
def local(value, event):
    """A UTC time in the event's metro zone, marked so that later filters (`date`) keep it
    there instead of converting it to the request's zone."""
    if value is None:
        return ""
    return do_timezone(value, event.metro.tzinfo)
