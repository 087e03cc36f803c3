"""GET /api/v1/zones/: the development zones with their host county and clusters."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from chuxiong_portal.api_support import ApiViewSet

from .filters import ZoneFilter
from .models import IndustryCluster, Zone
from .serializers import ZoneSerializer


@extend_schema_view(
    list=extend_schema(
        summary="开发区列表 Zones", description="code, name, level, host county, clusters. Page-number paginated."
    ),
    retrieve=extend_schema(summary="开发区 Zone by code"),
)
class ZoneViewSet(ApiViewSet):
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = (
        Zone.objects.select_related("county")
        .prefetch_related(Prefetch("clusters", queryset=IndustryCluster.objects.order_by("order")))
        .order_by("order", "id")
    )
