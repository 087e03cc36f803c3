"""The fixtures pinned to the plan (楚办发〔2023〕5号), unit by unit and figure by figure."""

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q

from indicators.models import Indicator, Target
from parks.models import County, IndustryCluster, Zone
from tasks.models import Department, Programme, Responsibility, Safeguard, Task

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_71de2baef6091f5c.txt"


def units_of(number: int) -> list[str]:
    return [r.display_name for r in Responsibility.objects.filter(task__number=number).order_by("position")]


def test_it_has_six_programmes_and_26_tasks(plan):
    assert list(Programme.objects.values_list("name", flat=True)) == [
        "党建质量提升工程",
        "体制机制创新工程",
        "主导产业壮大工程",
        "基础设施提质工程",
        "创新开放水平提升工程",
        "要素保障能力提升工程",
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
        "县市党委",
        "县市人民政府",
        "楚雄国家高新区和各产业园区",
    }


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, ["州委组织部", "州委编办", "县市党委", "楚雄国家高新区和各产业园区"]),
        (
            6,
            [
                "州财政局（州国资委）",
                "州发展改革委",
                "州工业和信息化局",
                "州国有资本投资集团有限公司",
                "县市人民政府",
                "楚雄国家高新区和各产业园区",
            ],
        ),
        (
            8,
            [
                "州委组织部",
                "州委编办",
                "州统计局",
                "州发展改革委",
                "州工业和信息化局",
                "州人力资源和社会保障局",
                "州自然资源规划局",
                "州生态环境局",
                "州商务局",
                "州财政局",
                "州林草局",
                "县市人民政府",
                "楚雄国家高新区和各产业园区",
            ],
        ),
        (
            20,
            [
                "州委组织部",
                "州发展改革委",
                "州教育体育局",
                "州科技局",
                "州财政局（州金融办）",
                "州人力资源和社会保障局",
                "县市人民政府",
                "楚雄国家高新区和各产业园区",
            ],
        ),
        (
            23,
            [
                "州发展改革委（州能源局）",
                "州工业和信息化局",
                "楚雄供电局",
                "县市人民政府",
                "楚雄国家高新区和各产业园区",
            ],
        ),
        (
            25,
            [
                "州发展改革委",
                "州工业和信息化局",
                "州商务局",
                "州科技局",
                "州财政局（州金融办）",
                "中国人民银行楚雄中心支行",
                "州国有资本投资集团有限公司",
                "县市人民政府",
                "楚雄国家高新区和各产业园区",
            ],
        ),
        (26, ["州财政局（州金融办、州国资委）", "县市人民政府", "楚雄国家高新区和各产业园区"]),
    ],
)
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


def committed_and_stretch(target: Target) -> tuple:
    return (target.committed_value, target.stretch_value)


# Each reading below stands beside the plan's phrase it comes from. 力争 makes a value a stretch
# value; the committed value is what the plan says without it, or none.
@pytest.mark.parametrize(
    ("phrase", "indicator", "where", "expected"),
    [
        (
            "工业总产值、营业收入达1500亿元以上，力争双突破2000亿元",
            "industrial-output",
            {"zone": "chuxiong-hitech"},
            (1500, 2000),
        ),
        (
            "工业总产值、营业收入达1500亿元以上，力争双突破2000亿元",
            "operating-revenue",
            {"zone": "chuxiong-hitech"},
            (1500, 2000),
        ),
        ("力争工业总产值达1200亿元以上", "industrial-output", {"zone": "lufeng"}, (None, 1200)),
        ("力争牟定产业园区工业总产值达500亿元", "industrial-output", {"zone": "mouding"}, (None, 500)),
        ("武定产业园区工业总产值达200亿元以上", "industrial-output", {"zone": "wuding"}, (200, None)),
        ("力争绿色硅光伏产业工业总产值达1500亿元以上", "cluster-output", {"cluster": "pv"}, (None, 1500)),
        ("力争绿色钛产业工业总产值达300亿元以上", "cluster-output", {"cluster": "titanium"}, (None, 300)),
        ("力争绿色铜产业工业总产值达300亿元以上", "cluster-output", {"cluster": "copper"}, (None, 300)),
        ("力争绿色钒钛产业工业总产值达300亿元以上", "cluster-output", {"cluster": "vanadium-titanium"}, (None, 300)),
        ("力争生物医药工业总产值达200亿元以上", "cluster-output", {"cluster": "biomedicine"}, (None, 200)),
        ("力争装备制造产业工业总产值达60亿元以上", "cluster-output", {"cluster": "equipment"}, (None, 60)),
        ("力争到2025年……新增规上工业企业60户以上", "new-above-scale-firms", {}, (None, 60)),
        ("力争到2025年……其中，链主企业10户以上", "new-chain-leader-firms", {}, (None, 10)),
        (
            "力争4个开发区争取地方政府专项债券高于全省支持开发区的平均水平",
            "special-bonds-vs-average",
            {"zone": "wuding"},
            (None, 100),
        ),
        (
            "禄丰产业园区争取地方政府专项债券不少于全省重点支持7个千亿级园区的平均水平（同句“力争”）",
            "special-bonds-vs-key-parks",
            {"zone": "lufeng"},
            (None, 100),
        ),
        ("领导班子成员中……的人员比例不少于60%", "leadership-professional-share", {}, (60, None)),
        ("各开发区高新技术企业数量达到70家以上", "high-tech-firms", {}, (70, None)),
        ("楚雄国家高新区研发投入强度达到3%以上", "rd-intensity", {"zone": "chuxiong-hitech"}, (3, None)),
        ("产业到位资金占比60%以上", "industrial-capital-share", {}, (60, None)),
        ("“工业项目标准地”出让规模达到60%以上", "standard-land-share", {"zone": "wuding"}, (60, None)),
    ],
)
def test_it_reads_each_numeric_goal_as_committed_or_stretch(plan, phrase, indicator, where, expected):
    assert committed_and_stretch(_target(indicator, **where)) == tuple(
        None if v is None else Decimal(v) for v in expected
    ), phrase


# A milestone holds 1 (done) as its committed value, or as its stretch value where the plan says 力争.
@pytest.mark.parametrize(
    ("phrase", "indicator", "zone", "year", "stretch"),
    [
        ("力争2023年楚雄国家高新区建成“两新党建样板区”", "two-new-party-model", "chuxiong-hitech", 2023, True),
        ("（力争……）2025年全州开发区全部建成“两新党建样板区”", "two-new-party-model", "wuding", 2025, True),
        # 「全部」: the high-tech zone too, should its 2023 attempt fall short.
        ("（力争……）2025年全州开发区全部建成“两新党建样板区”", "two-new-party-model", "chuxiong-hitech", 2025, True),
        ("力争禄丰产业园区建成省级标准化园区", "provincial-standard-park", "lufeng", 2025, True),
        ("力争把楚雄国家高新区、禄丰产业园区建设成为省级智慧园区", "smart-park", "lufeng", 2025, True),
        ("力争将楚雄国家高新区建成绿色低碳示范产业园区", "low-carbon-demo-park", "chuxiong-hitech", 2025, True),
        (
            "力争把楚雄国家高新区打造成“5G+工业互联网”应用示范园区",
            "5g-industrial-internet-demo",
            "chuxiong-hitech",
            2025,
            True,
        ),
        ("2023年底，各开发区……“七通一平”、环保等基础设施配套全面齐备", "seven-connections", "mouding", 2023, False),
        (
            "在2023年3月底前将社会事务管理职能有序剥离移交楚雄市管理",
            "social-affairs-transfer",
            "chuxiong-hitech",
            2023,
            False,
        ),
        ("省级及以上开发区全部建成绿美园区", "green-beautiful-park", "lufeng", 2025, False),
        ("楚雄国家高新区及禄丰、武定产业园区完成循环化改造", "circular-transformation", "wuding", 2025, False),
    ],
)
def test_it_flags_stretch_milestones(plan, phrase, indicator, zone, year, stretch):
    target = _target(indicator, zone=zone, year=year)
    assert committed_and_stretch(target) == ((None, Decimal(1)) if stretch else (Decimal(1), None)), phrase


def test_it_holds_the_task_9_clusters_on_their_zones(plan):
    # 「千亿级绿色硅光伏产业集群依托楚雄国家高新区、禄丰产业园区内……」
    goals = {t.cluster.code for t in Target.objects.filter(indicator__code="cluster-output").select_related("cluster")}
    assert goals == {"pv", "titanium", "copper", "vanadium-titanium", "biomedicine", "equipment"}
    pv = IndustryCluster.objects.get(code="pv")
    assert set(pv.zones.values_list("code", flat=True)) == {"chuxiong-hitech", "lufeng"}
    assert IndustryCluster.objects.count() == 8


def test_it_reads_nian_jun_as_one_average_over_the_plan_years(plan):
    # 「工业总产值年均增长20%以上」「研发投入年均增速18%以上」「比例年均增长5%以上」: one compound average from
    # the 2022 baseline to 2025, not a floor for each year.
    for code, rate in (
        ("industrial-output-growth", 20),
        ("rd-spending-growth", 18),
        ("rd-institution-share-growth", 5),
    ):
        indicator = Indicator.objects.get(code=code)
        assert indicator.kind == Indicator.Kind.AVERAGE_GROWTH
        assert set(indicator.targets.values_list("year", flat=True)) == {2025}
        assert _target(code).committed_value == rate
    # 「实际利用外资年增长20%以上」: 年增长 stays a rate for each year.
    assert Indicator.objects.get(code="fdi-growth").kind == Indicator.Kind.GROWTH
    assert sorted(Target.objects.filter(indicator__code="fdi-growth").values_list("year", flat=True)) == [
        2023,
        2024,
        2025,
    ]


def test_it_reads_collective_goals_as_the_prefecture_s_and_labels_the_zone_copies(plan):
    # 「全州开发区……工业总产值年均增长20%以上」「开发区主导产业营业收入占比达到50%以上」
    for code in ("industrial-output-growth", "leading-industry-share"):
        assert _target(code).basis == Target.Basis.PLAN
        copies = Target.objects.filter(indicator__code=code, scope="zone")
        assert copies.count() == 4
        assert set(copies.values_list("basis", flat=True)) == {Target.Basis.OFFICE}
        assert all("分解" in note for note in copies.values_list("note", flat=True))
    growth = Indicator.objects.get(code="industrial-output-growth")
    assert growth.growth_of.code == "industrial-output"
    share = Indicator.objects.get(code="leading-industry-share")
    assert (share.numerator.code, share.denominator.code) == ("leading-industry-revenue", "operating-revenue")


@pytest.mark.parametrize(
    ("phrase", "share", "numerator", "denominator"),
    [
        (
            "批而未供土地处置率",
            "approved-unsupplied-land-disposal",
            "approved-unsupplied-land-disposed",
            "approved-unsupplied-land",
        ),
        ("闲置土地处置率", "idle-land-disposal", "idle-land-disposed", "idle-land"),
        (
            "有研发机构的规模以上工业企业占比",
            "rd-institution-share",
            "firms-with-rd-institution",
            "above-scale-industrial-firms",
        ),
        ("“工业项目标准地”出让规模", "standard-land-share", "standard-land-transferred", "industrial-land-transferred"),
    ],
)
def test_it_enters_rates_as_their_parts(plan, phrase, share, numerator, denominator):
    indicator = Indicator.objects.get(code=share)
    assert (indicator.numerator.code, indicator.denominator.code) == (numerator, denominator), phrase
    assert indicator.numerator.kind == indicator.denominator.kind == Indicator.Kind.PART


def test_it_holds_the_other_numeric_goals(plan):
    # 「2023年，开发区有研发活动的规上工业企业数量增长5%以上」
    assert _target("rd-active-firms-growth", year=2023).committed_value == 5
    # 「实际利用外资年增长20%以上，进出口总额年增长15%以上，引进州外到位资金年增长15%以上」
    assert [
        _target(code, year=2025).committed_value for code in ("fdi-growth", "trade-growth", "outside-capital-growth")
    ] == [20, 15, 15]
    # 「各开发区批而未供土地处置率、闲置土地处置率分别不低于25%、30%」
    assert _target("approved-unsupplied-land-disposal", zone="lufeng", year=2023).committed_value == 25
    assert _target("idle-land-disposal", zone="lufeng", year=2023).committed_value == 30


def test_it_reads_task_19_s_2023_sentence_once_for_both_targets(plan):
    # 「2023年，……规模以上企业中有研发机构的比例年均增长5%以上，有研发机构的规模以上工业企业占比达到20%以上」:
    # both from 2023 to the plan's end, the same years for the share and for its average growth.
    share_years = set(Target.objects.filter(indicator__code="rd-institution-share").values_list("year", flat=True))
    assert share_years == {2023, 2024, 2025}
    assert all(_target("rd-institution-share", year=y).committed_value == 20 for y in share_years)
    assert _target("rd-institution-share-growth").year == 2025


def test_it_reads_the_timing_words(plan):
    # 「每年初开展电力供需形势分析预判」: due by the end of March.
    assert {t.due_month for t in Target.objects.filter(indicator__code="power-supply-analysis")} == {3}
    # 「每半年向州、县市党委全面报告1次工作」: one in each half-year, to each of the two recipients.
    for code in ("zone-work-report", "zone-work-report-county"):
        target = _target(code, zone="wuding", year=2024)
        assert (target.required_count, target.per_half_year) == (1, True)
    # 「（地方党委）每年至少召开1次专题会议」: the county party committees as well as the prefecture's.
    assert _target("party-special-meeting", year=2024).required_count == 1
    assert Target.objects.filter(indicator__code="county-party-special-meeting", year=2024).count() == 4
    # 「每个开发区至少配备1名专职统计人员」: a headcount, not a share.
    assert Indicator.objects.get(code="zone-statisticians").kind == Indicator.Kind.COUNT
    assert _target("zone-statisticians", zone="lufeng", year=2024).committed_value == 1
    # 「每年至少组织1次“政银企”座谈会」
    assert _target("gov-bank-enterprise-meeting", year=2025).required_count == 1
    assert Indicator.objects.get(code="gov-bank-enterprise-meeting").task.number == 25


def test_it_holds_the_dated_milestones_and_recurring_duties(plan):
    assert str(_target("social-affairs-transfer", zone="chuxiong-hitech", year=2023).due_date) == "2023-03-31"
    assert Target.objects.filter(indicator__code="seven-connections", due_date="2023-12-31").count() == 4
    smart = Target.objects.filter(indicator__code="smart-park", due_date="2025-12-31")
    assert set(smart.values_list("zone__code", flat=True)) == {"chuxiong-hitech", "lufeng"}
    assert Target.objects.filter(indicator__code="green-beautiful-park").count() == 4
    assert Indicator.objects.get(code="party-special-meeting").task.number == 1


@pytest.mark.parametrize(
    ("task", "phrase", "indicator"),
    [
        (1, "明确1名副书记专职协助书记抓实党建工作", "deputy-secretary"),
        (1, "责任清单、任务清单、项目清单", "party-building-lists"),
        (2, "有正式党员3人以上的非公企业应当设立党支部", "party-branch-coverage"),
        (3, "开发区领导班子成员每年至少参加1次", "leader-training-attendance"),
        (4, "到东部地区开发区培训", "east-training"),
        (4, "人事和薪酬改革制度方案", "hr-pay-reform-plan"),
        (5, "财政独立核算", "independent-fiscal-accounting"),
        (5, "州级产业集聚区管理体制机制和机构设置方案", "cluster-zone-scheme"),
        (6, "成立1个专业化国有企业或多个运营公司", "zone-operating-company"),
        (7, "支持“飞地经济”发展的实施意见", "enclave-economy-opinion"),
        (14, "专项债券高于全省支持开发区的平均水平", "special-bonds-vs-average"),
        (15, "企业服务中心（工作站）", "zone-service-point"),
        (16, "5G网络全覆盖", "5g-coverage"),
        (16, "开发区数字化管理平台试点", "digital-platform-pilot"),
        (17, "循环化改造实施方案", "circular-transformation-plan"),
        (17, "建立开发区碳账户", "carbon-account"),
        (26, "不得通过各类“金交所”或“伪金交所”平台违规举债融资", "irregular-financing"),
    ],
)
def test_it_makes_each_checkable_commitment_a_target(plan, task, phrase, indicator):
    found = Indicator.objects.get(code=indicator)
    assert found.task.number == task
    assert found.targets.exists()
    assert any(phrase in wording for wording in found.targets.values_list("wording", flat=True)), phrase


def test_every_task_has_a_checkable_target(plan):
    checkable = Target.objects.exclude(indicator__kind__in=[Indicator.Kind.QUALITATIVE, Indicator.Kind.PART])
    assert set(checkable.values_list("indicator__task__number", flat=True)) - {None} == set(range(1, 27))


def test_the_safeguards_are_plan_data_with_checkable_items(plan):
    # 三、保障措施: 「“双组长”制」「包挂」「定点联系」「容错纠错机制」「退出标准和办法」
    assert list(Safeguard.objects.values_list("title", flat=True)) == [
        "加强组织领导",
        "抓好责任落实",
        "抓实项目推进",
        "强化监督管理",
    ]
    items = {
        code: number
        for code, number in Indicator.objects.filter(safeguard__isnull=False).values_list("code", "safeguard__number")
    }
    assert {items[c] for c in ("dual-leader-system", "leader-zone-pairing", "department-contact-points")} == {1}
    assert items["fault-tolerance-mechanism"] == 2
    assert items["exit-standards"] == 4
    assert all(Target.objects.filter(indicator__code=code).exists() for code in items)


def test_the_plan_yields_the_targets_the_readme_states(plan):
    by_kind = Counter(Target.objects.values_list("indicator__kind", flat=True))
    assert sum(by_kind.values()) == 289
    assert by_kind == {
        "milestone": 108,
        "recurring": 75,
        "share": 46,
        "count": 20,
        "level": 12,
        "growth": 10,
        "qualitative": 9,
        "average_growth": 7,
        "cumulative": 2,
    }
    trends = Target.objects.filter(trend_only=True)
    assert sorted(trends.values_list("indicator__code", "zone__code", "year")) == [
        ("leadership-professional-share", None, 2023),  # 「2023年，全州开发区领导班子人员结构明显优化」
        ("rd-intensity", "lufeng", 2025),  # 「…研发投入强度等主要指标大幅提升」 (高新区: its own 3 %)
        ("rd-intensity", "mouding", 2025),
        ("rd-intensity", "wuding", 2025),
    ]
    assert not trends.filter(Q(committed_value__isnull=False) | Q(stretch_value__isnull=False)).exists()
    stretch_only = Target.objects.filter(committed_value__isnull=True, stretch_value__isnull=False)
    assert stretch_only.count() == 38
    assert stretch_only.filter(indicator__kind="milestone").count() == 13
    assert Target.objects.filter(basis=Target.Basis.OFFICE).count() == 8
    assert Target.objects.filter(indicator__safeguard__isnull=False).count() == 15
    assert Indicator.objects.count() == 103
    assert Indicator.objects.filter(kind=Indicator.Kind.PART, targets__isnull=True).count() == 16


def test_wording_is_the_plan_s_verbatim_and_the_office_s_reading_is_apart(plan):
    if not SEED.exists():
        pytest.skip("the plan's text (shared/seed) is not beside this checkout")
    normalised = _normalised_plan()
    for wording in set(Target.objects.values_list("wording", flat=True)):
        # An ellipsis marks words left out, and （…） the portal's gloss on a clause; each piece is the plan's.
        pieces = [p for p in re.split(r"……|（[^）]*同句[^）]*）|（力争……）", wording) if p]
        for piece in pieces:
            assert piece.strip("，") in normalised, wording


def _normalised_plan() -> str:
    raw = SEED.read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines()]
    joined = "".join(line for line in lines if line and not re.fullmatch(r"—\s*\d+\s*—", line))
    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef〔〕“”]"
    return re.sub(rf"(?<={cjk})\s+|\s+(?={cjk})", "", joined)


def test_it_quotes_the_plan_text_verbatim(plan):
    if not SEED.exists():
        pytest.skip("the plan's text (shared/seed) is not beside this checkout")
    normalised = _normalised_plan()
    for task in Task.objects.all():
        assert task.text.replace("\n\n", "") in normalised, task.number
        assert f"{task.number}.{task.title}。" in normalised
        assert task.responsibility_text in normalised


def test_it_loads_idempotently(plan):
    counts = [m.objects.count() for m in (Task, Department, Responsibility, Zone, Indicator, Target)]
    call_command("load_plan", verbosity=0)
    assert [m.objects.count() for m in (Task, Department, Responsibility, Zone, Indicator, Target)] == counts


def test_the_office_s_readings_of_words_the_plan_leaves_open_are_marked_as_such(plan):
    """Where the portal reads a sentence beyond its letter, the target says so (an office note), as the zone copies
    of the collective goals do: 「各开发区高新技术企业数量达到70家以上」 as one prefecture total, the review of the
    2023 list carried to the lists of 2024 and 2025, an undated duty due at the plan's end."""
    reading = "（州开发区办的解读）"
    assert reading in _target("high-tech-firms", year=2025).note
    review = {t.year: t.note for t in Target.objects.filter(indicator__code="key-task-list-review")}
    assert review[2023] == "" and reading in review[2024] and reading in review[2025]  # 2023's is the plan's own
    assert all(
        "方案未写明时限" in t.note and reading in t.note
        for t in Target.objects.filter(indicator__code="deputy-secretary")
    )
