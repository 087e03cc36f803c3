"""Writes of the indicators app: periods, obligations, dispatch reports and values."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction

from chuxiong_portal.db import serialised
from indicators.models import Cadence, Obligation, ReportingPeriod
from parks.models import Zone
from tasks.models import Department, Plan, Responsibility

from .. import periods as calendar
from ..workdays import is_workday

# Lead units report on their tasks monthly, co-units quarterly; the tasks that carry the
# plan's key projects (主导产业, 招商引资) are dispatched biweekly by their lead.
BIWEEKLY_TASKS = frozenset({9, 10})


def deadline_days(cadence: str) -> int:
    return settings.PORTAL_DEADLINE_DAYS[cadence]


def deadline_of(cadence: str, end) -> date:
    """A period's default deadline; counted in working days when PORTAL_DEADLINE_WORKING_DAYS is set."""
    return calendar.deadline_for(
        end, deadline_days(cadence), working_days=settings.PORTAL_DEADLINE_WORKING_DAYS, is_workday=is_workday
    )


@transaction.atomic
def periods_generate(*, plan: Plan, years: Iterable[int] | None = None, cadences: Iterable[str] | None = None) -> int:
    """Create the plan's reporting periods of `cadences` (default: every one) for `years` (default: the baseline year
    and the plan's years). Existing periods are kept as they are."""
    years = plan.period_years if years is None else years
    cadences = calendar.CADENCES if cadences is None else tuple(cadences)
    # Two at once (the first project reports of a new year, opened together): the second finds the first's periods.
    serialised("indicators.periods_generate")
    existing = set(ReportingPeriod.objects.filter(plan=plan).values_list("cadence", "year", "index"))
    new = []
    for year in years:
        for cadence in cadences:
            for span in calendar.periods_of_year(cadence, year):
                if (cadence, year, span.index) in existing:
                    continue
                new.append(
                    ReportingPeriod(
                        plan=plan,
                        cadence=cadence,
                        year=year,
                        index=span.index,
                        start=span.start,
                        end=span.end,
                        deadline=deadline_of(cadence, span.end),
                    )
                )
    ReportingPeriod.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def obligations_generate(*, plan: Plan) -> int:
    """The plan's default obligations from its responsibility matrix; existing ones (possibly edited) are kept."""
    existing = set(Obligation.objects.filter(plan=plan).values_list("department_id", "task_id", "zone_id"))
    new = []
    rows = Responsibility.objects.filter(task__plan=plan, department__kind=Department.Kind.PREFECTURE).select_related(
        "task"
    )
    for resp in rows:
        if (resp.department_id, resp.task_id, None) in existing:
            continue
        if resp.role == Responsibility.Role.LEAD:
            cadence = Cadence.BIWEEKLY if resp.task.number in BIWEEKLY_TASKS else Cadence.MONTHLY
        else:
            cadence = Cadence.QUARTERLY
        new.append(Obligation(plan=plan, department_id=resp.department_id, task_id=resp.task_id, cadence=cadence))
    for zone in Zone.objects.all():
        if (None, None, zone.pk) not in existing:
            new.append(Obligation(plan=plan, zone=zone, cadence=Cadence.MONTHLY))
    Obligation.objects.bulk_create(new)
    return len(new)
