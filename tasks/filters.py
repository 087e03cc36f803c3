from django_filters import rest_framework as filters

from .models import Department, Task


class TaskFilter(filters.FilterSet):
    programme = filters.NumberFilter(field_name="programme__number", label="工程序号 Programme number")
    department = filters.CharFilter(
        field_name="departments__slug", label="责任单位代码 Responsible unit slug", distinct=True
    )

    class Meta:
        model = Task
        fields = ["programme", "department"]


class DepartmentFilter(filters.FilterSet):
    task = filters.NumberFilter(field_name="tasks__number", label="任务序号 Task number", distinct=True)

    class Meta:
        model = Department
        fields = ["kind", "task"]
