"""Reads of the plan: tasks, units, responsibility matrix."""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from chuxiong_portal import pagecache

from .models import Department, Plan, Programme, Responsibility, Task, reader_name

# Which plan pages and the API show when no ?plan= names one: the plan in force; when none is, the one
# closing, then the latest closed; a draft only when there is nothing else.
_DEFAULT_ORDER = {Plan.Status.IN_FORCE: 0, Plan.Status.CLOSING: 1, Plan.Status.CLOSED: 2, Plan.Status.DRAFT: 3}


def plan_in_force() -> Plan | None:
    """The plan pages default to (see _DEFAULT_ORDER), or None before any plan is loaded."""
    plans = list(Plan.objects.all())
    if not plans:
        return None
    return min(plans, key=lambda p: (_DEFAULT_ORDER[p.status], -p.first_year, -p.pk))


def plan_get(code: str | None = None) -> Plan:
    """The plan named by ``code`` (a ?plan=CODE parameter), or the plan in force when ``code`` is empty.

    An unknown code, or no plan at all, is a 404: a code with a NUL character too, which no code has and PostgreSQL
    refuses to compare (every page reads ?plan=).
    """
    if code and "\x00" in code:
        raise Http404("no such plan")
    plan = Plan.objects.filter(code=code).first() if code else plan_in_force()
    if plan is None:
        raise Http404("no such plan")
    return plan


def plan_for_request(request, *, cached: bool = True) -> Plan:
    """The plan a request asks for with ?plan=CODE, else the plan in force; fetched once per request.

    Pages take it from the page cache (``cached``); the API, which has no page cache, reads it every time.
    """
    plan = getattr(request, "_portal_plan", None)
    if plan is None and not cached:
        plan = plan_get(request.GET.get("plan") or None)
        request._portal_plan = plan
    if plan is None:
        code = request.GET.get("plan") or None
        # Cached with the pages (a change to any plan replaces the version of `core`); an unknown code is a 404.
        plan = pagecache.cached(
            "plan",
            (code or "",),
            lambda: plan_get(code),
            cacheable=code is None or len(code) <= 40,
            areas=(pagecache.CORE,),
            count=False,
        )
        request._portal_plan = plan
    return plan


def plans_all() -> QuerySet[Plan]:
    return Plan.objects.order_by("first_year", "code")


def _responsibilities() -> Prefetch:
    return Prefetch(
        "responsibilities", queryset=Responsibility.objects.select_related("department").order_by("position")
    )


def programmes_with_tasks(*, plan: Plan | None = None) -> QuerySet[Programme]:
    """The programmes of `plan` (the plan in force when None) with their tasks."""
    plan = plan or plan_in_force()
    tasks = Task.objects.order_by("number").prefetch_related(_responsibilities())
    return Programme.objects.filter(plan=plan).prefetch_related(Prefetch("tasks", queryset=tasks))


def departments_with_tasks(*, kind: str | None = None, plan: Plan | None = None) -> QuerySet[Department]:
    """The units with their responsibilities on the tasks of `plan` (the plan in force when None): a unit's task
    numbers are a plan's, and a successor's task 1 is not the first plan's."""
    qs = Department.objects.prefetch_related(_unit_responsibilities(plan or plan_in_force()))
    return qs.filter(kind=kind) if kind else qs


def _unit_responsibilities(plan: Plan | None) -> Prefetch:
    """A unit's responsibilities with their tasks, in task order: on `plan`'s tasks, or every plan's when None."""
    responsibilities = Responsibility.objects.select_related("task").order_by("task__number")
    if plan is not None:
        responsibilities = responsibilities.filter(task__plan=plan)
    return Prefetch("responsibilities", queryset=responsibilities)


def department_get(*, slug: str, related: bool = True) -> Department:
    """The unit with its responsibilities; ``related=False`` fetches the row alone (a page shell)."""
    # Every plan's responsibilities: the unit page picks its plan's (pages.dashboards), with no query for the plan.
    units = Department.objects.prefetch_related(_unit_responsibilities(None)) if related else Department.objects
    department = units.filter(slug=slug).first()
    if department is None:
        raise Http404("no such unit")
    return department


class MatrixTask(NamedTuple):
    """A task as the matrix shows it: a row header linking to the task's page."""

    number: int
    title: str

    def get_absolute_url(self) -> str:
        return reverse("task-detail", args=[self.number])


class MatrixCell(NamedTuple):
    """A unit's role on a task as the matrix shows it."""

    role: str
    display_name: str

    def get_role_display(self) -> str:
        return str(Responsibility.Role(self.role).label)


def responsibility_matrix(*, department_slug: str = "", programme: int | None = None, plan: Plan | None = None) -> dict:
    """Tasks of `plan` (the plan in force when None) × prefecture units, each cell the unit's role on the task.

    Read as plain rows (three queries): a plan's tasks × the prefecture's units are hundreds of cells, and a model
    instance per cell costs more than the page's SQL. ``all_units`` are every prefecture unit, for the filter."""
    plan = plan or plan_in_force()
    all_units = list(Department.objects.filter(kind=Department.Kind.PREFECTURE).order_by("order"))
    units = [u for u in all_units if u.slug == department_slug] if department_slug else all_units
    tasks = Task.objects.filter(plan=plan).order_by("number")
    if programme:
        tasks = tasks.filter(programme__number=programme)
    cells: dict[int, dict[int, MatrixCell]] = defaultdict(dict)
    responsibilities = Responsibility.objects.filter(task__plan=plan, department__kind=Department.Kind.PREFECTURE)
    for task_id, unit_id, role, acting_as, name in responsibilities.values_list(
        "task_id", "department_id", "role", "acting_as", "department__name"
    ):
        cells[task_id][unit_id] = MatrixCell(role, reader_name(name, acting_as))
    rows = []
    for pk, number, title in tasks.values_list("pk", "number", "title"):
        roles = cells.get(pk, {})
        row = [roles.get(unit.pk) for unit in units]
        if department_slug and not any(row):
            continue
        rows.append({"task": MatrixTask(number, title), "cells": row})
    return {"units": units, "rows": rows, "all_units": all_units}
