"""/api/v1/ evaluation schemes and results (+ bulk upsert of results with their sub-scores). Views stay thin."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.decorators import action

from chuxiong_portal.api_support import BulkThrottle, Conflict, SyncViewSet, dry_run_param, import_response
from indicators.api import BULK_RESPONSES, DRY_RUN, SYNC_DESCRIPTION
from indicators.reporting.services import ImportConflict
from indicators.serializers import BULK_DESCRIPTION

from .filters import EvaluationResultFilter, SchemeVersionFilter
from .models import EvaluationResult, SchemeVersion
from .selectors import results_visible_to, schemes_visible_to
from .serializers import EvaluationResultRowSerializer, EvaluationResultSerializer, SchemeVersionSerializer
from .services import results_import


@extend_schema_view(
    list=extend_schema(
        summary="评价方案 Evaluation schemes",
        description="One version per (kind, year) with its "
        "weighted sub-indicators (weights in points out of 100; scores are on 0–100). "
        + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="评价方案 Evaluation scheme by id"),
)
class SchemeVersionViewSet(SyncViewSet):
    serializer_class = SchemeVersionSerializer
    filterset_class = SchemeVersionFilter
    queryset = SchemeVersion.objects.prefetch_related("sub_indicators__feeds")

    def get_queryset(self):
        return schemes_visible_to(self.request.user, super().get_queryset())


@extend_schema_view(
    list=extend_schema(
        summary="评价结果 Evaluation results",
        description="A zone's result in one scheme version "
        "with each sub-indicator's value, score and rank; `review` is `total_mismatch` when the "
        "stated total is not the weighted sum of the sub-scores. " + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="评价结果 Evaluation result by id"),
)
class EvaluationResultViewSet(SyncViewSet):
    serializer_class = EvaluationResultSerializer
    filterset_class = EvaluationResultFilter
    write_actions = ("bulk",)
    queryset = EvaluationResult.objects.select_related("scheme").prefetch_related("sub_scores__sub_indicator")

    def get_queryset(self):
        return results_visible_to(self.request.user, super().get_queryset())

    @extend_schema(
        summary="批量写入评价结果及分项得分 Bulk upsert evaluation results with sub-scores",
        description=BULK_DESCRIPTION + "\n\nKey: (scheme, year, zone); the year's scheme must exist (see "
        "/api/v1/evaluation-schemes/) and every one of its sub-indicators is scored. Zones outside the "
        "prefecture are given by code and `zone_name`. A missing total is the weighted sum; a stated one that "
        "differs from it is kept and marked for review. The rankings the accountability rules read "
        "(/api/v1/rankings/) are derived from the results, and the flags recomputed.",
        parameters=[DRY_RUN],
        request=EvaluationResultRowSerializer(many=True),
        responses=BULK_RESPONSES,
        # One row: drf-spectacular wraps the example of a list body in the array itself.
        examples=[
            OpenApiExample(
                "2024 provincial evaluation",
                request_only=True,
                value={
                    "year": 2024,
                    "zone": "lufeng",
                    "rank": 12,
                    "total": 81.3,
                    "funding_awarded": True,
                    "sub_scores": [{"indicator": "innovation", "value": 2.1, "score": 75, "rank": 20}],
                },
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk", throttle_classes=[BulkThrottle])
    def bulk(self, request, *args, **kwargs):
        dry_run = dry_run_param(request)
        try:
            summary = results_import(rows=request.data, user=request.user, dry_run=dry_run)
        except ImportConflict as error:
            raise Conflict(_("同一批数据正被其他请求同时写入，请稍后重试。")) from error
        return import_response(summary)
