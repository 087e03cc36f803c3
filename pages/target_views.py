"""A target's own page: uncached, for it lists the 督办单 the reader may open and offers the office 交办督办单."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from chuxiong_portal.security import role_required
from chuxiong_portal.views import render_forbidden
from indicators.selectors import target_get_for_user

from . import dashboards


@role_required
def target_detail(request, pk: int):
    """A target (indicator, scope, year, goals, the plan's wording and the office's note) and its progress results
    over time, with the 督办单 issued for it (滞后目标). Whoever reads its results on its task's page may open it; a
    zone user another zone's target is a 403 in words (`indicators.selectors.target_get_for_user`)."""
    try:
        target = target_get_for_user(user=request.user, pk=pk)
    except PermissionDenied as denied:
        return render_forbidden(request, str(denied))
    context = dashboards.target_dashboard(target=target, today=timezone.localdate())
    return render(request, "indicators/target_detail.html", {"target": target, **context})
