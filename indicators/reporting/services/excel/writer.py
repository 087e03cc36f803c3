"""The download: one dispatch report as a pre-filled .xlsx template."""

import io
import re
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from chuxiong_portal.spreadsheets import neutralise_formulas
from indicators.models import DispatchReport
from indicators.selectors import report_slots

from .common import (
    COL_CODE,
    COL_DONE,
    COL_KEY,
    COL_NAME,
    COL_PERIOD,
    COL_PREVIOUS,
    COL_SCOPE_NAME,
    COL_UNIT,
    COL_VALUE,
    COL_WHERE,
    COLUMN_WIDTHS,
    FORMAT,
    LABEL_ID,
    LABEL_VERSION,
    MACHINE_COLUMNS,
    META_SHEET,
    PROGRESS_LABELS,
    REPORT_SHEET,
    VALUE_COLUMNS,
    VALUES_SHEET,
    _narrative_fields,
    _where,
)

# --- export --------------------------------------------------------------------------------


def _number(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def report_workbook(report: DispatchReport) -> bytes:
    """The report as a pre-filled .xlsx: narrative on “调度报告”, one row per value on “指标数据”."""
    slots = report_slots(report)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    ws = wb.active
    ws.title = REPORT_SHEET
    ws.append([_("楚雄州开发区调度报告（Excel填报模板）")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            _(
                "说明：只填写黄色单元格；“推进情况”请从下拉列表选择；请勿修改A列标签。"
                "“指标数据”表中，节点类指标只填“完成日期”（未完成留空），其他指标按“计量单位”填写“本期值”；"
                "请勿修改指标代码、范围和计量单位。文件全部校验通过才会写入系统。"
            )
        ]
    )
    ws.merge_cells("A2:B2")
    ws["A2"].alignment = wrap
    ws.row_dimensions[2].height = 60
    who_label = _("填报单位") if report.department_id else _("开发区")
    task = f"{report.task.number}. {report.task.title}" if report.task_id else _("园区指标")
    header = [
        (LABEL_ID, report.pk),
        (who_label, str(report.department or report.zone)),
        (_("任务"), task),
        (_("调度期"), report.period.label),
        (_("报送截止"), report.period.deadline),
        (LABEL_VERSION, report.version),
        (_("状态"), report.get_state_display()),
    ]
    for label, value in header:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = bold
        ws.cell(ws.max_row, 2).alignment = Alignment(horizontal="left")
        if isinstance(value, date):
            ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    ws.append([])
    for name, label in _narrative_fields(report):
        value = getattr(report, name)
        if name == "progress":
            value = PROGRESS_LABELS.get(value, "")
        ws.append([label, value if value not in (None, "") else None])
        row = ws.max_row
        ws.cell(row, 1).font = bold
        ws.cell(row, 1).alignment = Alignment(vertical="top")
        cell = ws.cell(row, 2)
        cell.fill = input_fill
        cell.alignment = wrap
        if name == "progress":
            choices = DataValidation(
                type="list",
                formula1='"' + ",".join(PROGRESS_LABELS.values()) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("推进情况"),
                error=_("请从下拉列表选择：未启动、推进中、已完成、滞后。"),
            )
            ws.add_data_validation(choices)
            choices.add(cell.coordinate)
        elif name == "progress_pct":
            cell.number_format = "0"
        else:
            ws.row_dimensions[row].height = 60
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90

    vs = wb.create_sheet(VALUES_SHEET)
    vs.append(VALUE_COLUMNS)
    for cell in vs[1]:
        cell.font, cell.fill = bold, head_fill
    for slot in slots:
        current, previous = slot.current, slot.previous
        if slot.is_milestone:
            value = None
            done_on = current.done_on if current else None
            before = (previous.done_on or _("未完成")) if previous else None
        else:
            value = _number(current.value) if current else None
            done_on = None
            before = _number(previous.value) if previous else None
        cells = {
            COL_CODE: slot.indicator.code,
            COL_WHERE: _where(slot),
            COL_NAME: slot.indicator.name,
            COL_SCOPE_NAME: slot.scope_label,
            COL_PERIOD: slot.period.label,
            COL_UNIT: slot.indicator.unit,
            COL_VALUE: value,
            COL_DONE: done_on,
            COL_PREVIOUS: before,
            COL_KEY: slot.key,
        }
        vs.append([cells[column] for column in VALUE_COLUMNS])
        row = vs.max_row
        vs.cell(row, VALUE_COLUMNS.index(COL_DONE) + 1).number_format = "yyyy-mm-dd"
        vs.cell(row, VALUE_COLUMNS.index(COL_PREVIOUS) + 1).number_format = (
            "yyyy-mm-dd" if slot.is_milestone else "General"
        )
        target = COL_DONE if slot.is_milestone else COL_VALUE
        vs.cell(row, VALUE_COLUMNS.index(target) + 1).fill = input_fill
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        vs.column_dimensions[vs.cell(1, index).column_letter].width = width
    for column in MACHINE_COLUMNS:  # kept for the upload, out of the way of the people filling the sheet
        vs.column_dimensions[vs.cell(1, VALUE_COLUMNS.index(column) + 1).column_letter].hidden = True
    vs.freeze_panes = "A2"

    meta = wb.create_sheet(META_SHEET)
    for key, value in (
        ("format", FORMAT),
        ("report_id", report.pk),
        ("version", report.version),
        ("exported_at", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"

    neutralise_formulas(wb)  # narratives are text users typed: "=HYPERLINK(...)" must stay text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_filename(report: DispatchReport) -> str:
    who = str(report.department or report.zone)
    what = _("任务%(number)s") % {"number": report.task.number} if report.task_id else _("园区指标")
    name = f"{_('调度报告')}_{who}_{what}_{report.period.label}_{report.pk}.xlsx"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name)
