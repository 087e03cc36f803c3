"""Demo evaluations: a clearly synthetic provincial scheme for 2023–2025 (weights change from year to year),
sub-scores for every zone of the province consistent with the demo rankings, and the prefecture's 2024
综合考评 scored and published. Everything is marked is_demo and named 演示 where a user reads it."""

import random
from decimal import ROUND_HALF_UP, Decimal

from chuxiong_portal.models import User
from evaluations.models import SchemeKind, SchemeVersion, SubScore
from evaluations.services import (
    SubIndicatorSpec,
    prefecture_compute,
    prefecture_hand_score,
    prefecture_publish,
    results_import,
    scheme_define,
)
from parks.models import Zone

# (group, code, name, unit, feeds, weights 2023/2024/2025): synthetic, not the province's real scheme.
PROVINCIAL_SUBS = [
    ("创新能力", "rd-intensity", "研发经费投入强度", "%", ("rd-intensity",), (12, 14, 15)),
    ("创新能力", "high-tech-firms", "高新技术企业数", "户", ("high-tech-firms",), (8, 8, 10)),
    ("产业发展", "output-growth", "规上工业总产值增速", "%", ("industrial-output-growth",), (15, 14, 12)),
    ("产业发展", "leading-industry", "主导产业集聚度", "%", ("leading-industry-share",), (12, 12, 12)),
    ("开放合作", "outside-capital", "省外到位资金增速", "%", ("outside-capital-growth",), (10, 10, 9)),
    ("开放合作", "trade", "进出口总额增速", "%", ("trade-growth",), (8, 7, 7)),
    ("绿色发展", "land-output", "单位土地产出", "亿元/平方公里", ("land-output",), (15, 15, 15)),
    ("绿色发展", "circular", "循环化改造", "分", ("circular-transformation",), (10, 10, 10)),
    ("营商环境", "empowerment", "赋权事项承接", "项", ("empowerment-list",), (10, 10, 10)),
]
# A prefecture zone's weak spots, so its gap analysis has something to say: (zone, sub-indicator) → penalty.
WEAK = {
    ("wuding", "rd-intensity"): 35,
    ("wuding", "land-output"): 25,
    ("mouding", "trade"): 30,
    ("lufeng", "high-tech-firms"): 20,
}
CENT = Decimal("0.01")


def evaluations_demo_clear() -> None:
    SchemeVersion.objects.filter(is_demo=True).delete()


def evaluations_demo_load(*, rng: random.Random, years: list[int], rankings: dict, today) -> int:
    """The provincial schemes and results of 2023–2025 (N and the prefecture zones' ranks from `rankings`),
    and the prefecture's own 考评 of the plan's middle year. `years` are the plan's years, `rankings` keyed by
    year. Returns the number of results written."""
    zones = {z.code: z for z in Zone.objects.all()}
    count = 0
    for position, year in enumerate(years):
        specs = [
            SubIndicatorSpec(group=g, code=c, name=n, unit=u, feeds=f, weight=Decimal(w[position]))
            for g, c, n, u, f, w in PROVINCIAL_SUBS
        ]
        scheme_define(
            kind=SchemeKind.PROVINCIAL,
            year=year,
            title=f"{year}年全省开发区高质量发展评价（演示）",
            sub_indicators=specs,
            is_demo=True,
        )
        total, ranks = rankings[year]
        rows = _province_rows(
            rng,
            year,
            total,
            {code: rank for code, (rank, _f) in ranks.items()},
            {code: funding for code, (_r, funding) in ranks.items()},
            specs,
            zones,
        )
        summary = results_import(rows=rows, user=None)
        assert not summary.errors, summary.errors  # the demo's own rows: an error here is a bug in this module
        count += summary.created
    count += _prefecture_demo(rng, today, years[len(years) // 2])
    return count


def _province_rows(rng, year, total, own_ranks, funding, specs, zones) -> list[dict]:
    taken = set(own_ranks.values())
    others = iter(r for r in range(1, total + 1) if r not in taken)
    by_rank = {rank: code for code, rank in own_ranks.items()}
    rows = []
    for rank in range(1, total + 1):
        code = by_rank.get(rank)
        if code is None:
            number = next(others)
            code, name = f"demo-yn-{number:02d}", f"省内开发区{number:02d}（演示）"
        else:
            name = zones[code].name
        target = Decimal(92) - Decimal("0.55") * rank  # the total a zone at this place has
        raw = {spec.code: Decimal(rng.uniform(-12, 12)) - WEAK.get((code, spec.code), 0) for spec in specs}
        mean = sum(spec.weight * raw[spec.code] for spec in specs) / 100
        scores = {
            c: min(Decimal(100), max(Decimal(0), target + value - mean)).quantize(CENT, ROUND_HALF_UP)
            for c, value in raw.items()
        }
        row = {
            "year": year,
            "zone": code,
            "rank": rank,
            "funding_awarded": funding.get(code, False),
            "sub_scores": [{"indicator": c, "score": str(s)} for c, s in scores.items()],
        }
        if code not in zones:
            row["zone_name"] = name
        rows.append(row)
    return rows


def _prefecture_specs() -> list[SubIndicatorSpec]:
    return [
        SubIndicatorSpec(
            group="党建", code="party-building", name="抓党建促发展成效", weight=Decimal(20), method="manual"
        ),
        SubIndicatorSpec(
            group="重点任务",
            code="task-list",
            name="重点任务清单完成情况",
            unit="%",
            weight=Decimal(25),
            method="work_items",
        ),
        SubIndicatorSpec(
            group="产业发展",
            code="targets-met",
            name="主要指标达标率",
            unit="%",
            weight=Decimal(30),
            method="targets_met",
        ),
        SubIndicatorSpec(
            group="调度管理",
            code="reports-on-time",
            name="调度按时报送率",
            unit="%",
            weight=Decimal(25),
            method="reports_on_time",
        ),
    ]


def evaluations_demo_task_list_year(*, today, year: int) -> int:
    """A draft 考评 of the year of the demo's work items, computed (its task-list part from those items) and
    left for the office to score the rest. Runs after the work items are loaded. Returns the scores set."""
    scheme = scheme_define(
        kind=SchemeKind.PREFECTURE,
        year=year,
        title=f"{year}年度全州开发区综合考评（演示）",
        sub_indicators=_prefecture_specs(),
        is_demo=True,
    )
    return prefecture_compute(scheme=scheme, user=User.objects.get(username="demo-office"), today=today)


def _prefecture_demo(rng, today, year: int) -> int:
    specs = _prefecture_specs()
    scheme = scheme_define(
        kind=SchemeKind.PREFECTURE,
        year=year,
        title=f"{year}年度全州开发区综合考评（演示）",
        sub_indicators=specs,
        is_demo=True,
    )
    office = User.objects.get(username="demo-office")
    prefecture_compute(scheme=scheme, user=office, today=today)
    for score in (
        SubScore.objects.filter(result__scheme=scheme, score=None)
        .select_related("result__zone", "sub_indicator")
        .order_by("result__zone__order", "sub_indicator__order")
    ):
        prefecture_hand_score(
            scheme=scheme,
            zone=score.result.zone,
            sub_indicator=score.sub_indicator,
            score=Decimal(rng.randint(70, 95)),
            reason="演示：依据年度述职评议和佐证材料评分",
            user=office,
        )
    for zone in Zone.objects.order_by("order"):
        for sub in scheme.sub_indicators.filter(method="manual"):
            prefecture_hand_score(
                scheme=scheme,
                zone=zone,
                sub_indicator=sub,
                score=Decimal(rng.randint(70, 95)),
                reason="演示：依据年度述职评议和佐证材料评分",
                user=office,
            )
    prefecture_publish(scheme=scheme, user=office)
    return scheme.results.count()
