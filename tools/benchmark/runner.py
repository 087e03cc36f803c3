"""The measurements in their order, and `run`: all of them in one rolled-back transaction, with the meta."""

import os
import platform
import time
from collections.abc import Callable

import django
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test.utils import override_settings
from django.utils import timezone

from chuxiong_portal import pagecache
from indicators.models import Indicator

from .api import measure_api
from .core import Context, Options, ensure_plan, machine_speed_ms
from .goals import measure_cache_mix, measure_goals, measure_page_weight
from .pages import measure_pages_real, measure_pages_scale
from .projects import measure_projects
from .real import measure_real_plan
from .scale import measure_query_scaling, measure_scale

# In this order: the pages are measured on the real data, then again after the scale section built
# the synthetic province (same transaction); the API import uses the bench zones when they exist.
MEASUREMENTS: list[Callable[[Context], dict]] = [
    measure_real_plan,
    measure_pages_real,
    measure_scale,
    measure_pages_scale,
    measure_api,
    measure_query_scaling,
    measure_projects,
    measure_cache_mix,
    measure_page_weight,
    measure_goals,
]
# --sections names -> the measurements they select (run in MEASUREMENTS order).
SECTION_KEYS: dict[str, list[Callable[[Context], dict]]] = {
    "real": [measure_real_plan],
    "pages": [measure_pages_real, measure_pages_scale],  # the scale pass only when the scale section runs too
    "scale": [measure_scale],
    "api": [measure_api],
    "queries": [measure_query_scaling],
    "projects": [measure_projects],
    "mix": [measure_cache_mix],
    "weight": [measure_page_weight],
    "goals": [measure_goals],  # judges the sections run with it
}


# --- running and reporting ---------------------------------------------------------------------------


def db_fingerprint() -> dict:
    """Row count and highest pk of every table, plus the indicators' cadences (the one UPDATE we do)."""
    fingerprint = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        row = model._default_manager.aggregate(n=Count("pk"), top=Max("pk"))
        fingerprint[model._meta.db_table] = (row["n"], row["top"])
    fingerprint["indicator cadences"] = sorted(Indicator.objects.values_list("pk", "cadence"))
    return fingerprint


def run(options: Options, log: Callable[[str], None] | None = None) -> dict:
    """Run the measurements inside one transaction and roll it back; the report as a dict."""
    if options.sections:
        wanted = {measure for key in options.sections for measure in SECTION_KEYS[key]}
        selected = [measure for measure in MEASUREMENTS if measure in wanted]
    else:
        selected = MEASUREMENTS
    before = db_fingerprint()
    load_before = _load_average()
    started, started_at = time.perf_counter(), timezone.now()
    # As production runs (DJANGO_DEBUG=0), whatever the settings the benchmark is started with: with the development
    # default DEBUG=True, Django formats and keeps the text of every SQL statement with its parameters
    # (connection.queries), which no production worker does — a sixth of a province page's time, seconds of a
    # recompute. The query counts do not need it (`count_queries`).
    with override_settings(DEBUG=False), transaction.atomic():
        ctx = Context(options, log)
        ctx.plan_loaded_here = ensure_plan()
        sections = ctx.cache.setdefault("sections", [])
        # The machine's speed before each measurement and at the end: the goals say how much it moved (`speed_spread`).
        speeds = ctx.cache.setdefault("machine_speed_ms", [machine_speed_ms()])
        for measure in selected:
            sections.append(measure(ctx))
            speeds.append(machine_speed_ms())
        transaction.set_rollback(True)
    # Pages rendered from the rolled-back rows are in the cache under the last data version: drop them.
    pagecache.data_changed()
    after = db_fingerprint()
    changed = sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
    settings_db = connection.settings_dict
    return {
        "meta": {
            "started_at": started_at.isoformat(timespec="seconds"),
            "database": f"{connection.vendor} {settings_db['NAME']}",
            "database_version": _db_version(),
            "django": django.get_version(),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {_cpus()} CPUs",
            "options": {
                "zones": options.zones,
                "years": options.years,
                "check_years": options.effective_check_years,
                "runs": options.runs,
                "seed": options.seed,
                "renders": options.renders,
                "api_rows": options.api_rows,
                "mix_steps": options.mix_steps,
                "quick": options.quick,
            },
            "debug_query_log": False,
            "total_time_s": time.perf_counter() - started,
            # Wall times are only comparable on an otherwise idle machine: CPU time is reported too.
            "load_average_1min": {"start": load_before, "end": _load_average()},
            "machine_speed_ms": [round(ms, 2) for ms in speeds],
            "database_unchanged": not changed,
            "tables_changed": changed,
        },
        "sections": sections,
    }


def _load_average() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def _cpus() -> int | None:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _db_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("select version()")
        return str(cursor.fetchone()[0]).split(" on ")[0]
