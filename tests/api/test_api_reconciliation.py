"""Where the province's figure and a unit's entry differ: GET /api/v1/reconciliation/ and the /reconciliation/ page."""

from decimal import Decimal

import pytest
from api_rows import value_row

from indicators.models import Indicator, IndicatorValue, ReportingPeriod


@pytest.fixture
def both(plan, sync, push_values):
    """Unit values for lufeng Jan–Mar 2024 and wuding Jan 2024; the province agrees on February only."""
    indicator = Indicator.objects.get(code="industrial-output")

    def portal(zone, month, value):
        IndicatorValue.objects.create(
            indicator=indicator,
            scope="zone",
            zone=plan[zone],
            value=Decimal(value),
            period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=month),
        )

    portal("lufeng", 1, "100")
    portal("lufeng", 2, "200")
    portal("lufeng", 3, "0")
    portal("wuding", 1, "50")
    response = push_values(
        sync,
        [
            value_row(index=1, value="110"),
            value_row(index=2, value="200"),
            value_row(index=3, value="5"),
            value_row(zone="wuding", index=1, value="45"),
            value_row(index=4, value="400"),
        ],
    )  # April: no unit value, nothing to reconcile
    assert response.status_code == 200


def test_it_lists_only_keys_where_both_values_exist_and_differ(sync, both):
    body = sync.get("/api/v1/reconciliation/").json()
    rows = [
        (r["zone"], r["period"]["index"], r["unit_value"], r["province_value"], r["difference"], r["difference_pct"])
        for r in body["results"]
    ]
    assert body["count"] == 3
    assert sorted(rows) == [
        ("lufeng", 1, "100.0000", "110.0000", "10.0000", "10.00"),
        ("lufeng", 3, "0.0000", "5.0000", "5.0000", None),
        ("wuding", 1, "50.0000", "45.0000", "-5.0000", "-10.00"),
    ]
    assert body["results"][0]["indicator"] == "industrial-output"
    assert [r["zone"] for r in sync.get("/api/v1/reconciliation/?zone=wuding").json()["results"]] == ["wuding"]
    assert sync.get("/api/v1/reconciliation/?year=2023").json()["count"] == 0


def test_it_shows_the_table_page_to_a_logged_in_user(client, leo, both):
    client.force_login(leo)
    response = client.get("/reconciliation/")
    assert response.status_code == 200
    html = response.content.decode()
    expected = (
        "省州数据对账",
        "禄丰产业园区",
        "武定产业园区",
        "工业总产值",
        "2024年1月",
        "110",
        "-5",
        "10.00",
        "-10.00",
    )
    for text in expected:
        assert text in html, text
    assert "2024年2月" not in html and "2024年4月" not in html
    filtered = client.get("/reconciliation/?zone=wuding&year=2024&page=abc").content.decode()
    assert "武定产业园区" in filtered and "禄丰产业园区</td>" not in filtered


def test_it_requires_a_login_for_the_page(client, plan):
    response = client.get("/reconciliation/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_survives_odd_page_parameters(client, leo):
    client.force_login(leo)
    for query in ("year=99999999999999999999", "page=-1", "year=abc&zone=x"):
        assert client.get(f"/reconciliation/?{query}").status_code == 200
    # A null character, which PostgreSQL refuses in any query: said on a 400 page (chuxiong_portal/errors.py).
    response = client.get("/reconciliation/?zone=%00")
    assert response.status_code == 400 and "空字符" in response.content.decode()


def _wuding_in_a_draft(plan):
    from indicators.models import DispatchReport

    value = IndicatorValue.objects.get(zone=plan["wuding"], source="portal")
    report = DispatchReport.objects.create(zone=plan["wuding"], period=value.period, state=DispatchReport.State.DRAFT)
    IndicatorValue.objects.filter(pk=value.pk).update(report=report)
    return report


def test_a_zone_user_does_not_see_another_zones_unpublished_entry(sam, olga, plan, both, client_for):
    # sam (禄丰's statistician) reads 武定's unit value once its report is approved, not while it is a draft.
    report = _wuding_in_a_draft(plan)
    page = client_for(sam).get("/reconciliation/").content.decode()
    assert "禄丰产业园区" in page and "武定产业园区</td>" not in page
    api = client_for(sam).get("/api/v1/reconciliation/")
    assert sorted(r["zone"] for r in api.json()["results"]) == ["lufeng", "lufeng"]
    # The office still sees it, and sam does once it is approved.
    assert "wuding" in [r["zone"] for r in client_for(olga).get("/api/v1/reconciliation/").json()["results"]]
    report.state = report.State.APPROVED
    report.save(update_fields=["state"])
    assert "wuding" in [r["zone"] for r in client_for(sam).get("/api/v1/reconciliation/").json()["results"]]
    assert "武定产业园区</td>" in client_for(sam).get("/reconciliation/").content.decode()
