"""The upload as a whole: who may upload, and `report_import`, which saves a file only when all of it is valid."""

from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.models import DispatchReport
from indicators.selectors import ValueSlot, report_slots

from ... import permissions
from ..reports import ReportError, ReportInput, StaleReportError, closed_reason, report_save
from .cells import CellError, formula_errors, open_upload
from .common import (
    COL_VALUE,
    LABEL_ID,
    LABEL_VERSION,
    MAX_COLUMNS,
    MAX_VALUE_ROWS,
    NARRATIVE,
    REPORT_SHEET,
    VALUES_SHEET,
    ExcelImportError,
    ImportResult,
    logger,
    refuse,
    row_error,
)
from .reader import _Parsed, _read_meta, _read_report_sheet, _read_values_sheet

# --- who may upload ------------------------------------------------------------------------


def edit_refusal(user, report: DispatchReport) -> str | None:
    """Why `user` may not change `report`, with the same messages as `report_save`; None when they may."""
    if permissions.can_edit(user, report):
        return None
    if permissions.of_closed_plan(report):
        return closed_reason(report)
    if report.period.is_locked:
        return _("该调度期已关闭，不能再修改。")
    if report.state == DispatchReport.State.APPROVED:
        return _("该报告已审核锁定，如需修改请联系州开发区办重新开放。")
    if report.state == DispatchReport.State.SUBMITTED and permissions.can_edit(user, _as_draft(report)):
        return _("该报告已提交，正在等待审核，暂不能修改。")
    return _("您没有修改该报告的权限。")


def _as_draft(report: DispatchReport) -> DispatchReport:
    copy = DispatchReport(
        pk=report.pk,
        department_id=report.department_id,
        zone_id=report.zone_id,
        task_id=report.task_id,
        period=report.period,
        state=DispatchReport.State.DRAFT,
    )
    return copy


# --- import: the whole file ---------------------------------------------------------------


def _changed(slots: list[ValueSlot], values: dict) -> int:
    count = 0
    for slot in slots:
        if slot.key not in values:
            continue
        value, done_on = values[slot.key]
        if slot.is_milestone:
            value = Decimal(1) if done_on else value
        old = (slot.current.value, slot.current.done_on) if slot.current else (None, None)
        if old != (value, done_on) and not (slot.current is None and (value, done_on) == (None, None)):
            count += 1
    return count


def report_import(*, report: DispatchReport, user, content: bytes, version: int, submit: bool = False) -> ImportResult:
    """Save (or submit) a report from an uploaded workbook; ExcelImportError, and nothing written, when any
    part of it is wrong."""
    report = DispatchReport.objects.select_related("department", "zone", "task", "period").get(pk=report.pk)
    refusal = edit_refusal(user, report)
    if refusal:
        raise refuse(row_error(refusal))
    wb = open_upload(content)
    parsed = _Parsed()
    slots = report_slots(report)
    try:
        try:
            formulas = formula_errors(wb, max_rows=MAX_VALUE_ROWS + 1, max_columns=MAX_COLUMNS)
            if formulas:
                raise refuse(*formulas)
            _read_meta(wb, parsed)
            _read_report_sheet(wb, report, parsed)
            if parsed.report_id is None:
                raise refuse(
                    row_error(
                        _("无法确认该文件对应哪份报告（缺少“报告编号”）。请使用本页面下载的模板。"),
                        sheet=REPORT_SHEET,
                        column=LABEL_ID,
                    )
                )
            if parsed.report_id != report.pk:
                raise refuse(
                    row_error(
                        _("该文件属于报告（编号%(theirs)s），不是当前报告（编号%(ours)s）。请下载本报告的模板后填写。")
                        % {"theirs": parsed.report_id, "ours": report.pk},
                        sheet=REPORT_SHEET,
                        column=LABEL_ID,
                    )
                )
            if parsed.version is not None and parsed.version != report.version:
                raise refuse(
                    row_error(
                        _(
                            "该文件导出于第%(theirs)s版，报告现已更新到第%(ours)s版（已被修改）。"
                            "请重新下载最新模板，填写后再上传。"
                        )
                        % {"theirs": parsed.version, "ours": report.version},
                        sheet=REPORT_SHEET,
                        column=LABEL_VERSION,
                    )
                )
            _read_values_sheet(wb, slots, parsed)
        except CellError as error:
            raise refuse(row_error(str(error))) from None
        except ExcelImportError:
            raise
        except Exception:  # a damaged sheet found while reading it lazily
            logger.info("unreadable workbook upload", exc_info=True)
            raise refuse(row_error(_("文件已损坏或格式不受支持，无法读取。请重新下载模板填写后上传。"))) from None
    finally:
        wb.close()
    if parsed.errors:
        raise refuse(*parsed.errors)

    narrative = {name: getattr(report, name) for name, _label in NARRATIVE}
    narrative.update(parsed.narrative)
    data = ReportInput(values=parsed.values, cleared=frozenset(parsed.cleared), **narrative)
    changed = _changed(slots, parsed.values)
    try:
        saved = report_save(
            report=report,
            user=user,
            data=data,
            version=version,
            submit=submit,
            reason=_("通过Excel导入并提交") if submit else _("通过Excel导入"),
        )
    except StaleReportError as error:  # the page was left open while the report was saved: the page now shows it
        raise refuse(row_error(error.message + _("请核对本页显示的最新内容后再上传。"))) from None
    except ReportError as error:
        raise refuse(*_service_errors(error, parsed)) from None
    return ImportResult(report=saved, submitted=submit, rows=len(parsed.values), changed=changed)


def _service_errors(error: ReportError, parsed: _Parsed) -> list[dict]:
    """`report_save`'s field errors, placed on the rows they came from."""
    labels = dict(NARRATIVE)
    errors = []
    for key, messages in error.errors.items():
        for message in messages:
            if key in parsed.value_rows:
                errors.append(row_error(message, sheet=VALUES_SHEET, row=parsed.value_rows[key], column=COL_VALUE))
            elif key in labels:
                errors.append(
                    row_error(message, sheet=REPORT_SHEET, row=parsed.narrative_rows.get(key), column=labels[key])
                )
            else:
                errors.append(row_error(message))
    return errors or [row_error(error.message)]
