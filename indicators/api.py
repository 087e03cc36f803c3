"""/api/v1/ indicators, targets, indicator values (+ bulk upsert), progress and reconciliation. Views stay thin."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from chuxiong_portal.api_support import (
    ApiAccess,
    ApiViewSet,
    BulkThrottle,
    Conflict,
    ReadThrottle,
    SyncViewSet,
    dry_run_param,
    import_response,
)
from tasks.api import PLAN_PARAMETER, PlanScoped
from tasks.selectors import plan_in_force

from .filters import IndicatorFilter, IndicatorValueFilter, ProgressFilter, ReconciliationFilter, TargetFilter
from .models import Indicator, IndicatorValue, ProgressResult, Target
from .reporting import services
from .reporting.reconciliation import reconciliation_rows
from .selectors import period_shown, results_visible_to, timeliness_summary, values_visible_to
from .serializers import (
    BULK_DESCRIPTION,
    BulkRefusalSerializer,
    ErrorSerializer,
    ImportSummarySerializer,
    IndicatorSerializer,
    IndicatorValueRowSerializer,
    IndicatorValueSerializer,
    ProgressSerializer,
    ReconciliationSerializer,
    TargetSerializer,
)

SYNC_DESCRIPTION = (
    "Keyset-paginated by ({field}, id) ascending: follow `next` until it is null. The order is stable while "
    "data changes — a row changed during paging reappears later, none is skipped. For incremental sync pass "
    "`updated_since` = the largest `{field}` you stored minus a safety margin (e.g. 5 minutes); rows are "
    "idempotent to re-apply."
)

DRY_RUN = OpenApiParameter(
    "dry_run",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    required=False,
    description="true: 只校验并报告，不写入 validate and report, write nothing",
)
BULK_RESPONSES = {
    200: ImportSummarySerializer,
    # A bad batch answers the summary with its errors, a body that cannot be read or a bad query string the plain
    # error body: BulkRefusalSerializer documents both.
    400: OpenApiResponse(
        BulkRefusalSerializer,
        description="请求体不符合接口定义或参数有误，未写入 The body breaks this "
        "schema (or the query is malformed): nothing written; `errors` lists every row error",
    ),
    409: OpenApiResponse(
        BulkRefusalSerializer,
        description="格式正确但被拒绝，未写入 A well-formed batch refused as it "
        "stands: a code the portal does not hold, a period not set up, a rule between fields or "
        "against the stored data (a locked figure, a rank already taken), or another request writing "
        "the same keys at that moment (retry); nothing written; `errors` lists every row error",
    ),
    401: ErrorSerializer,
    403: ErrorSerializer,
    413: ErrorSerializer,
    415: ErrorSerializer,
    429: ErrorSerializer,
}


@extend_schema_view(
    list=extend_schema(
        summary="指标 Indicators",
        description="A plan's indicator definitions. Page-number paginated.",
        parameters=[PLAN_PARAMETER],
    ),
    retrieve=extend_schema(summary="指标 Indicator by code"),
)
class IndicatorViewSet(PlanScoped, ApiViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Indicator.objects.select_related("task", "owner").order_by("task__number", "order", "code")


@extend_schema_view(
    list=extend_schema(
        summary="目标 Targets",
        description="A plan's targets per indicator × scope × year, "
        "filterable by zone code, indicator code and year. Page-number paginated.",
        parameters=[PLAN_PARAMETER],
    ),
    retrieve=extend_schema(summary="目标 Target by id"),
)
class TargetViewSet(PlanScoped, ApiViewSet):
    plan_field = "indicator__plan"
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    queryset = Target.objects.select_related("indicator", "zone", "cluster").order_by(
        "indicator__task__number",
        "indicator__order",
        "indicator__code",
        "scope",
        "zone__order",
        "cluster__order",
        "year",
        "id",
    )


@extend_schema_view(
    list=extend_schema(
        summary="指标值 Indicator values",
        description="The values of a plan's indicators. " + SYNC_DESCRIPTION.format(field="updated_at"),
        parameters=[PLAN_PARAMETER],
    ),
    retrieve=extend_schema(summary="指标值 Indicator value by id"),
)
class IndicatorValueViewSet(PlanScoped, SyncViewSet):
    plan_field = "indicator__plan"
    plan_by_keys = True
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    write_actions = ("bulk",)
    # The nullable relations (zone, cluster, report) are fetched by id, not joined: on PostgreSQL each outer join
    # multiplies the planner's work (planning this list with all five joined took 7–16 ms against 0.4 ms with the two
    # inner ones; executing it, 1.6 ms), and three lookups by primary key cost about a millisecond.
    queryset = IndicatorValue.objects.select_related("indicator", "period").prefetch_related(
        "zone", "cluster", "report"
    )

    def get_queryset(self):
        return values_visible_to(self.request.user, super().get_queryset())

    @extend_schema(
        summary="批量写入省统计指标值 Bulk upsert the province's indicator values",
        description=BULK_DESCRIPTION + "\n\nKey: (scope, zone|cluster, indicator, period). Stored with "
        "`source=province` next to the units' own values (see /api/v1/reconciliation/). `period.cadence` must be "
        "the indicator's cadence. A locked province value may only be changed by the prefecture office.",
        parameters=[DRY_RUN],
        request=IndicatorValueRowSerializer(many=True),
        responses=BULK_RESPONSES,
        # One row: drf-spectacular wraps the example of a list body in the array itself.
        examples=[
            OpenApiExample(
                "monthly output",
                request_only=True,
                value={
                    "zone": "lufeng",
                    "indicator": "industrial-output",
                    "period": {"cadence": "monthly", "year": 2024, "index": 3},
                    "value": "123.45",
                },
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk", throttle_classes=[BulkThrottle])
    def bulk(self, request, *args, **kwargs):
        dry_run = dry_run_param(request)
        try:
            summary = services.values_import(rows=request.data, user=request.user, dry_run=dry_run)
        except services.ImportConflict as error:
            raise Conflict(_("同一批数据正被其他请求同时写入，请稍后重试。")) from error
        return import_response(summary)


@extend_schema_view(
    list=extend_schema(
        summary="进度结果 Progress",
        description="Progress per target (zone/cluster/prefecture × "
        "indicator) of a plan and period. "
        + SYNC_DESCRIPTION.format(field="computed_at")
        + " A recompute rewrites a target's results in place (same id, new computed_at); key them by id or by"
        " (target.id, period).",
        parameters=[PLAN_PARAMETER],
    ),
    retrieve=extend_schema(summary="进度结果 Progress result by id"),
)
class ProgressViewSet(PlanScoped, SyncViewSet):
    plan_field = "target__indicator__plan"
    plan_by_keys = True
    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter
    keyset_field = "computed_at"
    queryset = ProgressResult.objects.select_related("target__indicator", "target__zone", "target__cluster", "period")

    def get_queryset(self):
        return results_visible_to(self.request.user, super().get_queryset())


@extend_schema_view(
    list=extend_schema(
        summary="对账 Reconciliation",
        description="Where the province's figure and the unit's entry "
        "both exist for a (zone, indicator, period) and differ. Page-number paginated.",
    ),
    retrieve=extend_schema(summary="对账 Reconciliation row by province value id"),
)
class ReconciliationViewSet(ApiViewSet):
    serializer_class = ReconciliationSerializer
    filterset_class = ReconciliationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: types only, no user
            return reconciliation_rows()
        return reconciliation_rows(self.request.user)


class TimelinessRowSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="单位或开发区名称 Unit or zone name")
    slug = serializers.CharField(help_text="单位代码或开发区代码 Unit slug or zone code")
    kind = serializers.ChoiceField(choices=["department", "zone"])
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    not_due = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class TimelinessQuerySerializer(serializers.Serializer):
    period_from = serializers.DateField(required=False, help_text="报告期截止日不早于 (YYYY-MM-DD)")
    period_to = serializers.DateField(required=False, help_text="报告期截止日不晚于 (YYYY-MM-DD)")

    def validate(self, attrs):
        empty = [
            name
            for name in ("period_from", "period_to")
            if name in self.initial_data and not str(self.initial_data.get(name, "")).strip()
        ]
        if empty:
            raise serializers.ValidationError({name: [_("日期不能为空值；不限定时请省略该参数。")] for name in empty})
        return attrs  # period_from after period_to is an empty window: no report ends in it


class TimelinessSerializer(serializers.Serializer):
    period_from = serializers.DateField(help_text="窗口起 Window start")
    period_to = serializers.DateField(help_text="窗口止 Window end")
    results = TimelinessRowSerializer(many=True)


class TimelinessView(APIView):
    """Completeness and timeliness per unit for the reports whose period ends in a window (DESIGN.md §2)."""

    permission_classes = [ApiAccess]
    throttle_classes = [ReadThrottle]

    @extend_schema(
        summary="报送及时率 Timeliness per unit",
        description=(
            "Reports due in the window (default: the current month of the plan in force, the latest monthly "
            "period of its years whose deadline has passed; before its first deadline, its first month), "
            "per unit or zone: submitted on time, late, overdue, not yet due. "
            "A window whose period_from is after its period_to holds no report: empty results."
        ),
        parameters=[TimelinessQuerySerializer],
        responses=TimelinessSerializer,
    )
    def get(self, request, *args, **kwargs):
        query = TimelinessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        start, end = query.validated_data.get("period_from"), query.validated_data.get("period_to")
        if start is None or end is None:
            # The month the pages show: of the plan in force, never a baseline-year month.
            current = period_shown(today=today, plan=plan_in_force())
            default_start, default_end = (current.start, current.end) if current else (today, today)
            start, end = start or default_start, end or default_end
        rows = timeliness_summary(periods_ending_from=start, periods_ending_to=end, today=today)
        return Response(
            {"period_from": start, "period_to": end, "results": TimelinessRowSerializer(rows, many=True).data}
        )
