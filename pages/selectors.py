"""Reads of several domains that only a page needs."""

from django.db.models import Prefetch
from django.http import Http404

from indicators.models import Indicator, Target
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
