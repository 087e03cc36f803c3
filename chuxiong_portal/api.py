"""The REST API's URLs, included from chuxiong_portal/urls.py under /api/v1/ (DESIGN.md §4)."""

from csp.decorators import csp_update
from django.urls import URLPattern, path, re_path
from django.urls.resolvers import RoutePattern
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from assessments.api import EvaluationViewSet, FlagViewSet, RankingViewSet
from evaluations.api import EvaluationResultViewSet, SchemeVersionViewSet
from indicators.api import (
    IndicatorValueViewSet,
    IndicatorViewSet,
    ProgressViewSet,
    ReconciliationViewSet,
    TargetViewSet,
    TimelinessView,
)
from parks.api import ZoneViewSet
from projects.api import ProjectInvestmentViewSet, ProjectReportViewSet, ProjectViewSet, RateReconciliationViewSet
from tasks.api import DepartmentViewSet, PlanViewSet, TaskViewSet

from . import api_schema  # noqa: F401 (registers the schema's description of the session authentication)
from .api_support import ApiAccess


class ApiRootView(DefaultRouter.APIRootView):
    permission_classes = [ApiAccess]


class ApiRouter(DefaultRouter):
    """The API's router; its root lists the views outside the router too (`OTHER_ROOT_VIEWS`)."""

    APIRootView = ApiRootView
    OTHER_ROOT_VIEWS = {"timeliness": "api-timeliness", "schema": "api-schema", "docs": "api-docs"}

    def get_api_root_view(self, api_urls=None):
        root = {prefix: self.routes[0].name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**root, **self.OTHER_ROOT_VIEWS})


router = ApiRouter()
router.register("zones", ZoneViewSet, basename="api-zone")
router.register("plans", PlanViewSet, basename="api-plan")
router.register("tasks", TaskViewSet, basename="api-task")
router.register("departments", DepartmentViewSet, basename="api-department")
router.register("indicators", IndicatorViewSet, basename="api-indicator")
router.register("targets", TargetViewSet, basename="api-target")
router.register("indicator-values", IndicatorValueViewSet, basename="api-indicator-value")
router.register("evaluations", EvaluationViewSet, basename="api-evaluation")
router.register("rankings", RankingViewSet, basename="api-ranking")
router.register("progress", ProgressViewSet, basename="api-progress")
router.register("flags", FlagViewSet, basename="api-flag")
router.register("reconciliation/project-rates", RateReconciliationViewSet, basename="api-rate-reconciliation")
router.register("reconciliation", ReconciliationViewSet, basename="api-reconciliation")
router.register("evaluation-schemes", SchemeVersionViewSet, basename="api-evaluation-scheme")
router.register("evaluation-results", EvaluationResultViewSet, basename="api-evaluation-result")
router.register("projects", ProjectViewSet, basename="api-project")
router.register("project-reports", ProjectReportViewSet, basename="api-project-report")
router.register("project-investments", ProjectInvestmentViewSet, basename="api-project-investment")

# The schema and its docs are public (no data in them); Swagger UI is served from the sidecar's static files.
public = {"authentication_classes": [], "permission_classes": [AllowAny]}
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**public), name="api-schema"),
    # Swagger UI's page starts it with an inline <script> and styles it with an inline <style>: the only page
    # whose Content-Security-Policy allows them (settings.CONTENT_SECURITY_POLICY forbids both everywhere else).
    path(
        "docs/",
        csp_update({"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerView.as_view(url_name="api-schema", **public)
        ),
        name="api-docs",
    ),
    path("timeliness/", TimelinessView.as_view(), name="api-timeliness"),
    *router.urls,
]


def _without_slash(pattern: URLPattern) -> URLPattern | None:
    """The route once more without its trailing slash, unnamed (so that links, `reverse`, keep the slash)."""
    if isinstance(pattern.pattern, RoutePattern):
        route = str(pattern.pattern)
        return path(route[:-1], pattern.callback, pattern.default_args) if route.endswith("/") else None
    regex = str(pattern.pattern)
    return re_path(regex[:-2] + "$", pattern.callback, pattern.default_args) if regex.endswith("/$") else None


# Every route answers without its trailing slash too: a POST to `…/bulk` was redirected by APPEND_SLASH (a 500 with
# DEBUG on; in production a 301 that clients follow as a GET, the body lost: a 405). A route whose slash is optional
# in its own regex ("/?") would do, but `reverse` then drops the slash from every link the API gives.
urlpatterns += [bare for pattern in urlpatterns if (bare := _without_slash(pattern)) is not None]


def schema_endpoints(endpoints: list) -> list:
    """drf-spectacular's preprocessing hook: the schema lists each route once, with its slash."""
    return [endpoint for endpoint in endpoints if endpoint[0].endswith("/")]
