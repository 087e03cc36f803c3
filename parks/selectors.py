from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import IndustryCluster, Zone


def zones_list() -> QuerySet[Zone]:
    return Zone.objects.select_related("county").prefetch_related("clusters")


def zone_get(*, code: str) -> Zone:
    zone = (
        Zone.objects.select_related("county")
        .prefetch_related(Prefetch("clusters", queryset=IndustryCluster.objects.order_by("order")))
        .filter(code=code)
        .first()
    )
    if zone is None:
        raise Http404("no such zone")
    return zone
