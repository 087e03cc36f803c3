"""The prefecture's collective goals judged on figures rolled up from its zones (DB round trip)."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import AreaFigure, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
from indicators.progress.services import progress_recompute
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
                IndicatorValue.objects.create(
                    indicator=output,
                    period=period,
                    scope="zone",
                    zone=Zone.objects.get(code=code),
                    value=Decimal(value),
                )
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


# --- areas (片区): their levels summed into their zone where the zone has no figure of its own ----------------


def wuding_areas(figures: dict[str, float | None], year: int = 2024):
    """Two areas of 武定 with December output figures of `year` (None: no figure)."""
    from indicators.reporting.services import area_figure_save
    from parks.models import Area

    output = Indicator.objects.get(code="industrial-output")
    period = ReportingPeriod.objects.get(cadence="monthly", year=year, index=12)
    wuding = Zone.objects.get(code="wuding")
    for order, (code, value) in enumerate(figures.items()):
        area = Area.objects.create(zone=wuding, code=code, name=code, order=order)
        if value is not None:
            area_figure_save(AreaFigure(area=area, indicator=output, period=period, value=Decimal(value)))
    progress_recompute(as_of=date(2024, 12, 31))


def test_a_zone_without_a_figure_takes_its_areas_sum_in_the_roll_up(rolled):
    assert december(rolled, 2024).status == ProgressResult.Status.GREY  # 武定 missing: incomplete
    wuding_areas({"wuding-east": 100, "wuding-west": 50})
    result = december(rolled, 2024)
    # 2024's summed output (900 + 1000 + 150 + 250) = 2300, 武定's 150 being its two areas' sum: the 年均 since
    # 2022 is (2300 ÷ 1600)^(1/2) − 1 = 19.90 %.
    assert result.actual == Decimal("19.8958")
    assert "missing_members" not in result.inputs
    wuding_output = Target.objects.get(indicator__code="industrial-output", zone__code="wuding")
    assert ProgressResult.objects.get(
        target=wuding_output, period__cadence="monthly", period__year=2024, period__index=12
    ).actual == Decimal("150")


def test_an_area_without_a_figure_leaves_its_zone_without_one(rolled):
    wuding_areas({"wuding-east": 100, "wuding-west": None})
    result = december(rolled, 2024)
    assert result.actual is None and result.inputs["missing_members"] == ["wuding"]
    assert "武定产业园区" in result.reason


def test_a_zones_own_figure_wins_over_its_areas(rolled):
    wuding_areas({"wuding-east": 5000, "wuding-west": 5000}, year=2023)  # 武定 entered 130 for 2023 itself
    assert december(rolled, 2023).actual == Decimal("26.2500")


def test_a_zones_blank_figure_takes_its_areas_sum(rolled):
    """A row of the zone's own saved without a figure is no figure: the areas' complete sum stands in for it."""
    output = Indicator.objects.get(code="industrial-output")
    december_2024 = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=12)
    IndicatorValue.objects.create(
        indicator=output, period=december_2024, scope="zone", zone=Zone.objects.get(code="wuding"), value=None
    )
    wuding_areas({"wuding-east": 100, "wuding-west": 50})
    wuding_output = Target.objects.get(indicator__code="industrial-output", zone__code="wuding")
    assert december(wuding_output, 2024).actual == Decimal("150")
    assert december(rolled, 2024).actual == Decimal("19.8958")


def test_an_areas_sum_for_a_zone_the_caller_does_not_name_goes_to_no_other_history(plan):
    """The histories are keyed by zone and cluster ids: an areas' sum for a zone missing from the ids given is left
    out, not filed under no zone at all, which is the prefecture's key."""
    from indicators.progress.services import _histories, zone_hierarchy

    wuding_areas({"wuding-east": 100, "wuding-west": 50})
    output = Indicator.objects.get(code="industrial-output")
    everyone = dict(Zone.objects.values_list("code", "pk"))
    assert list(_histories({output.pk}, zone_hierarchy(), zone_ids=everyone)) == [
        (output.pk, ("zone", everyone["wuding"], None))
    ]

    others = {code: pk for code, pk in everyone.items() if code != "wuding"}
    assert _histories({output.pk}, zone_hierarchy(), zone_ids=others) == {}
