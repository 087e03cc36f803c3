"""Reads of evaluations, rankings and flags."""

from django.db.models import QuerySet
from django.http import Http404

from chuxiong_portal import access
from chuxiong_portal.params import whole_number
from chuxiong_portal.roles import Role

from .models import Flag


def flags_for_user(user, *, zone: str = "", year: str = "", rule: str = "", state: str = "") -> QuerySet[Flag]:
    """Flags a user may see: a zone's users (leader, statistician, committee) see their zone's, everyone else all."""
    qs = Flag.objects.select_related("zone__county", "handled_by")
    qs = access.limit_to_own_zone(user, qs)
    if zone:
        qs = qs.filter(zone__code=zone)
    if (number := whole_number(year, digits=4)) is not None:
        qs = qs.filter(year=number)
    if rule:
        qs = qs.filter(rule=rule)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-year", "zone__order", "rule")


def flag_get_for_user(*, user, pk: int) -> Flag:
    flag = flags_for_user(user).filter(pk=pk).first()
    if flag is None:
        raise Http404("no such flag")
    return flag


def can_handle(user, flag: Flag) -> bool:
    """The office handles every flag; a zone leader acknowledges (never resolves) their zone's."""
    if access.is_office(user):
        return True
    return user.role == Role.ZONE_LEADER and user.zone_id == flag.zone_id
