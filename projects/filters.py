"""Query filters of the projects API. A code that names nothing matches nothing (200, empty page)."""

from django_filters import rest_framework as filters

from chuxiong_portal.api_support import UpdatedSinceFilterSet, code_filter

from .models import Project, ProjectInvestment, ProjectReport


def _zone(field_name: str):
    return code_filter(field_name, "开发区代码 Zone code")


class ProjectFilter(UpdatedSinceFilterSet):
    zone = _zone("zone")
    cluster = code_filter("cluster", "产业集群代码 Cluster code")
    year = filters.NumberFilter(field_name="listings__year", label="年度清单年份 Listed in year", distinct=True)

    class Meta:
        model = Project
        fields = ["zone", "cluster", "kind", "stage", "year"]


class ProjectReportFilter(UpdatedSinceFilterSet):
    zone = _zone("project__zone")
    project = filters.CharFilter(field_name="project__code", label="项目编号 Project code")

    class Meta:
        model = ProjectReport
        fields = ["zone", "project", "state"]


class ProjectInvestmentFilter(UpdatedSinceFilterSet):
    zone = _zone("project__zone")
    project = filters.CharFilter(field_name="project__code", label="项目编号 Project code")

    class Meta:
        model = ProjectInvestment
        fields = ["zone", "project", "year", "month"]
