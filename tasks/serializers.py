"""API serializers of the tasks app (read-only)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .lifecycle import status_on
from .models import Department, Plan, Programme, Responsibility, Task


class PlanSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="draft, in_force, closing or closed: a plan still marked in force after its last year is closing"
    )

    def get_status(self, plan: Plan) -> str:
        return status_on(plan, timezone.localdate())

    class Meta:
        model = Plan
        fields = [
            "code",
            "title",
            "document_number",
            "issuing_body",
            "baseline_year",
            "first_year",
            "last_year",
            "goal_year",
            "status",
        ]


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["number", "name"]


class ResponsibleSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text="单位名称，按方案对该任务的写法（如 州财政局（州国资委））。The unit as the plan writes it."
    )
    role = serializers.ChoiceField(
        choices=Responsibility.Role.choices,
        help_text="lead 牵头单位 / co 配合单位；县市（county）和园区（zones）两项排在最后。",
    )
    department = serializers.CharField(help_text="单位代码 Unit slug (see /api/v1/departments/)")


class TaskSerializer(serializers.ModelSerializer):
    programme = ProgrammeSerializer(read_only=True)
    responsible = serializers.SerializerMethodField(
        help_text="责任单位，按方案顺序：牵头单位（lead）、配合单位（co），然后是县市党委/县市人民政府（county）"
        "和楚雄国家高新区和各产业园区（zones）。Responsible units in plan order."
    )

    class Meta:
        model = Task
        fields = ["number", "title", "programme", "text", "responsibility_text", "responsible"]

    @extend_schema_field(ResponsibleSerializer(many=True))
    def get_responsible(self, task: Task) -> list[dict]:
        return [
            {"name": r.display_name, "role": r.role, "department": r.department.slug}
            for r in task.responsibilities.all()  # prefetched in plan order
        ]


class DepartmentTaskSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="任务序号 Task number")
    title = serializers.CharField()
    role = serializers.ChoiceField(choices=Responsibility.Role.choices)
    name = serializers.CharField(help_text="该任务中单位的名称（含加挂名称）The unit's name for this task")


class DepartmentSerializer(serializers.ModelSerializer):
    other_names = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="加挂名称 Other names the unit acts under"
    )
    tasks = serializers.SerializerMethodField(help_text="该单位负责的任务，按任务序号 Its tasks by number")

    class Meta:
        model = Department
        fields = ["slug", "name", "other_names", "kind", "tasks"]

    @extend_schema_field(DepartmentTaskSerializer(many=True))
    def get_tasks(self, department: Department) -> list[dict]:
        return [
            {"number": r.task.number, "title": r.task.title, "role": r.role, "name": r.display_name}
            for r in department.responsibilities.all()
        ]
