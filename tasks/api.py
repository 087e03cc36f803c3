"""GET /api/v1/plans/, /api/v1/tasks/ and /api/v1/departments/: the plans, a plan's tasks, the responsible units."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from chuxiong_portal.api_support import ApiViewSet

from .filters import DepartmentFilter, TaskFilter
from .models import Department, Plan, Responsibility, Task
from .selectors import plan_for_request
from .serializers import DepartmentSerializer, PlanSerializer, TaskSerializer

PLAN_PARAMETER = OpenApiParameter(
    "plan", str, description="方案代码 Plan code (see /api/v1/plans/); default: the plan in force", required=False,
)


class PlanScoped:
    """A list of one plan's rows: ``?plan=CODE``, else the plan in force (an unknown code is a 404)."""

    plan_field = "plan"

    def get_queryset(self):
        return super().get_queryset().filter(**{self.plan_field: plan_for_request(self.request, cached=False)})


@extend_schema_view(
    list=extend_schema(summary="方案列表 Plans", description="Every plan the portal holds: code, title, document "
                       "number (文号), issuing body, years and status (draft, in_force, closing, closed). "
                       "Page-number paginated."),
    retrieve=extend_schema(summary="方案 Plan by code"),
)
class PlanViewSet(ApiViewSet):
    serializer_class = PlanSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-z0-9]+"
    queryset = Plan.objects.order_by("first_year", "code")


@extend_schema_view(
    list=extend_schema(summary="任务列表 Tasks", description="A plan's tasks (the 2023–2025 plan has 26) with their "
                       "responsible units in plan order. Page-number paginated.", parameters=[PLAN_PARAMETER]),
    retrieve=extend_schema(summary="任务 Task by number", parameters=[PLAN_PARAMETER]),
)
class TaskViewSet(PlanScoped, ApiViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{1,4}"
    queryset = Task.objects.select_related("programme").prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department").order_by("position"))
    ).order_by("number")


@extend_schema_view(
    list=extend_schema(summary="责任单位 Departments", description="Units, the other names they act under, and "
                       "their tasks. Page-number paginated."),
    retrieve=extend_schema(summary="责任单位 Department by slug"),
)
class DepartmentViewSet(ApiViewSet):
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Department.objects.prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("task", "department")
                 .order_by("task__number"))
    ).order_by("kind", "order", "id")
