from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from indicators.models import Target

from . import selectors


@login_required
def zone_detail(request, code: str):
    zone = selectors.zone_get(code=code)
    targets = Target.objects.filter(zone=zone).select_related("indicator__task").order_by("indicator__order", "year")
    return render(request, "parks/zone_detail.html", {"zone": zone, "targets": targets})
