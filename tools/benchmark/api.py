"""Section 5: the API, bulk import throughput and list query counts."""

import time

from django.urls import resolve

from chuxiong_portal.bulk_import import MAX_YEAR, MIN_YEAR
from indicators.models import Cadence, Indicator, ReportingPeriod, Scope, Target
from indicators.reporting.services import periods_generate
from parks.models import Zone
from tasks.selectors import plan_get

from .core import BENCH_ZONE_PREFIX, Context, count_queries
from .pages import BENCH_SYNC

# --- 5. the API: bulk import throughput and list query counts -------------------------------------------

API_LIST_ENDPOINTS = ("/api/v1/indicator-values/", "/api/v1/progress/", "/api/v1/flags/", "/api/v1/tasks/")
API_PAGE_SIZES = (10, 200)


def _api_rows(ctx: Context, count: int) -> tuple[list[tuple[str, str, dict]], str]:
    """`count` distinct (zone, indicator, period) keys: the bench zones when built, else the real zones."""
    province = ctx.cache.get("province")
    if province is not None and province.ready:
        zones = [z.code for z in province.zones]
        source = f"{len(zones)} bench zones"
    else:
        zones = list(
            Zone.objects.exclude(code__startswith=BENCH_ZONE_PREFIX)
            .order_by("order", "code")
            .values_list("code", flat=True)
        )
        source = f"{len(zones)} real zones"
    zone_indicators = set(Target.objects.filter(scope=Scope.ZONE).values_list("indicator_id", flat=True))
    indicators = [
        i
        for i in Indicator.objects.filter(pk__in=zone_indicators, kind=Indicator.Kind.LEVEL)
        if i.max_value is None or i.max_value >= 1000
    ]
    indicators.sort(key=lambda i: (i.code != "industrial-output", i.order, i.code))
    if province is not None and province.ready:
        indicators = indicators[:1]  # industrial-output: 100 zones × its biweekly history is plenty
    else:
        indicators.sort(key=lambda i: i.cadence != Cadence.MONTHLY)  # monthly first; the others when needed

    # The periods of the plan in force (its years come from tasks.Plan, whatever today's date is); when they are
    # too few for `count` rows, periods of the years before its baseline year, never before the first year
    # the import accepts (values_import.MIN_YEAR).
    plan = plan_get()

    def periods_by_cadence():
        periods = {}
        for cadence, year, index in (
            ReportingPeriod.objects.filter(
                plan=plan, year__gte=MIN_YEAR, year__lte=MAX_YEAR, cadence__in={i.cadence for i in indicators}
            )
            .order_by("-start")
            .values_list("cadence", "year", "index")
        ):
            periods.setdefault(cadence, []).append({"cadence": cadence, "year": year, "index": index})
        return periods

    periods = periods_by_cadence()
    capacity = sum(len(zones) * len(periods.get(i.cadence, [])) for i in indicators)
    years = 1
    while capacity < count and zones and indicators and plan.baseline_year - years > MIN_YEAR:
        years = min(years * 2, plan.baseline_year - MIN_YEAR)  # more history: periods of earlier years
        periods_generate(plan=plan, years=range(plan.baseline_year - years, plan.baseline_year))
        periods = periods_by_cadence()
        capacity = sum(len(zones) * len(periods.get(i.cadence, [])) for i in indicators)
    keys = [(zone, i.code, period) for i in indicators for period in periods.get(i.cadence, []) for zone in zones]
    used = {code for _zone, code, _period in keys[:count]}
    indicators = [i for i in indicators if i.code in used]
    source += (
        f" × {len(indicators)} level indicator(s) ({', '.join(i.code for i in indicators[:4])}"
        f"{' …' if len(indicators) > 4 else ''}) × periods"
    )
    return keys[:count], source


def measure_api(ctx: Context) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings
    from rest_framework.test import APIClient

    from chuxiong_portal.services import sync_client_create

    count = max(1, ctx.options.api_rows)
    keys, source = _api_rows(ctx, count)
    ctx.log(f"[api] bulk upsert of {len(keys):,} indicator values ({source}) …")
    _user, key = sync_client_create(name=BENCH_SYNC)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    figures: dict = {"rows": len(keys), "keys_from": source}
    checks, notes = {}, []
    if len(keys) < count:
        notes.append(
            f"{count:,} rows asked, {len(keys):,} keys exist: the zones' level indicators over the plan "
            f"in force's periods and the years before it back to {MIN_YEAR} (the import refuses earlier "
            "years)"
        )
    bulk_rows = []
    hosts = list(settings.ALLOWED_HOSTS) + ["testserver"]
    with override_settings(ALLOWED_HOSTS=hosts):
        for phase, value, expect in (
            ("create", "123.4", "created"),
            ("update", "234.5", "updated"),
            ("unchanged", "234.5", "unchanged"),
        ):
            rows = [{"zone": zone, "indicator": code, "period": period, "value": value} for zone, code, period in keys]
            with count_queries() as counts:
                started = time.perf_counter()
                response = client.post("/api/v1/indicator-values/bulk/", rows, format="json", secure=True)
                elapsed = time.perf_counter() - started
            body = response.json() if response.get("Content-Type", "").startswith("application/json") else {}
            done = body.get(expect) if isinstance(body, dict) else None
            bulk_rows.append([phase, response.status_code, elapsed, counts.total, len(rows) / elapsed, done])
            ok = response.status_code == 200 and done == len(rows)
            checks[f"bulk {phase}: HTTP 200, {len(rows):,} rows {expect}"] = ok
            if response.status_code != 200:
                errors = body.get("errors", body) if isinstance(body, dict) else body
                notes.append(f"bulk {phase}: HTTP {response.status_code}: {str(errors)[:300]}")
            ctx.log(f"  {phase}: HTTP {response.status_code} in {elapsed:.2f}s, {counts.total} queries")
        list_rows = []
        for endpoint in API_LIST_ENDPOINTS:
            row = [endpoint]
            for size in API_PAGE_SIZES:
                client.get(f"{endpoint}?page_size={size}", secure=True)  # warm-up
                with count_queries() as counts:
                    started = time.perf_counter()
                    response = client.get(f"{endpoint}?page_size={size}", secure=True)
                    elapsed = time.perf_counter() - started
                body = response.json() if response.status_code == 200 else {}
                returned = len(body.get("results", [])) if isinstance(body, dict) else len(body)
                row += [response.status_code, returned, counts.total, elapsed * 1000]
                if response.status_code != 200:
                    notes.append(f"GET {endpoint}?page_size={size}: HTTP {response.status_code}")
            # The larger page holds the smaller one's rows and more: a relation fetched apart (prefetch_related)
            # costs one query once some row on the page has it, never one per row.
            fetched_apart = _prefetched(endpoint)
            checks[
                f"{endpoint}: no query per row (page_size {API_PAGE_SIZES[0]} → {API_PAGE_SIZES[1]}: at most "
                f"{fetched_apart} more, one per relation fetched apart)"
            ] = row[3] <= row[7] <= row[3] + fetched_apart
            list_rows.append(row)
    for phase, _status, elapsed, queries, rate, _done in bulk_rows:
        figures[f"bulk_{phase}_s"] = elapsed
        figures[f"bulk_{phase}_queries"] = queries
        figures[f"bulk_{phase}_rows_per_s"] = rate
    notes.append(
        "bulk: one POST per phase as the provincial-sync client (token auth), rows stored with "
        "source=province; list: the second of two GETs, as the same client"
    )
    return {
        "key": "api",
        "title": f"5. API — bulk import of {len(keys):,} indicator values, and list query counts",
        "figures": figures,
        "tables": [
            {"columns": ["bulk POST", "HTTP", "time s", "queries", "rows/s", "rows reported"], "rows": bulk_rows},
            {
                "columns": [
                    "list endpoint",
                    *(f"{h} @{size}" for size in API_PAGE_SIZES for h in ("HTTP", "rows", "queries", "ms")),
                ],
                "rows": list_rows,
            },
        ],
        "checks": checks,
        "notes": notes,
    }


def _prefetched(endpoint: str) -> int:
    """How many relations the endpoint's view fetches apart (its queryset's prefetch_related lookups)."""
    view = resolve(endpoint).func
    queryset = getattr(getattr(view, "cls", None), "queryset", None)
    return len(getattr(queryset, "_prefetch_related_lookups", ()))
