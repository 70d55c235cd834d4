"""The server the browser journeys drive: production-like (debug off), tasks run eagerly, email
written to files the journeys read (.local/e2e-mail/)."""

from .test import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("E2E_MAIL_DIR", str(BASE_DIR / ".local" / "e2e-mail"))  # noqa: F405
PUBLIC_PORT = env("PORT", "")  # noqa: F405
WHITENOISE_USE_FINDERS = True
ACCOUNT_RATE_LIMITS = False
