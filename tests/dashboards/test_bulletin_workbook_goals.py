"""The bulletin's workbook names each zone's and cluster's 2025 goal as the page does: a 力争 goal is a goal (禄丰's
1200亿元, 牟定's 500亿元, every cluster of task 9), not "无目标", and the clusters' sheet carries it at all."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook


def _workbook(client, data):
    return load_workbook(BytesIO(client.get(reverse("bulletin-xlsx", args=[data["period"].pk])).content))


def test_it_shows_a_stretch_only_zone_goal_as_a_stretch_goal_not_as_none(client_for, olga, data):
    sheet = _workbook(client_for(olga), data)["开发区指标"]
    headers = [c.value for c in sheet[1]]
    goal, stretch = headers.index("2025年目标"), headers.index("力争")
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    lufeng_output = rows[("禄丰产业园区", "工业总产值")]
    assert (lufeng_output[goal], lufeng_output[stretch]) == ("—", "1,200.0亿元")
    hitech_output = rows[("楚雄国家高新区", "工业总产值")]
    assert (hitech_output[goal], hitech_output[stretch]) == ("1,500.0亿元", "2,000.0亿元")
    assert rows[("禄丰产业园区", "营业收入")][goal] == "无目标"  # the plan sets 禄丰 no revenue goal


def test_it_gives_every_cluster_its_stretch_goal_in_the_workbook(client_for, olga, data):
    sheet = _workbook(client_for(olga), data)["产业集群"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["产业集群", "最新值", "截至", "预计2025年", "2025年目标", "力争"]
    pv = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "绿色硅光伏")
    assert (pv[4], pv[5]) == ("—", "1,500.0亿元")  # task 9: 力争绿色硅光伏产业工业总产值达1500亿元以上
    status = sheet.cell(row=2, column=headers.index("状态") + 1)
    assert status.value in {"达到目标", "略低于目标", "力争目标未达到", "明显低于目标", "暂无数据"}
    assert status.fill.fill_type == "solid"  # the status cell, not the attainment beside it, is filled
