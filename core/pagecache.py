"""Whole pages for signed-in people, kept in Redis and dropped by any write to what they show.

The key pages of a network (the home, the directory, a chapter, a meeting, a committee queue,
election results, the events) are read far more often than what they show changes, and rendering
one costs several times a bare request. `@cached_page` keeps a page's HTML per organisation
(django-tenants' cache key prefix), person, address, language and CSRF secret, together with the
tables the page read while it was rendered. The entry is used again only while:

* every one of those tables is unchanged: any INSERT, UPDATE or DELETE on a table replaces the
  table's version (at the statement, and again when its transaction commits), whichever code
  path wrote it — services, `QuerySet.update()`, bulk writes, Celery tasks, the admin;
* the person is the same in every respect the page may use: their roles, chapter roles,
  committee seats and unread count (core.userfacts) are part of the key;
* it is at most TTL seconds old, which bounds what depends on the clock alone (an election
  closing, a meeting becoming "this week") and any other cache a page reads (those declare
  `depends_on(name)` and call `changed(name)`, e.g. the coverage grid).

A page is not kept when a table it read (or wrote) changed while it was being drawn: what it
shows may predate the change, under the new version. Pages with flash messages, responses that
set cookies, non-200 answers and anything but GET are never kept."""

from __future__ import annotations

import contextvars
import hashlib
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django_tenants.utils import get_public_schema_name, schema_context

TTL = 60  # seconds
_VERSION = "pagecache:v2:"  # a table's version: the clock's value when it last changed
_CLOCK = "pagecache:clock"  # one counter per organisation in Redis, shared by every process
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"([A-Za-z0-9_]+)"')
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([A-Za-z0-9_]+)"', re.I)
_NOT_CACHED = {"django_session"}

_reading: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "pagecache_reading", default=None
)


@dataclass
class _Entry:
    body: object  # a page's bytes, or an API answer's data
    content_type: str
    versions: dict[str, str | None]
    stored: float


# --- Writes replace the versions of the tables they touch --------------------------------------


def changed(*names: str) -> None:
    """What `names` (tables, or names given to depends_on) hold has changed in this
    organisation: pages that read it are rendered again."""
    stamp = str(_tick())
    cache.set_many({_VERSION + name: stamp for name in names}, None)


def _tick() -> int:
    """The organisation's clock, moved on: one INCR in Redis, ordered across processes and
    machines (wall clocks are not)."""
    try:
        return cache.incr(_CLOCK)
    except ValueError:  # the first change since Redis started
        cache.add(_CLOCK, 0, None)
        return cache.incr(_CLOCK)


def _clock() -> int:
    try:
        return int(cache.get(_CLOCK) or 0)
    except (TypeError, ValueError):
        return 0


def depends_on(name: str) -> None:
    """The page being rendered uses `name` (something cached elsewhere, replaced with
    changed(name) when it changes)."""
    reading = _reading.get()
    if reading is not None:
        reading.add(name)


class _AfterCommit:
    """One callback per transaction and schema, bumping every table it wrote."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.tables: set[str] = set()

    def __call__(self) -> None:
        _bump(self.schema, self.tables)


def _bump(schema: str, tables) -> None:
    if schema == connection.schema_name:
        changed(*tables)
    else:
        with schema_context(schema):
            changed(*tables)


def _watch_statements(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match.group(1) not in _NOT_CACHED:
        schema = getattr(context["connection"], "schema_name", None)
        if schema and schema != get_public_schema_name():
            _written(context["connection"], schema, match.group(1))
    reading = _reading.get()
    if reading is not None and isinstance(sql, str):
        reading.update(_READ.findall(sql))
        if match:  # what a page writes while drawn counts as read: it is not kept
            reading.add(match.group(1))
    return result


def _written(db, schema: str, table: str) -> None:
    _bump(schema, [table])  # now: later readers in this transaction see the change
    if not db.in_atomic_block:
        return
    for _sids, callback, _robust in db.run_on_commit:
        if isinstance(callback, _AfterCommit) and callback.schema == schema:
            callback.tables.add(table)
            return
    after = _AfterCommit(schema)
    after.tables.add(table)
    transaction.on_commit(after, using=db.alias)  # again: readers that raced the commit


def _install(sender, connection, **kwargs) -> None:
    if _watch_statements not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_statements)


def install() -> None:
    """Watch every connection's statements (core.apps.CoreConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="pagecache")
    if connection.connection is not None:
        _install(None, connection)


# --- Reading -------------------------------------------------------------------------------------


def _cacheable_request(request) -> bool:
    if not settings.PAGE_CACHE or request.method != "GET" or not request.user.is_authenticated:
        return False
    if not request.COOKIES.get("csrftoken") and not request.META.get("CSRF_COOKIE"):
        return False
    storage = getattr(request, "_messages", None)  # flash messages waiting: not this page's
    return storage is None or not (storage._queued_messages or storage._loaded_messages)


def _facts(user) -> str:
    """What the person is, as far as any page may show it (core.userfacts, name, language)."""
    return repr(
        (
            user.pk,
            sorted(getattr(user, "_role_cache", None) or ()),
            sorted((getattr(user, "_chapter_roles", None) or {}).items()),
            sorted((getattr(user, "_committee_seats", None) or {}).items()),
            getattr(user, "_board_id", None),
            getattr(user, "_unread_count", None),
            user.language,
            user.name,
        )
    )


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"pagecache:{kind}:{digest}"


def _current(versions: dict[str, str | None]) -> bool:
    found = cache.get_many([_VERSION + name for name in versions])
    return all(found.get(_VERSION + name) == stamp for name, stamp in versions.items())


def _kept(key: str):
    """The entry under `key` while it is younger than TTL and nothing it read has changed."""
    entry = cache.get(key)
    if isinstance(entry, _Entry) and time.time() - entry.stored < TTL and _current(entry.versions):
        return entry
    return None


def _draw(produce):
    """Run `produce()` noting the tables it reads; returns its result, those tables and the
    organisation's clock when it began."""
    began = _clock()
    reading: set[str] = set()
    token = _reading.set(reading)
    try:
        result = produce()
    finally:
        _reading.reset(token)
    return result, reading - _NOT_CACHED, began


def _changed_since(stamp, began: int) -> bool:
    try:
        return stamp is not None and int(stamp) > began
    except (TypeError, ValueError):
        return True


def _keep(key: str, body, content_type: str, reading: set[str], began: int) -> bool:
    """Keep what was drawn under the versions of the tables it read, unless one of them
    changed since the drawing began."""
    stamps = cache.get_many([_VERSION + name for name in reading])
    versions = {name: stamps.get(_VERSION + name) for name in reading}
    if any(_changed_since(stamp, began) for stamp in versions.values()):
        return False
    cache.set(key, _Entry(body, content_type, versions, time.time()), TTL)
    return True


def _own_transaction() -> bool:
    """Inside a transaction of the code's own (not only a test case's): what it reads may
    include writes that are not committed yet, so nothing read there is kept."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def kept_result(statement: str, params, produce):
    """The result of `produce()`, which runs `statement` with `params`, kept for everyone in the
    organisation while no table the statement reads has changed (and at most TTL seconds).

    For small results that cost far more to compute than to fetch and change far less often
    than they are read: a list's total, the choices of a long filter. One round trip to Redis
    when kept. Like the coverage grid, these stay on with the page cache off (`PAGE_CACHE`):
    they are what a page is drawn from, not the page; `KEPT_RESULTS` is their own switch."""
    if not settings.KEPT_RESULTS or _own_transaction():
        return produce()
    tables = set(_READ.findall(statement)) - _NOT_CACHED
    key = _key("result", statement, repr(params))
    found = cache.get_many([key, *(_VERSION + table for table in tables)])
    versions = {table: found.get(_VERSION + table) for table in tables}
    entry = found.get(key)
    if (
        isinstance(entry, _Entry)
        and time.time() - entry.stored < TTL
        and entry.versions == versions
    ):
        return entry.body
    value = produce()
    # Kept under the versions read before it was computed: a write meanwhile makes it stale
    # at once rather than hiding behind the new version.
    cache.set(key, _Entry(value, "", versions, time.time()), TTL)
    return value


def kept_rows(queryset) -> list:
    """`list(queryset)` through kept_result: for values_list() querysets (plain rows)."""
    try:
        statement, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(): nothing to ask
        return []
    return kept_result(statement, params, lambda: list(queryset.all()))  # a fresh read each time


def kept_count(queryset) -> int:
    """`queryset.count()` through kept_result (keyed on the rows it counts, not on what a page
    of them would join for display)."""
    try:
        statement, params = queryset.select_related(None).order_by().query.sql_with_params()
    except EmptyResultSet:
        return 0
    return kept_result("count:" + statement, params, queryset.count)


def kept_part(name: str, user, produce, *key):
    """Part of a page for one person (its data, not its HTML), kept like a page: until a table
    it read changes, and at most TTL seconds; `key` holds whatever else it depends on. A page
    that reads many tables (the home) then draws again only the parts a write touched. The
    page around it depends on what the part read, kept or not. On the page cache's switch."""
    if not settings.PAGE_CACHE or not user.is_authenticated or _own_transaction():
        return produce()
    cache_key = _key("part", name, _facts(user), translation.get_language() or "", repr(key))
    outer = _reading.get()
    entry = _kept(cache_key)
    if entry is not None:
        if outer is not None:
            outer.update(entry.versions)
        return entry.body
    result, reading, began = _draw(produce)
    if outer is not None:
        outer.update(reading)
    _keep(cache_key, result, "", reading, began)
    return result


def cached_page(view):
    """Serve the view's page from the cache while nothing it showed has changed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(
            "page",
            _facts(request.user),
            request.META.get("CSRF_COOKIE") or request.COOKIES.get("csrftoken", ""),
            translation.get_language() or "",
            request.headers.get("HX-Request", ""),
            request.get_full_path(),
        )
        entry = _kept(key)
        if entry is not None:
            get_token(request)  # the CSRF cookie is kept up to date as on a rendered page
            response = HttpResponse(entry.body, content_type=entry.content_type)
            response["X-Page-Cache"] = "hit"
            return response

        def produce():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            return response

        response, reading, began = _draw(produce)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and _keep(key, response.content, response["Content-Type"], reading, began)
        ):
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def cached_read(handler):
    """The same for an API view's GET handler (a method of a DRF view): its answer is kept per
    person, address, format and language (JSON as the bytes sent, other formats as data), after
    authentication, permissions and throttling have run as for any request."""

    @wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        from rest_framework.response import Response

        if not settings.PAGE_CACHE or not request.user.is_authenticated:
            return handler(self, request, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        key = _key(
            "api",
            _facts(request.user),
            getattr(renderer, "format", "") or "",
            translation.get_language() or "",
            request.get_host(),
            request.get_full_path(),
        )
        entry = _kept(key)
        if entry is not None:
            if entry.content_type:  # JSON, kept as the bytes sent
                response = HttpResponse(entry.body, content_type=entry.content_type)
            else:
                response = Response(entry.body)
            response["X-Page-Cache"] = "hit"
            return response
        response, reading, began = _draw(lambda: handler(self, request, *args, **kwargs))
        if response.status_code == 200 and not response.cookies:
            if getattr(renderer, "format", "") == "json":
                body = renderer.render(response.data, request.accepted_media_type, {})
                kept = _keep(key, body, request.accepted_media_type, reading, began)
            else:  # the browsable API: its page is drawn around the data on each request
                kept = _keep(key, response.data, "", reading, began)
            if kept:
                response["X-Page-Cache"] = "miss"
        return response

    return wrapper
