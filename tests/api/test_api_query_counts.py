"""The number of SQL queries of a list does not grow with the page size, nor that of a bulk write with the batch."""

import pytest
from api_rows import value_row
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services import flags_recompute
from indicators.models import Indicator, IndicatorValue, ReportingPeriod
from indicators.progress.services import progress_recompute

LISTS = [
    "/api/v1/zones/",
    "/api/v1/tasks/",
    "/api/v1/departments/",
    "/api/v1/indicators/",
    "/api/v1/targets/",
    "/api/v1/indicator-values/",
    "/api/v1/evaluations/",
    "/api/v1/rankings/",
    "/api/v1/progress/",
    "/api/v1/flags/",
    "/api/v1/reconciliation/",
]
# Queries per request, whatever the page size: auth (token + user) + count/page + prefetches.
MAX_QUERIES = {
    "/api/v1/zones/": 4,
    "/api/v1/tasks/": 4,
    "/api/v1/departments/": 4,
    "/api/v1/indicators/": 3,
    "/api/v1/targets/": 3,
    "/api/v1/indicator-values/": 5,  # + zones, clusters and reports by id
    "/api/v1/evaluations/": 2,
    "/api/v1/rankings/": 2,
    "/api/v1/progress/": 2,
    "/api/v1/flags/": 2,
    "/api/v1/reconciliation/": 3,
}


@pytest.fixture
def data(plan, sync, push_values, push_rankings):
    rows = [
        value_row(zone=zone, year=year, index=month, value=str(month))
        for zone in ("lufeng", "wuding", "mouding")
        for year in (2023, 2024)
        for month in range(1, 13)
    ]
    assert push_values(sync, rows).status_code == 200
    indicator = Indicator.objects.get(code="industrial-output")
    periods = {(p.year, p.index): p for p in ReportingPeriod.objects.filter(cadence="monthly")}
    IndicatorValue.objects.bulk_create(
        [  # unit values that differ, for the reconciliation list
            IndicatorValue(indicator=indicator, scope="zone", zone=plan["lufeng"], period=periods[(y, m)], value=m + 1)
            for y in (2023, 2024)
            for m in range(1, 13)
        ]
    )
    push_rankings(
        sync,
        [
            {"year": y, "zone": z, "rank": r + (y - 2022), "total_zones": 66}
            for y in (2022, 2023, 2024)
            for r, z in enumerate(["chuxiong-hitech", "lufeng", "wuding", "mouding"], start=1)
        ]
        + [
            {"year": y, "zone": "chuxiong-hitech", "rank": 30, "total_zones": 178, "scheme": "national"}
            for y in (2022, 2023, 2024)
        ],
    )
    flags_recompute()
    progress_recompute()


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    return len(context.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize("url", LISTS)
def test_it_costs_a_list_the_same_queries_at_any_page_size(sync, data, url, django_assert_max_num_queries):
    small_queries, small_rows = _queries(sync, f"{url}?page_size=2")
    large_queries, large_rows = _queries(sync, f"{url}?page_size=200")
    assert large_rows > small_rows, "the larger page must hold more rows for the comparison to mean anything"
    assert large_queries == small_queries
    with django_assert_max_num_queries(MAX_QUERIES[url] + 2):  # + token lookup and user
        sync.get(f"{url}?page_size=1000")


def test_it_costs_a_bulk_write_the_same_queries_at_any_batch_size(sync, push_values, django_assert_max_num_queries):
    def batch(year, count, value):
        zones = ("lufeng", "wuding", "mouding", "chuxiong-hitech")
        return [value_row(zone=z, year=year, index=m, value=value) for z in zones for m in range(1, 13)][:count]

    counts = {}
    for year, size in ((2023, 10), (2024, 48)):
        for phase, value in (("create", "1"), ("update", "2"), ("unchanged", "2")):
            with CaptureQueriesContext(connection) as context:
                response = push_values(sync, batch(year, size, value))
            assert response.status_code == 200
            counts[(phase, size)] = len(context.captured_queries)
    for phase in ("create", "update", "unchanged"):
        assert counts[(phase, 10)] == counts[(phase, 48)], counts
    with django_assert_max_num_queries(20):
        push_values(sync, batch(2025, 48, "7"))
