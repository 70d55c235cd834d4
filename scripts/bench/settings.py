"""Settings `make bench` serves with: production's, plus what a benchmark on one machine needs.

* SECRET_KEY and SECURE_SSL_REDIRECT=false come from the environment (the runner sets them;
  the defaults here only serve a manual run): gunicorn is reached over plain HTTP.
* BENCH_FLOOR mounts the floor endpoint (/bench/floor/) in config/urls.py.
* The API's per-user throttle (600/min) would answer most of a load test with 429; the rate is
  raised so the throttle's cost (a cache round trip per request) stays in the measurement
  while its limit does not.
* Email goes to memory (the pages measured send none; the background steps count them).
* Static files are collected under .local/bench/ (production storage: hashed, compressed)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings.production import *  # noqa: F403

BENCH_FLOOR = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "10000000/min"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Collected for the benchmark only (whitenoise serves them from here).
STATIC_ROOT = BASE_DIR / ".local" / "bench" / "staticfiles"  # noqa: F405
