"""Who may do what with a dispatch report. One place, used by views, services and the API.

Everyone logged in may read, except that zone users read other zones' (and the departments') reports only once
they are approved: drafts, submitted and returned reports are their own zone's business.
Staff edit their own unit's reports while they are not submitted or approved; statisticians their own zone's
value sets; reviewers approve their own unit's reports, zone leaders their own zone's; the prefecture office may do
everything, and alone may reopen approved data.
"""

from chuxiong_portal.access import has_role, is_office, is_zone_user
from chuxiong_portal.roles import Role
from indicators.models import DispatchReport, IndicatorValue
from tasks.models import Plan


def _owns(user, report: DispatchReport) -> bool:
    if report.department_id:
        return user.department_id == report.department_id
    return user.zone_id == report.zone_id


def unpublished_zone(user) -> int | None:
    """Whose unpublished data `user` reads: None for everyone's (the office, the units), else a zone user's zone id
    (0 for a zone user without a zone: nobody's). Pages cached per reader key their bodies by it."""
    return (user.zone_id or 0) if is_zone_user(user) else None


def can_view(user, report: DispatchReport) -> bool:
    if not has_role(user):
        return False
    if is_zone_user(user) and report.state != DispatchReport.State.APPROVED:
        return bool(report.zone_id and report.zone_id == user.zone_id)  # unpublished: their own zone's only
    return True


def of_closed_plan(report: DispatchReport) -> bool:
    """Whether the report belongs to a plan the office has closed: its record is complete, and nothing of it is
    saved, reopened or waived any more (`tasks.lifecycle` closes a plan only once none of its reports is owed or
    awaits review)."""
    return report.period.plan.status == Plan.Status.CLOSED


def can_edit(user, report: DispatchReport) -> bool:
    if not report.is_editable or report.period.is_locked or of_closed_plan(report):
        return False
    return can_edit_if_open(user, report)


def can_edit_if_open(user, report: DispatchReport) -> bool:
    """Whether the user is one of those who fill this report, whatever its state."""
    if is_office(user):
        return True
    if report.department_id:
        return user.role == Role.DEPARTMENT_STAFF and _owns(user, report)
    return user.role == Role.ZONE_STATISTICIAN and _owns(user, report)


def can_review(user, report: DispatchReport) -> bool:
    if report.state != DispatchReport.State.SUBMITTED:
        return False
    if is_office(user):
        return True
    if report.department_id:
        return user.role == Role.DEPARTMENT_REVIEWER and _owns(user, report)
    return user.role == Role.ZONE_LEADER and _owns(user, report)


def can_reopen(user, report: DispatchReport) -> bool:
    return report.state == DispatchReport.State.APPROVED and is_office(user) and not of_closed_plan(report)


def can_waive(user, report: DispatchReport) -> bool:
    """The office waives a report still owed: never one approved before (reopened for a correction, its data was
    delivered; a waive, which nothing undoes, would drop it from every count for good)."""
    return is_office(user) and report.is_editable and not of_closed_plan(report) and not was_approved(report)


def was_approved(report: DispatchReport) -> bool:
    """Whether the report was ever approved (its history holds an approved state)."""
    return report.state == DispatchReport.State.APPROVED or (
        report.pk is not None and report.history.filter(state=DispatchReport.State.APPROVED).exists()
    )


def reviews_value(user, value: IndicatorValue) -> bool:
    """Whether the user reviews this value: its unit's reviewer, or its zone's leader (zone value sets)."""
    if not (user.is_authenticated and user.is_active):
        return False
    report = value.report
    if report is not None and report.department_id:
        return user.role == Role.DEPARTMENT_REVIEWER and user.department_id == report.department_id
    zone_id = report.zone_id if report is not None else value.zone_id
    return user.role == Role.ZONE_LEADER and zone_id is not None and user.zone_id == zone_id


def may_read_data_quality(user) -> bool:
    """The data-quality page is for those who acknowledge its warnings: the office and the reviewers."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_office(user) or user.role in {Role.DEPARTMENT_REVIEWER, Role.ZONE_LEADER}
