"""A plan's status through its life (DESIGN §6): draft → in force → closing → closed, moved by the office one step
at a time. One plan is in force at a time: a successor goes in force once its predecessor is closing."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from chuxiong_portal.access import is_office
from chuxiong_portal.db import serialised

from .models import Plan

NEXT = {
    Plan.Status.DRAFT: Plan.Status.IN_FORCE,
    Plan.Status.IN_FORCE: Plan.Status.CLOSING,
    Plan.Status.CLOSING: Plan.Status.CLOSED,
}


def status_on(plan: Plan, day: date) -> str:
    """The status pages and the API give on `day`: a plan still marked in force after its last year is closing (its
    last year's statistics and ranking still come in) until the office closes it."""
    if plan.status == Plan.Status.IN_FORCE and plan.phase_on(day) == "ended":
        return Plan.Status.CLOSING
    return plan.status


def plan_in_force_other(*, code: str) -> Plan | None:
    """The plan in force other than the plan of `code`, which keeps that plan from going in force (one at a time)."""
    return Plan.objects.filter(status=Plan.Status.IN_FORCE).exclude(code=code).first()


@transaction.atomic
def plan_status_set(*, plan: Plan, status: str, user) -> Plan:
    """Move `plan` to `status`, the next step of its life; refused with a message otherwise."""
    if not is_office(user):
        raise PermissionDenied(_("只有州开发区办可以变更方案状态。"))
    serialised("tasks.plan_status")  # two at once: the second sees the first's change
    plan = Plan.objects.get(pk=plan.pk)
    if NEXT.get(plan.status) != status:
        raise ValidationError(
            _(
                "方案状态只能依次变更：草案 → 执行中 → 收尾中 → 已结束。"
                "《%(title)s》当前为“%(current)s”，不能变更为“%(target)s”。"
            )
            % {"title": plan.title, "current": plan.get_status_display(), "target": Plan.Status(status).label}
        )
    if status == Plan.Status.IN_FORCE:
        other = plan_in_force_other(code=plan.code)
        if other is not None:
            raise ValidationError(
                _("《%(title)s》仍在执行中：请先将其转入收尾，再使本方案生效。") % {"title": other.title}
            )
    if status == Plan.Status.CLOSED:
        _unsettled_check(plan)
    plan.status = status
    plan.save(update_fields=["status"])
    return plan


# A dispatch report's states (indicators.models.DispatchReport.State, a later layer: named here by value): still owed
# by its unit, and delivered but not yet reviewed. A closed plan's record is complete: neither is left in it.
OWED_STATES = ("pending", "draft", "returned")
SUBMITTED_STATE = "submitted"


def _unsettled_check(plan: Plan) -> None:
    """Refuse to close a plan while a report of it is still owed or awaits review: once closed, nothing of its
    record changes (its reports are neither saved, reviewed, waived nor reopened), so these would stay open for
    good. The office has them delivered and reviewed, or waives what will not come, first."""
    owed = submitted = 0
    for reports in ("reports", "project_reports"):  # the dispatch reports and the key projects' reports
        counts = plan.periods.aggregate(
            owed=Count(reports, filter=Q(**{f"{reports}__state__in": OWED_STATES})),
            submitted=Count(reports, filter=Q(**{f"{reports}__state": SUBMITTED_STATE})),
        )
        owed, submitted = owed + counts["owed"], submitted + counts["submitted"]
    if owed or submitted:
        raise ValidationError(
            _(
                "《%(title)s》尚有%(owed)s份报告未报送、%(submitted)s份报告待审核，不能结束：结束后其记录不再修改。"
                "请先督促报送并审核，或由州开发区办免报不再报送的报告，再结束方案。"
            )
            % {"title": plan.title, "owed": owed, "submitted": submitted}
        )
