"""/api/v1/ projects, project reports (read) and projects' monthly investment (+ bulk upsert). Views stay thin."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.decorators import action

from chuxiong_portal.api_support import BulkThrottle, Conflict, SyncViewSet, dry_run_param, import_response
from indicators.api import BULK_RESPONSES, DRY_RUN, SYNC_DESCRIPTION
from indicators.serializers import BULK_DESCRIPTION

from .filters import ProjectFilter, ProjectInvestmentFilter, ProjectReportFilter
from .investment_import import ImportConflict, investment_import
from .models import Listing, Project, ProjectInvestment, ProjectReport
from .serializers import (
    InvestmentRowSerializer,
    ProjectInvestmentSerializer,
    ProjectReportSerializer,
    ProjectSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="重点项目 Key projects", description="Projects with stage, dates, investment plan "
                       "and 倒排工期 baseline. " + SYNC_DESCRIPTION.format(field="updated_at")),
    retrieve=extend_schema(summary="重点项目 Key project by code"),
)
class ProjectViewSet(SyncViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_field = "code"
    queryset = Project.objects.select_related("zone", "cluster", "lead_unit").prefetch_related(
        "tasks", "units", Prefetch("listings", queryset=Listing.objects.prefetch_related("milestones")))


@extend_schema_view(
    list=extend_schema(summary="项目调度报告 Project reports", description="Biweekly project reports. "
                       + SYNC_DESCRIPTION.format(field="updated_at")),
    retrieve=extend_schema(summary="项目调度报告 Project report by id"),
)
class ProjectReportViewSet(SyncViewSet):
    serializer_class = ProjectReportSerializer
    filterset_class = ProjectReportFilter
    queryset = ProjectReport.objects.select_related("project", "period", "department", "zone", "coordination_unit")


@extend_schema_view(
    list=extend_schema(summary="项目月度完成投资 Projects' monthly investment",
                       description=SYNC_DESCRIPTION.format(field="updated_at")),
    retrieve=extend_schema(summary="项目月度完成投资 Monthly investment by id"),
)
class ProjectInvestmentViewSet(SyncViewSet):
    serializer_class = ProjectInvestmentSerializer
    filterset_class = ProjectInvestmentFilter
    write_actions = ("bulk",)
    queryset = ProjectInvestment.objects.select_related("project")

    @extend_schema(
        summary="批量写入项目月度完成投资 Bulk upsert projects' monthly investment",
        description=BULK_DESCRIPTION + "\n\nKey: (project, year, month). `amount` in 万元, at most 2 decimals. "
        "Refused: unknown projects, months after the current one, negative amounts, and any batch that would "
        "bring a project's completed investment above its total investment.",
        parameters=[DRY_RUN],
        request=InvestmentRowSerializer(many=True),
        responses=BULK_RESPONSES,
        examples=[OpenApiExample("one month", request_only=True, value=[
            {"project": "lufeng-2026-01", "year": 2026, "month": 3, "amount": "1250.5"}])],
    )
    @action(detail=False, methods=["post"], url_path="bulk", throttle_classes=[BulkThrottle])
    def bulk(self, request, *args, **kwargs):
        dry_run = dry_run_param(request)
        try:
            summary = investment_import(rows=request.data, user=request.user, dry_run=dry_run)
        except ImportConflict as error:
            raise Conflict(_("同一批数据正被其他请求同时写入，请稍后重试。")) from error
        return import_response(summary)
