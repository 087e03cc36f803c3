"""The zone page: indicators against the required path, ranks with the bottom-five band, flags, tasks."""

import pytest
from django.urls import reverse

from tests.dashboards.test_overview_page import chart_spec


def zone_url(code):
    return reverse("zone-detail", args=[code])


def test_it_charts_output_against_the_committed_and_stretch_paths(client_for, olga, data):
    html = client_for(olga).get(zone_url("chuxiong-hitech")).content.decode()
    spec = chart_spec(html, "chart-industrial-output")
    assert spec["x"] == ["2022年", "2023年", "2024年", "2025年"]
    series = {s["role"]: s for s in spec["series"]}
    # baseline 720 (2022's December value) grown to 1500 committed / 2000 stretch by 2025
    assert series["actual"]["data"][0] == 720
    assert series["target"]["data"][0] == 720 and series["target"]["data"][-1] == pytest.approx(1500)
    assert series["stretch"]["data"][-1] == pytest.approx(2000)
    assert series["target"]["data"][1] == pytest.approx(720 * (1500 / 720) ** (1 / 3), rel=1e-3)
    assert spec["unit"] == "亿元"


def test_it_projects_to_2025_while_the_year_is_incomplete(client_for, olga, data):
    from datetime import date

    import time_machine

    from indicators.models import IndicatorValue

    IndicatorValue.objects.filter(
        indicator__code="industrial-output", zone__code="lufeng", period__year=2025, period__index=12
    ).delete()
    from indicators.progress.services import progress_recompute

    progress_recompute()
    with time_machine.travel(date(2025, 12, 20), tick=False):  # read while 2025 lasts
        html = client_for(olga).get(zone_url("lufeng")).content.decode()
    series = {s["role"]: s for s in chart_spec(html, "chart-industrial-output")["series"]}
    assert series["partial"]["data"][-1] is not None  # the year-to-date value up to November
    assert series["projection"]["data"][-1] > 0
    assert "预计2025年" in html
    # Read once 2025 is over, though December's figure never came: nothing is projected, chart nor card.
    with time_machine.travel(date(2026, 12, 3), tick=False):
        later = client_for(olga).get(zone_url("lufeng")).content.decode()
    series = {s["role"]: s for s in chart_spec(later, "chart-industrial-output")["series"]}
    assert "projection" not in series and "预计2025年" not in later


def test_it_charts_periodic_values_with_their_status_and_target(client_for, olga, data):
    html = client_for(olga).get(zone_url("lufeng")).content.decode()
    spec = chart_spec(html, "chart-industrial-output-growth")
    actual = next(s for s in spec["series"] if s["role"] == "actual")
    target = next(s for s in spec["series"] if s["role"] == "target")
    assert spec["x"] == ["2025年11月", "2025年12月"]
    assert target["data"] == [20, 20]
    assert set(actual["status"]) <= {"green", "amber", "red", "grey"}


def test_it_marks_the_bottom_five_band_on_the_rank_history(client_for, olga, data):
    html = client_for(olga).get(zone_url("wuding")).content.decode()
    spec = chart_spec(html, "chart-rank-provincial")
    assert spec == {**spec, "band": True, "ranks": [50, 58], "totals": [60, 60], "x": ["2022年", "2023年"]}
    assert "chart-rank-national" not in html


def test_it_shows_the_national_rank_of_the_high_tech_zone(client_for, olga, data):
    html = client_for(olga).get(zone_url("chuxiong-hitech")).content.decode()
    spec = chart_spec(html, "chart-rank-national")
    assert spec["ranks"] == [150, 146] and spec["band"] is False


def test_it_lists_the_zones_flags_with_evidence_and_state(client_for, olga, data):
    html = client_for(olga).get(zone_url("wuding")).content.decode()
    assert "排名全省后5位" in html
    assert "2023年第58位（共60个）" in html
    assert "进行通报" in html and "武定县人民政府" in html
    assert "待处理" in html


def test_it_groups_the_zones_targets_by_task(client_for, olga, data):
    response = client_for(olga).get(zone_url("lufeng"))
    groups = response.context["task_groups"]
    assert groups[0]["task"] is None  # the plan's development goals first
    assert [g["task"].number for g in groups[1:]] == sorted(g["task"].number for g in groups[1:])
    codes = {row["target"].indicator.code for row in groups[0]["rows"]}
    assert {"industrial-output", "industrial-output-growth", "leading-industry-share"} <= codes
    assert all(row["target"].zone.code == "lufeng" for g in groups for row in g["rows"])


def test_it_labels_the_zone_copies_of_collective_goals_as_the_office_s_breakdown(client_for, olga, data):
    # 「全州开发区……工业总产值年均增长20%以上」 is the prefecture's goal; a zone's copy is the office's.
    html = client_for(olga).get(zone_url("lufeng")).content.decode()
    assert html.count('data-basis="office"') == 2  # output 年均 growth and the leading-industry share
    assert "州开发区办分解，非方案原文" in html


def test_a_qualitative_goal_with_figures_reads_not_judged_rather_than_no_data(client_for, leo, plan):
    """劳动生产率「大幅提升」: two years of figures give a trend, grey but not for want of data."""
    from datetime import date
    from decimal import Decimal

    import time_machine

    from indicators.models import IndicatorValue, ReportingPeriod, Target
    from indicators.progress.services import progress_recompute

    target = Target.objects.get(indicator__code="labour-productivity", zone=plan["lufeng"], year=2025)
    with time_machine.travel(date(2026, 12, 3), tick=False):
        progress_recompute()
        before = client_for(leo).get("/zones/lufeng/").content.decode()
        for year, value in ((2024, "136.05"), (2025, "151.42")):
            IndicatorValue.objects.create(
                indicator=target.indicator,
                scope="zone",
                zone=plan["lufeng"],
                period=ReportingPeriod.objects.get(cadence="yearly", year=year, index=1),
                value=Decimal(value),
            )
        progress_recompute()
        after = client_for(leo).get("/zones/lufeng/").content.decode()
    assert "定性目标，不评定" not in before
    rows = [row for row in after.split("<tr") if "劳动生产率" in row and "趋势向好" in row]
    assert rows and all('">定性目标，不评定</span>' in row and "暂无数据" not in row for row in rows)


@pytest.mark.parametrize(
    ("day", "status", "words"),
    [
        # The page shows the latest period whose reports are in (2025年8月 on 15 October): the milestone is judged
        # on the day itself, not on that period's or the quarter's end (尚有92天, green).
        ((2025, 10, 15), "amber", "尚未完成，距完成时限2025年12月31日仅剩77天"),
        ((2025, 12, 31), "amber", "截至完成时限2025年12月31日当日尚未完成"),
        # Until 5 January the page shows 2025年11月, whose latest result is the third quarter's.
        ((2026, 1, 1), "red", "尚未完成，已超过完成时限2025年12月31日1天"),
        ((2026, 1, 5), "red", "尚未完成，已超过完成时限2025年12月31日5天"),
        # Then 2025年12月: the fourth quarter's result, judged once the deadline's day was over.
        ((2026, 1, 6), "red", "截至完成时限2025年12月31日未完成"),
    ],
)
def test_an_open_milestone_is_judged_on_the_day_the_page_is_read(
    client_for, leo, olga, open_milestone, day, status, words
):
    """成立专业化国有企业或运营公司 (task 6, due 2025-12-31), reported not done in the third quarter: the zone page and
    the task page count the days to the deadline, or past it, from the day they are read."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from indicators.progress.services import progress_recompute

    with time_machine.travel(datetime(*day, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        progress_recompute()  # the nightly recompute of that day
        zone_page = client_for(leo).get(zone_url("lufeng")).content.decode()
        task_page = client_for(olga).get(reverse("task-detail", args=[6])).content.decode()
    label = f"{day[0]}年{day[1]}月{day[2]}日"
    # The zone page has the zone's own target; the task page every zone's, each row naming its zone.
    zone_rows = [row for row in zone_page.split("<tr") if "成立专业化国有企业或运营公司" in row]
    task_rows = [row for row in task_page.split("<tr") if "禄丰产业园区" in row and "2025年12月31日" in row]
    assert len(zone_rows) == 1 and len(task_rows) == 1
    for row in (*zone_rows, *task_rows):
        assert words in row and f"status {status}" in row
        if day < (2026, 1, 6):
            assert label in row  # judged on the day it is read, not at the quarter's end


def test_the_plans_positive_consequences_are_listed_apart_from_the_accountability_flags(client_for, olga, data):
    """考核结果好 and 获省级资金补助 are the plan's positive consequences (`POSITIVE_RULES`), not 问责提示: the zone
    page lists them under 正向激励, out of the flags' count; the overview's and bulletin's open flags leave them out."""
    from datetime import date

    from assessments.models import Flag
    from assessments.rules import GOOD_RESULT, POSITIVE_RULES
    from pages.dashboards.overview import flags_open_and_new
    from parks.models import Zone

    zone = Zone.objects.get(code="lufeng")
    good = Flag.objects.create(zone=zone, year=2024, rule=GOOD_RESULT, outcome=Flag.Outcome.FIRED)
    response = client_for(olga).get(zone_url("lufeng"))
    listed = [row["flag"].pk for row in response.context["flags"]]
    assert good.pk not in listed
    positive = [row["flag"] for row in response.context["flags_positive"]]
    assert good in positive and all(flag.rule in POSITIVE_RULES for flag in positive)
    assert all(row["flag"].rule not in POSITIVE_RULES for row in response.context["flags"])
    html = response.content.decode()
    assert (
        'id="flags-positive"' in html
        and "2024 · 全省开发区高质量发展评价 · 考核结果好" in html[html.index("flags-positive") :]
    )
    still_open, new = flags_open_and_new(start=date(2000, 1, 1), end=date(2100, 1, 1))
    assert good.pk not in {f.pk for f in still_open + new}
    assert still_open and all(f.rule not in POSITIVE_RULES for f in still_open)
