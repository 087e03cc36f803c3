"""Reads of the plan: tasks, units, responsibility matrix."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from chuxiong_portal import pagecache

from .models import Department, Plan, Programme, Responsibility, Task

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

    An unknown code, or no plan at all, is a 404.
    """
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


def departments_with_tasks(*, kind: str | None = None) -> QuerySet[Department]:
    qs = Department.objects.prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("task").order_by("task__number"))
    )
    return qs.filter(kind=kind) if kind else qs


def department_get(*, slug: str, related: bool = True) -> Department:
    """The unit with its responsibilities; ``related=False`` fetches the row alone (a page shell)."""
    department = (departments_with_tasks() if related else Department.objects).filter(slug=slug).first()
    if department is None:
        raise Http404("no such unit")
    return department


def responsibility_matrix(*, department_slug: str = "", programme: int | None = None, plan: Plan | None = None) -> dict:
    """Tasks of `plan` (the plan in force when None) × prefecture units, each cell the unit's role on the task."""
    plan = plan or plan_in_force()
    units = list(Department.objects.filter(kind=Department.Kind.PREFECTURE).order_by("order"))
    if department_slug:
        units = [u for u in units if u.slug == department_slug]
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("programme")
        .prefetch_related(_responsibilities())
        .order_by("number")
    )
    if programme:
        tasks = tasks.filter(programme__number=programme)
    rows = []
    for task in tasks:
        roles = {r.department_id: r for r in task.responsibilities.all()}
        cells = [roles.get(unit.pk) for unit in units]
        if department_slug and not any(cells):
            continue
        rows.append({"task": task, "cells": cells})
    return {"units": units, "rows": rows}
