"""The evaluation pages run the same number of SQL queries for 10 zones' results as for 66."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.services import SubIndicatorSpec, results_import, scheme_define

CODES = ("innovation", "industry", "opening", "green", "party")
URLS = (
    "/evaluations/",
    "/evaluations/provincial/2024/",
    "/evaluations/provincial/2024/zones/lufeng/",
    "/evaluations/provincial/2024/zones/lufeng/?benchmark=yn-001",
    "/evaluations/provincial/2024/results.xlsx",
    "/evaluations/provincial/2024/results.docx",
    "/zones/lufeng/",
)


def load(count: int) -> None:
    for year in (2023, 2024):
        scheme_define(
            kind="provincial",
            year=year,
            title=f"{year}",
            sub_indicators=[
                SubIndicatorSpec(group=c, code=c, name=c, weight=D(20), feeds=("industrial-output",)) for c in CODES
            ],
        )
        rows = [{"year": year, "zone": "lufeng", "sub_scores": [{"indicator": c, "score": "50"} for c in CODES]}]
        rows += [
            {
                "year": year,
                "zone": f"yn-{i:03d}",
                "zone_name": f"开发区{i:03d}",
                "sub_scores": [{"indicator": c, "score": str(40 + (i * 7 + n) % 60)} for n, c in enumerate(CODES)],
            }
            for i in range(count - 1)
        ]
        assert not results_import(rows=rows, user=None).errors


def counts(client) -> dict[str, int]:
    found = {}
    for url in URLS:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        found[url] = len(queries)
    return found


def test_the_evaluation_pages_do_not_grow_with_the_zones(client_for, olga, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(olga)
    load(10)
    small = counts(client)
    load(66)
    assert counts(client) == small
    assert max(small.values()) <= 40, small
