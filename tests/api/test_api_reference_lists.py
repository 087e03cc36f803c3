"""Shapes and filters of the reference endpoints: zones, tasks, departments, indicators, targets."""


def test_it_gives_zones_their_level_host_county_and_clusters(sync):
    body = sync.get("/api/v1/zones/").json()
    assert body["count"] == 4
    zones = {z["code"]: z for z in body["results"]}
    assert zones["chuxiong-hitech"]["level"] == "national"
    assert zones["lufeng"] == zones["lufeng"] | {"name": "禄丰产业园区", "level": "provincial"}
    assert zones["lufeng"]["county"]["name"] == "禄丰市"
    assert all({"code", "name"} == set(c) for z in zones.values() for c in z["clusters"])
    assert sync.get("/api/v1/zones/wuding/").json()["county"]["name"] == "武定县"
    assert [z["code"] for z in sync.get("/api/v1/zones/?level=national").json()["results"]] == ["chuxiong-hitech"]
    assert sync.get("/api/v1/zones/nowhere/").status_code == 404


def test_it_lists_task_6_units_in_plan_order_with_the_lead_first(sync):
    task = sync.get("/api/v1/tasks/6/").json()
    assert task["number"] == 6 and task["title"] == "创新运营模式"
    assert task["programme"] == {"number": 2, "name": "体制机制创新工程"}
    assert [(r["name"], r["role"]) for r in task["responsible"]] == [
        ("州财政局（州国资委）", "lead"),
        ("州发展改革委", "co"),
        ("州工业和信息化局", "co"),
        ("州国有资本投资集团有限公司", "co"),
        ("县市人民政府", "county"),
        ("楚雄国家高新区和各产业园区", "zones"),
    ]
    assert task["responsible"][0]["department"] == "finance"
    assert task["text"].startswith("加快“管运分离”改革")


def test_it_lists_all_26_tasks_and_filters_by_programme_and_unit(sync):
    body = sync.get("/api/v1/tasks/").json()
    assert body["count"] == 26
    assert [t["number"] for t in body["results"]] == list(range(1, 27))
    assert all(t["responsible"][-1]["role"] == "zones" for t in body["results"])
    county = {t["number"]: t["responsible"][-2]["name"] for t in body["results"]}
    assert county[1] == "县市党委" and county[5] == "县市人民政府"
    by_programme = sync.get("/api/v1/tasks/?programme=2").json()["results"]
    assert 6 in [t["number"] for t in by_programme]
    by_unit = sync.get("/api/v1/tasks/?department=finance").json()["results"]
    assert 6 in [t["number"] for t in by_unit]
    assert sync.get("/api/v1/tasks/27/").status_code == 404


def test_it_gives_departments_their_other_names_and_tasks(sync):
    finance = sync.get("/api/v1/departments/finance/").json()
    assert finance["name"] == "州财政局"
    assert finance["other_names"] == ["州国资委", "州金融办"]
    task6 = next(t for t in finance["tasks"] if t["number"] == 6)
    assert task6 == {"number": 6, "title": "创新运营模式", "role": "lead", "name": "州财政局（州国资委）"}
    prefecture = sync.get("/api/v1/departments/?kind=prefecture&page_size=100").json()
    assert prefecture["count"] == 30
    assert {d["slug"] for d in sync.get("/api/v1/departments/?task=6").json()["results"]} >= {
        "finance",
        "ndrc",
        "county-governments",
        "zones",
    }


def test_it_filters_indicators_and_targets(sync):
    indicator = sync.get("/api/v1/indicators/industrial-output/").json()
    assert indicator | {"description": ""} == indicator | {
        "code": "industrial-output",
        "unit": "亿元",
        "kind": "level",
        "cadence": "monthly",
        "description": "",
    }
    assert {i["code"] for i in sync.get("/api/v1/indicators/?task=19").json()["results"]} >= {"rd-intensity"}
    targets = sync.get("/api/v1/targets/?zone=chuxiong-hitech&indicator=industrial-output&year=2025").json()
    assert targets["count"] == 1
    target = targets["results"][0]
    assert (target["zone"], target["indicator"], target["year"]) == ("chuxiong-hitech", "industrial-output", 2025)
    assert target["committed_value"] == "1500.0000" and target["stretch_value"] == "2000.0000"
    assert all(t["zone"] == "lufeng" for t in sync.get("/api/v1/targets/?zone=lufeng").json()["results"])
    unknown = sync.get("/api/v1/targets/?zone=nowhere")  # an unknown code matches nothing
    assert (unknown.status_code, unknown.json()["count"]) == (200, 0)
    assert sync.get("/api/v1/targets/?year=abc").status_code == 400


def test_a_target_says_whether_the_plan_set_it_or_the_office_broke_a_collective_goal_down(sync):
    """The 全州 goal of +20% a year is the plan's; its copies per zone are the office's reading, and say so."""
    rows = sync.get("/api/v1/targets/?indicator=industrial-output-growth&year=2025").json()["results"]
    by_zone = {row["zone"]: row for row in rows}
    prefecture = by_zone[None]
    assert (prefecture["scope"], prefecture["basis"], prefecture["note"]) == ("prefecture", "plan", "")
    for zone in ("chuxiong-hitech", "lufeng", "wuding", "mouding"):
        assert by_zone[zone]["basis"] == "office"
        assert by_zone[zone]["note"] == "州开发区办对全州目标的分解，不是方案原文对各开发区的要求"
    schema = sync.get("/api/v1/schema/?format=json").json()["components"]["schemas"]["Target"]
    assert {"basis", "note"} <= set(schema["properties"]) and {"basis", "note"} <= set(schema["required"])
    assert schema["properties"]["note"]["readOnly"]


def test_a_target_says_whether_it_is_followed_as_a_trend_only(sync):
    """「…研发投入强度等主要指标大幅提升」 gives no number: 禄丰's R&D target is a trend; 高新区's 3 % is not."""
    rows = sync.get("/api/v1/targets/?indicator=rd-intensity&year=2025").json()["results"]
    assert {row["zone"]: row["trend_only"] for row in rows} == {
        "chuxiong-hitech": False,
        "lufeng": True,
        "wuding": True,
        "mouding": True,
    }
