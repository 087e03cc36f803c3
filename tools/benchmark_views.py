"""The benchmark's own URLconf: the project's URLs plus a trivial view to compare page render times with.

Used only through `override_settings(ROOT_URLCONF="tools.benchmark_views")` by
`tools.benchmark` (the `pages` section); the project's `urls.py` does not include it.
The trivial view is login-protected like the dashboards, so it goes through the same middleware,
session and authentication path and differs only in the view's own work.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

TRIVIAL_PATH = "/__bench__/trivial/"


@login_required
def trivial(request):
    return HttpResponse("ok")


urlpatterns = [
    path("__bench__/trivial/", trivial, name="bench-trivial"),
    path("", include("chuxiong_portal.urls")),
]
