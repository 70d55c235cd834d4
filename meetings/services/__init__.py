"""Writes of the meetings app. Import from here: `from meetings import services`."""

from .calendars import calendar_feed_authenticate, calendar_feed_create, calendar_feed_revoke
from .participation import (
    attendance_record,
    follow_up_save,
    meeting_close,
    minutes_save,
    record_held_meeting,
    rsvp_set,
    share_save,
    story_delete,
    story_save,
)
from .reminders import reminder_deliver, reminder_preferences_update, reminders_queue_due
from .schedule import (
    meeting_add_one_off,
    meeting_cancel,
    meeting_move,
    meetings_generate,
    meetings_generate_all,
    schedule_save,
)

__all__ = [
    "attendance_record",
    "calendar_feed_authenticate",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "follow_up_save",
    "meeting_add_one_off",
    "meeting_cancel",
    "meeting_close",
    "meeting_move",
    "meetings_generate",
    "meetings_generate_all",
    "minutes_save",
    "record_held_meeting",
    "reminder_deliver",
    "reminder_preferences_update",
    "reminders_queue_due",
    "rsvp_set",
    "schedule_save",
    "share_save",
    "story_delete",
    "story_save",
]
