"""A 10,000-row values upsert runs in a bounded number of queries (its time is the benchmark's to report:
`manage.py benchmark --sections api`; the elapsed seconds are printed here, not asserted)."""

import time

from api_rows import value_row
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import IndicatorValue
from indicators.reporting.services import periods_generate
from tasks.selectors import plan_get

ZONES = ("chuxiong-hitech", "lufeng", "wuding", "mouding")
INDICATORS = ("industrial-output", "operating-revenue", "industrial-output-growth")


def _rows(value):
    return [
        value_row(zone=zone, indicator=indicator, year=year, index=month, value=value)
        for year in range(2000, 2100)
        for month in range(1, 13)
        for zone in ZONES
        for indicator in INDICATORS
    ][:10_000]


def test_it_upserts_10000_rows_with_bounded_queries(sync, push_values):
    periods_generate(plan=plan_get(), years=range(2000, 2100))
    figures = {}
    for phase, value in (("create", "1.5"), ("update", "2.5"), ("unchanged", "2.5")):
        rows = _rows(value)
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = push_values(sync, rows)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.json()["errors"][:3]
        figures[phase] = (round(elapsed, 2), len(context.captured_queries), response.json())
    print("\n10,000-row upsert (seconds, queries):", {k: v[:2] for k, v in figures.items()})
    assert figures["create"][2]["created"] == 10_000
    assert figures["update"][2]["updated"] == 10_000
    assert figures["unchanged"][2]["unchanged"] == 10_000
    assert IndicatorValue.objects.filter(source="province").count() == 10_000
    for phase, (_elapsed, queries, _body) in figures.items():
        # Batched writes, no per-row query: SQLite caps a statement at 999 parameters (~60 rows of a
        # value, ~50 of a history row), PostgreSQL writes 1,000 rows per statement.
        assert queries <= len(rows) // 20, f"{phase} ran {queries} queries"
    assert figures["unchanged"][1] <= 10  # reads only: token, user, zones, clusters, indicators, periods, values
