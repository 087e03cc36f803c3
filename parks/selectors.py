from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from chuxiong_portal import access

from .models import IndustryCluster, Zone


def zone_get(*, code: str, related: bool = True) -> Zone:
    """The zone with its county and clusters; ``related=False`` fetches the row alone (a page shell)."""
    zones = Zone.objects
    if related:
        zones = zones.select_related("county").prefetch_related(
            Prefetch("clusters", queryset=IndustryCluster.objects.order_by("order"))
        )
    zone = zones.filter(code=code).first()
    if zone is None:
        raise Http404("no such zone")
    return zone


def zone_get_for_user(*, user, code: str, related: bool = True) -> Zone:
    """A zone's page for `user`: the office and the departments see every zone, a zone's own users only theirs.

    Raises PermissionDenied (with a Chinese message) for another zone, or for an account without a role;
    Http404 for a code that names no zone.
    """
    if not (user.role or user.is_superuser):
        raise PermissionDenied(_("您的账号尚未分配角色，请联系州开发区办。"))
    zone = zone_get(code=code, related=related)
    if not access.may_see_zone(user, zone.pk):
        raise PermissionDenied(_("您只能查看本园区的页面，无权查看%(zone)s。") % {"zone": zone.name})
    return zone
