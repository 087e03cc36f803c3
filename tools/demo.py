"""Synthetic demo data: a believable history of the plan in force, from its baseline year, clearly labelled as demo.

Every year comes from the plan (`_Years`); the tables below are keyed by the year's offset from the baseline.
Run after the plan's end (as in late 2026 for the 2023–2025 plan) the demo shows the plan closing: its last
periods delivered or waived by the office with a reason, a few still owed, and the final year's annual
statistics partly in.

Everything written here carries `is_demo=True` (values, reports, evaluations) or a
`demo-` username, and the page banner says so. Deterministic: a fixed random seed.
"""

import random
from collections import defaultdict
from copy import copy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments.models import Evaluation, Flag, Ranking, Scheme
from chuxiong_portal.models import User
from chuxiong_portal.roles import COUNTY_ROLES, Role
from chuxiong_portal.services import roles_sync, sync_client_create, user_create
from indicators.models import (
    AreaFigure,
    DispatchReport,
    Indicator,
    IndicatorValue,
    Obligation,
    ReportingPeriod,
    Target,
)
from indicators.progress.services import progress_recompute
from indicators.reporting import periods as cal
from indicators.reporting.services import approval_reason, periods_generate
from parks.models import Area, County, IndustryCluster, Zone
from tasks.models import Department, Plan
from tasks.selectors import plan_get

from .demo_evaluations import evaluations_demo_clear, evaluations_demo_load, evaluations_demo_task_list_year
from .demo_projects import demo_projects_clear, demo_projects_load
from .demo_supervision import supervision_demo_clear, supervision_demo_load

DEMO_PASSWORD = "Demo-2025"
TZ = ZoneInfo("Asia/Shanghai")

# Baseline-year industrial output (亿元) and the yearly growth each zone achieves in the demo.
ZONE_PROFILE = {
    "chuxiong-hitech": (720.0, [0.26, 0.25, 0.24]),
    "lufeng": (610.0, [0.27, 0.19, 0.23]),
    "wuding": (105.0, [0.21, 0.24, 0.23]),
    "mouding": (240.0, [0.15, 0.17, 0.12]),
}
CLUSTER_PROFILE = {
    "pv": (560.0, 0.32),
    "titanium": (120.0, 0.30),
    "copper": (150.0, 0.25),
    "vanadium-titanium": (140.0, 0.22),
    "biomedicine": (95.0, 0.20),
    "battery": (20.0, 0.60),
    "equipment": (18.0, 0.40),
    "circular": (30.0, 0.15),
}
# Share of a year's output made in each month (a February dip, a December push).
MONTH_SHARES = [0.075, 0.060, 0.082, 0.082, 0.084, 0.085, 0.083, 0.084, 0.085, 0.086, 0.087, 0.107]

DEMO_USERS = [
    ("demo-office", Role.PREFECTURE_OFFICE, None, None, "州开发区办 张主任"),
    ("demo-ndrc-staff", Role.DEPARTMENT_STAFF, "ndrc", None, "州发展改革委 李填报"),
    ("demo-ndrc-reviewer", Role.DEPARTMENT_REVIEWER, "ndrc", None, "州发展改革委 王审核"),
    ("demo-miit-staff", Role.DEPARTMENT_STAFF, "miit", None, "州工业和信息化局 赵填报"),
    ("demo-miit-reviewer", Role.DEPARTMENT_REVIEWER, "miit", None, "州工业和信息化局 钱审核"),
    ("demo-commerce-staff", Role.DEPARTMENT_STAFF, "commerce", None, "州商务局 孙填报"),
    ("demo-lufeng-stats", Role.ZONE_STATISTICIAN, None, "lufeng", "禄丰产业园区 周统计"),
    ("demo-lufeng-leader", Role.ZONE_LEADER, None, "lufeng", "禄丰产业园区 吴主任"),
    ("demo-hitech-stats", Role.ZONE_STATISTICIAN, None, "chuxiong-hitech", "楚雄国家高新区 郑统计"),
    ("demo-hitech-leader", Role.ZONE_LEADER, None, "chuxiong-hitech", "楚雄国家高新区 冯主任"),
    # A zone management committee and a county government as reporting bodies (the fourth field: zone or county).
    ("demo-lufeng-committee", Role.COMMITTEE_STAFF, None, "lufeng", "禄丰产业园区管委会 陈填报"),
    ("demo-lufeng-committee-reviewer", Role.COMMITTEE_REVIEWER, None, "lufeng", "禄丰产业园区管委会 杨审核"),
    ("demo-wuding-county", Role.COUNTY_STAFF, None, "wuding", "武定县人民政府 何填报"),
    ("demo-wuding-county-reviewer", Role.COUNTY_REVIEWER, None, "wuding", "武定县人民政府 罗审核"),
]

# Provincial evaluation: (N, {zone: (rank, funding)}) per year; the national high-tech ranking too.
PROVINCIAL_RANKINGS = {
    0: (64, {"chuxiong-hitech": (8, False), "lufeng": (15, False), "wuding": (55, False), "mouding": (30, False)}),
    1: (64, {"chuxiong-hitech": (6, True), "lufeng": (12, False), "wuding": (61, False), "mouding": (42, False)}),
    2: (66, {"chuxiong-hitech": (5, False), "lufeng": (14, True), "wuding": (63, False), "mouding": (38, False)}),
    3: (66, {"chuxiong-hitech": (4, True), "lufeng": (10, True), "wuding": (58, False), "mouding": (36, False)}),
}
NATIONAL_RANKINGS = {0: (173, 150), 1: (177, 145), 2: (178, 146), 3: (178, 139)}
# Zones whose final-year annual statistics the province has not published yet when the plan is closing.
FINAL_YEAR_PENDING_ZONES = {"wuding", "mouding"}
WAIVE_REASON = "方案已到期，该期调度内容已并入年度工作总结，经州开发区办同意免报。"


class _Years:
    """The plan's years for the demo (set by demo_load from the plan in force)."""

    BASE = FIRST = LAST = 0
    TODAY: date = date.min  # the demo's "today": at most a few weeks after the plan's end
    CLOSING = False  # run long after the plan's end: the plan is closing


Y = _Years

NARRATIVES = {
    DispatchReport.Progress.IN_PROGRESS: (
        "按照职责分工推进{task}，本期召开专题调度会{n}次，协调解决问题{m}个。",
        "部分项目前期手续办理进度偏慢。",
        "下期继续加强与园区对接，倒排工期推进。",
    ),
    DispatchReport.Progress.DONE: ("{task}本年度重点工作已完成，形成工作总结。", "", "巩固成果，做好年度考核准备。"),
    DispatchReport.Progress.DELAYED: (
        "{task}推进中，本期完成计划工作量的{pct}%。",
        "受要素保障和资金到位影响，进度滞后于计划。",
        "提请州级领导协调，下期补齐进度。",
    ),
}


def _rng() -> random.Random:
    return random.Random(20230426)


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Fill the demo history. Refuses to run twice: it clears earlier demo rows first."""
    roles_sync()
    demo_clear()
    plan = plan_get()
    today = timezone.localdate()
    Y.BASE, Y.FIRST, Y.LAST = plan.baseline_year, plan.first_year, plan.last_year
    Y.TODAY = min(today, date(plan.last_year + 1, 1, 20))
    Y.CLOSING = today > plan.end + timedelta(days=60)
    periods_generate(plan=plan)
    Plan.objects.filter(pk=plan.pk).update(holds_demo=True)
    rng = _rng()
    users = _demo_users()
    periods = {(p.cadence, p.year, p.index): p for p in ReportingPeriod.objects.filter(plan=plan)}
    reports = _demo_reports(rng, periods, users)
    values = _demo_values(rng, periods, reports, users)
    # The prefecture's 考评 scores its zones' targets met from their progress: computed before it is scored.
    progress_recompute()
    evaluations = _demo_rankings()
    results = evaluations_demo_load(
        rng=rng,
        years=list(range(Y.FIRST, Y.LAST + 1)),
        today=Y.TODAY,
        rankings={Y.BASE + offset: ranks for offset, ranks in PROVINCIAL_RANKINGS.items()},
    )
    work_items = supervision_demo_load(users, first_year=Y.FIRST, last_year=Y.LAST)
    evaluations_demo_task_list_year(today=Y.TODAY, year=Y.LAST)
    projects = demo_projects_load()
    _demo_areas()
    return {
        "users": len(users),
        "reports": len(reports),
        "values": values,
        "evaluations": evaluations,
        "evaluation_results": results,
        "work_items": work_items,
        "projects": projects,
    }


# The province publishes a year's evaluation in the spring after it: the demo's flags of a year are dated then.
DEMO_FLAGS_RAISED = (4, 30)


def demo_flags_date() -> int:
    """Date the flags of the demo's evaluations as raised when their year's evaluation came in (30 April of the next
    year, never later than now), rather than when the bootstrap's recompute raised them: an old period's bulletin
    reads the flags as they stood then (from their history), and the demo's would all read as raised today. Their
    `created_at` and their history's creation record move together; what they became since (a later state) stays."""
    by_year = defaultdict(list)
    for scheme, year in Evaluation.objects.filter(is_demo=True).values_list("scheme", "year"):
        by_year[year].append(scheme)
    month, day = DEMO_FLAGS_RAISED
    dated = 0
    for year, schemes in by_year.items():
        raised = datetime.combine(date(year + 1, month, day), time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
        raised = min(raised, timezone.now())
        pks = list(Flag.objects.filter(year=year, scheme__in=schemes).values_list("pk", flat=True))
        dated += Flag.objects.filter(pk__in=pks).update(created_at=raised)
        Flag.history.filter(id__in=pks).update(created_at=raised)  # every record carries the flag's creation
        Flag.history.filter(id__in=pks, history_type="+").update(history_date=raised)
    return dated


def demo_clear() -> None:
    AreaFigure.objects.filter(is_demo=True).delete()
    Area.objects.filter(is_demo=True).delete()
    demo_projects_clear()
    supervision_demo_clear()
    IndicatorValue.objects.filter(is_demo=True).delete()
    DispatchReport.objects.filter(is_demo=True).delete()
    evaluations_demo_clear()
    Evaluation.objects.filter(is_demo=True).delete()
    User.objects.filter(username__startswith="demo-").delete()
    Plan.objects.filter(holds_demo=True).update(holds_demo=False)


DEMO_AREAS = {"lufeng": (("lufeng-demo-east", "东片区（演示）", 0.6), ("lufeng-demo-west", "西片区（演示）", 0.4))}


def _demo_areas() -> None:
    """Two made-up areas of 禄丰, their December output a split of the zone's (the zone's own figure still wins)."""
    for zone_code, areas in DEMO_AREAS.items():
        zone = Zone.objects.get(code=zone_code)
        zone_figures = IndicatorValue.objects.filter(
            indicator__code="industrial-output",
            scope="zone",
            zone=zone,
            period__cadence="monthly",
            period__index=12,
            source=IndicatorValue.Source.PORTAL,
            value__isnull=False,
            is_demo=True,
        )
        for order, (code, name, part) in enumerate(areas):
            area = Area.objects.create(zone=zone, code=code, name=name, order=order, is_demo=True)
            AreaFigure.objects.bulk_create(
                [
                    AreaFigure(
                        area=area,
                        indicator_id=v.indicator_id,
                        period_id=v.period_id,
                        is_demo=True,
                        value=(v.value * Decimal(str(part))).quantize(Decimal("0.0001")),
                    )
                    for v in zone_figures
                ]
            )


def _demo_users() -> dict[str, User]:
    users = {}
    departments = {d.slug: d for d in Department.objects.all()}
    zones = {z.code: z for z in Zone.objects.all()}
    counties = {c.code: c for c in County.objects.all()}
    for username, role, dep, place, name in DEMO_USERS:
        where = {"county": counties[place]} if role in COUNTY_ROLES else {"zone": zones.get(place)}
        users[username] = user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            full_name=name,
            department=departments.get(dep),
            email=f"{username}@chuxiong.local",
            **where,
        )
    users["demo-office"].is_superuser = True
    users["demo-office"].save(update_fields=["is_superuser"])
    sync_client_create(name="demo-province-sync")
    return users


def _aware(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _demo_reports(rng: random.Random, periods: dict, users: dict[str, User]) -> list[DispatchReport]:
    """One report per obligation and period of the plan's years, most approved, the latest still in the workflow
    (when the plan is closing: a few still owed, some waived by the office with a reason)."""
    reviewer = users["demo-office"]
    reports = []
    obligations = Obligation.objects.filter(active=True, plan__first_year=Y.FIRST).select_related(
        "task", "department", "zone"
    )
    pending_p, workflow_p = (0.1, 0.15) if Y.CLOSING else (0.35, 0.5)
    delayed_tasks = {14: 0.35, 22: 0.25, 26: 0.15, 7: 0.2}
    for ob in obligations:
        for year in range(Y.FIRST, Y.LAST + 1):
            for span in cal.periods_of_year(ob.cadence, year):
                period = periods[(ob.cadence, year, span.index)]
                report = DispatchReport(
                    department=ob.department,
                    zone=ob.zone,
                    task=ob.task,
                    period=period,
                    is_demo=True,
                )
                is_recent = period.deadline >= Y.TODAY - timedelta(days=25)
                if is_recent and rng.random() < pending_p:
                    report.state = DispatchReport.State.PENDING
                    if Y.CLOSING and rng.random() < 0.5:
                        report.state = DispatchReport.State.WAIVED
                        report.waive_reason = WAIVE_REASON
                        report.waived_by, report.waived_at = reviewer, _aware(date(Y.LAST + 1, 3, 15))
                    elif period.deadline < Y.TODAY:
                        report.overdue_since = _aware(period.deadline + timedelta(days=1), hour=0)
                    reports.append(report)
                    continue
                delay_p = delayed_tasks.get(ob.task.number if ob.task else 0, 0.06)
                if ob.task is None:
                    report.progress = DispatchReport.Progress.IN_PROGRESS
                elif rng.random() < delay_p:
                    report.progress = DispatchReport.Progress.DELAYED
                elif span.end.month == 12 and rng.random() < 0.5:
                    report.progress = DispatchReport.Progress.DONE
                else:
                    report.progress = DispatchReport.Progress.IN_PROGRESS
                _fill_narrative(rng, report)
                late_days = rng.choice([0] * 9 + [rng.randint(1, 6)])
                submitted = period.deadline + timedelta(days=late_days) - timedelta(days=rng.randint(0, 2))
                report.submitted_at = report.first_submitted_at = _aware(max(submitted, period.end))
                if is_recent and rng.random() < workflow_p:
                    report.state = rng.choice(
                        [DispatchReport.State.SUBMITTED, DispatchReport.State.DRAFT, DispatchReport.State.RETURNED]
                    )
                    if report.state == DispatchReport.State.DRAFT:
                        report.submitted_at = report.first_submitted_at = None
                    if report.state != DispatchReport.State.SUBMITTED and period.deadline < Y.TODAY:
                        report.overdue_since = _aware(period.deadline + timedelta(days=1), hour=0)
                    if report.state == DispatchReport.State.RETURNED:
                        report.return_reason = "请补充本期具体完成的量化指标和下步时间节点。"
                        report.reviewed_by, report.reviewed_at = reviewer, report.submitted_at + timedelta(days=1)
                else:
                    report.state = DispatchReport.State.APPROVED
                    report.reviewed_by, report.reviewed_at = reviewer, report.submitted_at + timedelta(days=2)
                reports.append(report)
    DispatchReport.objects.bulk_create(reports, batch_size=1000)
    _demo_flow(reports, users)
    return reports


def _demo_flow(reports: list[DispatchReport], users: dict[str, User]) -> None:
    """Each report's flow record as its workflow writes it — submitted by its unit's or zone's filler (where the demo
    has one), then approved or returned by its reviewer — on the demo's dates: the reports are bulk-created, which
    writes no history of its own. Waived reports are recorded as waived."""
    fillers = {}
    for user in users.values():
        if user.role == Role.DEPARTMENT_STAFF:
            fillers[("department", user.department_id)] = user
        elif user.role == Role.ZONE_STATISTICIAN:
            fillers[("zone", user.zone_id)] = user
    steps = []

    def step(report, state, user, when, why=""):
        snapshot = copy(report)
        snapshot.state, snapshot._history_user, snapshot._history_date = state, user, when
        snapshot._change_reason = why
        steps.append(snapshot)

    for report in reports:
        filler = fillers.get(("department", report.department_id) if report.department_id else ("zone", report.zone_id))
        if report.first_submitted_at is not None:
            step(report, DispatchReport.State.SUBMITTED, filler, report.first_submitted_at)
        if report.state == DispatchReport.State.APPROVED:
            step(report, report.state, report.reviewed_by, report.reviewed_at, approval_reason(""))
        elif report.state == DispatchReport.State.RETURNED:
            step(report, report.state, report.reviewed_by, report.reviewed_at, report.return_reason)
        elif report.state == DispatchReport.State.WAIVED:
            step(report, report.state, report.waived_by, report.waived_at, report.waive_reason)
    DispatchReport.history.bulk_history_create(steps, batch_size=1000)


def _fill_narrative(rng: random.Random, report: DispatchReport) -> None:
    title = report.task.title if report.task else "园区指标填报"
    pct = rng.randint(40, 75)
    work, problems, steps = NARRATIVES[report.progress]
    report.work_done = work.format(task=title, n=rng.randint(1, 3), m=rng.randint(1, 5), pct=pct)
    report.problems = problems
    report.next_steps = steps
    report.progress_pct = {"done": 100, "delayed": pct}.get(report.progress, rng.randint(30, 95))
    if report.progress == DispatchReport.Progress.DELAYED:
        report.delay_reason = problems


def _demo_values(rng: random.Random, periods: dict, reports: list[DispatchReport], users: dict) -> int:
    zones = {z.code: z for z in Zone.objects.all()}
    clusters = {c.code: c for c in IndustryCluster.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.select_related("owner", "task")}
    report_for = _report_index(reports)
    rows: list[IndicatorValue] = []

    def add(
        code: str, period: ReportingPeriod, value: float | None, *, zone=None, cluster=None, done_on: date | None = None
    ) -> None:
        indicator = indicators[code]
        scope = "zone" if zone else "cluster" if cluster else "prefecture"
        report = report_for(indicator, period, zone)
        needs_report = bool(indicator.owner_id or zone)
        if period.year >= Y.FIRST and needs_report and report is None:
            return  # nobody has reported this period yet
        if (
            Y.CLOSING
            and period.cadence == "yearly"
            and period.year == Y.LAST
            and zone is not None
            and zone.code in FINAL_YEAR_PENDING_ZONES
        ):
            return  # the final year's annual statistics of these zones are not in yet
        rows.append(
            IndicatorValue(
                indicator=indicator,
                period=period,
                scope=scope,
                zone=zone,
                cluster=cluster,
                value=None if value is None else Decimal(str(round(value, 2))),
                done_on=done_on,
                report=report,
                locked=report.state == DispatchReport.State.APPROVED if report else True,
                is_demo=True,
                updated_by=users["demo-office"],
            )
        )

    month_periods = {(y, m): periods[("monthly", y, m)] for y in range(Y.BASE, Y.LAST + 1) for m in range(1, 13)}
    totals = defaultdict(float)  # (year, month) -> prefecture YTD output
    shares = defaultdict(list)  # (year, quarter) -> the zones' leading-industry shares
    for code, (base, growths) in ZONE_PROFILE.items():
        zone = zones[code]
        annual = {Y.BASE: base}
        for i, g in enumerate(growths):
            annual[Y.FIRST + i] = annual[Y.BASE + i] * (1 + g)
        zone_ytd = {}
        for year in range(Y.BASE, Y.LAST + 1):
            ytd = 0.0
            for month in range(1, 13):
                ytd += annual[year] * MONTH_SHARES[month - 1] * (1 + rng.uniform(-0.03, 0.03))
                zone_ytd[(year, month)] = ytd
                totals[(year, month)] += ytd
                period = month_periods[(year, month)]
                add("industrial-output", period, ytd, zone=zone)
                if code == "chuxiong-hitech":
                    add("operating-revenue", period, ytd * 1.06, zone=zone)
                if year > Y.BASE:
                    growth = (ytd / zone_ytd[(year - 1, month)] - 1) * 100
                    add("industrial-output-growth", period, growth, zone=zone)
        share = rng.uniform(38, 46)
        for year in range(Y.FIRST, Y.LAST + 1):
            for q in range(1, 5):
                share += rng.uniform(0.2, 1.4)
                shares[(year, q)].append(share)
                add("leading-industry-share", periods[("quarterly", year, q)], min(share, 99), zone=zone)
            yearly = periods[("yearly", year, 1)]
            add("labour-productivity", yearly, 120 * (1.08 ** (year - Y.BASE)) * rng.uniform(0.9, 1.1), zone=zone)
            add("land-output", yearly, 300 * (1.1 ** (year - Y.BASE)) * rng.uniform(0.9, 1.1), zone=zone)
            add("zone-statisticians", yearly, rng.choice([1, 2, 2, 3]), zone=zone)
            for half in (1, 2):
                add("zone-work-report", periods[("half_yearly", year, half)], 1, zone=zone)
                # To the county party committee as well; 牟定 missed the second half of 2024.
                missed = code == "mouding" and (year, half) == (2024, 2)
                add("zone-work-report-county", periods[("half_yearly", year, half)], 0 if missed else 1, zone=zone)
            add("deputy-secretary", yearly, 1, zone=zone)
            add("responsibility-letter", yearly, 1, zone=zone)
            for q in range(1, 5):
                add("county-party-special-meeting", periods[("quarterly", year, q)], 1 if q == 2 else 0, zone=zone)
                add("irregular-financing", periods[("quarterly", year, q)], 0, zone=zone)
            for half in (1, 2):
                period = periods[("half_yearly", year, half)]
                add("approved-unsupplied-land-disposal", period, rng.uniform(18, 40) * half / 2 + 10, zone=zone)
                add("idle-land-disposal", period, rng.uniform(20, 45) * half / 2 + 10, zone=zone)
                add(
                    "standard-land-share",
                    period,
                    min(95, 25 + (year - Y.FIRST) * 14 + half * 4 + rng.uniform(-5, 5)),
                    zone=zone,
                )
                # The parts of the disposal rate (亩), so the rate is computed from them.
                stock = 1200.0 + 150 * zone.order - 100 * (year - Y.FIRST)
                add("approved-unsupplied-land", period, stock, zone=zone)
                add(
                    "approved-unsupplied-land-disposed",
                    period,
                    stock * (0.2 + 0.1 * half + 0.05 * (year - Y.FIRST)),
                    zone=zone,
                )
        if code == "chuxiong-hitech":
            for year in range(Y.FIRST, Y.LAST + 1):
                add("rd-intensity", periods[("yearly", year, 1)], 2.2 + 0.3 * (year - Y.FIRST), zone=zone)
    for (year, q), zone_shares in shares.items():
        add("leading-industry-share", periods[("quarterly", year, q)], sum(zone_shares) / len(zone_shares))
    # The prefecture's growth from the zones' totals.
    for year in range(Y.FIRST, Y.LAST + 1):
        for month in range(1, 13):
            growth = (totals[(year, month)] / totals[(year - 1, month)] - 1) * 100
            add("industrial-output-growth", month_periods[(year, month)], growth)
    for code, (base, growth) in CLUSTER_PROFILE.items():
        for year in range(Y.BASE, Y.LAST + 1):
            annual = base * (1 + growth) ** (year - Y.BASE)
            if code in {"circular"}:
                continue
            for q in range(1, 5):
                share = sum(MONTH_SHARES[: q * 3])
                add("cluster-output", periods[("quarterly", year, q)], annual * share, cluster=clusters[code])
        if code == "circular":
            for year in range(Y.FIRST, Y.LAST + 1):
                add("circular-economy-demo", periods[("yearly", year, 1)], 10 + year - Y.FIRST, cluster=clusters[code])
    _demo_prefecture_values(rng, periods, add, zones)
    _seed_data_errors(rows, periods)
    # With their history: a later edit of a demo figure shows its old value, as any entered figure does.
    bulk_create_with_history(rows, IndicatorValue, batch_size=1000, default_change_reason="演示数据")
    return len(rows)


def _seed_data_errors(rows: list[IndicatorValue], periods: dict) -> None:
    """A few figures that break the checks between values, so the data-quality page has cases to show."""

    def find(code: str, period: ReportingPeriod, *, zone: str | None = None, cluster: str | None = None):
        return next(
            (
                r
                for r in rows
                if r.indicator.code == code
                and r.period_id == period.pk
                and (r.zone.code if r.zone else None) == zone
                and (r.cluster.code if r.cluster else None) == cluster
            ),
            None,
        )

    def month(year: int, number: int) -> ReportingPeriod:
        return periods[("monthly", year, number)]

    # 禄丰's May 2025 year-to-date output below April's.
    april, may = (
        find("industrial-output", month(2025, 4), zone="lufeng"),
        find("industrial-output", month(2025, 5), zone="lufeng"),
    )
    if april and may:
        may.value = (april.value * Decimal("0.9")).quantize(Decimal("0.01"))
    # 武定's August 2024 growth rate typed six points above what its two output levels give.
    growth = find("industrial-output-growth", month(2024, 8), zone="wuding")
    if growth:
        growth.value += 6
    # The biomedicine cluster (on 高新区 alone) above 高新区's whole output in the third quarter of 2024.
    hitech = find("industrial-output", month(2024, 9), zone="chuxiong-hitech")
    cluster = find("cluster-output", periods[("quarterly", 2024, 3)], cluster="biomedicine")
    if hitech and cluster:
        cluster.value = (hitech.value * Decimal("1.1")).quantize(Decimal("0.01"))
    # 牟定's disposed idle-and-unsupplied land in the second half of 2024 above the land there was.
    stock = find("approved-unsupplied-land", periods[("half_yearly", 2024, 2)], zone="mouding")
    disposed = find("approved-unsupplied-land-disposed", periods[("half_yearly", 2024, 2)], zone="mouding")
    if stock and disposed:
        disposed.value = stock.value + 150


def _demo_prefecture_values(rng, periods, add, zones) -> None:
    firms = chain = 0
    for year in range(Y.FIRST, Y.LAST + 1):
        yearly = periods[("yearly", year, 1)]
        for q in range(1, 5):
            quarter = periods[("quarterly", year, q)]
            firms += rng.randint(3, 7)
            chain += rng.choice([0, 1, 1])
            add("new-above-scale-firms", quarter, firms)
            add("new-chain-leader-firms", quarter, chain)
            for code in (
                "party-special-meeting",
                "party-secretary-training",
                "zone-cadre-training",
                "zone-field-research",
                "gov-bank-enterprise-meeting",
            ):
                add(code, quarter, 1 if q == (2 if code != "zone-field-research" else 3) else 0)
            add("power-supply-analysis", quarter, 1 if q == 1 else 0)
            for code, target, spread in (
                ("fdi-growth", 20, 8),
                ("trade-growth", 15, 6),
                ("outside-capital-growth", 15, 5),
            ):
                add(code, quarter, target + rng.uniform(-spread, spread * 0.6))
            add("industrial-capital-share", quarter, min(99, 48 + (year - Y.FIRST) * 5 + q + rng.uniform(-3, 3)))
        add("leadership-professional-share", yearly, 45 + (year - Y.FIRST) * 7 + rng.uniform(0, 2))
        add("rd-active-firms-growth", yearly, rng.uniform(4, 9))
        add("rd-institution-share-growth", yearly, rng.uniform(4, 8))
        add("rd-institution-share", yearly, 17 + (year - Y.FIRST) * 2.5)
        add("high-tech-firms", yearly, 38 + (year - Y.BASE) * 9 + rng.randint(-2, 2))
        add("rd-spending-growth", yearly, rng.uniform(14, 24))
    add("high-tech-firms", periods[("yearly", Y.BASE, 1)], 38)
    milestones = [
        ("social-affairs-transfer", "chuxiong-hitech", date(Y.FIRST, 3, 28)),
        ("empowerment-list", None, date(Y.FIRST, 11, 30)),
        ("two-new-party-model", "chuxiong-hitech", date(Y.FIRST, 12, 20)),
        ("seven-connections", "chuxiong-hitech", date(Y.FIRST, 11, 15)),
        ("seven-connections", "lufeng", date(Y.FIRST, 12, 25)),
        ("seven-connections", "mouding", date(Y.FIRST + 1, 3, 10)),
        ("smart-park", "chuxiong-hitech", date(Y.LAST, 9, 30)),
        ("green-beautiful-park", "chuxiong-hitech", date(Y.LAST, 6, 30)),
        ("green-beautiful-park", "lufeng", date(Y.LAST, 11, 20)),
        ("circular-transformation", "chuxiong-hitech", date(Y.LAST, 10, 31)),
        ("infrastructure-complete", "chuxiong-hitech", date(Y.LAST, 12, 10)),
        ("infrastructure-complete", "lufeng", date(Y.LAST, 12, 18)),
        ("party-building-lists", "chuxiong-hitech", date(Y.FIRST, 5, 30)),
        ("party-building-lists", "lufeng", date(Y.FIRST, 6, 20)),
        ("party-building-lists", "wuding", date(Y.FIRST, 9, 15)),
        ("party-building-lists", "mouding", date(Y.FIRST, 8, 10)),
        ("party-assessment-mechanism", None, date(Y.FIRST, 10, 31)),
        ("hr-pay-reform-plan", None, date(Y.FIRST + 1, 11, 30)),
        ("enclave-economy-opinion", None, date(Y.FIRST, 12, 15)),
        ("5g-coverage", "chuxiong-hitech", date(Y.FIRST + 1, 6, 30)),
        ("5g-coverage", "lufeng", date(Y.LAST, 3, 31)),
        ("digital-platform-pilot", None, date(Y.FIRST + 1, 9, 30)),
        ("carbon-account", "chuxiong-hitech", date(Y.LAST, 4, 30)),
        ("debt-resolution-plan", "lufeng", date(Y.FIRST + 1, 5, 31)),
        ("dual-leader-system", None, date(Y.FIRST, 5, 15)),
        ("exit-standards", "chuxiong-hitech", date(Y.LAST, 8, 31)),
    ]
    done = {(code, zone_code): day for code, zone_code, day in milestones}
    # One history per milestone and place, however many years have a target (高新区's 两新党建样板区: 2023, 2025).
    targets = Target.objects.filter(indicator__kind=Indicator.Kind.MILESTONE).select_related("indicator", "zone")
    places = {(target.indicator.code, target.zone.code if target.zone else None): target.zone for target in targets}
    for key, zone in places.items():
        done_on = done.get(key)
        # A milestone is reported every quarter: not yet (0) until the quarter it is done in.
        for year in range(Y.FIRST, Y.LAST + 1):
            for q in range(1, 5):
                quarter = periods[("quarterly", year, q)]
                if done_on and quarter.start > done_on:
                    break
                finished = bool(done_on and quarter.start <= done_on <= quarter.end)
                add(key[0], quarter, 1 if finished else 0, zone=zone, done_on=done_on if finished else None)
            else:
                continue
            break


def _report_index(reports: list[DispatchReport]):
    """Find the report a value belongs to: the owner's report on the indicator's task, or the zone's value set."""
    by_department = {}
    by_zone = {}
    for r in reports:
        if r.state == DispatchReport.State.PENDING:
            continue
        if r.department_id:
            by_department[(r.department_id, r.task_id, r.period.end)] = r
        else:
            by_zone[(r.zone_id, r.period.end)] = r

    def find(indicator: Indicator, period: ReportingPeriod, zone: Zone | None):
        if indicator.owner_id:
            return by_department.get((indicator.owner_id, indicator.task_id, period.end))
        return by_zone.get((zone.pk, period.end)) if zone else None

    return find


def _demo_rankings() -> int:
    zones = {z.code: z for z in Zone.objects.all()}
    count = 0
    for offset, (total, ranks) in PROVINCIAL_RANKINGS.items():
        year = Y.BASE + offset
        evaluation = Evaluation.objects.create(scheme=Scheme.PROVINCIAL, year=year, total_zones=total, is_demo=True)
        Ranking.objects.bulk_create(
            [
                Ranking(
                    evaluation=evaluation,
                    zone=zones[code],
                    rank=rank,
                    funding_awarded=funding,
                    score=Decimal(str(round(95 - rank * 0.6, 2))),
                )
                for code, (rank, funding) in ranks.items()
            ]
        )
        count += 1
    for offset, (total, rank) in NATIONAL_RANKINGS.items():
        year = Y.BASE + offset
        evaluation = Evaluation.objects.create(scheme=Scheme.NATIONAL, year=year, total_zones=total, is_demo=True)
        Ranking.objects.create(evaluation=evaluation, zone=zones["chuxiong-hitech"], rank=rank)
        count += 1
    return count
