"""API serializers of the projects app. Codes stand for related rows (zone, cluster, unit slugs, task numbers).
Decimals (万元) are rendered as strings with 2 decimal places."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chuxiong_portal.api_support import code_field
from indicators.serializers import PeriodSerializer

from .investment_import import AMOUNT_STRING
from .models import Listing, Milestone, Project, ProjectInvestment, ProjectReport


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["kind", "planned_on", "actual_on", "baseline_changes"]


class ListingSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Listing
        fields = ["year", "planned_investment", "milestones"]


class ProjectSerializer(serializers.ModelSerializer):
    zone = serializers.CharField(source="zone.code", read_only=True, help_text="开发区代码 Zone code")
    cluster = serializers.CharField(
        source="cluster.code", read_only=True, allow_null=True, help_text="产业集群代码 Cluster code"
    )
    lead_unit = serializers.CharField(
        source="lead_unit.slug", read_only=True, allow_null=True, help_text="牵头责任单位代码 Lead unit slug"
    )
    units = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug", help_text="配合责任单位代码 Co-unit slugs"
    )
    tasks = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number", help_text="服务的方案任务序号 Plan task numbers"
    )
    listings = ListingSerializer(many=True, read_only=True, help_text="年度清单与倒排工期 Yearly lists and baseline")

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "zone",
            "area",
            "cluster",
            "chain",
            "tasks",
            "kind",
            "total_investment",
            "lead_unit",
            "units",
            "lead_person",
            "leader_in_charge",
            "enterprise",
            "stage",
            "exit_reason",
            "signed_on",
            "landed_on",
            "started_on",
            "completed_on",
            "signed_amount",
            "capital_in_place",
            "capital_origin",
            "listings",
            "is_demo",
            "updated_at",
        ]


class ProjectInvestmentSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True, help_text="项目编号 Project code")

    class Meta:
        model = ProjectInvestment
        fields = ["id", "project", "year", "month", "amount", "note", "updated_at"]


class ProjectReportSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True, help_text="项目编号 Project code")
    period = PeriodSerializer(read_only=True)
    department = serializers.CharField(
        source="department.slug", read_only=True, allow_null=True, help_text="填报单位代码 Filing unit slug"
    )
    zone = serializers.CharField(
        source="zone.code", read_only=True, allow_null=True, help_text="填报园区代码 Filing zone code"
    )
    coordination_unit = serializers.CharField(
        source="coordination_unit.slug",
        read_only=True,
        allow_null=True,
        help_text="协调单位代码 Unit asked to coordinate",
    )

    class Meta:
        model = ProjectReport
        fields = [
            "id",
            "project",
            "period",
            "department",
            "zone",
            "state",
            "investment_period",
            "investment_to_date",
            "image_progress",
            "stage_reached",
            "stage_reached_on",
            "problems",
            "coordination",
            "coordination_unit",
            "coordination_answer",
            "return_reason",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        ]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0, "exclusiveMaximum": True, "maximum": 10**12},
            {"type": "string", "pattern": AMOUNT_STRING},
        ]
    }
)
class InvestmentAmountField(serializers.Field):
    """A month's completed investment: a JSON number or a decimal string (documentation only)."""


class InvestmentRowSerializer(serializers.Serializer):
    """One row of the bulk upsert (documentation only: rows are validated by projects.investment_import)."""

    project = code_field("项目编号 Project code")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    amount = InvestmentAmountField(help_text="当月完成投资（万元），不能为负，最多2位小数")
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=2000)
