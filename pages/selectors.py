"""Reads of several domains that only a page needs."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404

from indicators import selectors as indicator_selectors
from indicators.models import Indicator, Target
from projects import selectors as project_selectors
from supervision import selectors as supervision_selectors
from tasks.models import Plan, Responsibility, Task
from tasks.selectors import plan_in_force


def task_get(*, number: int, plan: Plan | None = None, related: bool = True) -> Task:
    """Task `number` of `plan` (the plan in force when None) with its units, indicators and targets;
    ``related=False`` fetches the row alone (a page shell)."""
    plan = plan or plan_in_force()
    if not related:
        task = Task.objects.filter(plan=plan, number=number).first()
        if task is None:
            raise Http404("no such task")
        return task
    targets = Target.objects.select_related("zone", "cluster").order_by(
        "scope", "zone__order", "cluster__order", "year"
    )
    indicators = Indicator.objects.prefetch_related(Prefetch("targets", queryset=targets))
    responsibilities = Responsibility.objects.select_related("department").order_by("position")
    task = (
        Task.objects.select_related("programme")
        .prefetch_related(
            Prefetch("responsibilities", queryset=responsibilities), Prefetch("indicators", queryset=indicators)
        )
        .filter(plan=plan, number=number)
        .first()
    )
    if task is None:
        raise Http404("no such task")
    return task


def todo(user, *, today: date) -> dict:
    """What the to-do page reads from the three workflows: the dispatch reports (`indicators.selectors.todo_for_user`),
    the supervision and work items (`supervision.selectors.todo`), the half-month project reports
    (``project_reports``: `projects.selectors.reports_for_todo`) and the 需协调事项 the reader answers
    (``coordination``). ``reviewer``: whether the reader reviews anything; ``review_count``: what waits for their
    review in all three — the headline's 待审核 N 项."""
    reports = indicator_selectors.todo_for_user(user, today=today)
    work = supervision_selectors.todo(user, today=today)
    project_reports = project_selectors.reports_for_todo(user)
    return {
        **reports,
        **work,
        "project_reports": project_reports,
        "coordination": list(project_selectors.open_coordination(user=user)[:50]),
        "reviewer": reports["reviews"] or work["reviews_work"] or bool(project_reports["review_count"]),
        "review_count": reports["waiting_count"] + work["to_review_count"] + project_reports["review_count"],
    }
