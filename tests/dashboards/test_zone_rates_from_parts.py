"""A zone's rate charted from its parts, as progress judges it: the chart and the target row show one figure.

批而未供土地处置率 of 高新区 read 42.8% (typed) in the chart and 40.0% (disposed ÷ stock) in the target row and the
final evaluation on the same page."""

from datetime import date

from indicators.models import Indicator, ReportingPeriod
from pages.dashboards.zone import _with_rates_from_parts

H1 = ReportingPeriod(pk=1, cadence="half_yearly", year=2023, index=1, start=date(2023, 1, 1), end=date(2023, 6, 30))
H2 = ReportingPeriod(pk=2, cadence="half_yearly", year=2023, index=2, start=date(2023, 7, 1), end=date(2023, 12, 31))
H3 = ReportingPeriod(pk=3, cadence="half_yearly", year=2024, index=1, start=date(2024, 1, 1), end=date(2024, 6, 30))
RATE = Indicator(pk=10, code="disposal", kind="share", numerator_id=11, denominator_id=12)
PLAIN = Indicator(pk=20, code="idle", kind="share")


def test_the_rate_from_its_parts_replaces_the_typed_one_of_the_same_period():
    values = {
        10: [(H1, 25.4), (H2, 42.8), (H3, 31.0)],  # typed
        11: [(H1, 30.0), (H2, 400.0)],  # disposed
        12: [(H1, 100.0), (H2, 1000.0), (H3, 0.0)],  # stock (none left in 2024: no rate from parts)
        20: [(H1, 12.0)],
    }
    out = _with_rates_from_parts(values, {RATE, PLAIN})
    assert [(period.pk, round(value, 4)) for period, value in out[10]] == [(1, 30.0), (2, 40.0), (3, 31.0)]
    assert out[20] == [(H1, 12.0)]  # no parts: as typed


def test_a_rate_typed_without_parts_and_parts_without_a_typed_rate():
    out = _with_rates_from_parts({11: [(H2, 5.0)], 12: [(H2, 20.0)]}, {RATE})
    assert out[10] == [(H2, 25.0)]
    assert _with_rates_from_parts({10: [(H1, 7.0)]}, {RATE})[10] == [(H1, 7.0)]
