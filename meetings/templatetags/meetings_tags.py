from django import template

from meetings.selectors import next_meeting_of

register = template.Library()


@register.simple_tag
def next_meeting(chapter):
    """The chapter's next scheduled meeting, for the chapter page (its time, not its content)."""
    return next_meeting_of(chapter)


@register.filter
def minutes_label(seconds: int) -> int:
    return max(1, round(seconds / 60))
