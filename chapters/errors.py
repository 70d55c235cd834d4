"""The chapters app's domain errors: services raise them, views show them, the API returns 4xx."""

from core.errors import ApplicationError, Conflict, PermissionDenied


class ChapterError(ApplicationError):
    """A rule of chapters was not met (400)."""


class SeatTaken(Conflict):
    """The sector's seat is taken (409). The message names the sector."""

    code = "seat_taken"


class ChapterFull(Conflict):
    code = "chapter_full"


class ChapterPermissionDenied(PermissionDenied):
    pass
