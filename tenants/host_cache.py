"""Which organisation a host belongs to, cached in Redis so that a request does not ask the
public schema for it (two queries: the search path and the domain lookup).

Entries live under the public schema's cache prefix and are dropped whenever an organisation or
a domain is saved or deleted; the short lifetime bounds staleness should a drop be missed (Redis
unreachable at that moment)."""

from django.core.cache import cache
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

TTL = 60  # seconds
_PREFIX = "tenants:host:"


def cached_tenant(hostname: str):
    """The organisation for the host from the cache, or None. The connection is on the public
    schema here (the middleware's first step), so the key is the public one."""
    return cache.get(_PREFIX + hostname)


def remember_tenant(hostname: str, tenant) -> None:
    cache.set(_PREFIX + hostname, tenant, TTL)


def forget_hosts(hostnames) -> None:
    keys = [_PREFIX + hostname for hostname in hostnames]
    if not keys:
        return
    if connection.schema_name == get_public_schema_name():
        cache.delete_many(keys)
    else:
        with schema_context(get_public_schema_name()):
            cache.delete_many(keys)
