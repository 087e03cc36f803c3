"""The portal's roles. Each is a Django group; permissions are attached by `roles_sync`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PREFECTURE_OFFICE = "prefecture_office", _("州开发区办（管理员）")
    DEPARTMENT_STAFF = "department_staff", _("部门填报员")
    DEPARTMENT_REVIEWER = "department_reviewer", _("部门审核员")
    ZONE_STATISTICIAN = "zone_statistician", _("园区统计员")
    ZONE_LEADER = "zone_leader", _("园区领导")
    PROVINCIAL_SYNC = "provincial_sync", _("省统计系统同步客户端")


# Roles that act for a department, and roles that act for a zone.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_REVIEWER})
ZONE_ROLES = frozenset({Role.ZONE_STATISTICIAN, Role.ZONE_LEADER})

# Model permissions granted to each role's group (app_label.codename).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PREFECTURE_OFFICE: ["*"],
    Role.DEPARTMENT_STAFF: [
        "indicators.view_dispatchreport",
        "indicators.add_dispatchreport",
        "indicators.change_dispatchreport",
        "indicators.view_indicatorvalue",
        "indicators.add_indicatorvalue",
        "indicators.change_indicatorvalue",
    ],
    Role.DEPARTMENT_REVIEWER: [
        "indicators.view_dispatchreport",
        "indicators.review_dispatchreport",
        "indicators.view_indicatorvalue",
    ],
    Role.ZONE_STATISTICIAN: [
        "indicators.view_indicatorvalue",
        "indicators.add_indicatorvalue",
        "indicators.change_indicatorvalue",
        "indicators.view_dispatchreport",
        "indicators.add_dispatchreport",
        "indicators.change_dispatchreport",
    ],
    Role.ZONE_LEADER: [
        "indicators.view_indicatorvalue",
        "indicators.view_dispatchreport",
        "assessments.view_flag",
        "assessments.view_ranking",
    ],
    Role.PROVINCIAL_SYNC: [
        "indicators.view_indicatorvalue",
        "indicators.add_indicatorvalue",
        "indicators.change_indicatorvalue",
        "assessments.view_ranking",
        "assessments.add_ranking",
        "assessments.change_ranking",
        "assessments.view_flag",
    ],
}
