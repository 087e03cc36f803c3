"""GET /api/v1/tasks/ and /api/v1/departments/: the plan's tasks and responsible units."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from chuxiong_portal.api_support import ApiViewSet

from .filters import DepartmentFilter, TaskFilter
from .models import Department, Responsibility, Task
from .serializers import DepartmentSerializer, TaskSerializer


@extend_schema_view(
    list=extend_schema(summary="任务列表 Tasks", description="The plan's 26 tasks with their responsible units in "
                       "plan order. Page-number paginated."),
    retrieve=extend_schema(summary="任务 Task by number"),
)
class TaskViewSet(ApiViewSet):
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
