"""The prefecture's collective goals judged on figures rolled up from its zones (DB round trip)."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
from indicators.services import progress_recompute
from parks.models import Zone

OUTPUT = {  # December year-to-date output, 亿元
    2022: {"chuxiong-hitech": 700, "lufeng": 600, "wuding": 100, "mouding": 200},
    2023: {"chuxiong-hitech": 770, "lufeng": 900, "wuding": 130, "mouding": 220},
    2024: {"chuxiong-hitech": 900, "lufeng": 1000, "wuding": None, "mouding": 250},
}


@pytest.fixture
def rolled(plan):
    output = Indicator.objects.get(code="industrial-output")
    for year, zones in OUTPUT.items():
        period = ReportingPeriod.objects.get(cadence="monthly", year=year, index=12)
        for code, value in zones.items():
            if value is not None:
                IndicatorValue.objects.create(indicator=output, period=period, scope="zone",
                                              zone=Zone.objects.get(code=code), value=Decimal(value))
    progress_recompute(as_of=date(2024, 12, 31))
    return Target.objects.get(indicator__code="industrial-output-growth", scope="prefecture")


def december(target, year):
    return ProgressResult.objects.get(target=target, period__cadence="monthly", period__year=year, period__index=12)


def test_the_prefecture_growth_is_computed_from_the_zones_summed_output(rolled):
    result = december(rolled, 2023)
    # 2020 ÷ 1600 − 1 = 26.25 %, not the mean of the zones' rates (10 %, 50 %, 30 %, 10 % → 25 %).
    assert result.actual == Decimal("26.2500")
    assert result.status == ProgressResult.Status.GREEN
    assert result.inputs["reason_code"] == "average_growth"


def test_a_missing_zone_makes_the_prefecture_figure_incomplete_not_lower(rolled):
    result = december(rolled, 2024)
    assert (result.status, result.actual) == (ProgressResult.Status.GREY, None)
    assert "武定产业园区" in result.reason and "不按0计算" in result.reason
    assert result.inputs["reason_params"] == {"missing": ["wuding"]}
