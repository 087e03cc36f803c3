"""The fixtures pinned to the plan (楚办发〔2023〕5号), unit by unit and figure by figure."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.models import Indicator, Target
from parks.models import County, IndustryCluster, Zone
from tasks.models import Department, Programme, Responsibility, Task

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_71de2baef6091f5c.txt"


def units_of(number: int) -> list[str]:
    return [r.display_name for r in Responsibility.objects.filter(task__number=number).order_by("position")]


def test_it_has_six_programmes_and_26_tasks(plan):
    assert list(Programme.objects.values_list("name", flat=True)) == [
        "党建质量提升工程", "体制机制创新工程", "主导产业壮大工程",
        "基础设施提质工程", "创新开放水平提升工程", "要素保障能力提升工程",
    ]
    assert list(Task.objects.values_list("number", flat=True)) == list(range(1, 27))
    counts = [p.tasks.count() for p in Programme.objects.order_by("number")]
    assert counts == [4, 4, 5, 4, 4, 5]


def test_it_names_the_tasks_as_the_plan_does(plan):
    titles = dict(Task.objects.values_list("number", "title"))
    assert titles[1] == "全面加强党的领导"
    assert titles[7] == "探索“飞地”模式"
    assert titles[9] == "培育壮大主导产业"
    assert titles[26] == "强化债务风险防范"


def test_it_has_the_30_prefecture_units_with_their_second_names(plan):
    units = Department.objects.filter(kind=Department.Kind.PREFECTURE)
    assert units.count() == 30
    assert units.get(name="州财政局").other_names == ["州国资委", "州金融办"]
    assert units.get(name="州发展改革委").other_names == ["州能源局"]
    assert set(Department.objects.exclude(kind=Department.Kind.PREFECTURE).values_list("name", flat=True)) == {
        "县市党委", "县市人民政府", "楚雄国家高新区和各产业园区",
    }


@pytest.mark.parametrize(("number", "expected"), [
    (1, ["州委组织部", "州委编办", "县市党委", "楚雄国家高新区和各产业园区"]),
    (6, ["州财政局（州国资委）", "州发展改革委", "州工业和信息化局", "州国有资本投资集团有限公司",
         "县市人民政府", "楚雄国家高新区和各产业园区"]),
    (8, ["州委组织部", "州委编办", "州统计局", "州发展改革委", "州工业和信息化局", "州人力资源和社会保障局",
         "州自然资源规划局", "州生态环境局", "州商务局", "州财政局", "州林草局",
         "县市人民政府", "楚雄国家高新区和各产业园区"]),
    (20, ["州委组织部", "州发展改革委", "州教育体育局", "州科技局", "州财政局（州金融办）",
          "州人力资源和社会保障局", "县市人民政府", "楚雄国家高新区和各产业园区"]),
    (23, ["州发展改革委（州能源局）", "州工业和信息化局", "楚雄供电局", "县市人民政府", "楚雄国家高新区和各产业园区"]),
    (25, ["州发展改革委", "州工业和信息化局", "州商务局", "州科技局", "州财政局（州金融办）",
          "中国人民银行楚雄中心支行", "州国有资本投资集团有限公司", "县市人民政府", "楚雄国家高新区和各产业园区"]),
    (26, ["州财政局（州金融办、州国资委）", "县市人民政府", "楚雄国家高新区和各产业园区"]),
])
def test_it_lists_each_task_units_in_the_plan_order(plan, number, expected):
    assert units_of(number) == expected


def test_it_makes_the_first_unit_the_lead(plan):
    for task in Task.objects.all():
        roles = list(task.responsibilities.order_by("position").values_list("role", flat=True))
        assert roles[0] == Responsibility.Role.LEAD
        assert roles.count(Responsibility.Role.LEAD) == 1
        assert roles[-2:] == [Responsibility.Role.COUNTY, Responsibility.Role.ZONES]
    leads = {t.number: t.responsibilities.get(role="lead").department.name for t in Task.objects.all()}
    assert leads[9] == "州工业和信息化局"
    assert leads[10] == "州投资促进局"
    assert leads[21] == "州商务局"
    assert leads[22] == "州自然资源规划局"


def test_it_assigns_party_committees_to_tasks_1_to_4_and_governments_to_5_to_26(plan):
    county = dict(
        Responsibility.objects.filter(role=Responsibility.Role.COUNTY).values_list("task__number", "department__name")
    )
    assert {n for n, name in county.items() if name == "县市党委"} == {1, 2, 3, 4}
    assert {n for n, name in county.items() if name == "县市人民政府"} == set(range(5, 27))


def test_it_has_the_counties_and_the_four_zones_with_their_hosts(plan):
    assert County.objects.count() == 10
    hosts = dict(Zone.objects.values_list("code", "county__name"))
    assert hosts == {"chuxiong-hitech": "楚雄市", "lufeng": "禄丰市", "wuding": "武定县", "mouding": "牟定县"}
    assert Zone.objects.get(code="chuxiong-hitech").level == Zone.Level.NATIONAL
    assert set(Zone.objects.exclude(code="chuxiong-hitech").values_list("level", flat=True)) == {"provincial"}


def _target(indicator: str, *, zone: str | None = None, cluster: str | None = None, year: int = 2025) -> Target:
    qs = Target.objects.filter(indicator__code=indicator, year=year)
    if zone:
        return qs.get(zone__code=zone)
    if cluster:
        return qs.get(cluster__code=cluster)
    return qs.get(scope="prefecture")


def test_it_holds_the_zone_output_goals(plan):
    hitech = _target("industrial-output", zone="chuxiong-hitech")
    assert (hitech.committed_value, hitech.stretch_value) == (Decimal(1500), Decimal(2000))
    revenue = _target("operating-revenue", zone="chuxiong-hitech")
    assert (revenue.committed_value, revenue.stretch_value) == (Decimal(1500), Decimal(2000))
    assert _target("industrial-output", zone="lufeng").committed_value == 1200
    assert _target("industrial-output", zone="wuding").committed_value == 200
    mouding = _target("industrial-output", zone="mouding")
    assert mouding.committed_value is None and mouding.stretch_value == 500


def test_it_holds_the_yearly_growth_and_share_goals(plan):
    for zone in ("chuxiong-hitech", "lufeng", "wuding", "mouding"):
        for year in (2023, 2024, 2025):
            assert _target("industrial-output-growth", zone=zone, year=year).committed_value == 20
        assert _target("leading-industry-share", zone=zone).committed_value == 50
    assert Indicator.objects.get(code="leading-industry-share").max_value == 100


def test_it_holds_the_task_9_cluster_goals(plan):
    goals = {
        t.cluster.code: t.committed_value
        for t in Target.objects.filter(indicator__code="cluster-output").select_related("cluster")
    }
    assert goals == {"pv": 1500, "titanium": 300, "copper": 300, "vanadium-titanium": 300,
                     "biomedicine": 200, "equipment": 60}
    pv = IndustryCluster.objects.get(code="pv")
    assert set(pv.zones.values_list("code", flat=True)) == {"chuxiong-hitech", "lufeng"}
    assert IndustryCluster.objects.count() == 8


def test_it_holds_the_other_numeric_goals(plan):
    assert _target("leadership-professional-share").committed_value == 60
    assert _target("new-above-scale-firms").committed_value == 60
    assert _target("new-chain-leader-firms").committed_value == 10
    assert _target("rd-active-firms-growth", year=2023).committed_value == 5
    assert _target("rd-institution-share", year=2023).committed_value == 20
    assert _target("high-tech-firms").committed_value == 70
    assert _target("rd-spending-growth", year=2024).committed_value == 18
    assert _target("rd-intensity", zone="chuxiong-hitech").committed_value == 3
    assert [_target(code, year=2025).committed_value for code in
            ("fdi-growth", "trade-growth", "outside-capital-growth", "industrial-capital-share")] == [20, 15, 15, 60]
    assert _target("approved-unsupplied-land-disposal", zone="lufeng", year=2023).committed_value == 25
    assert _target("idle-land-disposal", zone="lufeng", year=2023).committed_value == 30
    assert _target("standard-land-share", zone="wuding").committed_value == 60


def test_it_holds_the_dated_milestones_and_recurring_duties(plan):
    assert str(_target("social-affairs-transfer", zone="chuxiong-hitech", year=2023).due_date) == "2023-03-31"
    assert Target.objects.filter(indicator__code="seven-connections", due_date="2023-12-31").count() == 4
    smart = Target.objects.filter(indicator__code="smart-park", due_date="2025-12-31")
    assert set(smart.values_list("zone__code", flat=True)) == {"chuxiong-hitech", "lufeng"}
    assert Target.objects.filter(indicator__code="green-beautiful-park").count() == 4
    assert _target("party-special-meeting", year=2024).required_count == 1
    assert _target("zone-work-report", zone="wuding", year=2024).required_count == 2
    assert _target("gov-bank-enterprise-meeting", year=2025).required_count == 1
    assert Indicator.objects.get(code="party-special-meeting").task.number == 1
    assert Indicator.objects.get(code="gov-bank-enterprise-meeting").task.number == 25


def test_it_quotes_the_plan_text_verbatim(plan):
    if not SEED.exists():
        pytest.skip("the plan's text (shared/seed) is not beside this checkout")
    raw = SEED.read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines()]
    joined = "".join(line for line in lines if line and not re.fullmatch(r"—\s*\d+\s*—", line))
    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef〔〕“”]"
    normalised = re.sub(rf"(?<={cjk})\s+|\s+(?={cjk})", "", joined)
    for task in Task.objects.all():
        assert task.text.replace("\n\n", "") in normalised, task.number
        assert f"{task.number}.{task.title}。" in normalised
        assert task.responsibility_text in normalised


def test_it_loads_idempotently(plan):
    counts = [m.objects.count() for m in (Task, Department, Responsibility, Zone, Indicator, Target)]
    call_command("load_plan", verbosity=0)
    assert [m.objects.count() for m in (Task, Department, Responsibility, Zone, Indicator, Target)] == counts
