from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from .health import PortalHealthView
from .views import LoginView, PasswordChangeView, account, language_choose

urlpatterns = [
    path("", include("pages.urls")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account, name="account"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("i18n/setlang/", language_choose, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", PortalHealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    path("", include("indicators.reporting.urls")),
    path("api/v1/", include("chuxiong_portal.api")),
    path("", include("pages.reconcile_urls")),
    path("", include("indicators.reporting.quality_urls")),
    path("", include("indicators.reporting.safeguard_urls")),
    path("", include("assessments.urls")),
    path("", include("evaluations.urls")),
    path("", include("supervision.urls")),
    path("", include("closeout.urls")),
    path("", include("projects.urls")),
]


def _not_found(request, exception=None):
    """404s under /api/ in the API's error body (a path no route matches never reaches DRF); pages as usual."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。"), "errors": []}, status=404)
    return page_not_found(request, exception)


handler404 = _not_found
