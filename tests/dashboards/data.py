"""Data for the dashboard tests: a compact dataset that fills every section of every page.

Everything is flagged ``is_demo`` so that ``grow()`` — the demo loader, a dataset some fifty times
larger — replaces it cleanly: the query-count tests compare the two sizes.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from assessments.models import Evaluation, Ranking, Scheme
from assessments.services import flags_recompute
from chuxiong_portal.models import User
from chuxiong_portal.roles import Role
from indicators.models import DispatchReport, Indicator, IndicatorValue, ReportingPeriod, Target
from indicators.progress.services import progress_recompute
from indicators.selectors import current_period
from parks.models import IndustryCluster, Zone
from tasks.models import Department, Task
from tasks.selectors import plan_get
from tools.demo import PROVINCIAL_RANKINGS
from tools.demo_evaluations import evaluations_demo_load
from tools.demo_projects import demo_projects_load

TZ = ZoneInfo("Asia/Shanghai")


def _aware(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=TZ)


def period(cadence, year, index) -> ReportingPeriod:
    return ReportingPeriod.objects.get(cadence=cadence, year=year, index=index)


def _value(code, p, value, *, zone=None, cluster=None, done_on=None):
    indicator = Indicator.objects.get(code=code)
    scope = "zone" if zone else "cluster" if cluster else "prefecture"
    return IndicatorValue(
        indicator=indicator,
        period=p,
        scope=scope,
        zone=zone,
        cluster=cluster,
        value=Decimal(str(round(value, 2))),
        done_on=done_on,
        is_demo=True,
    )


def build_small() -> dict:
    """Four zones' headline figures, one cluster, rankings that raise flags, a handful of reports."""
    today = timezone.localdate()
    now = current_period(today=today)
    zones = {z.code: z for z in Zone.objects.all()}
    values = []
    for code, base in (("lufeng", 600.0), ("chuxiong-hitech", 720.0), ("wuding", 100.0), ("mouding", 240.0)):
        zone = zones[code]
        for year, factor in ((2022, 1.0), (2024, 1.4), (2025, 1.72)):
            for month in (11, 12):
                values.append(
                    _value("industrial-output", period("monthly", year, month), base * factor * month / 12, zone=zone)
                )
        for month in (11, 12):
            values.append(
                _value("industrial-output-growth", period("monthly", 2025, month), 22.0 - month / 4, zone=zone)
            )
        for quarter in (3, 4):
            values.append(_value("leading-industry-share", period("quarterly", 2025, quarter), 45 + quarter, zone=zone))
    values.append(_value("operating-revenue", period("monthly", 2025, 12), 1300, zone=zones["chuxiong-hitech"]))
    pv = IndustryCluster.objects.get(code="pv")
    for year, amount in ((2022, 560.0), (2024, 900.0), (2025, 1300.0)):
        values.append(_value("cluster-output", period("quarterly", year, 4), amount, cluster=pv))
    values.append(_value("cluster-output", period("quarterly", 2025, 3), 950.0, cluster=pv))
    IndicatorValue.objects.bulk_create(values)

    task9, task14 = Task.objects.get(number=9), Task.objects.get(number=14)
    miit, ndrc = Department.objects.get(slug="miit"), Department.objects.get(slug="ndrc")
    reports = []
    for index in (23, 24):  # December's half-months: miit leads task 9 biweekly
        p = period("biweekly", 2025, index)
        reports.append(
            DispatchReport(
                department=miit,
                task=task9,
                period=p,
                state="approved",
                progress="in_progress",
                first_submitted_at=_aware(p.deadline),
                submitted_at=_aware(p.deadline),
                reviewed_at=_aware(now.deadline + timedelta(days=1)),
                is_demo=True,
            )
        )
    reports.append(
        DispatchReport(
            department=ndrc,
            task=task14,
            period=now,
            state="approved",
            progress="delayed",
            delay_reason="要素保障不足",
            first_submitted_at=_aware(now.deadline + timedelta(days=2)),
            reviewed_at=_aware(now.deadline + timedelta(days=3)),
            is_demo=True,
        )
    )
    reports.append(
        DispatchReport(department=ndrc, task=Task.objects.get(number=7), period=now, state="pending", is_demo=True)
    )
    reports.append(DispatchReport(zone=zones["lufeng"], period=now, state="draft", is_demo=True))
    DispatchReport.objects.bulk_create(reports)

    for year, total, ranks in (
        (2022, 60, {"lufeng": 12, "wuding": 50, "chuxiong-hitech": 8}),
        (2023, 60, {"lufeng": 14, "wuding": 58, "chuxiong-hitech": 6}),
    ):
        evaluation = Evaluation.objects.create(scheme=Scheme.PROVINCIAL, year=year, total_zones=total, is_demo=True)
        Ranking.objects.bulk_create([Ranking(evaluation=evaluation, zone=zones[c], rank=r) for c, r in ranks.items()])
    for year, rank in ((2022, 150), (2023, 146)):
        evaluation = Evaluation.objects.create(scheme=Scheme.NATIONAL, year=year, total_zones=177, is_demo=True)
        Ranking.objects.create(evaluation=evaluation, zone=zones["chuxiong-hitech"], rank=rank)
    progress_recompute()
    flags_recompute()
    return {"period": now, "zones": zones}


def fill_every_section() -> None:
    """Add one of everything the zone page and the bulletin list besides the compact dataset: the plan's years of
    scored evaluations (the zone page compares a year with the one before) and the demo's key projects. These parts
    do not grow with the history: a page reads them with a few more queries once they exist, at any size."""
    plan = plan_get()
    User.objects.get_or_create(username="demo-office", defaults={"role": Role.PREFECTURE_OFFICE})
    rankings = {plan.baseline_year + offset: ranks for offset, ranks in PROVINCIAL_RANKINGS.items()}
    evaluations_demo_load(
        rng=random.Random(1),
        years=list(range(plan.first_year, plan.last_year + 1)),
        rankings=rankings,
        today=timezone.localdate(),
    )
    demo_projects_load()
    progress_recompute()
    flags_recompute()


def grow() -> None:
    """Replace the compact dataset with the full demo history (thousands of reports, values, results)."""
    from tools.demo import demo_load

    demo_load()
    call_command("recompute", verbosity=0)


def targets_of(code: str, zone: Zone) -> list[Target]:
    return list(Target.objects.filter(indicator__code=code, zone=zone))
