from core.errors import ApplicationError, Conflict, PermissionDenied


class MarketplaceError(ApplicationError):
    """Bad input or a rule of the marketplace broken; `field` names the form field."""


class MarketplaceConflict(Conflict):
    """The request is valid but the state does not allow it (full, already paid, sold out…)."""


class MarketplacePermissionDenied(PermissionDenied):
    pass
