"""Reads of evaluations, rankings and flags."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from chuxiong_portal import access
from chuxiong_portal.params import whole_number
from chuxiong_portal.roles import Role

from .models import FLAG_REMOVED_REASON, Flag

# What recomputes wrote in a flag's history before its reasons were kept in the portal's language.
_OLD_REASONS = {"evaluation removed": FLAG_REMOVED_REASON}


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


def flag_history(flag: Flag, *, limit: int = 50) -> list:
    """The flag's history, newest first, each entry with `reason_words`: the reason a service kept (in the portal's
    language) worded in the reader's; a note a user typed, as typed."""
    entries = list(flag.history.select_related("history_user").order_by("-history_date")[:limit])
    with translation.override(settings.LANGUAGE_CODE):
        kept = {FLAG_REMOVED_REASON, *(str(label) for label in Flag.State.labels)}
    for entry in entries:
        reason = _OLD_REASONS.get(entry.history_change_reason, entry.history_change_reason) or ""
        entry.reason_words = gettext(reason) if reason in kept else reason
    return entries
