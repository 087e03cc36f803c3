"""A headline card of a final figure reads against the goal: 完成目标, with nothing left to project.

禄丰's year-to-date output of December 2025 is its goal year's final figure: the card says how much of the goal it
met and no longer projects "预计2025年"; November's figure is still read against the pace, with its projection."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from indicators.models import IndicatorValue, ProgressResult, Target
from indicators.progress.services import progress_recompute
from pages.dashboards.common import progress_card, result_status_label, status_words
from pages.dashboards.overview import _goal_bars
from pages.dashboards.zone import _zone_results, _zone_values, level_chart, periodic_chart
from tests.dashboards.data import _value, build_small, period


def _output_result(zone, month: int) -> ProgressResult:
    return ProgressResult.objects.select_related("period", "target__indicator").get(
        target__indicator__code="industrial-output",
        target__zone=zone,
        target__year=2025,
        period__cadence="monthly",
        period__end__year=2025,
        period__end__month=month,
    )


def _card(result: ProgressResult) -> dict:
    return progress_card(result.target.indicator, result.target, result)


@pytest.mark.parametrize("today", [date(2026, 1, 20), date(2026, 12, 3)])
def test_the_goal_years_final_figure_is_read_against_the_goal(plan, today):
    with time_machine.travel(today, tick=False):
        build_small()
    final, november = _output_result(plan["lufeng"], 12), _output_result(plan["lufeng"], 11)
    with translation.override("zh-hans"):
        card = _card(final)
        assert card["at_goal"] and card["projection"] == ""
        assert "2025年目标值" in card["reason"] and "序时进度" not in card["reason"]
        # 禄丰's goal is 力争 1,200 only: 1,032 of it is capped at amber, and says so rather than "slightly below".
        assert (final.status, card["status_label"]) == ("amber", "力争目标未达到")
        # 武定's is committed (≥200): 172 of it is red, against the goal.
        wuding = _card(_output_result(plan["wuding"], 12))
        assert (wuding["status"], wuding["status_label"]) == ("red", "明显低于目标")
        assert _card(_output_result(plan["wuding"], 11))["status_label"] == "滞后"  # November: against the pace
        with time_machine.travel(date(2025, 12, 20), tick=False):
            pace = _card(november)  # read while 2025 lasts: projected to the year's end
        assert not pace["at_goal"] and pace["projection"] != ""
        # Read once 2025 is over, though December's figure never came: nothing left to project.
        for later in (date(2026, 1, 1), date(2026, 12, 3)):
            with time_machine.travel(later, tick=False):
                assert _card(november)["projection"] == ""
        assert "序时进度应为" in pace["reason"] and pace["status_label"] == "力争目标未达到"  # 86% of the pace
    with translation.override("en"):
        assert _card(final)["status_label"] == "Stretch target not reached"
        assert _card(_output_result(plan["wuding"], 12))["status_label"] == "Well below the goal"


def test_a_rate_is_always_read_against_its_goal(data):
    result = (
        ProgressResult.objects.select_related("period", "target__indicator")
        .filter(target__indicator__code="leading-industry-share", target__zone__code="lufeng")
        .exclude(expected=None)
        .first()
    )
    assert result is not None and _card(result)["at_goal"]
    assert "序时进度" not in _card(result)["status_label"]


def test_an_average_growth_of_the_goal_years_end_projects_nothing(data):
    lufeng = data["zones"]["lufeng"]
    IndicatorValue.objects.bulk_create(
        [_value("industrial-output-growth", period("monthly", year, 12), 21.0, zone=lufeng) for year in (2023, 2024)]
    )
    progress_recompute()
    result = ProgressResult.objects.select_related("period", "target__indicator").get(
        target__indicator__code="industrial-output-growth",
        target__zone__code="lufeng",
        target__year=2025,
        period__cadence="monthly",
        period__end=date(2025, 12, 31),
    )
    card = _card(result)
    assert card["value"].startswith("年均") and card["projection"] == ""


def test_the_zone_page_says_which_it_is(client, data, olga):
    client.force_login(olga)
    html = client.get(data["zones"]["lufeng"].get_absolute_url()).content.decode()
    assert '<span class="muted small">完成目标 ' in html  # the card foot, not a reason's words


@pytest.mark.parametrize(
    ("reason_code", "against_goal", "label"),
    [
        ("share", True, "略低于目标"),
        ("against_path", False, "略低于序时进度"),
        ("stretch_not_met", False, "力争目标未达到"),
    ],
)
def test_a_status_is_worded_by_what_the_engine_held_it_to(reason_code, against_goal, label):
    with translation.override("zh-hans"):
        assert status_words("amber", reason_code=reason_code, against_goal=against_goal) == label


def test_the_zone_pages_charts_word_each_point_as_its_card_does(data):
    zone = data["zones"]["lufeng"]
    targets = list(Target.objects.filter(zone=zone).select_related("indicator"))
    with translation.override("zh-hans"):
        results, statuses = _zone_results(
            as_of=date(2026, 12, 3), targets=targets, queryset=Target.objects.filter(zone=zone)
        )
        by_key = {(r.target_id, r.period_id): r for r in ProgressResult.objects.filter(target__zone=zone)}
        assert statuses and {key: (r.status, result_status_label(r)) for key, r in by_key.items()} == statuses
        words = {words for _status, words in statuses.values()}
        assert {"略低于目标", "力争目标未达到"} <= words  # not the pace's words for a rate or a 力争 goal
        quarter = by_key[next(iter(statuses))]
        chart = periodic_chart(
            chart_id="c",
            indicator=quarter.target.indicator,
            targets=[quarter.target],
            values=[(quarter.period, 1.0)],
            statuses=statuses,
        )
        assert chart.rows[0][3] == result_status_label(quarter)


def test_the_overviews_bars_and_the_zones_path_chart_project_nothing_after_the_final_figure(plan):
    with time_machine.travel(date(2026, 12, 3), tick=False):
        build_small()
    final, november = _output_result(plan["lufeng"], 12), _output_result(plan["lufeng"], 11)
    with translation.override("zh-hans"):
        with time_machine.travel(date(2025, 12, 20), tick=False):  # read while 2025 lasts
            chart = _goal_bars(
                chart_id="c",
                title="t",
                categories=["禄丰", "禄丰"],
                results=[final, november],
                unit="亿元",
                goal_year=2025,
            )
        (final_row, november_row) = chart.rows
        assert final_row[3] == "—" and november_row[3] != "—"  # 预计2025年
        with time_machine.travel(date(2026, 1, 1), tick=False):  # read once 2025 is over: nothing projected
            later = _goal_bars(
                chart_id="c", title="t", categories=["禄丰"], results=[november], unit="亿元", goal_year=2025
            )
        assert later.rows[0][3] == "—" and later.spec["series"][1]["data"] == [None]
        assert final_row[6] == _card(final)["status_label"]
        assert november_row[6] == _card(november)["status_label"]
        assert chart.spec["series"][1]["data"][0] is None
        values = _zone_values(plan["lufeng"])[final.target.indicator_id]
        path = level_chart(
            chart_id="p", indicator=final.target.indicator, target=final.target, values=values, result=final
        )
        assert path.rows[-1][0] == "2025" and path.rows[-1][5] == ""
        assert "projection" not in {series["role"] for series in path.spec["series"]}
