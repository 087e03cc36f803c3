"""The province's figures for 落地率, 开工率, 资金到位率 beside the rates computed from the projects: the
reconciliation page, /api/v1/reconciliation/project-rates/ and the task 10/21 pages.

The plan defines no indicator for the three rates; the province's figures arrive through the indicator-values
bulk API under the codes of `projects.selectors.RATE_INDICATORS` once the office has defined those indicators.
"""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chuxiong_portal.services import sync_client_create
from indicators.models import Indicator, ReportingPeriod
from projects.selectors import RATE_INDICATORS
from tasks.models import Task

NAMES = {"landing_rate": "招商项目落地率", "start_rate": "招商项目开工率", "capital_rate": "招商项目资金到位率"}


@pytest.fixture
def rate_indicators(plan):
    task = Task.objects.get(number=10)
    for order, (rate, code) in enumerate(RATE_INDICATORS.items()):
        Indicator.objects.create(
            plan=task.plan,
            code=code,
            name=NAMES[rate],
            unit="%",
            kind=Indicator.Kind.SHARE,
            task=task,
            cadence="yearly",
            order=900 + order,
        )
    for year in (2025, 2026):
        ReportingPeriod.objects.get_or_create(
            plan=task.plan,
            cadence="yearly",
            year=year,
            index=1,
            defaults={"start": date(year, 1, 1), "end": date(year, 12, 31), "deadline": date(year + 1, 1, 20)},
        )


@pytest.fixture
def province(plan, rate_indicators):
    cache.clear()
    user, _key = sync_client_create(name="province-stats")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")

    def push(rows):
        response = client.post(
            "/api/v1/indicator-values/bulk/",
            [
                {
                    "zone": zone,
                    "indicator": RATE_INDICATORS[rate],
                    "period": {"cadence": "yearly", "year": 2026, "index": 1},
                    "value": value,
                }
                for zone, rate, value in rows
            ],
            format="json",
        )
        assert response.status_code == 200, response.content

    push.client = client
    return push


@pytest.fixture
def signed(make_project):
    """禄丰 2026: two 招商 projects signed, one landed; 1000 + 1000 signed, 250 in place → 50 %, 0 %, 12.5 %."""
    make_project(
        kind="investment",
        signed_on=date(2026, 2, 1),
        landed_on=date(2026, 3, 1),
        stage="landed",
        signed_amount=1000,
        capital_in_place=250,
    )
    make_project(kind="investment", signed_on=date(2026, 5, 1), stage="signed", signed_amount=1000)


def test_the_api_sets_the_provinces_figure_beside_the_computed_rate(signed, province):
    province([("lufeng", "landing_rate", "60"), ("lufeng", "capital_rate", "12.5"), ("wuding", "start_rate", "40")])
    client = province.client
    with time_machine.travel(date(2026, 12, 1)):
        rows = client.get("/api/v1/reconciliation/project-rates/").json()
        only_wuding = client.get("/api/v1/reconciliation/project-rates/?zone=wuding").json()
        none_2025 = client.get("/api/v1/reconciliation/project-rates/?year=2025").json()
        bad = client.get("/api/v1/reconciliation/project-rates/?year=abc")
    got = {
        (r["zone"], r["rate"]): (r["province_value"], r["computed_value"], r["signed"], r["difference"]) for r in rows
    }
    assert got == {
        ("lufeng", "landing_rate"): ("60.0000", "50.0", 2, "10.0000"),
        ("lufeng", "capital_rate"): ("12.5000", "12.5", 2, "0.0000"),
        ("wuding", "start_rate"): ("40.0000", None, 0, None),  # no project signed in 武定: no rate, no difference
    }
    assert [r["zone"] for r in only_wuding] == ["wuding"] and none_2025 == []
    assert bad.status_code == 400


def test_the_reconciliation_page_shows_both(signed, province, client_for, alice, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    province([("lufeng", "landing_rate", "60")])
    with time_machine.travel(date(2026, 12, 1)):
        html = client_for(alice).get(reverse("reconciliation")).content.decode()
    section = html.split('id="project-rate-reconciliation"')[1].split("</section>")[0]
    row = section.split("禄丰产业园区")[1].split("</tr>")[0]
    assert "招商项目落地率" in row
    assert [cell.split("<")[0] for cell in row.split('class="num">')[1:]] == ["50.0%", "60%", "10"]


def test_the_task_10_page_shows_the_provinces_figure_under_the_computed_rate(
    signed, province, client_for, alice, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    province([("lufeng", "start_rate", "20"), ("lufeng", "capital_rate", "15")])
    with time_machine.travel(date(2026, 12, 1)):
        html = client_for(alice).get(reverse("task-detail", args=[10])).content.decode()
    rates = html.split('id="task-project-rates"')[1].split("</section>")[0]
    lufeng = rates.split("禄丰产业园区")[1].split("</tr>")[0]
    cells = lufeng.split('class="num">')[1:]
    assert [cell.split("<")[0] for cell in cells] == ["2", "50.0%", "0.0%", "12.5%"]
    assert "省统计值" not in cells[1] and "省统计值 20%" in cells[2] and "省统计值 15%" in cells[3]
    wuding = rates.split("武定产业园区")[1].split("</tr>")[0]
    assert "省统计值" not in wuding


def test_without_the_indicators_nothing_is_set_beside_the_rates(signed, client_for, alice, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with time_machine.travel(date(2026, 12, 1)):
        html = client_for(alice).get(reverse("reconciliation")).content.decode()
    assert "省统计系统尚未报送招商三率。" in html
