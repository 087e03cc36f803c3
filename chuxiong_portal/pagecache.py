"""Rendered dashboard bodies, cached against a version of the plan data.

Why
---
A dashboard reads every zone's indicators, results, reports and flags; rendering one takes 10–90 ms on
the demo data and about a second at the scale of a hundred zones. The data changes far less often than
it is read (a dispatch period has a few hundred saves and many more page views), so each page's body is
rendered once per data version and served from the cache until the data changes.

What is cached
--------------
Only the part of a page that is the same for every reader allowed to see it: the body is rendered
*without the request*, so no CSRF token, user name, role or message can end up in it (the page shell
around it — navigation, language switch, per-role links — is rendered per request as before). The key
holds the page, its parameters (zone, task, period…), the language, the day (overdue counts move with
the date) and the data version.

When it changes
---------------
The data version is a random token: in the cache when the cache is shared (Redis), else in a small file
(``PORTAL_PAGE_CACHE_VERSION_FILE``) that every process on the host reads. Every SQL write (INSERT,
UPDATE, DELETE, TRUNCATE) to a table of the plan's apps replaces it — caught at the database-connection
level, so bulk writes, queryset updates, imports, the admin and Celery jobs are all covered without each
of them remembering to say so. It is replaced once when the statement runs (so the writer's own
transaction and the tests, which run inside one, never read a stale page) and once more when the
transaction commits (so a page that another process rendered from the old rows in between is not served
afterwards). Writes to
sessions, users, the audit log and notifications do not touch the plan data and do not count.

If the cache is unreachable (Redis down), the version reads as unknown and pages are rendered afresh:
slower, never stale. ``PORTAL_PAGE_CACHE_SECONDS=0`` turns the cache off. Several hosts serving the portal
need Redis (``REDIS_CACHE_URL``): the version file is one host's.
"""

import hashlib
import os
import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

VERSION_KEY = "portal:data-version"
KEY_PREFIX = "portal:page"
BODY_MARK = "<!--portal:page-body-->"
_MISSING = object()  # a cached None (no current period) is a hit, not a miss
DATA_APPS = ("tasks", "parks", "indicators", "assessments", "evaluations", "supervision", "projects")
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?', re.IGNORECASE)


def timeout() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 3600))


def data_version() -> str | None:
    """The current data version, or None when it cannot be known (then nothing is cached)."""
    if _process_local():
        return _file_version()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def data_changed() -> None:
    """Start a new data version: every cached body rendered before is never served again."""
    token = uuid.uuid4().hex
    if _process_local():
        _file_version_write(token)
    else:
        cache.set(VERSION_KEY, token, None)


def _process_local() -> bool:
    """A local-memory cache is one process's: the version then lives in a file all processes on the host share.

    Bodies stay in each process's memory, but a write by any process (another gunicorn worker, a Celery
    worker, a management command in another shell) replaces the file and so reaches every process.
    """
    return isinstance(caches["default"], LocMemCache)


def _version_file() -> Path:
    return Path(settings.PORTAL_PAGE_CACHE_VERSION_FILE)


def _file_version() -> str | None:
    try:
        return _version_file().read_text() or _file_version_write(uuid.uuid4().hex)
    except FileNotFoundError:
        return _file_version_write(uuid.uuid4().hex)
    except OSError:
        return None


def _file_version_write(token: str) -> str | None:
    """Replace the version file atomically (a reader sees the old token or the new one, never half of one)."""
    path = _version_file()
    scratch = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_text(token)
        os.replace(scratch, path)
    except OSError:
        return None
    return token


def page_key(name: str, parts: tuple, version: str) -> str:
    raw = ":".join([name, version, translation.get_language() or "", *map(str, parts)])
    return f"{KEY_PREFIX}:{name}:{hashlib.sha1(raw.encode()).hexdigest()}"


def cached(name: str, parts: tuple, build: Callable[[], object], *, cacheable: bool = True) -> object:
    """``build()``'s result for (name, parts) at the current data version and language, built at most once.

    ``cacheable=False`` builds without caching: for parameters that no link produces (a made-up filter
    value), which would otherwise let anyone fill the cache with pages nobody reads again.
    """
    version = data_version() if cacheable and timeout() > 0 else None
    if version is None:
        return build()
    key = page_key(name, parts, version)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout())
    return value


def cached_body(name: str, parts: tuple, template: str, context: Callable[[], dict], *,
                cacheable: bool = True) -> bytes:
    """A page body rendered from ``template`` with ``context()`` (called only on a miss), without the request.

    Kept as UTF-8 bytes: a large body (the overview of a hundred zones) is then neither decoded from the
    cache nor encoded into the response again on every view.
    """
    return cached(name, parts, lambda: render_to_string(template, context()).encode(), cacheable=cacheable)


def render_page(request, shell: str, context: dict, body: bytes) -> HttpResponse:
    """``shell`` rendered for this request, with the cached ``body`` where the shell says ``{{ body }}``."""
    html = render_to_string(shell, {**context, "body": mark_safe(BODY_MARK)}, request)
    head, mark, tail = html.partition(BODY_MARK)
    if not mark:
        raise ImproperlyConfigured(f"{shell} does not show {{{{ body }}}}")
    return HttpResponse(b"".join((head.encode(), body, tail.encode())))


def object_page(request, *, name: str, obj, shell: str, body: str, detail: Callable[[], object],
                build: Callable[..., dict], parts: tuple = ()):
    """A dashboard about one object (a zone, a task, a unit): ``shell`` around the cached ``body``.

    ``obj`` is the object as the view fetched it to check access (the row alone, enough for the shell's title);
    on a miss ``detail()`` fetches it with what the body shows and ``build(detail, today=…)`` reads the rest.
    ``parts`` adds what else the body depends on to its key (the plan of ?plan=CODE).
    """
    today = timezone.localdate()

    def context():
        full = detail()
        return {name: full, **build(full, today=today)}

    return render_page(request, shell, {name: obj}, cached_body(name, (obj.pk, today, *parts), body, context))


# --- the write watcher ------------------------------------------------------------------------------


def _data_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(
        model._meta.db_table.lower()
        for label in DATA_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def is_data_write(sql: str, tables: frozenset[str]) -> bool:
    match = _WRITE.match(sql)
    return bool(match and match.group(1).rsplit(".", 1)[-1].strip('"').lower() in tables)


class WriteWatcher:
    """An execute wrapper on each database connection: a write to a data table starts a new version."""

    def __init__(self, connection):
        self.connection = connection
        self.tables = _data_tables()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if is_data_write(sql, self.tables):
            data_changed()
            if self.connection.in_atomic_block and not self._pending():
                transaction.on_commit(data_changed, using=self.connection.alias)
        return result

    def _pending(self) -> bool:
        return any(func is data_changed for _sids, func, _robust in self.connection.run_on_commit)


def watch_connection(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: wrap the connection once (a reconnect reuses the same wrapper)."""
    if not any(isinstance(wrapper, WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(connection))
