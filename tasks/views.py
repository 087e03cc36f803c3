from django.shortcuts import render
from django.utils import timezone

from chuxiong_portal.security import role_required
from indicators import dashboards
from tasks.models import Department, Programme

from . import selectors


@role_required
def task_list(request):
    return render(request, "tasks/task_list.html", {"programmes": selectors.programmes_with_tasks()})


@role_required
def task_detail(request, number: int):
    """A task: the plan's text, its units (lead first), its targets' progress and the units' reports over time.

    Every logged-in user may read it: the plan and its progress are shared by all units and zones.
    """
    task = selectors.task_get(number=number)
    context = {"task": task, **dashboards.task_dashboard(task=task, today=timezone.localdate())}
    return render(request, "tasks/task_detail.html", context)


@role_required
def department_list(request):
    departments = selectors.departments_with_tasks(kind=Department.Kind.PREFECTURE)
    return render(request, "tasks/department_list.html", {"departments": departments})


@role_required
def department_detail(request, slug: str):
    """A unit: its tasks, what it owes now (by deadline) and its on-time record. Readable by every logged-in user."""
    department = selectors.department_get(slug=slug)
    context = {"department": department,
               **dashboards.department_dashboard(department=department, today=timezone.localdate())}
    return render(request, "tasks/department_detail.html", context)


@role_required
def responsibility_matrix(request):
    programme = request.GET.get("programme", "")
    matrix = selectors.responsibility_matrix(
        department_slug=request.GET.get("unit", ""),
        programme=int(programme) if programme.isdigit() else None,
    )
    context = {
        **matrix,
        "programmes": Programme.objects.all(),
        "all_units": Department.objects.filter(kind=Department.Kind.PREFECTURE).order_by("order"),
        "selected_unit": request.GET.get("unit", ""),
        "selected_programme": programme,
    }
    return render(request, "tasks/matrix.html", context)
