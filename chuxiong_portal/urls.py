from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .health import PortalHealthView

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", PortalHealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    path("", include("tasks.urls")),
    path("", include("parks.urls")),
    path("", include("indicators.urls")),
    path("api/v1/", include("chuxiong_portal.api")),
    path("", include("indicators.reconcile_urls")),
    path("", include("chuxiong_portal.dashboard_urls")),
    path("", include("assessments.urls")),
]
