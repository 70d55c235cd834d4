"""One-time sign-in links that carry a new organisation's first admin from the public site to
the organisation's own host (cookies are host-only, so a session cannot cross over)."""

import hashlib

from django.core import signing
from django.core.cache import cache

SALT = "commons.welcome"
MAX_AGE_SECONDS = 300


def welcome_token_make(*, user_pk: int, schema_name: str) -> str:
    return signing.dumps({"u": user_pk, "s": schema_name}, salt=SALT)


def welcome_token_use(*, token: str, schema_name: str) -> int | None:
    """The user id the token signs in, once, on its own organisation, within five minutes."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("s") != schema_name:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(f"welcome-used:{digest}", 1, MAX_AGE_SECONDS * 2):
        return None
    return int(data["u"])
