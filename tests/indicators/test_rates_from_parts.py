"""Rates the plan defines from two quantities are entered as their parts and computed; a typed rate stays
possible where the parts are not known, and is marked as typed."""

from datetime import date
from decimal import Decimal

from indicators.models import DispatchReport, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
from indicators.progress.services import progress_recompute
from indicators.selectors import report_slots
from tasks.models import Department, Task


def quarter_end(year=2025):
    return ReportingPeriod.objects.get(cadence="quarterly", year=year, index=4)


def test_a_zone_value_set_asks_for_the_parts_of_its_share(plan):
    report = DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )
    codes = {slot.indicator.code for slot in report_slots(report)}
    # 「开发区主导产业营业收入占比达到50%以上」: leading-industry revenue over all revenue.
    assert {"leading-industry-share", "leading-industry-revenue", "operating-revenue"} <= codes


def test_a_unit_report_asks_for_the_parts_in_every_zone_of_the_rate(plan):
    report = DispatchReport.objects.create(
        department=Department.objects.get(slug="natural-resources"),
        task=Task.objects.get(number=22),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=6),
    )
    slots = [(s.indicator.code, s.zone.code if s.zone else None) for s in report_slots(report)]
    # 「批而未供土地处置率」: the land disposed of and the land there was, per zone.
    assert ("idle-land-disposed", "lufeng") in slots and ("idle-land", "mouding") in slots


def test_the_rate_is_computed_from_its_parts_and_a_typed_rate_is_marked(plan):
    share = Indicator.objects.get(code="leading-industry-share")
    lufeng, hitech = plan["lufeng"], plan["hitech"]
    period = quarter_end()
    for code, number in (("leading-industry-revenue", 300), ("operating-revenue", 500)):
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code=code), period=period, scope="zone", zone=lufeng, value=Decimal(number)
        )
    # A typed 40 % for 禄丰 too: the parts (60 %) win; 高新区 has only a typed rate.
    IndicatorValue.objects.create(indicator=share, period=period, scope="zone", zone=lufeng, value=Decimal(40))
    IndicatorValue.objects.create(indicator=share, period=period, scope="zone", zone=hitech, value=Decimal(55))
    progress_recompute(as_of=date(2025, 12, 31))

    def result(zone):
        target = Target.objects.get(indicator=share, zone=zone)
        return ProgressResult.objects.get(target=target, period=period)

    assert (result(lufeng).actual, result(lufeng).inputs["rate_entry"]) == (Decimal("60.0000"), "computed_from_parts")
    assert (result(hitech).actual, result(hitech).inputs["rate_entry"]) == (Decimal("55.0000"), "typed")
