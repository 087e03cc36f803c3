"""The task and unit pages, the task list and the responsibility matrix."""

from django.shortcuts import render

from chuxiong_portal import pagecache
from chuxiong_portal.params import whole_number
from chuxiong_portal.security import role_required
from indicators.reporting.permissions import unpublished_zone
from supervision.permissions import can_view_items_of
from tasks import selectors
from tasks.models import Department, Programme

from . import dashboards
from .selectors import task_get


@role_required
def task_list(request):
    plan = selectors.plan_for_request(request)
    return render(
        request, "tasks/task_list.html", {"programmes": selectors.programmes_with_tasks(plan=plan), "plan": plan}
    )


@role_required
def task_detail(request, number: int):
    """A task: the plan's text, its units (lead first), its targets' progress and the units' reports over time.

    Every logged-in user may read it: the plan and its progress are shared by all units and zones. A zone user reads
    the units' reports once approved and the results of their own zone's targets and the shared ones, so the body is
    cached per `unpublished_zone`.
    """
    plan = selectors.plan_for_request(request)  # ?plan=CODE, else the plan in force
    reader_zone = unpublished_zone(request.user)
    task = task_get(number=number, plan=plan, related=False)
    return pagecache.object_page(
        request,
        name="task",
        obj=task,
        shell="tasks/task_detail.html",
        body="tasks/task_body.html",
        detail=lambda: task_get(number=number, plan=plan),
        build=lambda task, today: dashboards.task_dashboard(task=task, today=today, reader_zone=reader_zone),
        parts=(reader_zone,),
        areas=(pagecache.CORE, pagecache.draft_area("task", task.pk)),  # its timeline shows its reports' drafts
    )


@role_required
def department_list(request):
    departments = selectors.departments_with_tasks(kind=Department.Kind.PREFECTURE)
    return render(request, "tasks/department_list.html", {"departments": departments})


@role_required
def department_detail(request, slug: str):
    """A unit: its tasks, what it owes now (by deadline) and its on-time record, of the plan of ?plan=CODE (else
    the plan in force). Readable by every logged-in user; a zone user is not listed the unit's unpublished reports,
    and only the unit's own users and the office may open its supervision items (linked for them alone), so the body
    is cached per `unpublished_zone` and per `can_view_items_of`."""
    plan = selectors.plan_for_request(request)
    reader_zone = unpublished_zone(request.user)
    department = selectors.department_get(slug=slug, related=False)
    opens_items = can_view_items_of(request.user, department_id=department.pk)
    return pagecache.object_page(
        request,
        name="department",
        obj=department,
        shell="tasks/department_detail.html",
        body="tasks/department_body.html",
        detail=lambda: selectors.department_get(slug=slug),
        build=lambda department, today: {
            **dashboards.department_dashboard(department=department, today=today, plan=plan, reader_zone=reader_zone),
            "opens_items": opens_items,
        },
        parts=(plan.pk, reader_zone, opens_items),
        areas=(pagecache.CORE, pagecache.SUPERVISION, pagecache.draft_area("unit", department.pk)),  # its drafts show
    )


@role_required
def responsibility_matrix(request):
    programme = request.GET.get("programme", "")
    unit = request.GET.get("unit", "")
    plan = selectors.plan_for_request(request)

    number = whole_number(programme, digits=2)

    def context():
        matrix = selectors.responsibility_matrix(
            department_slug=unit,
            programme=number,
            plan=plan,
        )
        return {
            **matrix,
            "rows": dashboards.matrix_rows(matrix["rows"]),
            "programmes": Programme.objects.filter(plan=plan),
            "selected_unit": unit,
            "selected_programme": programme,
        }

    plausible = (programme == "" or number is not None) and len(unit) <= 50
    body = pagecache.cached_body(
        "matrix",
        (programme, unit, plan.pk),
        "tasks/matrix_body.html",
        context,
        cacheable=plausible and (unit == "" or unit.replace("-", "").isalnum()),
        areas=(pagecache.CORE,),
    )
    return pagecache.render_page(request, "tasks/matrix.html", {}, body)
