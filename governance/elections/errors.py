"""Elections' domain errors: services raise them, pages show them, the API returns 4xx bodies."""

from core.errors import ApplicationError, Conflict, NotFound, PermissionDenied


class ElectionError(ApplicationError):
    """A rule of the election was not met (400)."""


class ElectionPermissionDenied(PermissionDenied):
    """The user may see the election but not do this to it (403)."""


class ElectionStateConflict(Conflict):
    """The election is not (or no longer) in the state this needs: nominations closed, voting
    not open yet, already counted…"""

    code = "election_state"


class AlreadyVoted(Conflict):
    code = "already_voted"


class ReceiptNotFound(NotFound):
    code = "receipt_not_found"
