"""Checks between values: plain functions, no database."""

import pytest

from indicators.reporting import quality


def test_a_cluster_above_the_sum_of_its_zones_is_found():
    assert quality.cluster_above_zones(150.0, {"lufeng": 100.0, "wuding": 60.0}) is None
    rule, params = quality.cluster_above_zones(170.0, {"lufeng": 100.0, "wuding": 60.0})
    assert (rule, params["zones_total"]) == (quality.CLUSTER_ABOVE_ZONES, 160.0)


def test_a_cluster_is_not_judged_against_zones_that_did_not_report():
    assert quality.cluster_above_zones(170.0, {"lufeng": 100.0, "wuding": None}) is None


def test_a_year_to_date_figure_may_not_fall():
    assert quality.ytd_falls(100.0, 100.0) is None
    assert quality.ytd_falls(100.0, 99.0) == (quality.YTD_FALLS, {"previous": 100.0, "current": 99.0})


def test_a_numerator_may_not_exceed_its_denominator():
    assert quality.numerator_above_denominator(5.0, 5.0) is None
    assert quality.numerator_above_denominator(6.0, 5.0)[0] == quality.NUMERATOR_ABOVE_DENOMINATOR


@pytest.mark.parametrize(("growth", "finding"), [(20.0, False), (20.4, False), (21.0, True), (14.0, True)])
def test_a_growth_rate_must_match_its_two_levels(growth, finding):
    # 120 against 100 a year before is +20 %; half a point of rounding is allowed.
    result = quality.growth_inconsistent(growth, 120.0, 100.0)
    assert (result is not None) == finding
    if finding:
        assert result[1]["implied"] == 20.0
