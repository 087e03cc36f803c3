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
    COMMITTEE_STAFF = "committee_staff", _("管委会填报员")
    COMMITTEE_REVIEWER = "committee_reviewer", _("管委会审核员")
    COUNTY_STAFF = "county_staff", _("县市政府填报员")
    COUNTY_REVIEWER = "county_reviewer", _("县市政府审核员")


# Roles that act for a department, and roles that act for a zone.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_REVIEWER})
ZONE_ROLES = frozenset({Role.ZONE_STATISTICIAN, Role.ZONE_LEADER, Role.COMMITTEE_STAFF, Role.COMMITTEE_REVIEWER})
# A zone management committee (管委会) and a county government (县市人民政府) report like a unit: staff file,
# reviewers approve. A committee's users act for their zone; a county government's for their county.
COMMITTEE_ROLES = frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_REVIEWER})
COUNTY_ROLES = frozenset({Role.COUNTY_STAFF, Role.COUNTY_REVIEWER})
BODY_STAFF_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.COMMITTEE_STAFF, Role.COUNTY_STAFF})
BODY_REVIEWER_ROLES = frozenset({Role.DEPARTMENT_REVIEWER, Role.COMMITTEE_REVIEWER, Role.COUNTY_REVIEWER})

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
    Role.COMMITTEE_STAFF: ["indicators.view_dispatchreport", "assessments.view_flag"],
    Role.COMMITTEE_REVIEWER: ["indicators.view_dispatchreport", "assessments.view_flag"],
    Role.COUNTY_STAFF: ["indicators.view_dispatchreport"],
    Role.COUNTY_REVIEWER: ["indicators.view_dispatchreport"],
}


# Where each role lands on "/": where its work is (README "Roles").
LANDING_OVERVIEW, LANDING_TODO, LANDING_REVIEW, LANDING_ZONE = "overview", "todo", "review", "zone"
FILLING_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.ZONE_STATISTICIAN})
REVIEWING_ROLES = frozenset({Role.DEPARTMENT_REVIEWER, Role.ZONE_LEADER})


def landing(user) -> str:
    """The page a user starts on: the office (and superusers) on the overview, zone leaders on their zone,
    staff and statisticians on their to-do, department reviewers on what waits for their review. A zone
    committee's or a county government's staff and reviewers land on the to-do too: their 督办单, work items and
    the work-item reports waiting for review are there."""
    if user.is_superuser or user.role == Role.PREFECTURE_OFFICE:
        return LANDING_OVERVIEW
    if user.role == Role.ZONE_LEADER and user.zone_id:
        return LANDING_ZONE
    if user.role in FILLING_ROLES:
        return LANDING_TODO
    if user.role == Role.DEPARTMENT_REVIEWER:
        return LANDING_REVIEW
    if user.role in COMMITTEE_ROLES | COUNTY_ROLES:
        return LANDING_TODO
    return LANDING_OVERVIEW
