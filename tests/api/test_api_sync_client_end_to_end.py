"""A client made by `manage.py create_sync_client` does a full sync, an incremental sync, and pushes rankings."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from rest_framework.test import APIClient

from indicators.models import Indicator, IndicatorValue, ReportingPeriod


def _client_from_command(name):
    out = StringIO()
    call_command("create_sync_client", name, stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip().splitlines()[-1]}")
    return client


def _sync_all(client, url):
    rows, last = {}, None
    while url:
        body = client.get(url).json()
        for row in body["results"]:
            rows[row["id"]] = row
            last = row["updated_at"]
        url = body["next"]
    return rows, last


def test_it_lets_a_new_sync_client_sync_values_and_push_rankings(plan, django_capture_on_commit_callbacks):
    indicator = Indicator.objects.get(code="industrial-output")
    months = ReportingPeriod.objects.filter(cadence="monthly", year=2024)
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=indicator, scope="zone", zone=zone, period=period, value=Decimal(period.index))
            for zone in (plan["lufeng"], plan["wuding"], plan["hitech"])
            for period in months
        ]
    )
    client = _client_from_command("yunnan-stats")

    # Full sync: page through everything.
    everything, watermark = _sync_all(client, "/api/v1/indicator-values/?page_size=7")
    assert len(everything) == 36
    assert set(everything) == set(IndicatorValue.objects.values_list("id", flat=True))

    # The province pushes its official figures for two months, then syncs incrementally.
    IndicatorValue.objects.update(
        updated_at=IndicatorValue.objects.latest("updated_at").updated_at - timedelta(seconds=2)
    )
    push = client.post(
        "/api/v1/indicator-values/bulk/",
        [
            {
                "zone": "lufeng",
                "indicator": "industrial-output",
                "period": {"cadence": "monthly", "year": 2024, "index": m},
                "value": m + 0.5,
            }
            for m in (1, 2)
        ],
        format="json",
    )
    assert push.status_code == 200 and push.json()["created"] == 2
    changed, _last = _sync_all(client, f"/api/v1/indicator-values/?updated_since={watermark.replace('+', '%2B')}")
    assert {(r["source"], r["period"]["index"]) for r in changed.values()} == {("province", 1), ("province", 2)}

    # A year's rankings, and the flags they raise.
    with django_capture_on_commit_callbacks(execute=True):
        ranks = client.post(
            "/api/v1/rankings/bulk/",
            [
                {"year": 2022, "zone": "wuding", "rank": 30, "total_zones": 64},
                {"year": 2023, "zone": "wuding", "rank": 60, "total_zones": 64},
                {"year": 2023, "zone": "lufeng", "rank": 10, "total_zones": 64, "funding_awarded": True},
            ],
            format="json",
        )
    assert ranks.status_code == 200 and ranks.json()["created"] == 3
    flags, _last = _sync_all(client, "/api/v1/flags/?year=2023")
    fired = {(f["zone"], f["rule"]) for f in flags.values() if f["outcome"] == "fired"}
    assert {("wuding", "bottom_five"), ("wuding", "drop_over_ten"), ("lufeng", "funding_priority")} <= fired
    assert client.get("/api/v1/rankings/?zone=wuding&year=2023").json()["results"][0]["rank"] == 60
