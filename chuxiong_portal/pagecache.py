"""Rendered dashboard bodies, cached against the versions of the areas of plan data they read.

Why
---
A dashboard reads every zone's indicators, results, reports and flags; rendering one takes 10–90 ms on
the demo data and about a second at the scale of a hundred zones. The data changes far less often than
it is read (a dispatch period has a few hundred saves and many more page views), so each page's body is
rendered once per version of the data it reads and served from the cache until that data changes.

What is cached
--------------
Only the part of a page that is the same for every reader allowed to see it: the body is rendered
*without the request*, so no CSRF token, user name, role or message can end up in it (the page shell
around it — navigation, language switch, per-role links — is rendered per request as before). The key
holds the page, its parameters (zone, task, period…), the language, the day (overdue counts move with
the date) and the versions of the areas of data the page reads.

When it changes: versions per area of data
------------------------------------------
Each cached value depends on the *areas* of data it reads, and its key holds the current version of each
of them. A version is a random token: in the cache when the cache is shared (Redis), else in a small file
per area beside ``PORTAL_PAGE_CACHE_VERSION_FILE`` that every process on the host reads. Every SQL write
(INSERT, UPDATE, DELETE, TRUNCATE) to a table of the plan's apps replaces the version of that table's area
— caught at the database-connection level, so bulk writes, queryset updates, imports, the admin and Celery
jobs are all covered without each of them remembering to say so. It is replaced once when the statement
runs (so the writer's own transaction and the tests, which run inside one, never read a stale page) and
once more when the transaction commits (so a page that another process rendered from the old rows in
between is not served afterwards). Within a transaction a further statement on the same area replaces it
again only if this process has stored a value since, so a bulk write of a thousand batches writes one version,
not a thousand (``CommitBump``). Writes to sessions, users, the audit log and notifications do not touch
the plan data and do not count.

The areas (``TABLE_AREAS``; the README's "Page cache" section has the table of pages):

- ``core`` — the plan and everything computed from it: plans, programmes, tasks, units, zones, indicators,
  targets, periods, values, reports, progress results, flags, assessments. Every dashboard reads it.
- ``projects``, ``supervision``, ``evaluations`` — each of those apps' tables; read by the pages that show
  them (the key-project board, the zone page's supervision panel, the bulletin's projects…).
- ``drafts:zone:<id>``, ``drafts:task:<id>``, ``drafts:unit:<id>`` and ``drafts`` (any draft) — a report
  saved *as a draft* (``report_save`` without submitting, on a report that stays open). Its writes to the
  report and value tables (``DRAFT_TABLES``) inside ``draft_writes(...)`` replace only the versions of the
  report's zone, task and unit and of ``drafts``, not ``core``: values of an open report count nowhere
  (progress, ranks and the overview count submitted and approved reports only), so a draft changes only
  the pages that show the report itself — its task's timeline, its unit's page, its zone's page, the to-do
  lists. Any other write in the same block, and any write of those tables outside such a block, replaces
  ``core``.

A page names the areas it reads (``areas=``; the default is every area): tests render each dashboard with
the cache off, collect the tables its queries read, and check that the areas it names cover them; and check
that a draft of another zone, task or unit leaves its rendered body byte for byte the same.

Concurrent misses of the same page render it once (single flight): the first takes a short lock in the
cache and stores the body; the others wait for it up to ``PORTAL_PAGE_CACHE_WAIT`` seconds, then render
without storing. Hits and misses are counted per page in the cache (``stats()``, ``manage.py
pagecache_stats``).

If the cache is unreachable (Redis down), the versions read as unknown and pages are rendered afresh:
slower, never stale. ``PORTAL_PAGE_CACHE_SECONDS=0`` turns the cache off. Several hosts serving the portal
need Redis (``REDIS_CACHE_URL``): the version files are one host's.
"""

import contextvars
import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
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
STATS_KEY = "portal:page-stats"
KEY_PREFIX = "portal:page"
BODY_MARK = "<!--portal:page-body-->"
_MISSING = object()  # a cached None (no current period) is a hit, not a miss

CORE, PROJECTS, SUPERVISION, EVALUATIONS, DRAFTS = "core", "projects", "supervision", "evaluations", "drafts"
APP_AREAS = {
    "tasks": CORE,
    "parks": CORE,
    "indicators": CORE,
    "assessments": CORE,
    "projects": PROJECTS,
    "supervision": SUPERVISION,
    "evaluations": EVALUATIONS,
}
DATA_APPS = tuple(APP_AREAS)
EVERY_AREA = (CORE, PROJECTS, SUPERVISION, EVALUATIONS, DRAFTS)
# The tables a draft save writes whose rows count nowhere while the report is open (see the module's docstring).
DRAFT_MODELS = (
    "indicators.DispatchReport",
    "indicators.IndicatorValue",
    "indicators.HistoricalDispatchReport",
    "indicators.HistoricalIndicatorValue",
)
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?', re.IGNORECASE)
_draft_scope: contextvars.ContextVar[tuple[str, ...] | None] = contextvars.ContextVar(
    "portal_draft_scope", default=None
)


def timeout() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 3600))


def wait_seconds() -> float:
    return float(getattr(settings, "PORTAL_PAGE_CACHE_WAIT", 3.0))


def draft_area(kind: str, pk) -> str:
    """The area of the drafts of one zone (``zone``), task (``task``) or unit (``unit``)."""
    return f"{DRAFTS}:{kind}:{pk}"


def draft_areas(*, zone_id=None, task_id=None, department_id=None) -> tuple[str, ...]:
    """The areas a draft of a report of this zone / task / unit replaces: its own, and ``drafts``."""
    named = (("zone", zone_id), ("task", task_id), ("unit", department_id))
    return (DRAFTS, *(draft_area(kind, pk) for kind, pk in named if pk is not None))


@contextmanager
def draft_writes(*, zone_id=None, task_id=None, department_id=None):
    """Writes to the report and value tables in this block are a draft's: they replace only ``draft_areas``.

    For ``report_save`` of a report that is open before and after (pending, draft or returned) and whose values
    it writes are new or its own already: nothing that counts an approved or submitted figure sees them.
    """
    token = _draft_scope.set(draft_areas(zone_id=zone_id, task_id=task_id, department_id=department_id))
    try:
        yield
    finally:
        _draft_scope.reset(token)


def _areas(areas: Iterable[str] | None) -> tuple[str, ...]:
    """The areas a value depends on, sorted; a draft area always brings ``core`` (which every write outside
    a draft replaces, so a global change reaches the pages of one zone's drafts too)."""
    chosen = set(EVERY_AREA if areas is None else areas)
    if any(area.startswith(DRAFTS) for area in chosen):
        chosen.add(CORE)
    return tuple(sorted(chosen))


def data_version(areas: Iterable[str] | None = None) -> str | None:
    """The current version of ``areas`` (every area when None), or None when it cannot be known (then nothing
    is cached)."""
    names = _areas(areas)
    if _process_local():
        tokens = [_file_version(area) for area in names]
        return None if None in tokens else ":".join(tokens)
    keys = [f"{VERSION_KEY}:{area}" for area in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        found.update(cache.get_many(missing))
    if any(key not in found for key in keys):
        return None
    return ":".join(found[key] for key in keys)


def data_changed(areas: Iterable[str] | None = None) -> None:
    """Start a new version of ``areas`` (every area when None): every value cached against them is never served
    again."""
    names = EVERY_AREA if areas is None else tuple(areas)
    if _process_local():
        for area in names:
            _file_version_write(area, uuid.uuid4().hex)
    else:
        cache.set_many({f"{VERSION_KEY}:{area}": uuid.uuid4().hex for area in names}, None)


def _process_local() -> bool:
    """A local-memory cache is one process's: the versions then live in files all processes on the host share.

    Bodies stay in each process's memory, but a write by any process (another gunicorn worker, a Celery
    worker, a management command in another shell) replaces the file and so reaches every process.
    """
    return isinstance(caches["default"], LocMemCache)


def _version_file(area: str) -> Path:
    base = Path(settings.PORTAL_PAGE_CACHE_VERSION_FILE)
    return base.with_name(f"{base.name}.{area.replace(':', '-')}")


def _file_version(area: str) -> str | None:
    try:
        return _version_file(area).read_text() or _file_version_write(area, uuid.uuid4().hex)
    except FileNotFoundError:
        return _file_version_write(area, uuid.uuid4().hex)
    except OSError:
        return None


def _file_version_write(area: str, token: str) -> str | None:
    """Replace an area's version file atomically (a reader sees the old token or the new one, never half of one)."""
    path = _version_file(area)
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


# --- hits and misses --------------------------------------------------------------------------------


def _count(name: str, outcome: str) -> None:
    """One more ``outcome`` (hit, miss, waited, uncached) of page ``name``, in the cache (shared by all workers)."""
    key = f"{STATS_KEY}:{name}:{outcome}"
    try:
        cache.incr(key)
    except ValueError:  # the first of its kind (or the cache is unreachable: then it is not counted)
        if not cache.add(key, 1, None):
            try:
                cache.incr(key)
            except ValueError:
                pass


def stats(names: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per page name, how many views were hits, misses, waited (served by another's render) or uncached."""
    outcomes = ("hit", "miss", "waited", "uncached")
    keys = {(name, outcome): f"{STATS_KEY}:{name}:{outcome}" for name in names for outcome in outcomes}
    found = cache.get_many(list(keys.values()))
    return {name: {outcome: int(found.get(keys[name, outcome], 0)) for outcome in outcomes} for name in names}


def stats_reset(names: Iterable[str]) -> None:
    cache.delete_many(
        [f"{STATS_KEY}:{name}:{outcome}" for name in names for outcome in ("hit", "miss", "waited", "uncached")]
    )


def hit_rate(counts: dict[str, dict[str, int]]) -> float | None:
    """Views served from the cache (hits, and views that waited for another's render) over all views."""
    served = sum(c["hit"] + c["waited"] for c in counts.values())
    total = sum(sum(c.values()) for c in counts.values())
    return served / total if total else None


# --- cached values ----------------------------------------------------------------------------------


def cached(
    name: str,
    parts: tuple,
    build: Callable[[], object],
    *,
    cacheable: bool = True,
    areas: Iterable[str] | None = None,
    count: bool = True,
) -> object:
    """``build()``'s result for (name, parts) at the current version of ``areas`` and language, built once.

    ``areas`` are the areas of data the value reads (every area when None). ``cacheable=False`` builds
    without caching: for parameters that no link produces (a made-up filter value), which would otherwise let
    anyone fill the cache with pages nobody reads again. ``count=False`` leaves it out of the hit and miss
    counters (the small lookups every page makes: the plan, the current period).
    """
    tally = _count if count else _no_count
    version = data_version(areas) if cacheable and timeout() > 0 else None
    if version is None:
        tally(name, "uncached")
        return build()
    key = page_key(name, parts, version)
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        tally(name, "hit")
        return value
    return _build_once(name, key, build, tally)


def _no_count(name: str, outcome: str) -> None:
    pass


def _build_once(name: str, key: str, build: Callable[[], object], tally=_count) -> object:
    """Single flight: the first to miss renders and stores; the others wait for its value, then render without
    storing (so a slow render or a dead renderer costs them ``wait_seconds()`` at most)."""
    lock = f"{key}:rendering"
    if cache.add(lock, 1, 60):
        try:
            value = build()
            cache.set(key, value, timeout())
            _body_stored()
        finally:
            cache.delete(lock)
        tally(name, "miss")
        return value
    deadline = time.monotonic() + wait_seconds()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        value = cache.get(key, _MISSING)
        if value is not _MISSING:
            tally(name, "waited")
            return value
    tally(name, "uncached")
    return build()


def cached_body(
    name: str,
    parts: tuple,
    template: str,
    context: Callable[[], dict],
    *,
    cacheable: bool = True,
    areas: Iterable[str] | None = None,
) -> bytes:
    """A page body rendered from ``template`` with ``context()`` (called only on a miss), without the request.

    Kept as UTF-8 bytes: a large body (the overview of a hundred zones) is then neither decoded from the
    cache nor encoded into the response again on every view.
    """
    return cached(name, parts, lambda: render_to_string(template, context()).encode(), cacheable=cacheable, areas=areas)


def render_page(request, shell: str, context: dict, body: bytes) -> HttpResponse:
    """``shell`` rendered for this request, with the cached ``body`` where the shell says ``{{ body }}``."""
    html = render_to_string(shell, {**context, "body": mark_safe(BODY_MARK)}, request)
    head, mark, tail = html.partition(BODY_MARK)
    if not mark:
        raise ImproperlyConfigured(f"{shell} does not show {{{{ body }}}}")
    return HttpResponse(b"".join((head.encode(), body, tail.encode())))


def object_page(
    request,
    *,
    name: str,
    obj,
    shell: str,
    body: str,
    detail: Callable[[], object],
    build: Callable[..., dict],
    parts: tuple = (),
    areas: Iterable[str] | None = None,
):
    """A dashboard about one object (a zone, a task, a unit): ``shell`` around the cached ``body``.

    ``obj`` is the object as the view fetched it to check access (the row alone, enough for the shell's title);
    on a miss ``detail()`` fetches it with what the body shows and ``build(detail, today=…)`` reads the rest.
    ``parts`` adds what else the body depends on to its key (the plan of ?plan=CODE); ``areas`` are the areas
    of data it reads.
    """
    today = timezone.localdate()

    def context():
        full = detail()
        return {name: full, **build(full, today=today)}

    return render_page(
        request, shell, {name: obj}, cached_body(name, (obj.pk, today, *parts), body, context, areas=areas)
    )


# --- the write watcher ------------------------------------------------------------------------------


def _models():
    from django.apps import apps

    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            yield label, model


def _table_areas() -> dict[str, str]:
    """Each data table (lower case) and its area."""
    return {model._meta.db_table.lower(): APP_AREAS[label] for label, model in _models()}


def _draft_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(apps.get_model(label)._meta.db_table.lower() for label in DRAFT_MODELS)


def _data_tables() -> frozenset[str]:
    return frozenset(_table_areas())


def written_table(sql: str) -> str | None:
    """The table an INSERT / UPDATE / DELETE / TRUNCATE statement writes (lower case), else None."""
    match = _WRITE.match(sql)
    return match.group(1).rsplit(".", 1)[-1].strip('"').lower() if match else None


def is_data_write(sql: str, tables: Iterable[str]) -> bool:
    return written_table(sql) in tables


_stores = 0  # values this process has stored in the cache: a write after one must start a new version again


def _body_stored() -> None:
    global _stores
    _stores += 1


class CommitBump:
    """The commit-time bump of one transaction: the areas its statements replaced, replaced once more.

    Within the transaction a statement replaces its areas' versions at once; a further statement on the same
    areas need not replace them again unless this process has stored a value since (one rendered from the
    transaction's rows before that statement). A bulk write of many batches then replaces each area once, not
    once per batch (each a version file written, or a round trip to Redis).
    """

    def __init__(self):
        self.areas: set[str] = set()
        self.fresh: set[str] = set()  # replaced by a statement, with no value stored since
        self.stores = _stores

    def replace(self, areas: tuple[str, ...]) -> None:
        if self.stores != _stores:
            self.fresh, self.stores = set(), _stores
        stale = [area for area in areas if area not in self.fresh]
        if stale:
            data_changed(stale)
            self.fresh.update(stale)
        self.areas.update(areas)

    def __call__(self):
        data_changed(self.areas)


class WriteWatcher:
    """An execute wrapper on each database connection: a write to a data table starts a new version of its area
    (of the draft's areas, for the report and value tables inside ``draft_writes``)."""

    def __init__(self, connection):
        self.connection = connection
        self.tables = _table_areas()
        self.draft_tables = _draft_tables()
        self.bump: CommitBump | None = None

    def areas_of(self, sql: str) -> tuple[str, ...]:
        table = written_table(sql)
        if table is None or table not in self.tables:
            return ()
        scope = _draft_scope.get()
        if scope is not None and table in self.draft_tables:
            return scope
        return (self.tables[table],)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        areas = self.areas_of(sql)
        if areas and self.connection.in_atomic_block:
            if not self._pending():
                self.bump = CommitBump()
                transaction.on_commit(self.bump, using=self.connection.alias)
            self.bump.replace(areas)
        elif areas:
            data_changed(areas)
        return result

    def _pending(self) -> bool:
        queued = self.connection.run_on_commit
        return self.bump is not None and any(func is self.bump for _sids, func, _robust in queued)


def watch_connection(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: wrap the connection once (a reconnect reuses the same wrapper)."""
    if not any(isinstance(wrapper, WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(connection))
