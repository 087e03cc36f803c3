"""The reporting part of the prefecture's 综合考评 (调度按时报送率): the share of a zone's reports of the year first
submitted by their deadline, among those whose deadline has passed; a report the office waived is not due."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations.models import SubScore
from evaluations.services import SubIndicatorSpec, prefecture_compute, scheme_define
from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import report_waive


def _submitted(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def zone_reports(plan):
    """lufeng's monthly zone reports of January to April 2024 (deadlines 5 February to 5 May): two on time, one
    late, one never submitted."""
    lufeng = plan["lufeng"]
    periods = {p.index: p for p in ReportingPeriod.objects.filter(cadence="monthly", year=2024, index__lte=4)}
    for index, submitted in ((1, date(2024, 2, 3)), (2, date(2024, 3, 5)), (3, date(2024, 4, 9))):
        DispatchReport.objects.create(
            zone=lufeng,
            period=periods[index],
            state=DispatchReport.State.APPROVED,
            first_submitted_at=_submitted(submitted),
            submitted_at=_submitted(submitted),
        )
    owed = DispatchReport.objects.create(zone=lufeng, period=periods[4])
    return lufeng, owed


@pytest.fixture
def scheme():
    return scheme_define(
        kind="prefecture",
        year=2024,
        title="2024年度考评",
        sub_indicators=[
            SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=Decimal(40), method="manual"),
            SubIndicatorSpec(
                group="调度",
                code="reports-on-time",
                name="调度按时报送率",
                weight=Decimal(60),
                method="reports_on_time",
            ),
        ],
    )


def _score(scheme, lufeng, olga, today) -> tuple:
    prefecture_compute(scheme=scheme, user=olga, today=today)
    sub = SubScore.objects.get(result__zone=lufeng, sub_indicator__code="reports-on-time")
    return sub.inputs["done"], sub.inputs["due"], sub.score


def test_a_waived_zone_report_is_not_due(zone_reports, scheme, olga):
    """The demo's 高新区 scored 8/12 with a report owed, and still 8/12 once the office had waived it (not 8/11)."""
    lufeng, owed = zone_reports
    today = date(2024, 6, 1)
    assert _score(scheme, lufeng, olga, today) == (2, 4, Decimal("50.00"))
    report_waive(report=owed, user=olga, reason="经州开发区办同意免报")
    assert _score(scheme, lufeng, olga, today) == (2, 3, Decimal("66.67"))
