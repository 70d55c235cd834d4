"""The meetings app's domain errors: services raise them, views show them, the API returns 4xx."""

from core.errors import ApplicationError, Conflict, PermissionDenied


class MeetingError(ApplicationError):
    """A rule of meetings was not met (400)."""


class MeetingLocked(Conflict):
    """The meeting is closed (or cancelled): its record no longer changes (409)."""

    code = "meeting_locked"


class MeetingPermissionDenied(PermissionDenied):
    pass
