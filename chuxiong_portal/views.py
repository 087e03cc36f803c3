from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from parks.models import Zone
from tasks import selectors as task_selectors


@login_required
def home(request):
    context = {
        "programmes": task_selectors.programmes_with_tasks(),
        "zones": Zone.objects.select_related("county").prefetch_related("clusters"),
    }
    return render(request, "home.html", context)
