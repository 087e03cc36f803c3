"""GET /api/v1/plans/, /api/v1/tasks/ and /api/v1/departments/: the plans, a plan's tasks, the responsible units."""

import re

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound, ValidationError

from chuxiong_portal.api_support import ApiViewSet

from .filters import DepartmentFilter, TaskFilter
from .models import Department, Plan, Responsibility, Task
from .selectors import plan_in_force
from .serializers import DepartmentSerializer, PlanSerializer, TaskSerializer

PLAN_PARAMETER = OpenApiParameter(
    "plan",
    str,
    description="方案代码 Plan code (see /api/v1/plans/); default: the plan in force. A code naming "
    "no plan is a 404 (an empty value a 400).",
    required=False,
)


PLAN_CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")  # a SlugField of 40


def request_plan(request) -> Plan | None:
    """The plan of ``?plan=CODE``, else the plan in force (None before any plan is loaded); fetched once per
    request. A code naming no plan is a 404 in the API's error shape: the rows of a plan the portal does not hold
    do not exist (an empty `?plan=` is a 400, as for every filter)."""
    if not hasattr(request, "_portal_api_plan"):
        code = request.query_params.get("plan")
        if code is not None and not code.strip():
            raise ValidationError({"plan": [_("筛选条件不能为空值；不按此筛选时请省略该参数。")]})
        if code and not PLAN_CODE.fullmatch(code):
            plan = None  # no plan has such a code (and PostgreSQL cannot even compare one with a NUL in it)
        else:
            plan = Plan.objects.filter(code=code).first() if code else plan_in_force()
        if code and plan is None:
            raise NotFound(_("没有代码为“%(code)s”的方案，可用的方案见 /api/v1/plans/。") % {"code": code[:40]})
        request._portal_api_plan = plan
    return request._portal_api_plan


class PlanScoped:
    """One plan's rows: ``?plan=CODE``, else the plan in force (a code naming no plan is a 404, an empty one a 400).

    Lists are always scoped; a single row only when ``plan_scoped_retrieve`` (its key is unique within a plan
    only, like a task's number).
    """

    plan_field = "plan"
    plan_scoped_retrieve = False
    # A keyset-paginated list of a province's million rows (values, results), whose `plan_field` goes through a
    # relation (``indicator__plan``): its rows are chosen by that relation's key among the plan's keys, the key column
    # read as ``column + 0``, which no index serves. Joined to the plan, SQLite started from the plan's indicators
    # and sorted every value of the plan for each page (0.2 s at 1 million values); now it walks the keyset's
    # index and stops at the page's end (1–12 ms). A selective filter (a zone, a period) still uses its own index.
    plan_by_keys = False

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list" and not self.plan_scoped_retrieve:
            return queryset
        plan = request_plan(self.request)
        if plan is None:
            return queryset.none()
        if not self.plan_by_keys:
            return queryset.filter(**{self.plan_field: plan})
        relation, path = self.plan_field.split("__", 1)
        field = queryset.model._meta.get_field(relation)
        keys = field.related_model.objects.filter(**{path: plan}).values("pk")
        return queryset.alias(plan_key=F(field.attname) + 0).filter(plan_key__in=keys)


@extend_schema_view(
    list=extend_schema(
        summary="方案列表 Plans",
        description="Every plan the portal holds: code, title, document "
        "number (文号), issuing body, years and status (draft, in_force, closing, closed). "
        "Page-number paginated.",
    ),
    retrieve=extend_schema(summary="方案 Plan by code"),
)
class PlanViewSet(ApiViewSet):
    serializer_class = PlanSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-z0-9]+"
    queryset = Plan.objects.order_by("first_year", "code")


@extend_schema_view(
    list=extend_schema(
        summary="任务列表 Tasks",
        description="A plan's tasks (the 2023–2025 plan has 26) with their "
        "responsible units in plan order. Page-number paginated.",
        parameters=[PLAN_PARAMETER],
    ),
    retrieve=extend_schema(summary="任务 Task by number", parameters=[PLAN_PARAMETER]),
)
class TaskViewSet(PlanScoped, ApiViewSet):
    plan_scoped_retrieve = True
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{1,4}"
    queryset = (
        Task.objects.select_related("programme")
        .prefetch_related(
            Prefetch(
                "responsibilities", queryset=Responsibility.objects.select_related("department").order_by("position")
            )
        )
        .order_by("number")
    )


@extend_schema_view(
    list=extend_schema(
        summary="责任单位 Departments",
        description="Units, the other names they act under, and their tasks. Page-number paginated.",
    ),
    retrieve=extend_schema(summary="责任单位 Department by slug"),
)
class DepartmentViewSet(ApiViewSet):
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Department.objects.prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("task", "department").order_by("task__number"),
        )
    ).order_by("kind", "order", "id")
