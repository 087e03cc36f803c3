"""Reads of the projects app: the reserve pool, the board (挂图作战), investment by month and the 招商 rates.

Every list reads in a fixed number of queries whatever the number of projects (select_related, prefetches,
one aggregate per figure).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from chuxiong_portal.access import is_office, is_zone_user
from chuxiong_portal.roles import COUNTY_ROLES, ZONE_ROLES
from indicators.models import IndicatorValue
from indicators.reporting import permissions as report_permissions
from parks.models import IndustryCluster, Zone
from tasks.models import Department

from . import permissions, rules
from .models import (
    MILESTONE_DONE_BY_STAGE,
    MILESTONE_STAGES,
    STAGE_ORDER,
    Listing,
    Milestone,
    Project,
    ProjectInvestment,
    ProjectReport,
    Stage,
)


def project_get(*, code: str) -> Project:
    try:
        return (
            Project.objects.select_related("zone", "cluster", "lead_unit", "updated_by")
            .prefetch_related("tasks", "units")
            .get(code=code)
        )
    except Project.DoesNotExist as error:
        raise Http404 from error


def project_report_get(*, pk: int, user) -> ProjectReport:
    """The report, if `user` may read it (`permissions.can_view_report`: else PermissionDenied, a 403)."""
    try:
        report = ProjectReport.objects.select_related(
            "project__zone",
            "project__lead_unit",
            "period__plan",
            "department",
            "zone",
            "coordination_unit",
            "reviewed_by",
            "updated_by",
        ).get(pk=pk)
    except ProjectReport.DoesNotExist as error:
        raise Http404 from error
    if not permissions.can_view_report(user, report):
        raise PermissionDenied("not this user's report")
    return report


def project_reports_visible_to(user, reports: QuerySet) -> QuerySet:
    """The project reports `user` may read (`permissions.can_view_report`), for the lists."""
    if not is_zone_user(user):
        return reports
    zone = user.zone_id or 0  # never `zone_id=None`, which would match every report no zone filed
    return reports.filter(Q(state=ProjectReport.State.APPROVED) | Q(zone_id=zone) | Q(project__zone_id=zone))


def projects_pool(*, zone: str = "", stage: str = "") -> QuerySet[Project]:
    rows = Project.objects.select_related("zone", "cluster", "lead_unit").prefetch_related(
        Prefetch("listings", queryset=Listing.objects.only("id", "project_id", "year"))
    )
    if zone:
        rows = rows.filter(zone__code=zone)
    if stage:
        rows = rows.filter(stage=stage)
    return rows


def project_changes(project: Project, limit: int = 50) -> list:
    return list(project.history.select_related("history_user").order_by("-history_date")[:limit])


def listing_milestones(project: Project) -> list[Listing]:
    """The project's yearly listings, latest first, each milestone with `reached_on`: the date it was reached as the
    board reads it (`milestone_actual`: a stage's from the project)."""
    listings = list(project.listings.prefetch_related("milestones").order_by("-year"))
    for listing in listings:
        for milestone in listing.milestones.all():
            milestone.reached_on = milestone_actual(milestone, project)
    return listings


def completed_by_project(project_ids, *, year: int | None = None, upto: date | None = None) -> dict[int, Decimal]:
    if not project_ids:
        return {}
    rows = ProjectInvestment.objects.filter(project_id__in=project_ids)
    if year is not None:
        rows = rows.filter(year=year)
    if upto is not None:
        rows = rows.filter(Q(year__lt=upto.year) | Q(year=upto.year, month__lte=upto.month))
    return dict(rows.values("project_id").annotate(total=Sum("amount")).values_list("project_id", "total"))


# --------------------------------------------------------------------------- the board


@dataclass
class BoardMilestone:
    kind: str
    label: str
    planned_on: date
    actual_on: date | None
    state: rules.MilestoneState
    baseline_changes: int


@dataclass
class BoardRow:
    listing: Listing
    project: Project
    milestones: list[BoardMilestone]
    investment: rules.InvestmentState
    status: str
    overdue: list[BoardMilestone] = field(default_factory=list)


@dataclass
class BoardFilters:
    zone: str = ""
    cluster: str = ""
    task: int | None = None
    unit: str = ""
    stage: str = ""

    def as_tuple(self) -> tuple:
        return (self.zone, self.cluster, self.task, self.unit, self.stage)


def milestone_actual(milestone: Milestone, project: Project) -> date | None:
    """A stage milestone's actual date is the project's; another's its own, or else the date of the stage it
    comes before, once the project reached it (`MILESTONE_DONE_BY_STAGE`: a finished project is not chased for
    its 七通一平)."""
    stage = MILESTONE_STAGES.get(milestone.kind)
    if stage:
        return project.stage_date(stage)
    if milestone.actual_on is not None:
        return milestone.actual_on
    reached = stage_done_by(milestone.kind, project)
    return reached[1] if reached else None


def stage_done_by(
    kind: str, project: Project, *, moved: dict[str, date | None] | None = None
) -> tuple[str, date] | None:
    """The first stage, with its date, that the project reached and that a milestone of `kind` comes before
    (`MILESTONE_DONE_BY_STAGE`: 环评 and 七通一平 before 开工, 主体完工 before 投产/竣工): the milestone was done by
    that date at the latest. None when the project has reached no such stage, or the milestone comes before none.
    `moved` (stage → date): stage dates read instead of the project's, as a change would set them."""
    stage = MILESTONE_DONE_BY_STAGE.get(kind)
    if stage is None:
        return None
    moved = moved or {}
    later = STAGE_ORDER[STAGE_ORDER.index(stage) :]
    dated = [(stage, day) for stage in later if (day := moved.get(stage, project.stage_date(stage))) is not None]
    return min(dated, key=lambda pair: pair[1], default=None)


def milestone_after_stage(
    kind: str, on: date, project: Project, *, moved: dict[str, date | None] | None = None
) -> tuple[str, date] | None:
    """The stage, with its date, that a milestone of `kind` done on `on` would be recorded after although it comes
    before it (`stage_done_by`), or None: the one rule both ways — a milestone's date against the stages reached
    (记录完成), and a stage's date (`moved`) against the milestones recorded done."""
    reached = stage_done_by(kind, project, moved=moved)
    return reached if reached is not None and on > reached[1] else None


def milestones_after_stages(project: Project, moved: dict[str, date | None]) -> list[tuple[Milestone, str, date]]:
    """The project's milestones recorded done (on any year's list) that its stage dates, changed to `moved`
    (stage → date), would put after the stage they come before: (milestone, stage, that stage's date), the latest
    recorded first."""
    if project.pk is None:
        return []
    recorded = Milestone.objects.filter(
        listing__project=project, kind__in=MILESTONE_DONE_BY_STAGE, actual_on__isnull=False
    ).order_by("-actual_on", "pk")
    return [
        (milestone, *late)
        for milestone in recorded
        if (late := milestone_after_stage(milestone.kind, milestone.actual_on, project, moved=moved))
    ]


def board_rows(
    *,
    year: int,
    today: date,
    filters: BoardFilters | None = None,
    where: Q | None = None,
    links: bool = True,
    through_end_of: date | None = None,
) -> list[BoardRow]:
    """Every project of the year's list with its baseline, actual dates, investment and colour, as of `today`.

    `through_end_of`: a day that is over (a bulletin's period's last day): the investment counts its month's figures
    against the plan due by its end — on 31 December the whole year's figures against the whole year's plan, not
    against the eleven months ended before the day began, as a live board on that day counts them. `where` narrows the
    listings further in SQL; `links=False` leaves out the projects' tasks and co-units (two queries) for the panels
    that do not show them."""
    filters = filters or BoardFilters()
    listings = (
        Listing.objects.filter(year=year)
        .select_related("project__zone", "project__cluster", "project__lead_unit")
        .prefetch_related("milestones", *(("project__tasks", "project__units") if links else ()))
        .order_by("project__zone__order", "project__code")
    )
    if where is not None:
        listings = listings.filter(where)
    if filters.zone:
        listings = listings.filter(project__zone__code=filters.zone)
    if filters.cluster:
        listings = listings.filter(project__cluster__code=filters.cluster)
    if filters.task:
        listings = listings.filter(project__tasks__number=filters.task)
    if filters.unit:
        listings = listings.filter(Q(project__lead_unit__slug=filters.unit) | Q(project__units__slug=filters.unit))
    if filters.stage:
        listings = listings.filter(project__stage=filters.stage)
    listings = list(listings.distinct())
    done = completed_by_project([item.project_id for item in listings], year=year, upto=today)
    due_on = today if through_end_of is None else through_end_of + timedelta(days=1)
    rows = []
    for listing in listings:
        project = listing.project
        milestones = [
            BoardMilestone(
                kind=m.kind,
                label=m.get_kind_display(),
                planned_on=m.planned_on,
                actual_on=(actual := milestone_actual(m, project)),
                state=rules.milestone_state(m.planned_on, actual, today),
                baseline_changes=m.baseline_changes,
            )
            for m in sorted(listing.milestones.all(), key=lambda m: m.planned_on)
        ]
        if project.stage == Stage.EXITED:
            milestones = [m for m in milestones if m.actual_on]  # an exited project owes nothing more
        investment = rules.investment_state(
            planned=listing.planned_investment, done=done.get(project.pk, Decimal(0)), year=year, today=due_on
        )
        overdue = [m for m in milestones if m.state.code == "overdue"]
        status = rules.worst(investment.status, *(m.state.status for m in milestones))
        rows.append(BoardRow(listing, project, milestones, investment, status, overdue))
    return rows


def board_counts(rows: list[BoardRow]) -> dict[str, int]:
    counts = {rules.GREEN: 0, rules.AMBER: 0, rules.RED: 0, rules.GREY: 0}
    for row in rows:
        counts[row.status] += 1
    return counts


# --------------------------------------------------------------------------- investment by month


@dataclass
class InvestmentSeries:
    label: str
    planned: Decimal
    cumulative: list[Decimal]  # months 1..12 (through the months ended, or reported; later months empty)


def investment_by_month(*, year: int, today: date, by: str = "zone") -> list[InvestmentSeries]:
    """Completed investment of the year's listed projects, cumulated by month, against the year's plan,
    per zone (by="zone") or per cluster (by="cluster")."""
    group = "project__zone" if by == "zone" else "project__cluster"
    plans = dict(
        Listing.objects.filter(year=year)
        .values(group)
        .annotate(total=Sum("planned_investment"))
        .values_list(group, "total")
    )
    listed = Listing.objects.filter(year=year).values("project_id")
    monthly = defaultdict(lambda: [Decimal(0)] * 12)
    for key, month, total in (
        ProjectInvestment.objects.filter(year=year, project_id__in=listed)
        .values(group, "month")
        .annotate(total=Sum("amount"))
        .values_list(group, "month", "total")
    ):
        monthly[key][month - 1] = total
    # Through the months ended (as the 序时进度 counts them, rules.year_elapsed), and a month under way only once
    # its figures came in: the month just begun is not shown as a repeat of the one before.
    begun = 12 if today.year > year else (today.month if today.year == year else 0)  # months begun by today
    ended = begun if today.year > year else max(begun - 1, 0)
    reported = max((month + 1 for values in monthly.values() for month, v in enumerate(values) if v), default=0)
    last = max(ended, min(reported, begun))
    groups = Zone.objects.all() if by == "zone" else IndustryCluster.objects.all()
    series = []
    for item in groups:
        if item.pk not in plans and item.pk not in monthly:
            continue
        running, cumulative = Decimal(0), []
        for month in range(12):
            running += monthly[item.pk][month]
            cumulative.append(running if month < last else None)
        series.append(InvestmentSeries(item.name, plans.get(item.pk) or Decimal(0), cumulative))
    return series


# --------------------------------------------------------------------------- 招商 rates


def zone_rates(*, year: int) -> dict:
    """落地率, 开工率, 资金到位率 of the 招商引资 projects signed in `year`, per zone and for the prefecture."""
    signed = Project.objects.filter(kind=Project.Kind.INVESTMENT, signed_on__year=year).values_list(
        "zone_id", "landed_on", "started_on", "signed_amount", "capital_in_place"
    )
    per_zone = defaultdict(list)
    for zone_id, landed_on, started_on, amount, capital in signed:
        per_zone[zone_id].append(
            rules.SignedProject(
                landed=landed_on is not None,
                started=started_on is not None,
                signed_amount=amount,
                capital_in_place=capital,
            )
        )
    zones = list(Zone.objects.all())
    return {
        "zones": [(zone, rules.rates(per_zone.get(zone.pk, []))) for zone in zones],
        "total": rules.rates([p for items in per_zone.values() for p in items]),
    }


def rates_for_zone(*, zone: Zone, year: int) -> rules.Rates:
    signed = Project.objects.filter(kind=Project.Kind.INVESTMENT, signed_on__year=year, zone=zone).values_list(
        "landed_on", "started_on", "signed_amount", "capital_in_place"
    )
    return rules.rates(
        [
            rules.SignedProject(landed=a is not None, started=b is not None, signed_amount=c, capital_in_place=d)
            for a, b, c, d in signed
        ]
    )


# --------------------------------------------------------------------------- to-do, bulletin, zone page


def listed_for_body(
    *,
    department_id: int | None = None,
    zone_id: int | None = None,
    county_id: int | None = None,
    year: int,
    today: date,
) -> list[BoardRow]:
    """The year's listed projects of a body, as the board reads them: a unit's (as lead or co-unit), a zone's, or a
    county's — those of the zones it hosts (`Zone.county`). Only that body's listings are read; none without a body."""
    where = Q()
    if department_id:
        where |= Q(project__lead_unit_id=department_id) | Q(project__units__id=department_id)
    if zone_id:
        where |= Q(project__zone_id=zone_id)
    if county_id:
        where |= Q(project__zone__county_id=county_id)
    if not where:
        return []
    return board_rows(year=year, today=today, where=where, links=False)


def overdue_for_unit(
    *, department_id: int | None, zone_id: int | None, county_id: int | None = None, year: int, today: date
) -> list[BoardRow]:
    """Listed projects with a stage or milestone date passed, for the body responsible (`listed_for_body`)."""
    rows = listed_for_body(department_id=department_id, zone_id=zone_id, county_id=county_id, year=year, today=today)
    return [row for row in rows if row.overdue]


def _coordination_addressed_to(user) -> Q | None:
    """Which 需协调事项 `user` answers, as a filter of project reports; None for the office (every one).

    A unit's users answer the requests addressed to their unit. The plan's collective units (`Department.Kind`) are
    answered, for each project, by the users who act for them there: 县市人民政府 and 县市党委 (kind county) by the
    county government's users of the county hosting the project's zone, 楚雄国家高新区和各产业园区 (kind zones) by
    the users of the project's zone (its statistician, leader and management committee)."""
    if is_office(user):
        return None
    where = Q(pk__in=[])
    if not (user.is_authenticated and user.is_active):
        return where
    if user.department_id:
        where |= Q(coordination_unit_id=user.department_id)
    if user.role in COUNTY_ROLES and user.county_id:
        where |= Q(coordination_unit__kind=Department.Kind.COUNTY, project__zone__county_id=user.county_id)
    if user.role in ZONE_ROLES and user.zone_id:
        where |= Q(coordination_unit__kind=Department.Kind.ZONES, project__zone_id=user.zone_id)
    return where


def coordination_for_user(user) -> QuerySet[ProjectReport]:
    """The project reports whose 需协调事项 `user` answers, answered or not: all for the office."""
    rows = ProjectReport.objects.exclude(coordination="")
    where = _coordination_addressed_to(user)
    return rows if where is None else rows.filter(where)


def can_answer_coordination(*, user, report: ProjectReport) -> bool:
    """Whether `user` answers `report`'s 需协调事项 (whether it still waits for an answer is the caller's to check)."""
    return is_office(user) or coordination_for_user(user).filter(pk=report.pk).exists()


def open_coordination(*, user) -> QuerySet[ProjectReport]:
    """The 需协调事项 `user` answers that wait for an answer (of reports submitted or approved): the to-do's list."""
    return (
        coordination_for_user(user)
        .filter(coordination_answer="")
        .filter(state__in=[ProjectReport.State.SUBMITTED, ProjectReport.State.APPROVED])
        .select_related("project__zone", "period", "coordination_unit")
        .order_by("period__start", "project__code")
    )


def _summary(year: int, rows: list[BoardRow]) -> dict:
    return {
        "year": year,
        "rows": rows,
        "counts": board_counts(rows),
        "slipping": [row for row in rows if row.status != rules.GREEN],
        "planned": sum((row.investment.planned for row in rows), Decimal(0)),
        "done": sum((row.investment.done for row in rows), Decimal(0)),
    }


def zone_projects(*, year: int, today: date, zone: Zone) -> dict:
    """The zone page's 重点项目 panel: counts by colour, slipping projects and the year's investment (the
    bulletin's section without its problems, and the rows without their tasks and co-units)."""
    rows = board_rows(year=year, today=today, filters=BoardFilters(zone=zone.code), links=False)
    return _summary(year, rows)


TODO_REPORTS = 50  # of each kind on the to-do page; the project pages list the rest


def reports_for_todo(user) -> dict:
    """The half-month project reports on `user`'s to-do, oldest first: those waiting for their review (``review``:
    the unit's reviewer, the zone's leader, the office; ``review_count``: how many in all) and, but for the office,
    those they file that are not submitted yet or came back (``fill``) — the rights of the report workflow
    (`indicators.reporting.permissions`)."""
    rows = ProjectReport.objects.select_related("project", "period").order_by("period__start", "pk")
    office = is_office(user)
    if not office:
        if user.department_id:
            rows = rows.filter(department_id=user.department_id)
        elif user.zone_id:
            rows = rows.filter(department__isnull=True, zone_id=user.zone_id)
        else:
            return {"review": [], "review_count": 0, "fill": []}
    State = ProjectReport.State
    review = [r for r in rows.filter(state=State.SUBMITTED) if report_permissions.can_review(user, r)]
    fill = []
    if not office:
        owed = rows.filter(state__in=(State.PENDING, State.DRAFT, State.RETURNED))
        fill = [r for r in owed if report_permissions.can_edit_if_open(user, r)]
    return {"review": review[:TODO_REPORTS], "review_count": len(review), "fill": fill[:TODO_REPORTS]}


def bulletin_projects(*, period_end: date, today: date, zone: Zone | None = None) -> dict:
    """The 重点项目 section of the bulletin of the period ending on `period_end`: counts by colour, slipping projects,
    and open problems (the rows without their tasks and co-units, which the bulletin does not show).

    The projects as they stood at the period's end (`board_rows` as of its last day, the investment through the end of
    that day once it is over); while the period is under way, as of today."""
    as_of = min(today, period_end)
    rows = board_rows(
        year=as_of.year,
        today=as_of,
        through_end_of=as_of if today > period_end else None,
        filters=BoardFilters(zone=zone.code if zone else ""),
        links=False,
    )
    year = as_of.year
    # The problems reported in the bulletin's year up to its date: not a later year's (a project listed again then).
    problems = (
        ProjectReport.objects.filter(
            project__listings__year=year,
            state=ProjectReport.State.APPROVED,
            period__year=year,
            period__start__lte=as_of,
        )
        .exclude(problems="")
        .select_related("project", "period")
    )
    if zone is not None:
        problems = problems.filter(project__zone=zone)
    problems = problems.order_by("-period__start")[:10]
    return {**_summary(year, rows), "problems": list(problems)}


# --------------------------------------------------------------------------- the province's figures for the rates

# The indicator codes under which the province reports the three rates through the indicator-values bulk API.
# The plan (fixtures/plan.json) defines no indicator for them; the office defines these indicators when the
# province starts reporting them, and until then there is nothing to set beside the computed rates.
RATE_INDICATORS = {
    "landing_rate": "investment-landing-rate",
    "start_rate": "investment-start-rate",
    "capital_rate": "investment-capital-rate",
}


@dataclass
class RateFigure:
    """The province's figure for one rate, scope and period, beside the rate computed from the projects."""

    rate: str  # a key of RATE_INDICATORS
    value: IndicatorValue  # the province's IndicatorValue (indicator, zone, period selected)
    computed: Decimal | None  # None: no 招商 project signed in the period's year
    signed: int

    @property
    def difference(self) -> Decimal | None:
        """Province − computed, in percentage points."""
        if self.value.value is None or self.computed is None:
            return None
        return self.value.value - self.computed


def province_rate_figures(*, zone: str = "", year: int | None = None) -> list[RateFigure]:
    """Province values (source=province) of the rate indicators, zone or prefecture scope, each with the rate
    computed from the projects signed in the period's year. One query for the values, two per year."""
    by_code = {code: rate for rate, code in RATE_INDICATORS.items()}
    values = (
        IndicatorValue.objects.filter(
            source=IndicatorValue.Source.PROVINCE,
            value__isnull=False,
            indicator__code__in=by_code,
            scope__in=["zone", "prefecture"],
        )
        .select_related("indicator", "zone", "period")
        .order_by("period__end", "indicator__order", "indicator__code", "zone__order", "id")
    )
    if zone:
        values = values.filter(zone__code=zone)
    if year:
        values = values.filter(period__year=year)
    computed: dict[int, dict] = {}
    figures = []
    for value in values:
        if value.period.year not in computed:
            rates = zone_rates(year=value.period.year)
            computed[value.period.year] = {"total": rates["total"], **{z.pk: r for z, r in rates["zones"]}}
        rates = computed[value.period.year]["total" if value.zone_id is None else value.zone_id]
        rate = by_code[value.indicator.code]
        figures.append(RateFigure(rate=rate, value=value, computed=getattr(rates, rate), signed=rates.signed))
    return figures


def province_rates_by_zone(*, year: int) -> dict:
    """{(rate, zone id or None): province value} of the year's latest province figure per rate and scope."""
    latest = {}
    for figure in province_rate_figures(year=year):
        latest[(figure.rate, figure.value.zone_id)] = figure.value.value  # ordered by period end: last wins
    return latest


def list_year(today: date) -> int:
    """The year whose 重点项目建设清单 is in force on `today`: this year's once a project is listed on it, else the
    latest earlier year's. In January, before the new list is drawn up, the last list's overdue stages and milestones
    are still owed, and the to-do must not say that none is."""
    latest = Listing.objects.filter(year__lte=today.year).aggregate(latest=Max("year"))["latest"]
    return latest or today.year
