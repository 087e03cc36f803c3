"""The demo's areas (片区): clearly demo, their figures a split of their zone's, cleared with the demo."""

from decimal import Decimal

from django.db.models import Sum

from indicators.models import AreaFigure, IndicatorValue
from parks.models import Area
from tools.demo import demo_clear, demo_load


def test_the_demo_areas_are_labelled_demo_and_add_up_to_their_zone(plan):
    demo_load()
    areas = list(Area.objects.select_related("zone"))
    assert len(areas) == 2 and all(a.is_demo and "演示" in a.name and a.zone.code == "lufeng" for a in areas)
    zone_value = IndicatorValue.objects.get(
        indicator__code="industrial-output",
        zone__code="lufeng",
        period__cadence="monthly",
        period__year=2024,
        period__index=12,
        source="portal",
    )
    summed = AreaFigure.objects.filter(period=zone_value.period, indicator=zone_value.indicator).aggregate(
        total=Sum("value")
    )["total"]
    assert abs(summed - zone_value.value) < Decimal("0.001")
    demo_clear()
    assert not Area.objects.exists() and not AreaFigure.objects.exists()
