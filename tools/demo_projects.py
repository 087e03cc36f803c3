"""Demo key projects: a plausible, clearly synthetic project list for the four zones (标注为演示数据).

Every project is `is_demo=True` and its name starts with 【演示】. Deterministic (its own fixed seed, so the rest
of the demo history does not change). Reserve-pool projects, 2025 and 2026 yearly lists with 倒排工期 dates,
monthly investment to November 2026, and 招商 projects with signed amounts and capital in place.
"""

import random
from datetime import date
from decimal import Decimal

from parks.models import IndustryCluster, Zone
from projects.models import Listing, Milestone, Project, ProjectInvestment, ProjectReport, Stage
from projects.rules import listing_year_open
from projects.services import project_insert, reached_before
from tasks.models import Department, Task
from tasks.selectors import plan_in_force

# zone → [(name, cluster code, kind, total 万元, lead unit slug)]
PROJECTS = {
    "chuxiong-hitech": [
        ("楚雄高新区生物医药产业园二期", "biomedicine", "investment", 68000, "miit"),
        ("楚雄高新区新能源电池正极材料项目", "battery", "investment", 120000, "commerce"),
        ("楚雄高新区装备制造标准厂房", "equipment", "infrastructure", 32000, "ndrc"),
        ("楚雄高新区中药饮片精深加工项目", "biomedicine", "industrial", 18000, "miit"),
        ("楚雄高新区智能制造零部件项目", "equipment", "investment", 26000, "commerce"),
    ],
    "lufeng": [
        ("禄丰工业硅节能技改项目", "pv", "industrial", 45000, "miit"),
        ("禄丰光伏组件及电池片项目", "pv", "investment", 150000, "commerce"),
        ("禄丰钛材深加工项目", "titanium", "investment", 56000, "commerce"),
        ("禄丰园区七通一平及供水管网工程", None, "infrastructure", 21000, "ndrc"),
        ("禄丰钒钛新材料项目", "vanadium-titanium", "investment", 38000, "commerce"),
    ],
    "wuding": [
        ("武定钛白粉副产物综合利用项目", "titanium", "industrial", 24000, "miit"),
        ("武定循环经济产业园基础设施", "circular", "infrastructure", 15000, "ndrc"),
        ("武定新材料招商引资项目", "titanium", "investment", 30000, "commerce"),
    ],
    "mouding": [
        ("牟定铜精深加工项目", "copper", "investment", 42000, "commerce"),
        ("牟定园区标准厂房三期", None, "infrastructure", 12000, "ndrc"),
        ("牟定再生资源回收利用项目", "circular", "industrial", 9000, "miit"),
    ],
}
STAGE_DATES = ("signed_on", "landed_on", "started_on", "completed_on")


def demo_projects_clear() -> None:
    ProjectReport.objects.filter(project__is_demo=True).delete()
    Project.objects.filter(is_demo=True).delete()


def demo_projects_load() -> int:
    """The projects of the plan in force's last year and of the year after it (the 2025 and 2026 lists)."""
    last = plan_in_force().last_year
    rng = random.Random(20231201)
    zones = {z.code: z for z in Zone.objects.all()}
    clusters = {c.code: c for c in IndustryCluster.objects.all()}
    units = {d.slug: d for d in Department.objects.filter(slug__in={"miit", "commerce", "ndrc"})}
    tasks = {t.number: t for t in Task.objects.filter(number__in=[9, 10, 14, 24])}
    count = 0
    for zone_code, rows in PROJECTS.items():
        for number, (name, cluster, kind, total, unit) in enumerate(rows, start=1):
            count += 1
            # How far along: the first of each zone is finished, the last still in the reserve pool.
            reached = 4 if number == 1 else (0 if number == len(rows) else rng.randint(1, 3))
            start = date(last - 1, rng.randint(3, 11), rng.randint(1, 28))
            dates, day = {}, start
            for index in range(reached):
                dates[STAGE_DATES[index]] = day
                day = date(day.year + (day.month + 3) // 13, (day.month + 3 - 1) % 12 + 1, min(day.day, 28))
            signed_amount = Decimal(total) * Decimal("0.9") if kind == "investment" and reached else None
            capital = (
                (signed_amount * Decimal(str(rng.choice([0.2, 0.45, 0.7, 1.05])))).quantize(Decimal("1"))
                if signed_amount
                else None
            )
            project = Project(
                code=f"demo-{zone_code}-{number:02d}",
                name=f"【演示】{name}",
                zone=zones[zone_code],
                cluster=clusters.get(cluster) if cluster else None,
                kind=kind,
                total_investment=Decimal(total),
                lead_unit=units.get(unit),
                lead_person="【演示】项目专班负责人",
                leader_in_charge="【演示】州级包挂领导",
                enterprise="【演示】某某有限公司",
                stage=[Stage.RESERVE, Stage.SIGNED, Stage.LANDED, Stage.STARTED, Stage.COMPLETED][reached],
                signed_amount=signed_amount,
                capital_in_place=capital,
                capital_origin=Project.CapitalOrigin.OUTSIDE if capital else "",
                is_demo=True,
                **dates,
            )
            project._change_reason = "演示数据"  # as the demo figures' first record: nobody wrote it
            project_insert(
                project, tasks=[tasks[n] for n in ((10, 9) if kind == "investment" else (9, 14, 24)) if n in tasks]
            )
            if reached == 0:
                continue
            for year in (last, last + 1):
                planned = (Decimal(total) * Decimal("0.3")).quantize(Decimal("1"))
                started, site = date(year, rng.randint(3, 8), 15), date(year, rng.randint(2, 6), 28)
                # 七通一平 by 开工, as the baseline's order holds: the earlier of the two days drawn (drawn as
                # before, in the same order: the rest of the demo stays put).
                site, started = sorted((site, started))
                milestones = [
                    (Milestone.Kind.STARTED, started),
                    (Milestone.Kind.SITE, site),
                    (Milestone.Kind.STRUCTURE, date(year, rng.randint(9, 12), 20)),
                ]
                pace = rng.choice([0.8, 0.95, 1.05, 1.1])  # drawn before any year is left out: the rest stays put
                if not listing_year_open(year, project.completed_on):
                    continue  # in production before the year: not on its construction list
                listing = Listing.objects.create(project=project, year=year, planned_investment=planned)
                Milestone.objects.bulk_create(
                    [
                        Milestone(listing=listing, kind=k, planned_on=d)
                        for k, d in milestones
                        # Reached in an earlier year (开工, or 七通一平 with it): nothing left to plan this year.
                        if not reached_before(k, project, year)
                    ]
                )
                last_month = 12 if year == last else 11
                ProjectInvestment.objects.bulk_create(
                    [
                        ProjectInvestment(
                            project=project,
                            year=year,
                            month=month,
                            amount=(planned / 12 * Decimal(str(pace))).quantize(Decimal("0.01")),
                            note="演示数据",
                        )
                        for month in range(1, last_month + 1)
                    ]
                )
    return count
