"""The dispatch bulletin: a printable page for any period, and the same as an Excel workbook."""

import re
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pages.bulletin import bulletin_build, bulletin_workbook
from tests.dashboards.data import period

BULLETIN = reverse("bulletin")


def test_it_defaults_to_the_current_period(client_for, olga, data):
    response = client_for(olga).get(BULLETIN)
    assert response.context["period"] == data["period"]
    html = response.content.decode()
    assert "开发区提质增效三年行动调度通报" in html
    assert data["period"].label in html


def test_it_summarises_progress_zones_flags_and_late_units(client_for, olga, data):
    html = client_for(olga).get(BULLETIN).content.decode()
    for heading in ("一、总体进展", "二、各开发区核心指标", "三、问责提示", "四、报送情况", "五、与上期相比"):
        assert heading in html
    assert "26项任务中" in html
    assert "排名全省后5位" in html
    assert "州发展改革委" in html and "逾期未报清单" in html
    assert "任务7（2025年12月）" in html


def test_it_is_a_print_page_without_the_navigation(client_for, olga, data):
    html = client_for(olga).get(BULLETIN).content.decode()
    assert 'class="mainnav"' not in html
    assert 'data-action="print"' in html and "no-print" in html
    assert reverse("bulletin-xlsx", args=[data["period"].pk]) in html
    css = open("chuxiong_portal/static/portal/dashboard.css", encoding="utf-8").read()
    assert "@page { size:A4" in css and "@media print" in css


def test_it_shows_any_period_asked_for(client_for, olga, data):
    june = period("monthly", 2025, 6)
    response = client_for(olga).get(BULLETIN, {"period": june.pk})
    assert response.context["period"] == june
    assert "2025年6月" in response.content.decode()
    assert client_for(olga).get(BULLETIN, {"period": 999999}).status_code == 404
    assert client_for(olga).get(BULLETIN, {"period": "junk"}).context["period"] == data["period"]


def test_it_downloads_as_a_workbook_with_chinese_sheets(client_for, olga, data):
    response = client_for(olga).get(reverse("bulletin-xlsx", args=[data["period"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == [
        "概况",
        "任务进展",
        "开发区指标",
        "产业集群",
        "问责提示",
        "报送情况",
        "逾期未报",
        "状态变化",
    ]
    tasks = workbook["任务进展"]
    assert [c.value for c in tasks[1]] == ["工程", "工程状态", "序号", "任务", "状态", "滞后原因"]
    # 30 characters wide as Excel shows it (stored with the padding Excel adds to a width typed in).
    assert tasks.max_row == 27 and int(tasks.column_dimensions["D"].width) == 30
    assert tasks.freeze_panes == "A2"
    zones = workbook["开发区指标"]
    assert {row[0] for row in zones.iter_rows(min_row=2, values_only=True)} == {
        "楚雄国家高新区",
        "禄丰产业园区",
        "武定产业园区",
        "牟定产业园区",
    }
    overdue = list(workbook["逾期未报"].iter_rows(min_row=2, values_only=True))
    assert any(row[0] == "州发展改革委" and row[1].startswith("7.") for row in overdue)
    assert workbook["概况"]["B2"].value == data["period"].label


def test_an_unknown_period_has_no_workbook(client_for, olga, data):
    assert client_for(olga).get(reverse("bulletin-xlsx", args=[999999])).status_code == 404


def test_it_writes_the_workbook_text_as_text_numbers_as_numbers_statuses_filled(data):
    built = bulletin_build(period=data["period"], today=timezone.localdate())
    typed = '=HYPERLINK("http://evil.example/","点我")'
    overdue_row = next(i for i, r in enumerate(built["dispatch"]["rows"]) if r["overdue"])
    built["dispatch"]["rows"][overdue_row]["unit"] = typed  # a unit's name is text someone typed
    workbook = load_workbook(BytesIO(bulletin_workbook(built)))
    unit = workbook["报送情况"].cell(row=overdue_row + 2, column=1)
    assert (unit.value, unit.data_type, unit.quotePrefix) == (typed, "s", True)
    overdue = workbook["报送情况"].cell(row=overdue_row + 2, column=5)
    assert overdue.data_type == "n" and overdue.value == built["dispatch"]["rows"][overdue_row]["overdue"]
    assert overdue.fill.fgColor.rgb.endswith("FFCDD2")  # red: reports overdue
    assert not workbook["报送情况"].cell(row=overdue_row + 2, column=4).fill.fill_type
    tasks = [t for block in built["board"]["programmes"] for t in block["tasks"]]
    fills = {"green": "C8E6C9", "amber": "FFE0B2", "red": "FFCDD2", "grey": "ECEFF1"}
    for row, task in enumerate(tasks, start=2):
        status = workbook["任务进展"].cell(row=row, column=5)
        assert status.value == task["status_label"] and status.fill.fgColor.rgb.endswith(fills[task["status"]])
        assert not status.quotePrefix and status.alignment.wrap_text and status.alignment.vertical == "top"
    summary = workbook["概况"]
    assert summary["A1"].font.b and "A1:D1" in {str(r) for r in summary.merged_cells.ranges}
    assert workbook["任务进展"].auto_filter.ref == f"A1:F{len(tasks) + 1}"


@pytest.mark.parametrize("page", [BULLETIN, reverse("status-changes")])
@pytest.mark.parametrize("day", [datetime(2023, 3, 10, 10), datetime(2026, 12, 5, 10)])
def test_it_offers_only_the_plans_dispatch_months_never_the_baseline_years(client_for, olga, plan, page, day):
    """2022 is the plan's baseline year: its months hold values only; asked for by id, one is not found."""
    baseline = period("monthly", 2022, 12)
    with time_machine.travel(day.replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        client = client_for(olga)
        html = client.get(page).content.decode()
        select = re.search(r'<select[^>]*name="period"[^>]*>(.*?)</select>', html, re.S).group(1)
        offered = re.findall(r"<option[^>]*>([^<]*)</option>", select)
        assert offered and not [label for label in offered if label.startswith("2022")]
        assert offered[-1] == "2023年1月"
        assert client.get(page, {"period": baseline.pk}).status_code == 404
        for download in ("bulletin-xlsx", "bulletin-docx"):
            assert client.get(reverse(download, args=[baseline.pk])).status_code == 404


def _flag_section(html: str) -> str:
    return html[html.index("三、问责提示") : html.index("四、报送情况")]


def test_an_old_periods_bulletin_lists_the_flags_of_its_time(client_for, olga, data):
    """June 2025's bulletin, read today, lists the flags open at June's deadline: not those raised since (the
    compact dataset's, raised today), and one raised in June and handled since still as 待处理. Today's bulletin
    lists today's."""
    from assessments.models import Flag, Rule
    from assessments.services import flag_transition

    june = period("monthly", 2025, 6)
    zone = data["zones"]["wuding"]
    with time_machine.travel(datetime(2025, 6, 20, 2, tzinfo=ZoneInfo("UTC")), tick=False):
        then = Flag.objects.create(zone=zone, year=2024, rule=Rule.DROP_OVER_TEN)
    flag_transition(flag=Flag.objects.get(pk=then.pk), user=olga, state=Flag.State.RESOLVED, note="已整改到位")

    old = _flag_section(client_for(olga).get(BULLETIN, {"period": june.pk}).content.decode())
    assert "退位超过10位" in old and "待处理" in old and "已办结" not in old
    assert "排名全省后5位" not in old  # raised after June
    assert "待处理问责提示1条，其中" in old and "新增1条" in old

    now = _flag_section(client_for(olga).get(BULLETIN).content.decode())
    assert "排名全省后5位" in now and "退位超过10位" not in now  # handled: no longer awaiting handling
