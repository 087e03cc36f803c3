"""GET /api/v1/indicator-values/, /progress/ and /flags/: shapes and filters."""

from datetime import timedelta
from decimal import Decimal

from api_rows import value_row
from django.utils import timezone

from assessments.services import flags_recompute
from indicators.models import IndicatorValue
from indicators.progress.services import progress_recompute


def _seed(sync, push_values):
    rows = [
        value_row(zone=zone, year=year, index=month, value=str(month * 10))
        for zone in ("lufeng", "wuding")
        for year in (2023, 2024)
        for month in (1, 6, 12)
    ]
    assert push_values(sync, rows).status_code == 200


def test_it_gives_a_value_its_codes_period_and_source(sync, push_values):
    push_values(sync, [value_row(index=3, value="12.5", note="月报")])
    body = sync.get("/api/v1/indicator-values/").json()
    assert set(body) == {"next", "results"}
    (value,) = body["results"]
    assert value | {"id": 0, "updated_at": ""} == {
        "id": 0,
        "indicator": "industrial-output",
        "scope": "zone",
        "zone": "lufeng",
        "cluster": None,
        "period": {
            "cadence": "monthly",
            "year": 2024,
            "index": 3,
            "label": "2024年3月",
            "start": "2024-03-01",
            "end": "2024-03-31",
        },
        "source": "province",
        "value": "12.5000",
        "done_on": None,
        "note": "月报",
        "locked": False,
        "report_state": None,
        "version": 1,
        "is_demo": False,
        "updated_at": "",
    }


def test_it_filters_values_by_zone_indicator_period_range_and_source(sync, push_values):
    _seed(sync, push_values)

    def keys(query):
        rows = sync.get(f"/api/v1/indicator-values/?page_size=1000&{query}").json()["results"]
        return sorted((r["zone"], r["period"]["year"], r["period"]["index"]) for r in rows)

    assert len(keys("")) == 12
    assert keys("zone=wuding&year=2024") == [("wuding", 2024, 1), ("wuding", 2024, 6), ("wuding", 2024, 12)]
    assert keys("zone=lufeng&period_from=2023-06-01&period_to=2024-01-31") == [
        ("lufeng", 2023, 6),
        ("lufeng", 2023, 12),
        ("lufeng", 2024, 1),
    ]
    assert len(keys("indicator=industrial-output&source=province&cadence=monthly")) == 12
    assert keys("indicator=operating-revenue") == []
    assert keys("source=portal") == []
    assert keys("zone=nowhere") == [] and keys("indicator=nope") == []  # an unknown code matches nothing
    for bad in (
        "zone=",
        "period_from=2024-13-01",
        "updated_since=yesterday",
        "source=moon",
        "year=x",
        "cadence=weekly",
    ):
        response = sync.get(f"/api/v1/indicator-values/?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == bad.split("=")[0]


def test_it_filters_values_by_updated_since(sync, push_values):
    _seed(sync, push_values)
    later = timezone.now() + timedelta(seconds=1)
    IndicatorValue.objects.filter(period__index=6, zone__code="wuding").update(updated_at=later + timedelta(seconds=5))
    rows = sync.get("/api/v1/indicator-values/", {"updated_since": later.isoformat()}).json()["results"]
    assert sorted((r["zone"], r["period"]["year"]) for r in rows) == [("wuding", 2023), ("wuding", 2024)]


def test_it_lists_progress_per_target_and_period_with_filters(sync, push_values):
    push_values(sync, [value_row(year=2022, index=12, value="600"), value_row(year=2024, index=3, value="400")])
    progress_recompute()
    body = sync.get(
        "/api/v1/progress/?zone=lufeng&indicator=industrial-output&year=2024&cadence=monthly&page_size=100"
    ).json()
    rows = body["results"]
    assert [r["period"]["index"] for r in rows if r["period"]["index"] == 3] == [3]
    march = next(r for r in rows if r["period"]["index"] == 3)
    assert march["target"] | {"id": 0} == {
        "id": 0,
        "indicator": "industrial-output",
        "scope": "zone",
        "zone": "lufeng",
        "cluster": None,
        "year": 2025,
        # 「力争工业总产值达1200亿元以上」: a stretch value
        "committed_value": None,
        "stretch_value": "1200.0000",
    }
    assert Decimal(march["actual"]) == Decimal("400") and march["status"] in {"green", "amber", "red"}
    statuses = {r["status"] for r in sync.get("/api/v1/progress/?status=grey&page_size=1000").json()["results"]}
    assert statuses == {"grey"}
    assert all(
        r["target"]["zone"] is None
        for r in sync.get("/api/v1/progress/?scope=prefecture&page_size=50").json()["results"]
    )
    assert sync.get("/api/v1/progress/?status=purple").status_code == 400


def test_a_recomputed_progress_row_keeps_its_id_and_comes_back_in_the_incremental_sync(sync, push_values):
    push_values(sync, [value_row(year=2022, index=12, value="600"), value_row(year=2024, index=3, value="400")])
    progress_recompute()
    query = "/api/v1/progress/?zone=lufeng&indicator=industrial-output&year=2024&cadence=monthly&page_size=100"
    march = next(r for r in sync.get(query).json()["results"] if r["period"]["index"] == 3)
    since = march["computed_at"]

    push_values(sync, [value_row(year=2024, index=3, value="900")])  # a corrected March: its result changes
    progress_recompute()

    changed = sync.get(query + "&updated_since=" + since.replace("+", "%2B")).json()["results"]
    again = next(r for r in changed if r["period"]["index"] == 3)
    assert again["id"] == march["id"] and again["computed_at"] > since
    assert Decimal(again["actual"]) == Decimal("900") != Decimal(march["actual"])


def test_it_filters_flags_by_zone_year_rule_and_state(sync, push_rankings):
    push_rankings(
        sync,
        [
            {"year": 2023, "zone": "lufeng", "rank": 20, "total_zones": 64},
            {"year": 2023, "zone": "wuding", "rank": 62, "total_zones": 64},
        ],
    )
    flags_recompute()
    all_flags = sync.get("/api/v1/flags/?page_size=1000").json()["results"]
    assert {f["zone"] for f in all_flags} == {"lufeng", "wuding"}
    wuding = sync.get("/api/v1/flags/?zone=wuding&year=2023&rule=bottom_five&state=open").json()["results"]
    assert len(wuding) == 1 and wuding[0]["outcome"] == "fired" and "约谈" in wuding[0]["consequence"]
    assert sync.get("/api/v1/flags/?zone=lufeng&rule=bottom_five").json()["results"] == []
    not_evaluable = sync.get("/api/v1/flags/?outcome=not_evaluable&zone=lufeng").json()["results"]
    assert {f["rule"] for f in not_evaluable} == {"drop_over_ten", "bottom_five_twice", "no_improvement"}
    assert sync.get("/api/v1/flags/?rule=unknown").status_code == 400
    assert sync.get("/api/v1/flags/?state=closed").status_code == 400
