"""Tests: fast hashing, in-memory email, tasks run eagerly unless a test asks for a worker."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Parallel test workers (pytest-xdist) each get their own test database (pytest-django adds
# the suffix) and their own Redis database, so one worker's cache.clear() never touches another.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
if _worker.startswith("gw"):
    from urllib.parse import urlparse as _urlparse

    _redis = _urlparse(REDIS_URL)  # noqa: F405
    _base_db = int((_redis.path or "/0").lstrip("/") or 0)
    REDIS_URL = _redis._replace(path=f"/{(_base_db + 1 + int(_worker[2:])) % 16}").geturl()
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
