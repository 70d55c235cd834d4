"""Development: `make run`. Debug on, console email, host-only cookies on *.localhost."""

from .base import *  # noqa: F403

DEBUG = True
PUBLIC_PORT = env("PORT", "8000")  # noqa: F405
CSRF_TRUSTED_ORIGINS = [
    f"http://localhost:{PUBLIC_PORT}",
    f"http://*.localhost:{PUBLIC_PORT}",
]
