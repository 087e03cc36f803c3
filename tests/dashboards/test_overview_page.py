"""The prefecture overview (/): headline figures, the task board, clusters, flags, dispatch, changes."""

import json
import re

from django.urls import reverse

HOME = reverse("overview")


def chart_spec(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no data for chart {chart_id}"
    return json.loads(match.group(1))


def test_it_shows_each_zone_against_its_2025_goal(client_for, olga, data):
    html = client_for(olga).get(HOME).content.decode()
    for name in ("楚雄国家高新区", "禄丰产业园区", "武定产业园区", "牟定产业园区"):
        assert name in html
    assert "2025年力争 1,200.0亿元" in html  # 禄丰: 「力争工业总产值达1200亿元以上」, a stretch goal
    assert "2025年目标 ≥1,200.0亿元" not in html
    assert "2025年力争 2,000.0亿元" in html  # 高新区's stretch goal
    assert "方案未对本园区设定该项目标" in html  # revenue has a target only for 高新区
    spec = chart_spec(html, "chart-zones-output")
    assert spec["kind"] == "bars" and len(spec["categories"]) == 4
    goals = next(s for s in spec["series"] if s["role"] == "target")["data"]
    stretch = next(s for s in spec["series"] if s["role"] == "stretch")["data"]
    # Committed: 高新区 1500, 武定 200; 力争 only: 禄丰 1200, 牟定 500.
    assert goals == [1500, None, 200, None]
    assert stretch == [2000, 1200, None, 500]
    # The bars of the latest values are coloured by status: the legend names each status shown, and only those.
    statuses = next(s for s in spec["series"] if s["role"] == "actual")["status"]
    assert [entry["role"] for entry in spec["status_legend"]] == [
        s for s in ("green", "amber", "red", "grey") if s in statuses
    ]
    assert all(entry["name"] for entry in spec["status_legend"]) and spec["unit"] == "亿元"


def test_it_groups_the_26_tasks_by_their_6_programmes(client_for, olga, data):
    response = client_for(olga).get(HOME)
    board = response.context["board"]
    assert len(board["programmes"]) == 6
    assert sum(len(block["tasks"]) for block in board["programmes"]) == 26
    assert sum(board["counts"].values()) == 26
    html = response.content.decode()
    assert html.count('class="tile tile-') == 26
    # ndrc's report on task 14 says 滞后: the task is red, with the reason on its tile.
    task14 = next(t for b in board["programmes"] for t in b["tasks"] if t["task"].number == 14)
    assert task14["status"] == "red" and any("州发展改革委" in r for r in task14["reasons"])


def test_it_shows_clusters_open_flags_dispatch_and_changes(client_for, olga, data):
    response = client_for(olga).get(HOME)
    html = response.content.decode()
    assert "绿色硅光伏" in html and "1,500.0亿元" in html
    assert "排名全省后5位" in html  # 武定 58th of 60 in 2023
    assert "武定县人民政府" in html
    dispatch = {row["unit"]: row for row in response.context["dispatch"]["rows"]}
    assert dispatch["州发展改革委"]["late"] == 1 and dispatch["州发展改革委"]["overdue"] == 1
    assert dispatch["州工业和信息化局"]["on_time"] == 2
    assert response.context["approvals"]["count"] == 3
    assert len(response.context["flags_new"]) >= 1
    assert chart_spec(html, "chart-dispatch")["kind"] == "stacked"


def test_a_zone_leader_landing_on_the_overview_goes_to_their_zone(client_for, leo, data):
    response = client_for(leo).get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("zone-detail", args=["lufeng"])


def test_departments_see_the_overview_and_roleless_accounts_do_not(client_for, alice, charlie, data):
    assert client_for(alice).get(HOME).status_code == 200
    response = client_for(charlie).get(HOME)
    assert response.status_code == 403
    assert "尚未分配角色" in response.content.decode()


def test_it_uses_no_inline_script(client_for, olga, data):
    html = client_for(olga).get(HOME).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert not body.strip()
    assert "/static/vendor/echarts/echarts.custom.min.js" in html and "/static/portal/charts.js" in html


def test_every_page_renders_before_any_data_or_period_exists(client_for, olga, plan):
    from indicators.models import ReportingPeriod

    client = client_for(olga)
    for url in (
        HOME,
        reverse("zone-detail", args=["lufeng"]),
        reverse("task-detail", args=[9]),
        reverse("department-detail", args=["ndrc"]),
        reverse("bulletin"),
    ):
        assert client.get(url).status_code == 200, url
    ReportingPeriod.objects.all().delete()
    for url in (
        HOME,
        reverse("zone-detail", args=["lufeng"]),
        reverse("task-detail", args=[9]),
        reverse("department-detail", args=["ndrc"]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("bulletin")).status_code == 404
