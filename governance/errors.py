"""The governance app's domain errors: services raise them, views show them, the API returns 4xx."""

from core.errors import ApplicationError, Conflict, PermissionDenied


class GovernanceError(ApplicationError):
    """A rule of governance was not met (400)."""


class GovernancePermissionDenied(PermissionDenied):
    """The user may see the object but not do this to it (403)."""


class EscalationStateConflict(Conflict):
    """The escalation moved on (acknowledged, escalated, resolved) since the page was loaded."""

    code = "escalation_state"
