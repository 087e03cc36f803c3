"""/api/v1/ evaluations, rankings (+ bulk upsert) and accountability flags. Views stay thin."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.decorators import action

from chuxiong_portal import access
from chuxiong_portal.api_support import BulkThrottle, Conflict, SyncViewSet, dry_run_param, import_response
from chuxiong_portal.bulk_import import ImportConflict
from indicators.api import BULK_RESPONSES, DRY_RUN, SYNC_DESCRIPTION
from indicators.serializers import BULK_DESCRIPTION

from .filters import EvaluationFilter, FlagFilter, RankingFilter
from .models import Evaluation, Flag, Ranking
from .serializers import EvaluationSerializer, FlagSerializer, RankingRowSerializer, RankingSerializer
from .services import ranking_import


@extend_schema_view(
    list=extend_schema(
        summary="评价 Evaluations",
        description="One row per (scheme, year): how many zones were "
        "ranked. " + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="评价 Evaluation by id"),
)
class EvaluationViewSet(SyncViewSet):
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    queryset = Evaluation.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="排名 Rankings",
        description="`{year, zone, rank, total_zones, score, "
        "funding_awarded}` with the zone as its code; filter by zone, year, scheme. "
        + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="排名 Ranking by id"),
)
class RankingViewSet(SyncViewSet):
    serializer_class = RankingSerializer
    filterset_class = RankingFilter
    write_actions = ("bulk",)
    queryset = Ranking.objects.select_related("evaluation", "zone")

    @extend_schema(
        summary="批量写入评价排名 Bulk upsert evaluation rankings",
        description=BULK_DESCRIPTION + "\n\nKey: (scheme, year, zone); `scheme` defaults to `provincial` "
        "(`national` only for the national high-tech zone). Rows of one (scheme, year) must agree on "
        "`total_zones`. After a successful write the accountability flags are recomputed "
        "(see /api/v1/flags/).",
        parameters=[DRY_RUN],
        request=RankingRowSerializer(many=True),
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
                    "total_zones": 66,
                    "score": "85.50",
                    "funding_awarded": True,
                },
            )
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk", throttle_classes=[BulkThrottle])
    def bulk(self, request, *args, **kwargs):
        dry_run = dry_run_param(request)
        try:
            summary = ranking_import(rows=request.data, user=request.user, dry_run=dry_run)
        except ImportConflict as error:
            raise Conflict(_("同一批数据正被其他请求同时写入，请稍后重试。")) from error
        return import_response(summary)


@extend_schema_view(
    list=extend_schema(
        summary="问责提示 Accountability flags",
        description="Task-8 rule results; filter by zone, "
        "year, rule, state. " + SYNC_DESCRIPTION.format(field="updated_at"),
    ),
    retrieve=extend_schema(summary="问责提示 Flag by id"),
)
class FlagViewSet(SyncViewSet):
    serializer_class = FlagSerializer
    filterset_class = FlagFilter
    queryset = Flag.objects.select_related("zone", "handled_by")

    def get_queryset(self):
        # A zone's users read only their zone's flags, as on the /flags/ pages.
        return access.limit_to_own_zone(self.request.user, super().get_queryset())
