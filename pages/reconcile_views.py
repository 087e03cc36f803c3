"""The reconciliation page: where the province's official figure and a unit's entry differ.

A page (DESIGN §7): beside the indicators' differences it shows the key projects' rates (`portal_projects`).
"""

from django.core.paginator import Paginator
from django.shortcuts import render

from chuxiong_portal.params import year_number
from chuxiong_portal.security import role_required
from indicators.reporting.reconciliation import difference, filter_rows, reconciliation_rows
from parks.models import Zone
from tasks.selectors import plan_for_request

PAGE_SIZE = 100


@role_required
def reconciliation(request):
    zones = list(Zone.objects.order_by("order"))
    zone = request.GET.get("zone", "")
    zone = zone if zone in {z.code for z in zones} else ""
    year_raw = request.GET.get("year", "")
    year = year_number(year_raw)
    rows = filter_rows(reconciliation_rows(request.user), zone=zone, year=year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [(row, *difference(row)) for row in page.object_list]
    return render(
        request,
        "indicators/reconciliation.html",
        {
            "page": page,
            "lines": lines,
            "zones": zones,
            "zone": zone,
            "year": year,
            "years": plan_for_request(request).period_years,  # the baseline year and the plan's years
        },
    )
