"""The dispatch report workflow: draft → submitted → approved, or returned and resubmitted.

Every write happens in one transaction, checks the caller's rights again (never trust the
page), refuses a stale version (optimistic locking) and records who changed what and why.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuxiong_portal import access, dates, pagecache
from chuxiong_portal.queue import enqueue_on_commit
from chuxiong_portal.stale import stale
from indicators.models import DataQualityWarning, DispatchReport, Indicator, IndicatorValue
from indicators.progress.services import targets_for_report
from indicators.selectors import ValueSlot, report_slots

from .. import permissions
from ..flow_words import kept
from .quality import quality_recheck

# Queued by name: the job module (indicators/jobs.py) imports the services.
RECOMPUTE_TARGETS = "indicators.jobs.recompute_targets"
# The states a report saved as a draft stays in: open, so none of its values counts anywhere.
DRAFT_STATES = (DispatchReport.State.PENDING, DispatchReport.State.DRAFT, DispatchReport.State.RETURNED)


class ReportError(Exception):
    """A refused report operation, with a message for the user."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class StaleReportError(ReportError):
    pass


class ReportForbidden(ReportError):
    """The user is not one of those who may do this to the report (answered 403, like the Excel path)."""


@dataclass
class ReportInput:
    progress: str = ""
    progress_pct: int | None = None
    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    delay_reason: str = ""
    values: dict[str, tuple[Decimal | None, date | None]] = field(default_factory=dict)
    # Keys of values the user explicitly cleared ("清除"): a blank where a value was is refused without it.
    cleared: frozenset[str] = frozenset()


def required_on_submit(slot: ValueSlot) -> bool:
    """Whether a value slot must be filled before the report is submitted: every number the period asks
    for (a milestone left blank means "not done yet", which is an answer), except the parts of a rate: a unit
    that knows only the rate types the rate in."""
    return not slot.is_milestone and slot.indicator.kind != Indicator.Kind.PART


def erasure(slot: ValueSlot, value: Decimal | None, done_on: date | None) -> bool:
    """Whether saving (value, done_on) in the slot would remove a value that is there."""
    current = slot.current
    if current is None:
        return False
    if slot.is_milestone:
        return current.done_on is not None and done_on is None
    return current.value is not None and value is None


def _plain(number: Decimal) -> str:
    """100.0000 → "100", not normalize()'s "1E+2"."""
    return format(number.normalize(), "f")


# The largest magnitude a value may have. The column holds 14 digits before the point, but SQLite keeps a decimal as a
# double: 99999999999999.9999 was stored as 1e14, which no longer fits the column, and every page reading it failed.
# A double keeps 15 significant digits, so a value below 1e13 always reads back within the column.
VALUE_LIMIT = Decimal("1e13")


def value_error(indicator: Indicator, value: Decimal | None) -> str | None:
    """Why a value is not acceptable for an indicator, in the user's language; None when it is."""
    if value is None:
        return None
    if not value.is_finite():
        return _("“%(name)s”必须是有效数字。") % {"name": indicator.name}
    if abs(value) >= VALUE_LIMIT:
        return _("“%(name)s”的数值过大，请检查计量单位（%(unit)s）。") % {
            "name": indicator.name,
            "unit": indicator.unit,
        }
    if indicator.min_value is not None and value < indicator.min_value:
        if indicator.min_value == 0:
            return _("“%(name)s”不能为负数。") % {"name": indicator.name}
        return _("“%(name)s”不能小于%(min)s。") % {"name": indicator.name, "min": _plain(indicator.min_value)}
    if indicator.max_value is not None and value > indicator.max_value:
        return _("“%(name)s”不能大于%(max)s%(unit)s。") % {
            "name": indicator.name,
            "max": _plain(indicator.max_value),
            "unit": indicator.unit,
        }
    if indicator.kind == Indicator.Kind.MILESTONE and value not in (0, 1):
        return _("“%(name)s”只能填写1（已完成）或0（未完成）。") % {"name": indicator.name}
    return None


def check_version(report, version: int, *, message=None) -> None:
    """Refuse a stale save. Any model with `version`, `updated_by` and `updated_at` (projects' too); `message`, with
    %(who)s and %(when)s, names what was changed when it is not a report."""
    if report.version != version:
        who = report.updated_by or _("其他用户")
        message = message or _("保存失败：该报告已被%(who)s于%(when)s修改。")
        raise stale(
            StaleReportError(message % {"who": who, "when": dates.moment(report.updated_at)}),
            report.version,
        )


DONE_ON_YEARS_BEFORE_PLAN = 10  # how far before its plan a milestone may have been completed (an earlier 七通一平)


def done_on_error(indicator: Indicator, done_on: date | None, plan) -> str | None:
    """Why a milestone's completion date is not acceptable, in the user's language; None when it is. Not after today
    (2031 was taken, and the milestone counted as done), nor more than ten years before the plan (1900 was taken)."""
    if done_on is None:
        return None
    if done_on > timezone.localdate():
        return _("“%(name)s”的完成日期（%(day)s）不能晚于今天。") % {"name": indicator.name, "day": dates.day(done_on)}
    earliest = date(plan.start.year - DONE_ON_YEARS_BEFORE_PLAN, 1, 1)
    if done_on < earliest:
        return _("“%(name)s”的完成日期（%(day)s）早于%(earliest)s，请核对。") % {
            "name": indicator.name,
            "day": dates.day(done_on),
            "earliest": dates.day(earliest),
        }
    return None


def _locked(pk: int) -> DispatchReport:
    return DispatchReport.objects.select_for_update(of=("self",)).select_related("period__plan", "task").get(pk=pk)


def _closed_plan() -> str:
    """Why nothing of a closed plan's report changes (permissions.of_closed_plan)."""
    return _("该报告所属的行动方案已结束，其记录已归档，不能再修改、重新开放或免报。")


def closed_reason(report: DispatchReport) -> str | None:
    """Why a report is closed to every change by its unit, whoever reads it: its plan closed, or (while the report is
    still to be delivered) its period closed by the office. None when neither; the report page says it."""
    if permissions.of_closed_plan(report):
        return _closed_plan()
    if report.period.is_locked and report.is_editable:
        return _("该调度期已关闭，不能再修改。")
    return None


def _validate(report: DispatchReport, data: ReportInput, slots: list[ValueSlot], submit: bool) -> None:
    errors: dict[str, list[str]] = {}
    by_key = {s.key: s for s in slots}
    for key, (value, _done_on) in data.values.items():
        slot = by_key.get(key)
        if slot is None:
            errors.setdefault(key, []).append(_("该指标不属于本报告。"))
            continue
        message = value_error(slot.indicator, value) or done_on_error(slot.indicator, _done_on, report.period.plan)
        if message:
            errors.setdefault(key, []).append(message)
        elif erasure(slot, value, _done_on) and key not in data.cleared:
            errors.setdefault(key, []).append(
                _("“%(name)s”原有数据，不能直接留空；如确需删除，请选择“清除”（Excel中在本期值填写“清除”）。")
                % {"name": slot.indicator.name}
            )
    if data.progress_pct is not None and not 0 <= data.progress_pct <= 100:
        errors.setdefault("progress_pct", []).append(_("完成进度应在0到100之间。"))
    if data.progress and data.progress not in DispatchReport.Progress.values:
        errors.setdefault("progress", []).append(_("请选择有效的推进情况。"))
    if data.progress == DispatchReport.Progress.DONE and data.progress_pct is not None and 0 <= data.progress_pct < 100:
        # Finished and 40 % done at once: the reviewer could not tell which, and the overview counts it as 已完成.
        errors.setdefault("progress_pct", []).append(
            _("推进情况为“已完成”时，完成进度应为100%（或留空）；尚未全部完成的，请选择“推进中”或“滞后”。")
        )
    if data.progress == DispatchReport.Progress.DELAYED and not data.delay_reason.strip():
        errors.setdefault("delay_reason", []).append(_("推进情况为“滞后”时，必须说明滞后原因。"))
    if submit and report.task_id:
        if not data.progress:
            errors.setdefault("progress", []).append(_("提交前请选择推进情况。"))
    if submit:
        if not data.work_done.strip():
            errors.setdefault("work_done", []).append(_("提交前请填写工作进展。"))
        for slot in slots:
            if required_on_submit(slot) and _missing(slot, data):
                errors.setdefault(slot.key, []).append(_("提交前请填写“%(name)s”。") % {"name": slot.indicator.name})
    if errors:
        if submit:
            raise ReportError(_("填报内容有误，请按提示修改后再提交。"), errors)
        raise ReportError(_("填报内容有误，请按提示修改后再保存。"), errors)


def _missing(slot: ValueSlot, data: ReportInput) -> bool:
    """Whether the report would go in without the slot's value (not given now, and none stored)."""
    if slot.key in data.values:
        return data.values[slot.key][0] is None and data.values[slot.key][1] is None
    return slot.current is None or slot.current.value is None


@transaction.atomic
def report_save(
    *, report: DispatchReport, user, data: ReportInput, version: int, submit: bool, reason: str = ""
) -> DispatchReport:
    """Save a report and its values as a draft, or submit it for review."""
    report = _locked(report.pk)
    if not permissions.can_edit_if_open(user, report):
        raise ReportForbidden(_("您没有修改该报告的权限。"))
    # The state before the version: a report approved or submitted since the page was drawn (by a reviewer, by a
    # colleague, by the user's own first click of a double click) says why it cannot be saved now, not only that
    # someone changed it.
    if not permissions.can_edit(user, report):
        if permissions.of_closed_plan(report):
            raise ReportError(_closed_plan())
        if report.period.is_locked:
            raise ReportError(_("该调度期已关闭，不能再修改。"))
        if report.state == DispatchReport.State.APPROVED:
            raise ReportError(_("该报告已审核锁定，如需修改请联系州开发区办重新开放。"))
        if report.state == DispatchReport.State.SUBMITTED and permissions.can_edit_if_open(user, report):
            raise ReportError(_("该报告已提交，正在等待审核，暂不能修改；如需修改请联系审核人退回。"))
        raise ReportForbidden(_("您没有修改该报告的权限。"))
    check_version(report, version)
    slots = report_slots(report)
    _validate(report, data, slots, submit)

    why = reason.strip() or (kept(gettext_noop("提交")) if submit else kept(gettext_noop("保存草稿")))
    with _draft_scope(report, slots, data.values, submit=submit):
        _write_values(report, slots, data.values, user=user, why=why)
        for name in ("progress", "progress_pct", "work_done", "problems", "next_steps", "delay_reason"):
            setattr(report, name, getattr(data, name))
        now = timezone.now()
        if submit:
            report.state = DispatchReport.State.SUBMITTED
            report.submitted_at = now
            report.first_submitted_at = report.first_submitted_at or now
        elif report.state == DispatchReport.State.PENDING:
            report.state = DispatchReport.State.DRAFT
        report.version += 1
        report.updated_by = user
        report._history_user = user
        report._change_reason = why
        report.save()
    if submit:
        # Checks between values run now, so the reviewer sees the warnings with the submitted report.
        quality_recheck()
        enqueue_recompute(report)
    return report


def _draft_scope(report, slots: list[ValueSlot], values: dict, *, submit: bool):
    """A draft's writes change only the pages that show the report itself (``pagecache.draft_writes``): when it
    stays open and every value it writes is new or its own already (a value taken over from elsewhere — an
    import, another report — stops counting, which the dashboards show)."""
    own = all(slot.current is None or slot.current.report_id == report.pk for slot in slots if slot.key in values)
    if submit or not own or report.state not in DRAFT_STATES:
        return nullcontext()
    return pagecache.draft_writes(zone_id=report.zone_id, task_id=report.task_id, department_id=report.department_id)


def _write_values(report, slots: list[ValueSlot], values: dict, *, user, why: str) -> None:
    for slot in slots:
        if slot.key not in values:
            continue
        value, done_on = values[slot.key]
        if slot.is_milestone:
            value = Decimal(1) if done_on else (value if value is not None else None)
        current = slot.current
        if current is None:
            if value is None and done_on is None:
                continue
            current = IndicatorValue(
                indicator=slot.indicator,
                period=slot.period,
                scope=slot.scope,
                zone=slot.zone,
                cluster=slot.cluster,
                source=IndicatorValue.Source.PORTAL,
            )
        elif current.locked:
            raise ReportError(_("“%(name)s”已审核锁定，不能修改。") % {"name": slot.indicator.name})
        elif current.value == value and current.done_on == done_on and current.report_id == report.pk:
            continue
        else:
            current.version += 1
        current.value, current.done_on, current.report = value, done_on, report
        current.updated_by = user
        current._history_user = user
        current._change_reason = why
        current.save()


def enqueue_recompute(report: DispatchReport) -> None:
    target_ids = targets_for_report(report)
    if target_ids:
        enqueue_on_commit(RECOMPUTE_TARGETS, target_ids)


@transaction.atomic
def report_approve(*, report: DispatchReport, user, version: int, comment: str = "") -> DispatchReport:
    """Approve and lock the report's values; the reviewer's `comment`, if any, is kept in its flow record."""
    report = _locked(report.pk)
    if not permissions.can_review(user, report):
        raise ReportError(_("您没有审核该报告的权限，或该报告不在待审核状态。"))
    check_version(report, version)
    open_warnings = DataQualityWarning.objects.filter(value__report=report, acknowledged_at__isnull=True).count()
    if open_warnings:
        raise ReportError(
            _("该报告有%(n)d条数据质量提示尚未确认，请先在“数据质量”页面逐条核实并确认，再审核通过。")
            % {"n": open_warnings}
        )
    report.state = DispatchReport.State.APPROVED
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.return_reason = ""
    bump(report, user, approval_reason(comment))
    report.values.update(locked=True, updated_at=timezone.now())
    enqueue_recompute(report)
    return report


@transaction.atomic
def report_return(*, report: DispatchReport, user, version: int, reason: str) -> DispatchReport:
    report = _locked(report.pk)
    if not permissions.can_review(user, report):
        raise ReportError(_("您没有审核该报告的权限，或该报告不在待审核状态。"))
    if not reason.strip():
        raise ReportError(_("退回时必须填写退回原因。"), {"reason": [_("请填写退回原因。")]})
    check_version(report, version)
    report.state = DispatchReport.State.RETURNED
    report.return_reason = reason.strip()
    report.reopen_reason = ""  # the page labels the reason as a reopening's while this is set
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    bump(report, user, kept(gettext_noop("退回：%(reason)s"), reason=report.return_reason))
    enqueue_recompute(report)  # a returned report's values no longer count (models.COUNTED_STATES)
    return report


@transaction.atomic
def report_reopen(*, report: DispatchReport, user, reason: str, version: int | None = None) -> DispatchReport:
    """Only the prefecture office reopens approved data, and says why. `version`: the report's version the office's
    page showed (by default, `report` as the caller read it): a report reopened, corrected and approved again since
    then is not reopened unseen."""
    version = report.version if version is None else version
    report = _locked(report.pk)
    if not permissions.can_reopen(user, report):
        if access.is_office(user) and permissions.of_closed_plan(report):
            raise ReportError(_closed_plan())
        raise ReportError(_("只有州开发区办可以重新开放已审核的报告。"))
    check_version(report, version)  # the row is locked: a page left open meets a later approval here
    if not reason.strip():
        raise ReportError(_("重新开放时必须填写原因。"), {"reason": [_("请填写重新开放的原因。")]})
    report.state = DispatchReport.State.RETURNED
    report.reopen_reason = report.return_reason = reason.strip()
    bump(report, user, kept(gettext_noop("重新开放：%(reason)s"), reason=report.reopen_reason))
    report.values.update(locked=False, updated_at=timezone.now())
    enqueue_recompute(report)
    return report


@transaction.atomic
def report_waive(*, report: DispatchReport, user, reason: str, version: int | None = None) -> DispatchReport:
    """The prefecture office waives a report still owed (pending, draft or returned), and says why.

    What a plan's years owe stays owed after the plan's end until it is delivered or waived; a waived report is
    owed by no one and counts neither as on time nor as overdue. `version`: the report's version the office's page
    showed (by default, `report` as the caller read it): a report its unit saved, or that was returned, since then
    is not waived unseen.
    """
    version = report.version if version is None else version
    report = _locked(report.pk)
    if not access.is_office(user):
        raise ReportError(_("只有州开发区办可以免报。"))
    check_version(report, version)  # the row is locked: a page left open meets a later save here
    if permissions.of_closed_plan(report):
        raise ReportError(_closed_plan())
    if not report.is_editable:
        raise ReportError(_("只有尚未报送的报告可以免报。"))
    if permissions.was_approved(report):
        raise ReportError(_("该报告曾经审核通过，其数据已报送，不能免报：重新开放后请更正并重新提交。"))
    if not reason.strip():
        raise ReportError(_("免报时必须填写原因。"), {"reason": [_("请填写免报的原因。")]})
    report.state = DispatchReport.State.WAIVED
    report.waive_reason = reason.strip()
    report.waived_by, report.waived_at = user, timezone.now()
    bump(report, user, kept(gettext_noop("免报：%(reason)s"), reason=report.waive_reason))
    return report


def approval_reason(comment: str) -> str:
    """An approval's line in a report's history, with the reviewer's comment when they wrote one (any report)."""
    comment = comment.strip()
    return kept(gettext_noop("审核通过：%(comment)s"), comment=comment) if comment else kept(gettext_noop("审核通过"))


def bump(report, user, why: str) -> None:
    """Save a report's new state as a new version, with who and why in its history (any report model)."""
    report.version += 1
    report.updated_by = user
    report._history_user = user
    report._change_reason = why
    report.save()
