"""Sections 2 and 4: dashboard pages, server-side render time and SQL queries against a trivial view."""

import gc
import math
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.template.base import Template
from django.utils import timezone

from chuxiong_portal import pagecache
from tasks.models import Task

from .core import REFERENCE_ZONE, Context, count_queries

# --- 4. dashboard pages: render time and query count ------------------------------------------------

BENCH_URLCONF = "tools.benchmark_views"
PAGE_RATIO_TARGET = 3.0  # the target: a dashboard renders in under 3× a trivial view's time
BENCH_OFFICE = "bench-office"
BENCH_NDRC_STAFF = "bench-ndrc-staff"
BENCH_SYNC = "bench-sync"


def bench_users(ctx: Context) -> dict:
    """The office and an ndrc department staff member, created once inside the transaction."""
    if "users" not in ctx.cache:
        from chuxiong_portal.roles import Role
        from chuxiong_portal.services import user_create
        from tasks.models import Department

        office = user_create(
            username=BENCH_OFFICE, password=None, role=Role.PREFECTURE_OFFICE, full_name="基准测试州开发区办"
        )
        ndrc = Department.objects.filter(slug="ndrc").first()
        staff = None
        if ndrc is not None:
            staff = user_create(
                username=BENCH_NDRC_STAFF,
                password=None,
                role=Role.DEPARTMENT_STAFF,
                department=ndrc,
                full_name="基准测试发改委填报员",
            )
        ctx.cache["users"] = {"office": office, "ndrc_staff": staff}
    return ctx.cache["users"]


def _page_list(ctx: Context) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(path, persona, kind) of every page measured, and notes on the ones left out or substituted.

    The kind is "dashboard" (the pages the 3× target is for, the to-do list included) or "form" (the report
    page: a form with the user's rights, rendered live on every request, shown for reference).
    """
    from indicators.models import DispatchReport
    from pages.dashboards import period_pick

    notes = []
    task_path = "/tasks/9/"
    if not Task.objects.filter(pk=9).exists():
        first = Task.objects.order_by("pk").first()
        task_path = f"/tasks/{first.pk}/" if first else ""
        notes.append(f"task 9 does not exist: measured {task_path or 'no task page'} instead")
    pages = [("/", "office"), ("/changes/", "office"), (f"/zones/{REFERENCE_ZONE}/", "office")]
    if task_path:
        pages.append((task_path, "office"))
    pages += [("/departments/ndrc/", "office"), ("/bulletin/", "office")]
    period = period_pick(today=timezone.localdate())
    if period is not None:
        pages.append((f"/bulletin/{period.pk}.xlsx", "office"))
    else:
        notes.append("no reporting period: bulletin workbook not measured")
    pages += [("/matrix/", "office"), ("/todo/", "ndrc_staff")]
    report = (
        DispatchReport.objects.filter(department__slug="ndrc").order_by("pk").first()
        or DispatchReport.objects.order_by("pk").first()
    )
    pages = [(path, persona, "dashboard") for path, persona in pages]
    if report is not None:
        pages.append((f"/reports/{report.pk}/", "office", "form"))
    else:
        notes.append("no dispatch report in the database: report page not measured")
    return pages, notes


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p90 of 10 renders is the 9th fastest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@contextmanager
def time_split():
    """Where a request's time goes: `sql`, the seconds the database took to run its statements; `templates`, the
    seconds Django's templates took to render, without the statements run from inside them (a queryset a template
    reads, an inclusion tag's query): their own work only. What remains of the request is the views' Python, the
    queries' compilation and the middleware."""
    split = {"sql": 0.0, "templates": 0.0}
    rendering = False
    original = Template.render

    def render(template, context):
        nonlocal rendering
        if rendering:  # an include or an inclusion tag inside the outermost template: timed with it
            return original(template, context)
        rendering, started, sql_before = True, time.perf_counter(), split["sql"]
        try:
            return original(template, context)
        finally:
            rendering = False
            split["templates"] += time.perf_counter() - started - (split["sql"] - sql_before)

    def execute(run, sql, params, many, context):
        started = time.perf_counter()
        try:
            return run(sql, params, many, context)
        finally:
            split["sql"] += time.perf_counter() - started

    Template.render = render
    try:
        with connection.execute_wrapper(execute):
            yield split
    finally:
        Template.render = original


def _over(ms: float, trivial: dict) -> float:
    """`ms` as a multiple of the trivial view's median."""
    return ms / trivial["median_ms"] if trivial["median_ms"] else float("inf")


def _time_get(client, path: str, renders: int, *, after_change: bool = False) -> dict:
    """Warm up once, then `renders` timed GETs (server-side: the test client calls the WSGI handler in-process).

    ``after_change`` starts a new data version before each timed GET (outside the timing), as a write does:
    the time of the first view after the data changed, when the page's body is rendered afresh; each of those
    GETs again, with `time_split`, for the medians of its SQL and its templates' own time (timed apart, so that
    the wrappers add nothing to the timings above).
    """
    response = client.get(path, secure=True)
    status = response.status_code
    timings, queries = [], []
    for _ in range(renders):
        if after_change:
            pagecache.data_changed()
        with count_queries() as counts:
            started = time.perf_counter()
            response = client.get(path, secure=True)
            elapsed = time.perf_counter() - started
        timings.append(elapsed)
        queries.append(counts.total)
        status = response.status_code if response.status_code != 200 else status
    measured = {
        "status": status,
        "bytes": len(response.content),
        "median_ms": statistics.median(timings) * 1000,
        "p90_ms": _percentile(timings, 0.9) * 1000,
        "queries": queries[-1],
        "queries_stable": len(set(queries)) == 1,
    }
    if after_change:
        sql, templates = [], []
        for _ in range(renders):
            pagecache.data_changed()
            with time_split() as split:
                client.get(path, secure=True)
            sql.append(split["sql"])
            templates.append(split["templates"])
        measured["sql_ms"] = statistics.median(sql) * 1000
        measured["templates_ms"] = statistics.median(templates) * 1000
    return measured


def measure_pages(ctx: Context, *, dataset: str, key: str, title: str) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from ..benchmark_views import TRIVIAL_PATH

    renders = max(1, ctx.options.renders)
    users = bench_users(ctx)
    pages, notes = _page_list(ctx)
    clients = {}
    for persona, user in users.items():
        if user is not None:
            clients[persona] = Client()
            clients[persona].force_login(user)
    ctx.log(f"[{key}] {len(pages)} pages + a trivial view × {renders} renders ({dataset}) …")
    rows, checks = [], {}
    hosts = list(settings.ALLOWED_HOSTS) + ["testserver"]
    # Without Redis the page cache's version file is shared by every process on the host: a development
    # server or a test run writing meanwhile would turn repeat views into misses. The benchmark uses its own.
    private_version = Path(tempfile.mkdtemp(prefix="portal-bench-")) / "pagecache-version"
    # The benchmark's own heap (the synthetic province's build, the sections before) is frozen out of the garbage
    # collector's reach, as a production worker's preloaded one is (chuxiong_portal/wsgi.py): a page's time is not
    # charged with full collections walking the harness's objects.
    gc.collect()
    gc.freeze()
    with override_settings(
        ROOT_URLCONF=BENCH_URLCONF, ALLOWED_HOSTS=hosts, PORTAL_PAGE_CACHE_VERSION_FILE=str(private_version)
    ):
        trivial = _time_get(clients["office"], TRIVIAL_PATH, renders)
        rows.append(
            [
                TRIVIAL_PATH + " (trivial view)",
                "office",
                trivial["status"],
                trivial["median_ms"],
                trivial["p90_ms"],
                trivial["queries"],
                1.0,
                "",
                None,
                None,
                None,
            ]
        )
        for path, persona, kind in pages:
            if persona not in clients:
                notes.append(f"{path}: no {persona} user (department ndrc missing), not measured")
                continue
            ctx.log(f"  {path} as {persona} …")
            page = _time_get(clients[persona], path, renders)
            fresh = _time_get(clients[persona], path, renders, after_change=True)
            ratio, fresh_ratio = _over(page["median_ms"], trivial), _over(fresh["median_ms"], trivial)
            if kind == "dashboard":
                ok = page["status"] == 200 and ratio < PAGE_RATIO_TARGET
                verdict = "PASS" if ok else "FAIL"
                if ctx.options.quick:  # CI: correctness only, no timing
                    checks[f"{path}: HTTP 200, the same queries on every render"] = (
                        page["status"] == 200
                        and fresh["status"] == 200
                        and page["queries_stable"]
                        and fresh["queries_stable"]
                    )
                else:
                    checks[f"{path} under {PAGE_RATIO_TARGET:g}× the trivial view"] = ok
            else:
                verdict = "(form)"
            rows.append(
                [
                    path,
                    persona,
                    page["status"],
                    page["median_ms"],
                    page["p90_ms"],
                    page["queries"],
                    ratio,
                    verdict,
                    fresh["median_ms"],
                    fresh["queries"],
                    fresh_ratio,
                    fresh["sql_ms"],
                    fresh["templates_ms"],
                    _over(fresh["templates_ms"], trivial),
                ]
            )
            if page["status"] != 200:
                notes.append(f"{path}: HTTP {page['status']} (counted as FAIL)")
            if not (page["queries_stable"] and fresh["queries_stable"]):
                notes.append(f"{path}: query count varied between renders (last one shown)")
    gc.unfreeze()
    shutil.rmtree(private_version.parent, ignore_errors=True)
    figures = {
        "dataset": dataset,
        "renders_per_page": renders,
        "trivial_view_median_ms": trivial["median_ms"],
        "trivial_view_queries": trivial["queries"],
        "dashboards_under_target": f"{sum(checks.values())} of {len(checks)}",
    }
    notes.append(
        "server-side time through django.test.Client (WSGI handler, all middleware, session auth, "
        "template render), warmed up once; no network, no static files; the benchmark's own heap frozen "
        "out of the garbage collector's reach first, as a production worker's preloaded heap is"
    )
    notes.append(
        "median/p90/queries/÷ trivial: a repeat view, the page's body served from the page cache "
        "(chuxiong_portal.pagecache); 'after a change': the first view after a write, the body "
        "rendered afresh from the database"
    )
    notes.append(
        "its SQL / its templates: of the first view after a change, the medians of the time the database ran "
        "its statements and of the templates' own rendering (their tags' Python included, without the statements run "
        "from them), timed in renders of their own; the rest is the views' Python, the queries' compilation and "
        "the middleware"
    )
    notes.append(
        "(form): the report page, a form rendered live for the user's rights on every view; the "
        "3× target is for the dashboards"
    )
    return {
        "key": key,
        "title": title,
        "figures": figures,
        "tables": [
            {
                "columns": [
                    "page",
                    "as",
                    "HTTP",
                    "median ms",
                    "p90 ms",
                    "queries",
                    "÷ trivial",
                    f"< {PAGE_RATIO_TARGET:g}×",
                    "after a change ms",
                    "queries",
                    "÷ trivial",
                    "its SQL ms",
                    "its templates ms",
                    "templates ÷ trivial",
                ],
                "rows": rows,
            }
        ],
        "checks": checks,
        "notes": notes,
    }


def measure_pages_real(ctx: Context) -> dict:
    return measure_pages(
        ctx,
        dataset="the data in the database (demo/real)",
        key="pages",
        title="2. Dashboard pages — real/demo data: server-side render time and SQL queries",
    )


def measure_pages_scale(ctx: Context) -> dict:
    title = "4. Dashboard pages — with the synthetic province at scale"
    if "scale_runs" not in ctx.cache:
        return {
            "key": "pages_scale",
            "title": title,
            "figures": {},
            "checks": {},
            "notes": ["skipped: needs the scale section (e.g. --sections scale,pages)"],
        }
    options = ctx.options
    return measure_pages(
        ctx,
        dataset=f"+ {options.zones} bench zones × {options.years} years, recomputed",
        key="pages_scale",
        title=title,
    )
