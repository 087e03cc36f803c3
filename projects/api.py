"""/api/v1/ projects, project reports (read) and projects' monthly investment (+ bulk upsert). Views stay thin."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuxiong_portal.api_support import ApiAccess, BulkThrottle, Conflict, SyncViewSet, dry_run_param, import_response
from indicators.api import BULK_RESPONSES, DRY_RUN, SYNC_DESCRIPTION
from indicators.models import IndicatorValue
from indicators.serializers import BULK_DESCRIPTION

from . import selectors
from .filters import ProjectFilter, ProjectInvestmentFilter, ProjectReportFilter
from .investment_import import ImportConflict, investment_import
from .models import Listing, Project, ProjectInvestment, ProjectReport
from .selectors import project_reports_visible_to
from .serializers import (
    InvestmentRowSerializer,
    ProjectInvestmentSerializer,
    ProjectReportSerializer,
    ProjectSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="重点项目 Key projects",
        description="Projects with stage, dates, investment plan "
        "and 倒排工期 baseline. " + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="重点项目 Key project by code"),
)
class ProjectViewSet(SyncViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_field = "code"
    queryset = Project.objects.select_related("zone", "cluster", "lead_unit").prefetch_related(
        "tasks", "units", Prefetch("listings", queryset=Listing.objects.prefetch_related("milestones"))
    )


@extend_schema_view(
    list=extend_schema(
        summary="项目调度报告 Project reports",
        description="Biweekly project reports. " + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="项目调度报告 Project report by id"),
)
class ProjectReportViewSet(SyncViewSet):
    serializer_class = ProjectReportSerializer
    filterset_class = ProjectReportFilter
    queryset = ProjectReport.objects.select_related("project", "period", "department", "zone", "coordination_unit")

    def get_queryset(self):
        return project_reports_visible_to(self.request.user, super().get_queryset())


@extend_schema_view(
    list=extend_schema(
        summary="项目月度完成投资 Projects' monthly investment", description=SYNC_DESCRIPTION.format(field="updated_at")
    ),
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
        # One row: drf-spectacular wraps the example of a list body in the array itself.
        examples=[
            OpenApiExample(
                "one month",
                request_only=True,
                value={"project": "lufeng-2026-01", "year": 2026, "month": 3, "amount": "1250.5"},
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk", throttle_classes=[BulkThrottle])
    def bulk(self, request, *args, **kwargs):
        dry_run = dry_run_param(request)
        try:
            summary = investment_import(rows=request.data, user=request.user, dry_run=dry_run)
        except ImportConflict as error:
            raise Conflict(_("同一批数据正被其他请求同时写入，请稍后重试。")) from error
        return import_response(summary)


class RateFigureSerializer(serializers.Serializer):
    rate = serializers.ChoiceField(
        choices=list(selectors.RATE_INDICATORS),
        help_text="landing_rate 落地率, start_rate 开工率, capital_rate 资金到位率",
    )
    indicator = serializers.CharField(source="value.indicator.code")
    scope = serializers.CharField(source="value.scope")
    zone = serializers.CharField(source="value.zone.code", default=None, allow_null=True)
    year = serializers.IntegerField(source="value.period.year")
    period = serializers.CharField(source="value.period.label")
    province_value = serializers.DecimalField(
        source="value.value", max_digits=18, decimal_places=4, help_text="省统计系统值（%）The province's figure"
    )
    computed_value = serializers.DecimalField(
        source="computed",
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text="项目库计算值（%），无签约项目时为 null",
    )
    signed = serializers.IntegerField(help_text="当年签约的招商引资项目个数")
    difference = serializers.DecimalField(
        max_digits=18, decimal_places=4, allow_null=True, help_text="省统计值 − 项目库计算值（百分点）"
    )


class RateFigureQuerySerializer(serializers.Serializer):
    zone = serializers.SlugField(required=False, help_text="开发区代码 Zone code")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="调度期所在年度")


@extend_schema_view(
    list=extend_schema(
        summary="对账：招商三率 Reconciliation of the 招商 rates",
        description="The province's figures (indicator values with source=province under the codes "
        + ", ".join(f"`{code}`" for code in selectors.RATE_INDICATORS.values())
        + ") beside 落地率, 开工率 and 资金到位率 computed from the projects signed in the period's year.",
        parameters=[RateFigureQuerySerializer],
        responses=RateFigureSerializer(many=True),
    )
)
class RateReconciliationViewSet(viewsets.GenericViewSet):
    permission_classes = [ApiAccess]
    serializer_class = RateFigureSerializer
    queryset = IndicatorValue.objects.none()  # for the schema: the rows are built by the selector
    pagination_class = None
    filter_backends = []  # `zone` and `year` only (RateFigureQuerySerializer): no ordering, no other filter

    def list(self, request, *args, **kwargs):
        # A plain dict: from a QueryDict DRF reads `?zone=` as "not given", and an empty filter is a 400 here too.
        query = RateFigureQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        figures = selectors.province_rate_figures(
            zone=query.validated_data.get("zone", ""), year=query.validated_data.get("year")
        )
        return Response(RateFigureSerializer(figures, many=True).data)
