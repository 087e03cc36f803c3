"""The zone page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from chuxiong_portal import pagecache
from chuxiong_portal.views import render_forbidden
from parks import selectors
from supervision.permissions import can_view_items_of
from tasks.selectors import plan_for_request

from . import dashboards

# The areas of data a zone page reads (besides its own zone's drafts): see chuxiong_portal.pagecache.
ZONE_AREAS = (pagecache.CORE, pagecache.PROJECTS, pagecache.SUPERVISION, pagecache.EVALUATIONS)


@login_required
def zone_detail(request, code: str):
    """A zone's dashboard: headline figures, each indicator against its path, ranks, flags, tasks' status.

    The office and department users may open every zone. Zone leaders and statisticians may open only
    their own zone: another zone's page is a 403 with a Chinese message (``selectors.zone_get_for_user``).
    """
    try:
        zone = selectors.zone_get_for_user(user=request.user, code=code, related=False)
    except PermissionDenied as denied:
        return render_forbidden(request, str(denied))
    plan = plan_for_request(request)  # ?plan=CODE, else the plan in force
    # The zone's supervision items are linked for the readers who may open them (the office, the zone's own users):
    # one body for them, one for the others.
    opens_items = can_view_items_of(request.user, zone_id=zone.pk)
    return pagecache.object_page(
        request,
        name="zone",
        obj=zone,
        shell="parks/zone_detail.html",
        body="parks/zone_body.html",
        detail=lambda: selectors.zone_get(code=code),
        build=lambda zone, today: {
            **dashboards.zone_dashboard(zone=zone, today=today, plan=plan),
            "opens_items": opens_items,
        },
        parts=(plan.pk, opens_items),
        areas=ZONE_AREAS + (pagecache.draft_area("zone", zone.pk),),  # its own zone's drafts show on it
    )
