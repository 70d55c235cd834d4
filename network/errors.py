"""The network's domain error: services raise it, views show it on the form, the API as a 4xx."""

from core.errors import ApplicationError


class NetworkError(ApplicationError):
    pass
